package httpapi

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"path"
	"runtime/debug"
	"slices"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
)

// Options configures New.
type Options struct {
	// Channels serves profiles, channels, images, the directory and
	// follows (/v1/me..., /v1/channels..., /assets/...). Nil: not served.
	Channels *channels.Service
	// Chat serves chat tokens and moderation (/v1/channels/{username}/chat/...,
	// /v1/me/chat/...). Nil: not served.
	Chat *chat.Service
	// Metrics serves live status and stream sessions (/v1/me/live-status,
	// /v1/me/sessions...) and, when EventsSecret is set, event ingestion
	// (POST /v1/stream-events). Nil: not served.
	Metrics *metrics.Service
	// EventsSecret is the shared secret POST /v1/stream-events requires in
	// the X-Ugc-Events-Secret header. Empty: the route is not served.
	EventsSecret string
	// Actions serves overlays, presets and polls (/v1/me/actions...,
	// /v1/me/action-presets..., /v1/me/polls..., /v1/channels/{username}/
	// actions/active and .../polls...). Nil: not served.
	Actions *actions.Service
	// Realtime serves stage sessions, participants, join requests,
	// invites, participant tokens (/v1/me/stage/..., /v1/channels/
	// {username}/stage/...) and the event stream (GET /v1/events). Nil:
	// not served.
	Realtime *realtime.Service

	// Auth authenticates requests to routes whose Auth is not AuthNone.
	// Required.
	Auth Authenticator

	// Routes are the application's own routes (accounts, dev controls...).
	// They are served and documented exactly like the built-in ones.
	Routes []Route
	// Extra, when set, may register raw handlers on the mux (static files,
	// WebSocket upgrades). They get the outer middleware (request ID, access
	// log, panic recovery, CORS) but no per-route auth or body checks, and
	// are not in the OpenAPI document.
	Extra func(mux *http.ServeMux)

	// AllowedOrigins lists the origins allowed by CORS, e.g.
	// "https://app.example.com"; "*" allows any. Empty allows none.
	AllowedOrigins []string
	// Logger receives one access-log line per request. Nil is silent.
	Logger *slog.Logger
	// NewRequestID returns a request ID for a request that brings none
	// (or an unusable one). Nil means 16 random bytes in hex.
	NewRequestID func() string
	// Title and Version are the OpenAPI document's info; defaults
	// "ugc API" and "0.1.0".
	Title, Version string
}

// setDefaults fills in the defaults of unset options, in one place.
func (o *Options) setDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.NewRequestID == nil {
		o.NewRequestID = randomID
	}
	if o.Title == "" {
		o.Title = "ugc API"
	}
	if o.Version == "" {
		o.Version = "0.1.0"
	}
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// server is the http.Handler New returns.
type server struct {
	opts   Options
	mux    *http.ServeMux
	routes []Route
	cors   corsPolicy
	inner  http.Handler // cors → dispatch
	doc    []byte       // the OpenAPI document
}

// New returns the handler of the whole API: the built-in routes of every
// service set in opts, opts.Routes, GET /healthz and GET /v1/openapi.json,
// behind the middleware described in the package documentation. It
// reports missing required options and bad or conflicting routes.
func New(opts Options, optFns ...func(*Options)) (http.Handler, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	if opts.Auth == nil {
		return nil, errors.New("httpapi.New: Options.Auth is required")
	}
	opts.setDefaults()
	s := &server{opts: opts, mux: http.NewServeMux(), cors: newCORS(opts.AllowedOrigins)}

	s.routes = append(s.routes, s.baseRoutes()...)
	s.routes = append(s.routes, featureRoutes(&opts)...)
	s.routes = append(s.routes, opts.Routes...)
	for i := range s.routes {
		if err := s.register(&s.routes[i]); err != nil {
			return nil, fmt.Errorf("httpapi.New: %w", err)
		}
	}
	if opts.Extra != nil {
		if err := registerExtra(s.mux, opts.Extra); err != nil {
			return nil, fmt.Errorf("httpapi.New: Options.Extra: %w", err)
		}
	}
	doc, err := buildOpenAPI(opts.Title, opts.Version, s.routes)
	if err != nil {
		return nil, fmt.Errorf("httpapi.New: %w", err)
	}
	s.doc = doc
	s.inner = s.cors.wrap(http.HandlerFunc(s.dispatch))
	return s, nil
}

