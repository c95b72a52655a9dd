package ivslocal

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/chatsvc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/ivssvc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/stagesvc"
)

// Event is an EventBridge-shaped event (source aws.ivs) as the emulator
// emits it: to Subscribe callbacks and to the WithEventURL target.
type Event = emu.Event

// Fault is an injected error: the next Count calls of Operation (e.g.
// "CreateRoom") fail with the AWS error type Error (e.g.
// "InternalServerException") and Message.
type Fault = emu.Fault

// Call is one API call as the call log keeps it.
type Call = emu.Call

// Credentials that AWSConfig hands out. The server does not check signatures.
const (
	AccessKeyID     = "AKIDIVSLOCAL"
	SecretAccessKey = "ivslocal-secret"
)

// A Server is a running emulator of Amazon IVS, IVS Chat (with its messaging
// WebSocket), IVS Real-Time and CloudWatch on one loopback HTTP listener.
// Build it with NewServer or Start (the zero value is not usable) and stop
// it with Close.
type Server struct {
	// URL is the base URL of the listener, "http://ipaddr:port", with no
	// trailing slash. Use it as the BaseEndpoint of any AWS SDK client.
	URL string

	cfg    config
	env    *emu.Env
	ivs    *ivssvc.Service
	mux    *http.ServeMux
	ln     net.Listener
	hs     *http.Server
	served chan struct{}

	// conns tracks the listener's connections, so Close can close those
	// that carry no request (see Close).
	connsMu sync.Mutex
	conns   map[net.Conn]http.ConnState
	closing bool

	// Set by wire from the sibling services.
	chat      *chatsvc.Service
	stages    *stagesvc.Service
	chatWS    http.HandlerFunc
	cw        http.Handler
	persisted []namedState // services whose resources go to the state file
	parts     []part       // services reset and closed with the server

	transport *http.Transport // of the clients AWSConfig hands out

	events      *eventPoster
	unsubEvents func()
	saver       *saver

	closeOnce sync.Once
}

// namedState is one section of the state file.
type namedState struct {
	name string
	st   interface {
		MarshalState() ([]byte, error)
		UnmarshalState([]byte) error
	}
}

// part is a service the server resets and closes.
type part interface {
	Reset()
	Close()
}

// NewServer starts a server and returns it; like httptest.NewServer it
// panics when it cannot listen or load its state file. Close it when done.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(fmt.Sprintf("ivslocal: %v", err))
	}
	return s
}

// Start is NewServer returning an error instead of panicking.
func Start(opts ...Option) (*Server, error) {
	cfg := newConfig(opts)
	env := emu.NewEnv(cfg.region, cfg.account)
	env.Now = cfg.now
	s := &Server{cfg: cfg, env: env, mux: http.NewServeMux(), served: make(chan struct{})}
	s.ivs = ivssvc.New(env)
	s.ivs.SetMetricsInterval(cfg.metricsInterval)
	s.ivs.Register(s.mux)
	s.parts = append(s.parts, s.ivs)
	s.persisted = append(s.persisted, namedState{"ivs", s.ivs})
	s.wire()
	s.registerControl()
	s.registerTags()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		emu.WriteError(w, emu.FlavorIVS, &emu.Error{Code: "UnknownOperationException", Status: http.StatusNotFound,
			Message: "ivslocal does not emulate " + r.Method + " " + r.URL.Path})
	})

	if cfg.stateFile != "" {
		if err := s.loadState(); err != nil {
			s.closeParts()
			return nil, err
		}
		s.saver = newSaver(s.saveState, cfg.logger)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		s.closeParts()
		if s.saver != nil {
			s.saver.stop()
		}
		return nil, err
	}
	if cfg.eventURL != "" {
		s.events = newEventPoster(cfg.eventURL, cfg.logger)
		s.unsubEvents = env.Bus.Subscribe(s.events.enqueue)
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.transport = &http.Transport{
		Proxy:               nil, // loopback: never through HTTP_PROXY
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
	}
	s.conns = map[net.Conn]http.ConnState{}
	s.hs = &http.Server{
		Handler:   s,
		ErrorLog:  slog.NewLogLogger(cfg.logger.Handler(), slog.LevelError),
		ConnState: s.trackConn,
	}
	go func() {
		defer close(s.served)
		s.hs.Serve(ln)
	}()
	return s, nil
}

