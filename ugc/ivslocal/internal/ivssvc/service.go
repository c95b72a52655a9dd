package ivssvc

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// DefaultMetricsInterval is how often a live stream publishes metrics.
const DefaultMetricsInterval = 5 * time.Second

// Limits of the emulated service.
const (
	maxMetadataBytes       = 1024 // PutMetadata payload, UTF-8 bytes
	metadataTPSPerChannel  = 5
	metadataTPSPerAccount  = 155
	maxSessionsPerChannel  = 1000
	maxEventsPerSession    = 500
	maxMetadataLogged      = 10_000
	streamKeysPerChannel   = 1
	defaultListMaxResults  = 100
	defaultKeysMaxResults  = 1 // ListStreamKeys documents "Default: 1"
	defaultVideoBitrate    = 6_000_000
	defaultAudioBitrate    = 160_000
	defaultFramerate       = 30
	defaultKeyframeSeconds = 2
)

// Service is the emulated IVS low-latency service. Build it with New; the
// zero value is not usable.
type Service struct {
	env *emu.Env

	mu       sync.Mutex
	interval time.Duration
	channels map[string]*channel   // by ARN
	keys     map[string]*streamKey // by ARN
	metaAcct []time.Time           // PutMetadata calls in the last second, account-wide
	closed   bool
}

// New returns an empty service bound to env.
func New(env *emu.Env) *Service {
	return &Service{
		env:      env,
		interval: DefaultMetricsInterval,
		channels: map[string]*channel{},
		keys:     map[string]*streamKey{},
	}
}

// SetMetricsInterval sets how often live streams publish metrics; d <= 0
// restores DefaultMetricsInterval. It applies to streams started afterwards.
func (s *Service) SetMetricsInterval(d time.Duration) {
	if d <= 0 {
		d = DefaultMetricsInterval
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interval = d
}

// Register installs the IVS operations on mux.
func (s *Service) Register(mux *http.ServeMux) {
	ops := map[string]emu.Handler{
		"CreateChannel":      s.createChannel,
		"GetChannel":         s.getChannel,
		"UpdateChannel":      s.updateChannel,
		"DeleteChannel":      s.deleteChannel,
		"ListChannels":       s.listChannels,
		"BatchGetChannel":    s.batchGetChannel,
		"CreateStreamKey":    s.createStreamKey,
		"GetStreamKey":       s.getStreamKey,
		"ListStreamKeys":     s.listStreamKeys,
		"DeleteStreamKey":    s.deleteStreamKey,
		"BatchGetStreamKey":  s.batchGetStreamKey,
		"GetStream":          s.getStream,
		"ListStreams":        s.listStreams,
		"GetStreamSession":   s.getStreamSession,
		"ListStreamSessions": s.listStreamSessions,
		"StopStream":         s.stopStream,
		"PutMetadata":        s.putMetadata,
	}
	for name, h := range ops {
		mux.Handle("POST /"+name, s.env.Op("ivs", name, emu.FlavorIVS, h))
	}
}

// Close ends every live stream without events and stops their goroutines.
// The service keeps serving API calls afterwards but starts no new stream.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	lives := s.detachAllLocked()
	s.mu.Unlock()
	for _, l := range lives {
		l.stopAndWait()
	}
}

// Reset deletes every channel and stream key (and forgets their tags) and
// stops live streams without events.
func (s *Service) Reset() {
	s.mu.Lock()
	lives := s.detachAllLocked()
	for arn := range s.channels {
		s.env.Tags.Forget(arn)
	}
	for arn := range s.keys {
		s.env.Tags.Forget(arn)
	}
	s.channels = map[string]*channel{}
	s.keys = map[string]*streamKey{}
	s.metaAcct = nil
	s.mu.Unlock()
	for _, l := range lives {
		l.stopAndWait()
	}
}

// detachAllLocked marks every live stream ended and returns them so the
// caller can stop their goroutines after releasing the lock.
func (s *Service) detachAllLocked() []*live {
	var out []*live
	now := s.env.Now()
	for _, c := range s.channels {
		if c.live != nil {
			c.live.session.end = &now
			out = append(out, c.live)
			c.live = nil
		}
	}
	return out
}

// state is the persisted form of the service: configuration only, no live
// streams, sessions or metadata.
type state struct {
	Version  int          `json:"version"`
	Channels []*channel   `json:"channels"`
	Keys     []*streamKey `json:"streamKeys"`
}

// MarshalState returns the channels and stream keys (with their tags) as JSON.
func (s *Service) MarshalState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := state{Version: 1}
	for _, c := range s.channels {
		cc := *c
		cc.Tags, _ = s.env.Tags.Get(c.ARN)
		st.Channels = append(st.Channels, &cc)
	}
	for _, k := range s.keys {
		kk := *k
		kk.Tags, _ = s.env.Tags.Get(k.ARN)
		st.Keys = append(st.Keys, &kk)
	}
	sort.Slice(st.Channels, func(i, j int) bool { return st.Channels[i].ARN < st.Channels[j].ARN })
	sort.Slice(st.Keys, func(i, j int) bool { return st.Keys[i].ARN < st.Keys[j].ARN })
	return json.Marshal(st)
}

// UnmarshalState replaces the service's resources with those in b, as
// written by MarshalState. Live streams are stopped without events.
func (s *Service) UnmarshalState(b []byte) error {
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return err
	}
	s.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range st.Channels {
		if c == nil || c.ARN == "" {
			continue
		}
		s.env.Tags.Register(c.ARN, c.Tags)
		c.Tags = nil
		s.channels[c.ARN] = c
	}
	for _, k := range st.Keys {
		if k == nil || k.ARN == "" || s.channels[k.ChannelARN] == nil {
			continue
		}
		s.env.Tags.Register(k.ARN, k.Tags)
		k.Tags = nil
		s.keys[k.ARN] = k
	}
	return nil
}

// randomHex returns n random hex digits.
func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// newStreamKeyValue returns sk_<region>_<43 chars of base64url>.
func newStreamKeyValue(region string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return "sk_" + region + "_" + base64.RawURLEncoding.EncodeToString(b)
}

// isoTime formats t as IVS does: ISO 8601 in UTC, millisecond precision.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// emit delivers events on the bus; call it without holding s.mu.
func (s *Service) emit(evs []emu.Event) {
	for _, ev := range evs {
		s.env.Bus.Emit(ev)
	}
}
