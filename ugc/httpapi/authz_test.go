package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// TestAuthorization calls every channel route as an anonymous caller, with
// a bad token and signed in, and asserts the exact statuses. The table must
// name every registered route, so a new route cannot skip it.
func TestAuthorization(t *testing.T) {
	e := newChannelsEnv(t, nil)
	owner := e.register("owner1")
	caller := e.register("caller1")
	img := pngImage(t, 8, 8)
	put := e.call("PUT", "/v1/me/avatar", owner.ID, "image/png", img)
	if put.Status != 200 {
		t.Fatalf("upload: status %d: %s", put.Status, put.Raw)
	}
	assetURL := put.JSON["url"].(string)

	type statuses struct{ Anonymous, BadToken, SignedIn int }
	tests := []struct {
		route string // the route's method and pattern
		path  string
		ct    string
		body  []byte
		want  statuses
	}{
		{"GET /healthz", "/healthz", "", nil, statuses{200, 200, 200}},
		{"GET /v1/openapi.json", "/v1/openapi.json", "", nil, statuses{200, 200, 200}},
		{"GET /v1/me", "/v1/me", "", nil, statuses{401, 401, 200}},
		{"PATCH /v1/me", "/v1/me", "application/json", []byte(`{"color":"blue"}`), statuses{401, 401, 200}},
		{"POST /v1/me/stream-key/reset", "/v1/me/stream-key/reset", "", nil, statuses{401, 401, 200}},
		{"PUT /v1/me/avatar", "/v1/me/avatar", "image/png", img, statuses{401, 401, 200}},
		{"DELETE /v1/me/avatar", "/v1/me/avatar", "", nil, statuses{401, 401, 204}},
		{"PUT /v1/me/banner", "/v1/me/banner", "image/png", img, statuses{401, 401, 200}},
		{"DELETE /v1/me/banner", "/v1/me/banner", "", nil, statuses{401, 401, 204}},
		{"GET /assets/{key...}", assetURL, "", nil, statuses{200, 200, 200}},
		{"GET /v1/channels/{username}", "/v1/channels/owner1", "", nil, statuses{200, 401, 200}},
		{"GET /v1/channels", "/v1/channels?live=true", "", nil, statuses{200, 200, 200}},
		{"GET /v1/me/following", "/v1/me/following", "", nil, statuses{401, 401, 200}},
		{"PUT /v1/me/following/{username}", "/v1/me/following/owner1", "", nil, statuses{401, 401, 204}},
		{"DELETE /v1/me/following/{username}", "/v1/me/following/owner1", "", nil, statuses{401, 401, 204}},
		{"DELETE /v1/me", "/v1/me", "", nil, statuses{401, 401, 204}}, // last: deletes the caller
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.route] = true
		method, _, _ := strings.Cut(tt.route, " ")
		t.Run(tt.route, func(t *testing.T) {
			var got statuses
			got.Anonymous = e.call(method, tt.path, "", tt.ct, tt.body).Status
			got.BadToken = e.call(method, tt.path, "bad", tt.ct, tt.body).Status
			res := e.call(method, tt.path, caller.ID, tt.ct, tt.body)
			got.SignedIn = res.Status
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statuses mismatch (-want +got):\n%s\nsigned-in body: %s", diff, res.Raw)
			}
		})
	}
	for _, rt := range httpapi.Routes(e.h) {
		if key := fmt.Sprintf("%s %s", rt.Method, rt.Pattern); !covered[key] {
			t.Errorf("route %s is not in the authorization table", key)
		}
	}
}