// ServeHTTP dispatches a request: CloudWatch (rpcv2Cbor, or awsJson1_0 by
// its X-Amz-Target header) first, then chat
// WebSocket upgrades, then the control API and the restJson1 operations of
// IVS, IVS Chat and IVS Real-Time.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.cw != nil && (strings.HasPrefix(r.URL.Path, "/service/GraniteServiceVersion20100801/") ||
		r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor" ||
		strings.HasPrefix(r.Header.Get("X-Amz-Target"), "GraniteServiceVersion20100801.")):
		s.cw.ServeHTTP(w, r)
	case s.chatWS != nil && strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
		s.chatWS(w, r)
	case s.saver != nil && mutates(r):
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		s.mux.ServeHTTP(rec, r)
		if rec.status < 300 {
			s.saver.dirty()
		}
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// mutates reports whether a request may change persisted state.
func mutates(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	p := r.URL.Path
	return !strings.HasPrefix(p, "/Get") && !strings.HasPrefix(p, "/List") && !strings.HasPrefix(p, "/BatchGet")
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Close stops the listener, ends live streams, stops every goroutine of the
// server and, with WithStateFile, writes the state file a last time. It is
// safe to call more than once; the error is from the final state write.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		// Let requests in flight finish (WebSocket connections are hijacked
		// and closed by the chat service below), then force the rest.
		// http.Server.Shutdown waits up to 5 s for a connection that was
		// accepted but never sent a request (an SDK client dials more
		// connections than it uses); like httptest.Server, close those
		// at once.
		s.connsMu.Lock()
		s.closing = true
		for c, st := range s.conns {
			if st == http.StateNew || st == http.StateIdle {
				c.Close()
			}
		}
		s.connsMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.hs.Shutdown(ctx)
		cancel()
		s.hs.Close()
		<-s.served
		s.transport.CloseIdleConnections()
		if s.saver != nil {
			s.saver.stop()
			err = s.saveState()
		}
		s.closeParts()
		if s.events != nil {
			s.unsubEvents()
			s.events.stop()
		}
	})
	return err
}

// trackConn records connection states for Close; a connection that goes
// idle while the server is closing is closed.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	switch st {
	case http.StateNew, http.StateActive, http.StateIdle:
		s.conns[c] = st
		if s.closing && st != http.StateActive {
			c.Close()
		}
	case http.StateHijacked, http.StateClosed:
		delete(s.conns, c)
	}
}

func (s *Server) closeParts() {
	for _, p := range s.parts {
		p.Close()
	}
}

// AWSConfig returns an aws.Config for any aws-sdk-go-v2 client of the
// emulated services: the server's region, static fake credentials,
// BaseEndpoint set to URL, no retries (so injected faults and throttling
// reach the caller on the first attempt) and an HTTP client whose idle
// connections Close closes, so tests using goleak see no leftovers.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:           s.cfg.region,
		Credentials:      credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint:     aws.String(s.URL),
		Retryer:          func() aws.Retryer { return aws.NopRetryer{} },
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: s.transport},
	}
}

// ChatEndpoint returns the ws:// URL of the IVS Chat messaging WebSocket,
// served on the same listener (any path is accepted).
func (s *Server) ChatEndpoint() string {
	return "ws://" + strings.TrimPrefix(s.URL, "http://")
}

// Region returns the region of the server's ARNs.
func (s *Server) Region() string { return s.cfg.region }

// Account returns the account ID of the server's ARNs.
func (s *Server) Account() string { return s.cfg.account }

// Subscribe calls fn with every event the server emits, until cancel is
// called. fn runs synchronously on the goroutine that caused the event (an
// API or control request) and must not block for long; it may call the
// server's methods.
func (s *Server) Subscribe(fn func(Event)) (cancel func()) {
	return s.env.Bus.Subscribe(fn)
}

// InjectFault arms f: the next f.Count calls (at least 1) of f.Operation
// fail with f.Error.
func (s *Server) InjectFault(f Fault) { s.env.Faults.Add(f) }

// ClearFaults disarms every fault.
func (s *Server) ClearFaults() { s.env.Faults.Clear() }

// Calls returns the log of API calls, oldest first.
func (s *Server) Calls() []Call { return s.env.Calls.List() }

// Reset deletes every resource of every service, ends live streams without
// events, disarms faults and empties the call log. Subscriptions stay.
func (s *Server) Reset() {
	for _, p := range s.parts {
		p.Reset()
	}
	s.env.Tags.Reset()
	s.env.Faults.Clear()
	s.env.Calls.Reset()
	if s.saver != nil {
		s.saver.dirty()
	}
}

// StartStream simulates a broadcaster connecting with the stream key value:
// its channel goes live (events Session Created and Stream Start) and starts
// publishing metrics. It fails with ErrNotFound for an unknown key and
// ErrConflict when the channel is already live.
func (s *Server) StartStream(streamKey string) (channelArn, streamID string, err error) {
	channelArn, streamID, err = s.ivs.StartStream(streamKey)
	return channelArn, streamID, wrapErr("StartStream", err)
}

// EndStream simulates the broadcaster of the channel with the given ID
// disconnecting (events Stream End and Session Ended). It fails with
// ErrNotBroadcasting when the channel is offline.
func (s *Server) EndStream(channelID string) error {
	return wrapErr("EndStream", s.ivs.EndStream(channelID))
}

// SetStarvation starts or ends input starvation on a live channel (IVS
// Stream Health Change events; GetStream reports STARVING or HEALTHY).
func (s *Server) SetStarvation(channelID string, active bool) error {
	return wrapErr("SetStarvation", s.ivs.SetStarvation(channelID, active))
}

// LimitBreach emits an IVS Limit Breach event for a live channel and
// records an error event in its stream session. limitName is one of
// "Ingest Bitrate", "Ingest Resolution", "Concurrent Broadcasts" and
// "Concurrent Viewers".
func (s *Server) LimitBreach(channelID, limitName string) error {
	return wrapErr("LimitBreach", s.ivs.LimitBreach(channelID, limitName))
}

// Metadata returns the PutMetadata payloads the channel with the given ID
// received, oldest first.
func (s *Server) Metadata(channelID string) ([]string, error) {
	entries, err := s.ivs.Metadata(channelID)
	if err != nil {
		return nil, wrapErr("Metadata", err)
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Payload
	}
	return out, nil
}
