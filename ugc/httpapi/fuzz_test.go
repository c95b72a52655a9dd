package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// FuzzRequests sends arbitrary methods, paths, content types and bodies to
// the API over a real channels.Service: bad input must never yield a 5xx,
// and every response must match the OpenAPI document.
func FuzzRequests(f *testing.F) {
	seeds := []struct{ method, path, ct, body string }{
		{"PATCH", "/v1/me", "application/json", `{"username":"someone_new"}`},
		{"PATCH", "/v1/me", "application/json", `{"color":"green","avatar":"bear"}`},
		{"PATCH", "/v1/me", "application/json", `{"username":"\u0000\ud800"}`},
		{"PATCH", "/v1/me", "application/json; charset=latin1", `[1,2,3]`},
		{"PATCH", "/v1/me", "text/plain", `{}`},
		{"PUT", "/v1/me/avatar", "image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
		{"PUT", "/v1/me/banner", "image/jpeg", "\xff\xd8\xff\xe0"},
		{"GET", "/v1/channels?live=true&limit=-1&cursor=%00", "", ""},
		{"GET", "/v1/channels/%2e%2e", "", ""},
		{"GET", "/assets/../../etc/passwd", "", ""},
		{"PUT", "/v1/me/following/" + strings.Repeat("x", 300), "", ""},
		{"GET", "/v1/me/following?limit=99999999999999999999", "", ""},
		{"POST", "/v1/me/stream-key/reset", "application/json", `{"x":1}`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.ct, s.body, true)
	}
	e := newChannelsEnv(f, nil)
	user := e.register("fuzzer1")
	e.register("other1")
	f.Fuzz(func(t *testing.T, method, path, ct, body string, signedIn bool) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n#") {
			return
		}
		switch method {
		case "GET", "PUT", "PATCH", "POST", "DELETE":
		default:
			return
		}
		if method == "DELETE" && (path == "/v1/me" || strings.HasPrefix(path, "/v1/me?")) {
			return // would delete the fuzzing user
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if signedIn {
			req.Header.Set("Authorization", "Bearer "+user.ID)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (%s) %q: status %d: %s", method, path, ct, body, rec.Code, rec.Body.Bytes())
		}
		if rec.Code >= 300 && rec.Code < 400 && rec.Header().Get("Location") != "" {
			return // the mux's redirect to the clean path
		}
		if err := httpapi.CheckResponse(e.h, req, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()); err != nil {
			t.Fatalf("%s %s (%s) %q: %v", method, path, ct, body, err)
		}
	})
}

// FuzzDecodeJSON checks that DecodeJSON reports every bad body as a 4xx
// and that what it accepts survives a round trip.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"name":"a"}`, `{"name":"a"} {}`, `null`, `[]`, `{"name":1}`, `{"x":1}`, "", `{"name":"\ud800"}`, "\xef\xbb\xbf{}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		var v echoIn
		err := httpapi.DecodeJSON(req, &v)
		if err != nil {
			if status, _ := httpapi.StatusOf(err); status != 400 {
				t.Fatalf("DecodeJSON(%q) = %v: status %d, want 400", body, err, status)
			}
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		req = httptest.NewRequest("POST", "/", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		var again echoIn
		if err := httpapi.DecodeJSON(req, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if again != v {
			t.Fatalf("round trip of %q: %+v then %+v", body, v, again)
		}
	})
}
