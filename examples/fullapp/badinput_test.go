package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/internal/mototest"
)

// TestBadInputNeverFails5xx sends malformed requests to every route in
// the app's OpenAPI document on each store, signed in and anonymously — bad path values, broken JSON,
// and bodies of the request schema's shape with edge values — and checks
// that no answer is a 5xx or a redirect, and every error is the
// documented JSON error with a code.
func TestBadInputNeverFails5xx(t *testing.T) {
	if testing.Short() {
		t.Skip("sends a few thousand requests")
	}
	for _, store := range []string{StoreSQLite, StoreMemory} {
		t.Run(store, func(t *testing.T) {
			cfg := testConfig(t.TempDir())
			cfg.Store = store
			sweepBadInput(t, cfg)
		})
	}
	t.Run(StoreDynamoDB, func(t *testing.T) {
		moto := mototest.Start(t)
		dir := t.TempDir()
		setAWSEnv(t, dir, "AWS_ENDPOINT_URL_DYNAMODB", moto.URL)
		cfg := testConfig(dir)
		cfg.Store, cfg.Table = StoreDynamoDB, "ugc-bad-input"
		sweepBadInput(t, cfg)
	})
}

func sweepBadInput(t *testing.T, cfg Config) {
	app := startApp(t, cfg)
	c := newClient(t, app.URL())
	owner := c.register("sweeper", "sweeper@example.com")
	c.register("target1", "target1@example.com")
	c.must(http.StatusCreated, "POST", "/_dev/channels/sweeper/stream/start", "", nil)

	var doc openAPIDoc
	c.must(http.StatusOK, "GET", "/v1/openapi.json", "", nil).JSON(t, &doc)
	type op struct {
		method, path string
		bodies       []string // valid shapes with edge values, from the request schema
	}
	var ops []op
	for p, methods := range doc.Paths {
		for m, o := range methods {
			m = strings.ToUpper(m)
			if p == "/v1/events" || (m == "DELETE" && p == "/v1/me") || p == "/v1/auth/logout" {
				continue // a stream that stays open; the others end the sweep's session
			}
			ops = append(ops, op{m, p, doc.edgeBodies(o)})
		}
	}
	slices.SortFunc(ops, func(a, b op) int { return strings.Compare(a.method+a.path, b.method+b.path) })
	if len(ops) < 50 {
		t.Fatalf("only %d operations in the OpenAPI document", len(ops))
	}

	param := regexp.MustCompile(`\{[^}]+\}`)
	pathValues := []string{"sweeper", "target1", "nobody99", "x", strings.Repeat("a", 300), "%00", "%C3%A9", "..", "-1", "9999999999999999999999"}
	bodies := []string{"", "{", "null", "[]", "{}", `"text"`, "1e999", `{"unknown":1}`,
		`{"username":123,"email":[],"option":"x","durationSeconds":-5,"expiresInSeconds":1e30,"type":{},"data":"x",` +
			`"question":null,"options":[1,2],"delaySeconds":-1,"invite":5,"active":"yes","limitName":7}`,
		`{"option":99999999999,"durationSeconds":99999999999,"delaySeconds":99999999999,"expiresInSeconds":-1}`,
		`{"question":"` + strings.Repeat("é", 5000) + `","options":["a","a"],"durationSeconds":10}`,
	}
	hc := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := owner.Token
	sent := 0
	statuses := map[int]int{}
	for i := range 2 * len(ops) {
		o, anonymous := ops[i%len(ops)], i >= len(ops) // signed in, then anonymous
		for _, pv := range pathValues {
			path := param.ReplaceAllString(o.path, pv)
			for _, body := range append(bodies, o.bodies...) {
				if o.method == "GET" && body != "" {
					continue
				}
				req, err := http.NewRequestWithContext(context.Background(), o.method, app.URL()+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				if !anonymous {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", o.method, path, err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				sent++
				statuses[resp.StatusCode]++
				if !anonymous && resp.StatusCode == http.StatusUnauthorized && c.do("GET", "/v1/me", token, nil).Status == http.StatusUnauthorized {
					// A password change ended the session: sign in again.
					var s session
					c.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "sweeper@example.com", "password": password}).JSON(t, &s)
					token = s.Token
				}
				if resp.StatusCode >= 500 || resp.StatusCode >= 300 && resp.StatusCode < 400 {
					t.Errorf("%s %s with %.60q = %d %s", o.method, path, body, resp.StatusCode, raw)
					continue
				}
				if resp.StatusCode >= 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
					t.Errorf("%s %s with %.60q = %d with Content-Type %q", o.method, path, body, resp.StatusCode, resp.Header.Get("Content-Type"))
					continue
				}
				if resp.StatusCode >= 400 {
					var e struct {
						Error struct {
							Code string `json:"code"`
						} `json:"error"`
					}
					if json.Unmarshal(raw, &e) != nil || e.Error.Code == "" {
						t.Errorf("%s %s with %.60q = %d without a JSON error code: %s", o.method, path, body, resp.StatusCode, raw)
					}
				}
			}
		}
	}
	t.Logf("%d requests to %d operations; statuses %v", sent, len(ops), statuses)
}

