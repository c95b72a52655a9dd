package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// bearerAuth maps "Bearer <userID>" to Identity{UserID}; "Bearer bad" is a
// bad token.
var bearerAuth = httpapi.AuthenticatorFunc(func(r *http.Request) (httpapi.Identity, error) {
	tok := httpapi.BearerToken(r)
	switch tok {
	case "":
		return httpapi.Identity{}, nil
	case "bad":
		return httpapi.Identity{}, ugc.Errorf(ugc.ErrUnauthenticated, "token expired")
	}
	return httpapi.Identity{UserID: tok}, nil
})

// waitErr is an error that says how long to wait.
type waitErr time.Duration

func (e waitErr) Error() string             { return "wait " + time.Duration(e).String() }
func (e waitErr) RetryAfter() time.Duration { return time.Duration(e) }

type echoIn struct {
	Name string `json:"name"`
}

type echoOut struct {
	Name string `json:"name"`
	User string `json:"user"`
}

// frameworkRoutes exercise the conventions without any feature service.
func frameworkRoutes() []httpapi.Route {
	return []httpapi.Route{
		{
			Method: "POST", Pattern: "/v1/test/echo", Auth: httpapi.AuthOptional, Summary: "echo",
			Request: echoIn{}, Response: echoOut{},
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				var in echoIn
				if err := httpapi.DecodeJSON(r, &in); err != nil {
					return err
				}
				if in.Name == "" {
					return ugc.InvalidField("name", "is required")
				}
				httpapi.WriteJSON(w, http.StatusOK, echoOut{Name: in.Name, User: httpapi.IdentityFrom(r.Context()).UserID})
				return nil
			},
		},
		{
			Method: "GET", Pattern: "/v1/test/error/{kind}", Summary: "fail with a kind",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				switch r.PathValue("kind") {
				case "denied":
					return ugc.Errorf(ugc.ErrPermissionDenied, "not yours")
				case "precondition":
					return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_closed", "the poll has ended")
				case "conflict":
					return ugc.Errorf(ugc.ErrFailedPrecondition, "not in that state")
				case "throttled":
					return &ugc.Error{Op: "x.Y", Kind: ugc.ErrThrottled, Err: errors.New("ThrottlingException")}
				case "throttled-long":
					return &ugc.Error{Op: "x.Y", Kind: ugc.ErrThrottled, Err: waitErr(2500 * time.Millisecond)}
				case "unavailable":
					return &ugc.Error{Op: "x.Y", Kind: ugc.ErrUnavailable, Err: errors.New("InternalServerException")}
				case "internal":
					return errors.New("secret database detail")
				case "panic":
					panic("boom")
				}
				return nil
			},
		},
		{
			Method: "GET", Pattern: "/v1/test/private", Auth: httpapi.AuthRequired, Summary: "signed-in only",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("X-Seen-Request-Id", httpapi.RequestID(r.Context()))
				return nil // a route without a response body: the 204 is written for the handler
			},
		},
	}
}

