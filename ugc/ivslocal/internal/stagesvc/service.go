package stagesvc

import (
	"crypto/rand"
	"errors"
	"net/http"
	"sort"
	"sync"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// serviceName is the name under which calls are logged.
const serviceName = "ivsrealtime"

// Errors returned by Join, Publish, Unpublish and Leave. The control routes
// map them to HTTP statuses (see doc.go).
var (
	ErrStageNotFound       = errors.New("stage not found")
	ErrParticipantNotFound = errors.New("participant not found")
	ErrInvalidToken        = errors.New("participant token is not valid")
	ErrTokenExpired        = errors.New("participant token has expired")
	ErrTokenWrongStage     = errors.New("participant token is for another stage")
	ErrTokenUsed           = errors.New("participant token has already been used to join")
	ErrNotConnected        = errors.New("participant is not connected")
	ErrNoPublishCapability = errors.New("participant token lacks the PUBLISH capability")
	ErrPublisherLimit      = errors.New("stage already has 12 publishers")
	ErrStageFull           = errors.New("stage has reached its participant limit")
)

// Service emulates Amazon IVS Real-Time: stages, participant tokens,
// participants and stage sessions. Build it with New; the zero value is not
// usable. It is safe for concurrent use.
type Service struct {
	env *emu.Env

	mu     sync.Mutex
	key    []byte            // signs participant tokens
	stages map[string]*stage // by stage ID
}

// New returns an empty service bound to env.
func New(env *emu.Env) *Service {
	return &Service{env: env, key: newKey(), stages: map[string]*stage{}}
}

func newKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

// Register adds the Real-Time API routes (POST /<Operation>) and the control
// routes under /_ivslocal/stages/ to mux. Tag routes are not registered:
// stages are registered with env.Tags instead.
func (s *Service) Register(mux *http.ServeMux) {
	ops := []struct {
		name string
		h    emu.Handler
	}{
		{"CreateStage", s.createStage},
		{"GetStage", s.getStage},
		{"UpdateStage", s.updateStage},
		{"DeleteStage", s.deleteStage},
		{"ListStages", s.listStages},
		{"CreateParticipantToken", s.createParticipantToken},
		{"DisconnectParticipant", s.disconnectParticipant},
		{"ListParticipants", s.listParticipants},
		{"GetParticipant", s.getParticipant},
		{"ListParticipantEvents", s.listParticipantEvents},
		{"ListStageSessions", s.listStageSessions},
		{"GetStageSession", s.getStageSession},
	}
	for _, op := range ops {
		mux.Handle("POST /"+op.name, s.env.Op(serviceName, op.name, emu.FlavorIVS, op.h))
	}
	mux.HandleFunc("POST /_ivslocal/stages/{stageId}/participants", s.ctlJoin)
	mux.HandleFunc("POST /_ivslocal/stages/{stageId}/participants/{participantId}/publish", s.ctlPublish)
	mux.HandleFunc("POST /_ivslocal/stages/{stageId}/participants/{participantId}/unpublish", s.ctlUnpublish)
	mux.HandleFunc("DELETE /_ivslocal/stages/{stageId}/participants/{participantId}", s.ctlLeave)
}

// HasStage reports whether a stage with the given ARN exists.
func (s *Service) HasStage(arn string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byARN(arn) != nil
}

// Reset deletes every stage (forgetting their tags) without emitting events,
// and rotates the token signing key so earlier tokens stop working.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.stages {
		s.env.Tags.Forget(st.ARN)
	}
	s.stages = map[string]*stage{}
	s.key = newKey()
}

// Close releases the service's state. The service starts no goroutines, so
// Close never blocks; calling it twice is harmless.
func (s *Service) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stages = map[string]*stage{}
}

// byARN returns the stage with the given ARN, or nil. s.mu must be held.
func (s *Service) byARN(arn string) *stage {
	i := len(arn) - stageIDLen
	if i < 0 {
		return nil
	}
	st := s.stages[arn[i:]]
	if st == nil || st.ARN != arn {
		return nil
	}
	return st
}

// sortedStages returns the stages in creation order. s.mu must be held.
func (s *Service) sortedStages() []*stage {
	out := make([]*stage, 0, len(s.stages))
	for _, st := range s.stages {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// emit sends events collected under the lock; call it after unlocking, so
// subscribers may call back into the service.
func (s *Service) emit(evs []emu.Event) {
	for _, ev := range evs {
		s.env.Bus.Emit(ev)
	}
}