// openAPIDoc is the part of the OpenAPI document the sweep reads.
type openAPIDoc struct {
	Paths      map[string]map[string]openAPIOp `json:"paths"`
	Components struct {
		Schemas map[string]openAPISchema `json:"schemas"`
	} `json:"components"`
}

type openAPIOp struct {
	RequestBody struct {
		Content map[string]struct {
			Schema openAPISchema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

type openAPISchema struct {
	Ref        string                   `json:"$ref"`
	Type       any                      `json:"type"` // a name or a list of names
	Properties map[string]openAPISchema `json:"properties"`
	Items      *openAPISchema           `json:"items"`
	Enum       []any                    `json:"enum"`
}

func (d *openAPIDoc) resolve(s openAPISchema) openAPISchema {
	if name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/"); ok {
		return d.Components.Schemas[name]
	}
	return s
}

// edgeBodies returns JSON bodies of the operation's request schema, each
// property set to one kind of edge value (empty, huge, negative, odd
// characters, enum-like strings that are not in the enum, ...).
func (d *openAPIDoc) edgeBodies(o openAPIOp) []string {
	media, ok := o.RequestBody.Content["application/json"]
	if !ok {
		return nil
	}
	s := d.resolve(media.Schema)
	if len(s.Properties) == 0 {
		return nil
	}
	var out []string
	for variant := range 6 {
		body := map[string]any{}
		for name, ps := range s.Properties {
			body[name] = d.edgeValue(d.resolve(ps), variant, 0)
		}
		b, err := json.Marshal(body)
		if err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

func (d *openAPIDoc) edgeValue(s openAPISchema, variant, depth int) any {
	types := []string{}
	switch t := s.Type.(type) {
	case string:
		types = append(types, t)
	case []any:
		for _, x := range t {
			if n, ok := x.(string); ok && n != "null" {
				types = append(types, n)
			}
		}
	}
	typ := "string"
	if len(types) > 0 {
		typ = types[0]
	}
	switch typ {
	case "integer", "number":
		return []any{0, -1, 1 << 31, int64(1) << 53, 3, 1}[variant]
	case "boolean":
		return variant%2 == 0
	case "array":
		if s.Items == nil || depth > 2 {
			return []any{}
		}
		item := d.edgeValue(d.resolve(*s.Items), variant, depth+1)
		return [][]any{{}, {item}, {item, item}, {item, item, item, item, item, item, item, item, item, item, item}, {item}, {item, item, item}}[variant]
	case "object":
		if depth > 2 {
			return map[string]any{}
		}
		m := map[string]any{}
		for name, ps := range s.Properties {
			m[name] = d.edgeValue(d.resolve(ps), variant, depth+1)
		}
		return m
	}
	if len(s.Enum) > 0 && variant == 4 {
		return s.Enum[0]
	}
	return []string{"", strings.Repeat("x", 70000), "\u0000\t<script>é😀", "../../etc/passwd", "NOTICE", "https://example.com/" + strings.Repeat("a", 300)}[variant]
}
