package chatsvc

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// serviceName is the service name recorded in the call log.
const serviceName = "ivschat"

// DefaultReviewTimeout is how long the message review handler may take
// before the room's fallback result applies; AWS uses 200 ms.
const DefaultReviewTimeout = 200 * time.Millisecond

// Service is the emulated Amazon IVS Chat service: the restJson1 control API
// and the messaging WebSocket. Build it with New; the zero value is not
// usable. It is safe for concurrent use.
type Service struct {
	env *emu.Env

	mu            sync.Mutex
	rooms         map[string]*room       // by room ID
	logs          map[string]*logConfig  // by logging-configuration ID
	grants        map[string]*tokenGrant // by token
	conns         map[*conn]struct{}     // every connection of a room
	live          map[*conn]struct{}     // every connection whose writer runs
	handler       ReviewHandler
	reviewTimeout time.Duration
	closed        bool

	wg sync.WaitGroup // connection goroutines
}

// New returns an empty chat service that uses env for its region, account,
// clock, tags, faults and call log.
func New(env *emu.Env) *Service {
	return &Service{
		env:           env,
		rooms:         map[string]*room{},
		logs:          map[string]*logConfig{},
		grants:        map[string]*tokenGrant{},
		conns:         map[*conn]struct{}{},
		live:          map[*conn]struct{}{},
		reviewTimeout: DefaultReviewTimeout,
	}
}

// Register adds the IVS Chat restJson1 operations (rooms, chat tokens,
// messaging and logging configurations) to mux, each as
// "POST /<Operation>". It does not register the /tags routes.
func (s *Service) Register(mux *http.ServeMux) {
	ops := []struct {
		name string
		h    emu.Handler
	}{
		{"CreateRoom", s.createRoom},
		{"GetRoom", s.getRoom},
		{"UpdateRoom", s.updateRoom},
		{"DeleteRoom", s.deleteRoom},
		{"ListRooms", s.listRooms},
		{"CreateChatToken", s.createChatToken},
		{"SendEvent", s.sendEvent},
		{"DeleteMessage", s.deleteMessage},
		{"DisconnectUser", s.disconnectUser},
		{"CreateLoggingConfiguration", s.createLoggingConfiguration},
		{"GetLoggingConfiguration", s.getLoggingConfiguration},
		{"UpdateLoggingConfiguration", s.updateLoggingConfiguration},
		{"DeleteLoggingConfiguration", s.deleteLoggingConfiguration},
		{"ListLoggingConfigurations", s.listLoggingConfigurations},
	}
	for _, op := range ops {
		mux.Handle("POST /"+op.name, s.env.Op(serviceName, op.name, emu.FlavorChat, op.h))
	}
}

// SetReviewHandler sets the Go function that reviews messages sent to rooms
// whose messageReviewHandler.uri is set. A nil h makes every review fail, so
// such rooms apply their fallback result.
func (s *Service) SetReviewHandler(h ReviewHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

// SetReviewTimeout sets how long a review may take before the room's
// fallback result applies. A d of zero or less restores DefaultReviewTimeout.
func (s *Service) SetReviewTimeout(d time.Duration) {
	if d <= 0 {
		d = DefaultReviewTimeout
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reviewTimeout = d
}

// HasRoom reports whether a room with the given ARN exists.
func (s *Service) HasRoom(arn string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rooms[s.roomIDFromARN(arn)]
	return ok && r.ARN == arn
}

// Reset deletes every room, logging configuration and token, forgets their
// tags and closes every connection with status 1001 (going away).
func (s *Service) Reset() {
	s.mu.Lock()
	for _, r := range s.rooms {
		s.env.Tags.Forget(r.ARN)
	}
	for _, c := range s.logs {
		s.env.Tags.Forget(c.ARN)
	}
	s.rooms = map[string]*room{}
	s.logs = map[string]*logConfig{}
	s.grants = map[string]*tokenGrant{}
	conns := s.takeConnsLocked()
	s.mu.Unlock()
	for _, c := range conns {
		c.shutdown(closeGoingAway, false)
	}
}

// Close closes every connection, refuses new ones and waits for the
// connection goroutines to stop. The control API keeps working.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	conns := s.takeConnsLocked()
	live := make([]*conn, 0, len(s.live))
	for c := range s.live {
		live = append(live, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.shutdown(closeGoingAway, false)
	}
	// Connections already closing (after DisconnectUser or session expiry)
	// stop delivering their last frames now.
	for _, c := range live {
		c.cancel()
	}
	s.wg.Wait()
}

// takeConnsLocked detaches every connection from the service and its room
// and returns them. s.mu must be held.
func (s *Service) takeConnsLocked() []*conn {
	out := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
		if r := s.rooms[c.roomID]; r != nil {
			r.removeConn(c)
		}
	}
	s.conns = map[*conn]struct{}{}
	return out
}

// stateVersion identifies the layout written by MarshalState.
const stateVersion = 1

type savedState struct {
	Version int              `json:"version"`
	Rooms   []savedRoom      `json:"rooms"`
	Logging []savedLogConfig `json:"loggingConfigurations,omitempty"`
}

type savedLogConfig struct {
	logConfig
	Tags map[string]string `json:"tags,omitempty"`
}

type savedRoom struct {
	roomConfig
	Tags map[string]string `json:"tags,omitempty"`
}

// MarshalState returns the rooms and logging configurations, with their
// tags, as JSON. Tokens and connections are not saved.
func (s *Service) MarshalState() ([]byte, error) {
	s.mu.Lock()
	st := savedState{Version: stateVersion, Rooms: make([]savedRoom, 0, len(s.rooms))}
	for _, r := range s.rooms {
		tags, _ := s.env.Tags.Get(r.ARN)
		st.Rooms = append(st.Rooms, savedRoom{roomConfig: r.roomConfig.clone(), Tags: tags})
	}
	for _, c := range s.logs {
		tags, _ := s.env.Tags.Get(c.ARN)
		st.Logging = append(st.Logging, savedLogConfig{logConfig: *c, Tags: tags})
	}
	s.mu.Unlock()
	sort.Slice(st.Rooms, func(i, j int) bool { return st.Rooms[i].ID < st.Rooms[j].ID })
	sort.Slice(st.Logging, func(i, j int) bool { return st.Logging[i].ID < st.Logging[j].ID })
	return json.Marshal(st)
}

// UnmarshalState replaces every room and logging configuration with those
// in b, as written by MarshalState, and registers their tags. Open
// connections are closed.
func (s *Service) UnmarshalState(b []byte) error {
	var st savedState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("chatsvc: decode state: %w", err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("chatsvc: unsupported state version %d", st.Version)
	}
	rooms := make(map[string]*room, len(st.Rooms))
	for _, sr := range st.Rooms {
		if sr.ID == "" || sr.ARN == "" {
			return fmt.Errorf("chatsvc: state has a room without id or arn")
		}
		rooms[sr.ID] = newRoom(sr.roomConfig)
	}
	logs := make(map[string]*logConfig, len(st.Logging))
	for _, sl := range st.Logging {
		if sl.ID == "" || sl.ARN == "" {
			return fmt.Errorf("chatsvc: state has a logging configuration without id or arn")
		}
		c := sl.logConfig
		logs[sl.ID] = &c
	}
	s.Reset()
	s.mu.Lock()
	s.rooms = rooms
	s.logs = logs
	s.mu.Unlock()
	for _, sr := range st.Rooms {
		s.env.Tags.Register(sr.ARN, sr.Tags)
	}
	for _, sl := range st.Logging {
		s.env.Tags.Register(sl.ARN, sl.Tags)
	}
	return nil
}
