package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// samplePath fills a pattern's wildcards with sample values.
func samplePath(pattern string) string {
	return regexp.MustCompile(`\{([A-Za-z_]+)(\.\.\.)?\}`).ReplaceAllString(pattern, "x$1")
}

// checkOpenAPI walks the route table of h against its OpenAPI document
// both ways: every registered route is documented with the right
// security and path parameters and is reachable through the mux; every
// documented operation is a registered route.
func checkOpenAPI(t *testing.T, h http.Handler) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/openapi.json", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /v1/openapi.json: status %d", rec.Code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, rt := range httpapi.Routes(h) {
		key := rt.Method + " " + rt.Pattern
		registered[key] = true
		req := httptest.NewRequest(rt.Method, samplePath(rt.Pattern), nil)
		if got := httpapi.MuxPattern(h, req); got != key {
			t.Errorf("route %s: mux serves %s with %q", key, req.URL.Path, got)
		}
		path, params := httpapi.OpenAPIPath(rt.Pattern)
		raw, ok := doc.Paths[path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("route %s is registered but missing from the OpenAPI document", key)
			continue
		}
		var op struct {
			Summary    string `json:"summary"`
			Security   []map[string][]string
			Parameters []struct {
				Name, In string
			}
			RequestBody map[string]any `json:"requestBody"`
		}
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatal(err)
		}
		if op.Summary != rt.Summary {
			t.Errorf("route %s: summary %q, want %q", key, op.Summary, rt.Summary)
		}
		wantSec := map[httpapi.AuthMode][]map[string][]string{
			httpapi.AuthNone:     {},
			httpapi.AuthOptional: {{}, {"bearer": {}}},
			httpapi.AuthRequired: {{"bearer": {}}},
		}[rt.Auth]
		if diff := cmp.Diff(wantSec, op.Security); diff != "" {
			t.Errorf("route %s security mismatch (-want +got):\n%s", key, diff)
		}
		var gotParams []string
		for _, p := range op.Parameters {
			if p.In == "path" {
				gotParams = append(gotParams, p.Name)
			}
		}
		if diff := cmp.Diff(params, gotParams); diff != "" {
			t.Errorf("route %s path parameters mismatch (-want +got):\n%s", key, diff)
		}
		if hasBody := rt.Request != nil || len(rt.RequestMedia) > 0; hasBody != (op.RequestBody != nil) {
			t.Errorf("route %s: documented request body = %v, want %v", key, op.RequestBody != nil, hasBody)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			key := strings.ToUpper(method) + " " + path
			found := false
			for rk := range registered {
				m, p, _ := strings.Cut(rk, " ")
				dp, _ := httpapi.OpenAPIPath(p)
				if m+" "+dp == key {
					found = true
				}
			}
			if !found {
				t.Errorf("documented operation %s is not a registered route", key)
			}
		}
	}
	for _, want := range []string{"GET /healthz", "GET /v1/openapi.json"} {
		if !registered[want] {
			t.Errorf("built-in route %s is not registered", want)
		}
	}
	keys := make([]string, 0, len(registered))
	for k := range registered {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	t.Logf("%d routes documented: %s", len(keys), strings.Join(keys, ", "))
}

func TestOpenAPIFrameworkRoutes(t *testing.T) {
	checkOpenAPI(t, newFrameworkServer(t, nil))
}

func TestOpenAPIResponsesMatchSchemas(t *testing.T) {
	h := newFrameworkServer(t, nil)
	for _, req := range []*http.Request{
		jsonReq("POST", "/v1/test/echo", `{"name":"a"}`),
		jsonReq("POST", "/v1/test/echo", `{"name":"a","x":1}`),
		httptest.NewRequest("GET", "/healthz", nil),
		httptest.NewRequest("GET", "/v1/test/error/denied", nil),
		httptest.NewRequest("GET", "/v1/nope", nil),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if err := httpapi.CheckResponse(h, req, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()); err != nil {
			t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		}
	}
}

func TestOpenAPISchemaOfNullsAndOptionals(t *testing.T) {
	h := newFrameworkServer(t, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/openapi.json", nil))
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	got := schemas["ErrorDetail"]
	want := map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []any{"code", "message"},
		"properties": map[string]any{
			"code":      map[string]any{"type": "string"},
			"message":   map[string]any{"type": "string"},
			"field":     map[string]any{"type": "string"},
			"requestId": map[string]any{"type": "string"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ErrorDetail schema mismatch (-want +got):\n%s", diff)
	}
}