// register adds one route to the mux, turning the mux's panic on a
// conflicting pattern into an error.
func (s *server) register(rt *Route) (err error) {
	if err := rt.check(); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("route %q: %v", rt.key(), p)
		}
	}()
	s.mux.Handle(rt.key(), s.wrapRoute(rt))
	return nil
}

func registerExtra(mux *http.ServeMux, extra func(*http.ServeMux)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	extra(mux)
	return nil
}

// baseRoutes are the routes every server has.
func (s *server) baseRoutes() []Route {
	return []Route{
		{
			Method: http.MethodGet, Pattern: "/healthz", Summary: "Report that the server is up", Tag: "meta",
			Response: health{},
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				WriteJSON(w, http.StatusOK, health{Status: "ok"})
				return nil
			},
		},
		{
			Method: http.MethodGet, Pattern: "/v1/openapi.json", Summary: "The OpenAPI 3.1 document of this API", Tag: "meta",
			ResponseMedia: []string{"application/json"},
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				writeBody(w, http.StatusOK, s.doc)
				return nil
			},
		},
	}
}

type health struct {
	Status string `json:"status" doc:"always \"ok\""`
}

const headerRequestID = "X-Request-Id"

type requestIDKey struct{}

// RequestID returns the ID of the request whose context is ctx (the
// X-Request-Id the middleware accepted or generated), or "" outside a
// request. Handlers pass it to their logs and to downstream calls.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// saneRequestID reports whether a client-supplied request ID may be used:
// 1 to 128 characters of [A-Za-z0-9._:-].
func saneRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// ServeHTTP runs the outer middleware: request ID, access log, panic
// recovery, then CORS and routing.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get(headerRequestID)
	if !saneRequestID(id) {
		id = s.opts.NewRequestID()
	}
	w.Header().Set(headerRequestID, id)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	rw := &responseWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			rw.panicked, rw.stack = p, debug.Stack()
			if !rw.wroteHeader {
				WriteError(rw, errors.New("panic"))
			}
		}
		s.logAccess(r, rw, id, time.Since(start))
	}()
	s.inner.ServeHTTP(rw, r)
}

func (s *server) logAccess(r *http.Request, rw *responseWriter, id string, d time.Duration) {
	status := rw.status
	if status == 0 {
		status = http.StatusOK
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	ctx := r.Context()
	if !s.opts.Logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("route", r.Pattern),
		slog.Int("status", status),
		slog.Int64("bytes", rw.bytes),
		slog.Duration("duration", d),
		slog.String("request_id", id),
	}
	if rw.userID != "" {
		attrs = append(attrs, slog.String("user_id", rw.userID))
	}
	if rw.err != nil && status >= 500 {
		attrs = append(attrs, slog.String("error", rw.err.Error()))
	}
	if rw.panicked != nil {
		attrs = append(attrs, slog.String("panic", fmt.Sprint(rw.panicked)), slog.String("stack", string(rw.stack)))
	}
	s.opts.Logger.LogAttrs(ctx, level, "http request", attrs...)
}