func newFrameworkServer(t *testing.T, log io.Writer) http.Handler {
	t.Helper()
	var logger *slog.Logger
	if log != nil {
		logger = slog.New(slog.NewJSONHandler(log, nil))
	}
	h, err := httpapi.New(httpapi.Options{
		Auth:           bearerAuth,
		Routes:         frameworkRoutes(),
		AllowedOrigins: []string{"https://app.example"},
		Logger:         logger,
		NewRequestID:   func() string { return "generated-id" },
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type result struct {
	Status int
	Body   map[string]any
	Header map[string]string
}

// do serves one request and returns its status, decoded JSON body and the
// headers named in hdrs.
func do(t *testing.T, h http.Handler, req *http.Request, hdrs ...string) result {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := result{Status: rec.Code}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &res.Body); err != nil {
			t.Fatalf("body %q: %v", rec.Body.String(), err)
		}
	}
	for _, k := range hdrs {
		if res.Header == nil {
			res.Header = map[string]string{}
		}
		res.Header[k] = rec.Header().Get(k)
	}
	return res
}

func errBody(code, msg, field, reqID string) map[string]any {
	e := map[string]any{"code": code, "message": msg, "requestId": reqID}
	if field != "" {
		e["field"] = field
	}
	return map[string]any{"error": e}
}

func jsonReq(method, url, body string) *http.Request {
	r := httptest.NewRequest(method, url, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestConventions(t *testing.T) {
	h := newFrameworkServer(t, nil)
	big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []struct {
		name string
		req  func() *http.Request
		hdrs []string
		want result
	}{
		{"ok json", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":"a"}`) }, nil,
			result{Status: 200, Body: map[string]any{"name": "a", "user": ""}}},
		{"ok signed in", func() *http.Request {
			r := jsonReq("POST", "/v1/test/echo", `{"name":"a"}`)
			r.Header.Set("Authorization", "Bearer u1")
			return r
		}, nil, result{Status: 200, Body: map[string]any{"name": "a", "user": "u1"}}},
		{"content type with charset", func() *http.Request {
			r := jsonReq("POST", "/v1/test/echo", `{"name":"a"}`)
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
			return r
		}, nil, result{Status: 200, Body: map[string]any{"name": "a", "user": ""}}},
		{"unknown field", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":"a","admin":true}`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "is not a known field", "admin", "generated-id")}},
		{"trailing data", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":"a"} {}`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body must hold a single JSON value", "", "generated-id")}},
		{"wrong type", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":1}`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "must be a JSON string, not number", "name", "generated-id")}},
		{"syntax", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body is truncated JSON", "", "generated-id")}},
		{"empty body", func() *http.Request { return jsonReq("POST", "/v1/test/echo", ``) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body is empty", "", "generated-id")}},
		{"no body, no content type", func() *http.Request { return httptest.NewRequest("POST", "/v1/test/echo", nil) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body is empty", "", "generated-id")}},
		{"null body", func() *http.Request { return jsonReq("POST", "/v1/test/echo", " null ") }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body must not be null", "", "generated-id")}},
		{"array body", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `[]`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body must be a JSON object", "", "generated-id")}},
		{"trailing garbage", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":"a"}x`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body must hold a single JSON value", "", "generated-id")}},
		{"trailing brace", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":"a"} }`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "request body must hold a single JSON value", "", "generated-id")}},
		{"validation names field", func() *http.Request { return jsonReq("POST", "/v1/test/echo", `{"name":""}`) }, nil,
			result{Status: 400, Body: errBody("invalid_argument", "is required", "name", "generated-id")}},
		{"text/plain is 415", func() *http.Request {
			r := jsonReq("POST", "/v1/test/echo", `{"name":"a"}`)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, nil, result{Status: 415, Body: errBody("unsupported_media_type", `Content-Type must be application/json, not "text/plain"`, "", "generated-id")}},
		{"2 MiB body is 413", func() *http.Request { return jsonReq("POST", "/v1/test/echo", big) }, nil,
			result{Status: 413, Body: errBody("too_large", "request body exceeds 1048576 bytes", "", "generated-id")}},
		{"2 MiB chunked body is 413", func() *http.Request {
			r := jsonReq("POST", "/v1/test/echo", big)
			r.ContentLength = -1
			return r
		}, nil, result{Status: 413, Body: errBody("too_large", "request body exceeds 1048576 bytes", "", "generated-id")}},
		{"bad token is 401 on optional route", func() *http.Request {
			r := jsonReq("POST", "/v1/test/echo", `{"name":"a"}`)
			r.Header.Set("Authorization", "Bearer bad")
			return r
		}, nil, result{Status: 401, Body: errBody("unauthenticated", "token expired", "", "generated-id")}},
		{"anonymous on required route", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/private", nil) }, nil,
			result{Status: 401, Body: errBody("unauthenticated", "sign-in required: send Authorization: Bearer <token>", "", "generated-id")}},
		{"signed in on required route", func() *http.Request {
			r := httptest.NewRequest("GET", "/v1/test/private", nil)
			r.Header.Set("Authorization", "Bearer u1")
			return r
		}, []string{"Cache-Control", "X-Seen-Request-Id"}, result{Status: 204, Header: map[string]string{"Cache-Control": "no-store", "X-Seen-Request-Id": "generated-id"}}},
		{"public route is cacheable", func() *http.Request { return httptest.NewRequest("GET", "/healthz", nil) }, []string{"Cache-Control"},
			result{Status: 200, Body: map[string]any{"status": "ok"}, Header: map[string]string{"Cache-Control": ""}}},
		{"403", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/denied", nil) }, nil,
			result{Status: 403, Body: errBody("permission_denied", "not yours", "", "generated-id")}},
		{"409 failed_precondition", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/conflict", nil) }, nil,
			result{Status: 409, Body: errBody("failed_precondition", "not in that state", "", "generated-id")}},
		{"routes of a nil service are not registered", func() *http.Request { return httptest.NewRequest("GET", "/v1/me", nil) }, nil,
			result{Status: 404, Body: errBody("not_found", "no route for GET /v1/me", "", "generated-id")}},
		{"409 specific code", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/precondition", nil) }, nil,
			result{Status: 409, Body: errBody("poll_closed", "the poll has ended", "", "generated-id")}},
		{"429 with Retry-After", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/throttled", nil) }, []string{"Retry-After"},
			result{Status: 429, Body: errBody("throttled", "throttled", "", "generated-id"), Header: map[string]string{"Retry-After": "1"}}},
		{"429 with the error's Retry-After", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/throttled-long", nil) }, []string{"Retry-After"},
			result{Status: 429, Body: errBody("throttled", "throttled", "", "generated-id"), Header: map[string]string{"Retry-After": "3"}}},
		{"503", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/unavailable", nil) }, nil,
			result{Status: 503, Body: errBody("unavailable", "unavailable", "", "generated-id")}},
		{"500 hides detail", func() *http.Request { return httptest.NewRequest("GET", "/v1/test/error/internal", nil) }, nil,
			result{Status: 500, Body: errBody("internal", "internal error", "", "generated-id")}},
		{"panic is 500 with request ID", func() *http.Request {
			r := httptest.NewRequest("GET", "/v1/test/error/panic", nil)
			r.Header.Set("X-Request-Id", "client-id-1")
			return r
		}, []string{"X-Request-Id"}, result{Status: 500, Body: errBody("internal", "internal error", "", "client-id-1"), Header: map[string]string{"X-Request-Id": "client-id-1"}}},
		{"dot-dot path is 404, not a redirect keeping the method", func() *http.Request {
			r := httptest.NewRequest("GET", "/v1/test/private/x/..", nil)
			r.Header.Set("Authorization", "Bearer u1")
			return r
		}, []string{"Location"}, result{Status: 404, Body: errBody("not_found", "no route for GET /v1/test/private/x/..", "", "generated-id"),
			Header: map[string]string{"Location": ""}}},
		{"double slash is 404", func() *http.Request { return httptest.NewRequest("GET", "/v1//test/private", nil) }, nil,
			result{Status: 404, Body: errBody("not_found", "no route for GET /v1//test/private", "", "generated-id")}},
		{"unknown path is 404", func() *http.Request { return httptest.NewRequest("GET", "/v1/nope", nil) }, nil,
			result{Status: 404, Body: errBody("not_found", "no route for GET /v1/nope", "", "generated-id")}},
		{"wrong method is 405", func() *http.Request { return httptest.NewRequest("DELETE", "/v1/test/echo", nil) }, []string{"Allow"},
			result{Status: 405, Body: errBody("method_not_allowed", "DELETE is not allowed on /v1/test/echo", "", "generated-id"), Header: map[string]string{"Allow": "POST"}}},
		{"request ID echoed", func() *http.Request {
			r := httptest.NewRequest("GET", "/healthz", nil)
			r.Header.Set("X-Request-Id", "abc-123")
			return r
		}, []string{"X-Request-Id"}, result{Status: 200, Body: map[string]any{"status": "ok"}, Header: map[string]string{"X-Request-Id": "abc-123"}}},
		{"insane request ID replaced", func() *http.Request {
			r := httptest.NewRequest("GET", "/healthz", nil)
			r.Header.Set("X-Request-Id", "bad id\n<script>")
			return r
		}, []string{"X-Request-Id"}, result{Status: 200, Body: map[string]any{"status": "ok"}, Header: map[string]string{"X-Request-Id": "generated-id"}}},
		{"CORS preflight allowed", func() *http.Request {
			r := httptest.NewRequest("OPTIONS", "/v1/test/echo", nil)
			r.Header.Set("Origin", "https://app.example")
			r.Header.Set("Access-Control-Request-Method", "POST")
			return r
		}, []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"},
			result{Status: 204, Header: map[string]string{
				"Access-Control-Allow-Origin":  "https://app.example",
				"Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE",
				"Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-Id",
			}}},
		{"CORS preflight other origin", func() *http.Request {
			r := httptest.NewRequest("OPTIONS", "/v1/test/echo", nil)
			r.Header.Set("Origin", "https://evil.example")
			r.Header.Set("Access-Control-Request-Method", "POST")
			return r
		}, []string{"Access-Control-Allow-Origin"},
			result{Status: 403, Body: errBody("permission_denied", `origin "https://evil.example" is not allowed`, "", "generated-id"), Header: map[string]string{"Access-Control-Allow-Origin": ""}}},
		{"CORS simple request", func() *http.Request {
			r := httptest.NewRequest("GET", "/healthz", nil)
			r.Header.Set("Origin", "https://app.example")
			return r
		}, []string{"Access-Control-Allow-Origin", "Access-Control-Expose-Headers"},
			result{Status: 200, Body: map[string]any{"status": "ok"}, Header: map[string]string{
				"Access-Control-Allow-Origin":   "https://app.example",
				"Access-Control-Expose-Headers": "X-Request-Id, Retry-After",
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, h, tt.req(), tt.hdrs...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPanicLoggedOnce(t *testing.T) {
	var log bytes.Buffer
	h := newFrameworkServer(t, &log)
	r := httptest.NewRequest("GET", "/v1/test/error/panic", nil)
	r.Header.Set("X-Request-Id", "req-7")
	got := do(t, h, r)
	if got.Status != 500 {
		t.Fatalf("status %d, want 500", got.Status)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1:\n%s", len(lines), log.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"level": "ERROR", "msg": "http request", "method": "GET", "path": "/v1/test/error/panic",
		"route": "GET /v1/test/error/{kind}", "status": float64(500), "request_id": "req-7", "panic": "boom", "error": "panic"}
	for k, v := range want {
		if diff := cmp.Diff(v, rec[k]); diff != "" {
			t.Errorf("log %s mismatch (-want +got):\n%s", k, diff)
		}
	}
	if s, _ := rec["stack"].(string); !strings.Contains(s, "framework_test.go") {
		t.Errorf("log stack does not show the panicking handler: %q", s)
	}
}

func TestNewRejectsBadRoutes(t *testing.T) {
	ok := func(w http.ResponseWriter, r *http.Request) error { return nil }
	tests := []struct {
		name   string
		routes []httpapi.Route
		want   string
	}{
		{"no summary", []httpapi.Route{{Method: "GET", Pattern: "/x", Handler: ok}}, "Summary is required"},
		{"bad method", []httpapi.Route{{Method: "FETCH", Pattern: "/x", Summary: "s", Handler: ok}}, "Method"},
		{"no handler", []httpapi.Route{{Method: "GET", Pattern: "/x", Summary: "s"}}, "Handler is required"},
		{"conflict", []httpapi.Route{{Method: "GET", Pattern: "/x", Summary: "s", Handler: ok}, {Method: "GET", Pattern: "/x", Summary: "s", Handler: ok}}, "GET /x"},
		{"conflict with built-in", []httpapi.Route{{Method: "GET", Pattern: "/healthz", Summary: "s", Handler: ok}}, "GET /healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := httpapi.New(httpapi.Options{Auth: bearerAuth, Routes: tt.routes})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := httpapi.New(httpapi.Options{}); err == nil || !strings.Contains(err.Error(), "Options.Auth is required") {
		t.Errorf("New without Auth: error = %v", err)
	}
}

func TestCORSAnyOrigin(t *testing.T) {
	h, err := httpapi.New(httpapi.Options{Auth: bearerAuth, AllowedOrigins: []string{"*"}, NewRequestID: func() string { return "rid" }})
	if err != nil {
		t.Fatal(err)
	}
	for _, origin := range []string{"https://a.example", "http://127.0.0.1:5173"} {
		r := httptest.NewRequest("OPTIONS", "/v1/me", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "PATCH")
		r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		got := do(t, h, r, "Access-Control-Allow-Origin", "Access-Control-Max-Age", "Vary")
		want := result{Status: 204, Header: map[string]string{
			"Access-Control-Allow-Origin": origin, "Access-Control-Max-Age": "600", "Vary": "Origin",
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("preflight from %s mismatch (-want +got):\n%s", origin, diff)
		}
	}
	// No Origin, no CORS headers.
	got := do(t, h, httptest.NewRequest("GET", "/healthz", nil), "Access-Control-Allow-Origin")
	if diff := cmp.Diff(result{Status: 200, Body: map[string]any{"status": "ok"}, Header: map[string]string{"Access-Control-Allow-Origin": ""}}, got); diff != "" {
		t.Errorf("same-origin request mismatch (-want +got):\n%s", diff)
	}
}

func TestAccessLog(t *testing.T) {
	var log bytes.Buffer
	h := newFrameworkServer(t, &log)
	r := jsonReq("POST", "/v1/test/echo", `{"name":"a"}`)
	r.Header.Set("Authorization", "Bearer u42")
	r.Header.Set("X-Request-Id", "req-1")
	if got := do(t, h, r); got.Status != 200 {
		t.Fatalf("status %d", got.Status)
	}
	r = httptest.NewRequest("GET", "/v1/test/error/internal", nil)
	if got := do(t, h, r); got.Status != 500 {
		t.Fatalf("status %d", got.Status)
	}
	var recs []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(log.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		delete(rec, "time")
		delete(rec, "duration")
		recs = append(recs, rec)
	}
	want := []map[string]any{
		{"level": "INFO", "msg": "http request", "method": "POST", "path": "/v1/test/echo", "route": "POST /v1/test/echo",
			"status": float64(200), "bytes": float64(26), "request_id": "req-1", "user_id": "u42"},
		{"level": "ERROR", "msg": "http request", "method": "GET", "path": "/v1/test/error/internal", "route": "GET /v1/test/error/{kind}",
			"status": float64(500), "bytes": float64(84), "request_id": "generated-id", "error": "secret database detail"},
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("access log mismatch (-want +got):\n%s", diff)
	}
}

func TestExtraHandlers(t *testing.T) {
	h, err := httpapi.New(httpapi.Options{
		Auth:           bearerAuth,
		AllowedOrigins: []string{"*"},
		NewRequestID:   func() string { return "rid" },
		Extra: func(mux *http.ServeMux) {
			mux.HandleFunc("GET /ui/", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "<html>")
			})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/ui/index.html", nil)
	r.Header.Set("Origin", "https://a.example")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	got := map[string]any{
		"status": rec.Code, "body": rec.Body.String(),
		"X-Request-Id": rec.Header().Get("X-Request-Id"), "Access-Control-Allow-Origin": rec.Header().Get("Access-Control-Allow-Origin"),
	}
	want := map[string]any{"status": 200, "body": "<html>", "X-Request-Id": "rid", "Access-Control-Allow-Origin": "https://a.example"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("extra handler mismatch (-want +got):\n%s", diff)
	}
	// Extra handlers are not documented.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/openapi.json", nil))
	if strings.Contains(rec.Body.String(), "/ui/") {
		t.Error("the OpenAPI document lists an Extra handler")
	}
	// A conflicting Extra registration is an error, not a panic.
	_, err = httpapi.New(httpapi.Options{Auth: bearerAuth, Extra: func(mux *http.ServeMux) {
		mux.HandleFunc("GET /healthz", func(http.ResponseWriter, *http.Request) {})
	}})
	if err == nil || !strings.Contains(err.Error(), "Options.Extra") {
		t.Errorf("New with a conflicting Extra: error %v", err)
	}
}