// dispatch routes r through the mux, answering unknown paths and methods
// with JSON errors instead of the mux's plain text.
func (s *server) dispatch(w http.ResponseWriter, r *http.Request) {
	// http.ServeMux answers a path with "..", "." or "//" with a redirect
	// to the cleaned path that keeps the method (307): a client following
	// it would send DELETE /v1/me/action-rules/.. to DELETE /v1/me. No
	// route has such a path, so it is not found.
	if p := r.URL.Path; p != "/" && path.Clean(p) != p {
		WriteError(w, ugc.Errorf(ugc.ErrNotFound, "no route for %s %s", r.Method, p))
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		h, _ := s.mux.Handler(r)
		rec := &discardWriter{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", rec.header.Get("Allow"))
			WriteError(w, ugc.WithCode(ugc.ErrInvalidArgument, CodeMethodNotAllowed, "%s is not allowed on %s", r.Method, r.URL.Path))
			return
		}
		WriteError(w, ugc.Errorf(ugc.ErrNotFound, "no route for %s %s", r.Method, r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

var errSignInRequired = &ugc.Error{Kind: ugc.ErrUnauthenticated, Message: "sign-in required: send Authorization: Bearer <token>"}

func errOriginNotAllowed(origin string) error {
	return ugc.Errorf(ugc.ErrPermissionDenied, "origin %q is not allowed", origin)
}

// wrapRoute applies the per-route middleware: authentication, the body
// limit and the content-type check, then calls the handler and writes its
// error.
func (s *server) wrapRoute(rt *Route) http.Handler {
	maxBody := rt.maxBody()
	auth := rt.Auth
	jsonBody := rt.Request != nil
	media := rt.RequestMedia
	handler := rt.Handler
	noContent := rt.successStatus() == http.StatusNoContent
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw, ok := w.(*responseWriter)
		if !ok {
			rw = &responseWriter{ResponseWriter: w}
			w = rw
		}
		if auth != AuthNone {
			id, err := s.opts.Auth.Authenticate(r)
			if err != nil {
				WriteError(w, err)
				return
			}
			if id.Anonymous() && auth == AuthRequired {
				WriteError(w, errSignInRequired)
				return
			}
			if !id.Anonymous() {
				rw.userID = id.UserID
				r = r.WithContext(WithIdentity(r.Context(), id))
			}
		}
		if auth != AuthNone {
			// Responses that may depend on the caller are never cached
			// by browsers or proxies; a handler may override.
			w.Header().Set("Cache-Control", "no-store")
		}
		if jsonBody || len(media) > 0 {
			if r.ContentLength > maxBody {
				WriteError(w, &ugc.Error{Kind: ugc.ErrTooLarge, Message: fmt.Sprintf("request body exceeds %d bytes", maxBody)})
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			if hasBody(r) {
				var err error
				if jsonBody {
					err = checkJSONContentType(r)
				} else {
					err = checkMedia(r, media)
				}
				if err != nil {
					WriteError(w, err)
					return
				}
			}
		}
		err := handler(w, r)
		switch {
		case err == nil:
			if noContent && !rw.wroteHeader {
				w.WriteHeader(http.StatusNoContent)
			}
		case rw.wroteHeader:
			rw.err = err
		default:
			WriteError(w, err)
		}
	})
}

// hasBody reports whether r may carry a request body.
func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

func checkMedia(r *http.Request, media []string) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !slices.Contains(media, mt) {
		return ugc.WithCode(ugc.ErrInvalidArgument, CodeUnsupportedMediaType,
			"Content-Type %q is not accepted here; send one of %v", ct, media)
	}
	return nil
}

// responseWriter records what the access log needs.
type responseWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
	userID      string
	err         error
	panicked    any
	stack       []byte
}

func (w *responseWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer
// (Flush for server-sent events, deadlines, Hijack for WebSockets).
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush flushes the underlying writer when it can.
func (w *responseWriter) Flush() {
	if !w.wroteHeader {
		w.status, w.wroteHeader = http.StatusOK, true
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack hands the connection over (WebSocket upgrades) when the
// underlying writer can.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.status, w.wroteHeader = http.StatusSwitchingProtocols, true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// discardWriter captures the status and headers of the mux's own 404/405.
type discardWriter struct {
	header http.Header
	status int
}

func (d *discardWriter) Header() http.Header { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	return len(b), nil
}
func (d *discardWriter) WriteHeader(status int) {
	if d.status == 0 {
		d.status = status
	}
}
