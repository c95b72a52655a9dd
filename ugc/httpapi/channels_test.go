package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"golang.org/x/sync/errgroup"
)

// channelsEnv is an API over a real channels.Service on memstore and
// ivslocal.
type channelsEnv struct {
	t     testing.TB
	h     http.Handler
	svc   *channels.Service
	store store.Store
	ivs   *ivslocal.Server
	now   time.Time
}

func newChannelsEnv(t testing.TB, st store.Store, optFns ...func(*channels.Options)) *channelsEnv {
	t.Helper()
	srv := ivslocal.NewServer()
	t.Cleanup(func() { _ = srv.Close() })
	if st == nil {
		ms := memstore.New()
		t.Cleanup(func() { _ = ms.Close() })
		st = ms
	}
	assets, err := channels.NewDirAssets(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = assets.Close() })
	cfg := srv.AWSConfig()
	e := &channelsEnv{t: t, store: st, ivs: srv, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	e.svc, err = channels.New(channels.Options{
		Store:  st,
		IVS:    ivs.NewFromConfig(cfg),
		Chat:   ivschat.NewFromConfig(cfg),
		Stages: ivsrealtime.NewFromConfig(cfg),
		Assets: assets, AssetBaseURL: "/assets", ProjectTag: "httpapi-test",
		Now: func() time.Time { return e.now },
	}, optFns...)
	if err != nil {
		t.Fatal(err)
	}
	e.h, err = httpapi.New(httpapi.Options{Channels: e.svc, Auth: bearerAuth, NewRequestID: func() string { return "rid" }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// register makes a user through the service, as the app's signup does.
func (e *channelsEnv) register(username string) *ugc.User {
	e.t.Helper()
	u, err := e.svc.Register(context.Background(), channels.RegisterInput{Username: username, Email: strings.ToLower(username) + "@example.com"})
	if err != nil {
		e.t.Fatalf("Register(%s): %v", username, err)
	}
	return u
}

type response struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

// call serves one request as user ("" anonymous) and checks the response
// against the OpenAPI document.
func (e *channelsEnv) call(method, path, user, contentType string, body []byte) response {
	e.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body == nil {
		req = httptest.NewRequest(method, path, nil)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	ct := rec.Header().Get("Content-Type")
	if ct == "application/json" {
		if err := json.Unmarshal(res.Raw, &res.JSON); err != nil {
			e.t.Fatalf("%s %s: body %q: %v", method, path, res.Raw, err)
		}
	}
	if err := httpapi.CheckResponse(e.h, req, rec.Code, ct, res.Raw); err != nil {
		e.t.Errorf("%s %s: response does not match the OpenAPI document: %v\nbody: %s", method, path, err, res.Raw)
	}
	return res
}

func pngImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func errorOf(code, field string) map[string]any {
	e := map[string]any{"code": code}
	if field != "" {
		e["field"] = field
	}
	return e
}

// errorCode extracts code and field of an error response for comparison.
func errorCode(r response) map[string]any {
	e, _ := r.JSON["error"].(map[string]any)
	if e == nil {
		return nil
	}
	out := map[string]any{"code": e["code"]}
	if f, ok := e["field"]; ok {
		out["field"] = f
	}
	return out
}

func TestMe(t *testing.T) {
	e := newChannelsEnv(t, nil)
	alice := e.register("alicia")
	e.register("bobby")

	got := e.call("GET", "/v1/me", alice.ID, "", nil)
	want := map[string]any{
		"user": map[string]any{
			"id": alice.ID, "username": "alicia", "email": "alicia@example.com",
			"color": alice.Color, "avatar": alice.Avatar, "avatarUrl": nil, "bannerUrl": nil,
		},
		"channel": map[string]any{
			"arn":            alice.Channel.Arn,
			"playbackUrl":    alice.Channel.PlaybackURL,
			"ingestEndpoint": alice.Channel.IngestEndpoint,
			"ingestServer":   "rtmps://" + alice.Channel.IngestEndpoint + ":443/app/",
			"streamKey":      alice.Channel.StreamKey.Reveal(),
			"type":           alice.Channel.Type,
			"latencyMode":    alice.Channel.LatencyMode,
		},
		"chatRoomArn": alice.Channel.ChatRoomArn,
		"stageArn":    alice.Channel.StageArn,
	}
	if got.Status != 200 {
		t.Fatalf("GET /v1/me: status %d: %s", got.Status, got.Raw)
	}
	if diff := cmp.Diff(want, got.JSON); diff != "" {
		t.Errorf("GET /v1/me mismatch (-want +got):\n%s", diff)
	}
	if cc := got.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET /v1/me (holds the stream key): Cache-Control %q, want no-store", cc)
	}
	for _, k := range []string{"arn", "playbackUrl", "ingestEndpoint", "streamKey"} {
		if got.JSON["channel"].(map[string]any)[k] == "" {
			t.Errorf("GET /v1/me: channel.%s is empty", k)
		}
	}

	t.Run("patch", func(t *testing.T) {
		tests := []struct {
			name       string
			ct, body   string
			wantStatus int
			wantErr    map[string]any
			wantUser   map[string]any // fields of .user to compare
		}{
			{"color", "application/json", `{"color":"green"}`, 200, nil, map[string]any{"color": "green", "username": "alicia"}},
			{"rename", "application/json", `{"username":"Alice2"}`, 200, nil, map[string]any{"color": "green", "username": "Alice2"}},
			{"null leaves alone", "application/json", `{"username":null}`, 200, nil, map[string]any{"color": "green", "username": "Alice2"}},
			{"taken name", "application/json", `{"username":"BOBBY"}`, 409, errorOf("already_exists", "username"), nil},
			{"bad color", "application/json", `{"color":"mauve"}`, 400, errorOf("invalid_argument", "color"), nil},
			{"unknown field", "application/json", `{"color":"green","email":"x@y.z"}`, 400, errorOf("invalid_argument", "email"), nil},
			{"wrong type", "application/json", `{"color":7}`, 400, errorOf("invalid_argument", "color"), nil},
			{"text/plain", "text/plain", `{"color":"green"}`, 415, errorOf("unsupported_media_type", ""), nil},
			{"2 MiB", "application/json", `{"color":"` + strings.Repeat("a", 2<<20) + `"}`, 413, errorOf("too_large", ""), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := e.call("PATCH", "/v1/me", alice.ID, tt.ct, []byte(tt.body))
				if got.Status != tt.wantStatus {
					t.Fatalf("status %d, want %d: %s", got.Status, tt.wantStatus, got.Raw)
				}
				if diff := cmp.Diff(tt.wantErr, errorCode(got)); diff != "" {
					t.Errorf("error mismatch (-want +got):\n%s", diff)
				}
				if tt.wantUser != nil {
					u := got.JSON["user"].(map[string]any)
					gotUser := map[string]any{}
					for k := range tt.wantUser {
						gotUser[k] = u[k]
					}
					if diff := cmp.Diff(tt.wantUser, gotUser); diff != "" {
						t.Errorf("user mismatch (-want +got):\n%s", diff)
					}
				}
			})
		}
	})

	t.Run("stream key reset", func(t *testing.T) {
		before := e.call("GET", "/v1/me", alice.ID, "", nil).JSON["channel"].(map[string]any)["streamKey"]
		got := e.call("POST", "/v1/me/stream-key/reset", alice.ID, "", nil)
		if got.Status != 200 {
			t.Fatalf("status %d: %s", got.Status, got.Raw)
		}
		key := got.JSON["streamKey"]
		if key == before || key == "" {
			t.Errorf("reset returned %v, the old key was %v", key, before)
		}
		after := e.call("GET", "/v1/me", alice.ID, "", nil).JSON["channel"].(map[string]any)["streamKey"]
		if diff := cmp.Diff(key, after); diff != "" {
			t.Errorf("GET /v1/me after reset mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("AWS faults", func(t *testing.T) {
		tests := []struct {
			fault      ivslocal.Fault
			wantStatus int
			wantCode   string
			retryAfter string
		}{
			{ivslocal.Fault{Operation: "ListStreamKeys", Error: "ThrottlingException", Message: "slow down"}, 429, "throttled", "1"},
			{ivslocal.Fault{Operation: "CreateStreamKey", Error: "InternalServerException", Message: "oops"}, 503, "unavailable", ""},
		}
		for _, tt := range tests {
			t.Run(tt.fault.Error, func(t *testing.T) {
				e.ivs.InjectFault(tt.fault)
				defer e.ivs.ClearFaults()
				got := e.call("POST", "/v1/me/stream-key/reset", alice.ID, "", nil)
				if got.Status != tt.wantStatus {
					t.Fatalf("status %d, want %d: %s", got.Status, tt.wantStatus, got.Raw)
				}
				if diff := cmp.Diff(errorOf(tt.wantCode, ""), errorCode(got)); diff != "" {
					t.Errorf("error mismatch (-want +got):\n%s", diff)
				}
				if ra := got.Header.Get("Retry-After"); ra != tt.retryAfter {
					t.Errorf("Retry-After = %q, want %q", ra, tt.retryAfter)
				}
			})
		}
		// A retry after the faults ends with one working key.
		if got := e.call("POST", "/v1/me/stream-key/reset", alice.ID, "", nil); got.Status != 200 {
			t.Errorf("reset after faults: status %d: %s", got.Status, got.Raw)
		}
	})
}

func TestImages(t *testing.T) {
	e := newChannelsEnv(t, nil)
	alice := e.register("alicia")
	img := pngImage(t, 64, 32)

	for _, kind := range []string{"avatar", "banner"} {
		t.Run(kind, func(t *testing.T) {
			put := e.call("PUT", "/v1/me/"+kind, alice.ID, "image/png", img)
			if put.Status != 200 {
				t.Fatalf("PUT: status %d: %s", put.Status, put.Raw)
			}
			url, _ := put.JSON["url"].(string)
			if !strings.HasPrefix(url, "/assets/") {
				t.Fatalf("PUT: url %q does not start with /assets/", url)
			}
			me := e.call("GET", "/v1/me", alice.ID, "", nil).JSON["user"].(map[string]any)
			if diff := cmp.Diff(url, me[kind+"Url"]); diff != "" {
				t.Errorf("GET /v1/me %sUrl mismatch (-want +got):\n%s", kind, diff)
			}
			asset := e.call("GET", url, "", "", nil)
			if asset.Status != 200 || !bytes.Equal(asset.Raw, img) {
				t.Errorf("GET %s: status %d, %d bytes; want 200 with the uploaded %d bytes", url, asset.Status, len(asset.Raw), len(img))
			}
			gotHdr := map[string]string{}
			for _, k := range []string{"Content-Type", "Cache-Control", "X-Content-Type-Options", "Content-Security-Policy"} {
				gotHdr[k] = asset.Header.Get(k)
			}
			wantHdr := map[string]string{
				"Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable",
				"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
			}
			if diff := cmp.Diff(wantHdr, gotHdr); diff != "" {
				t.Errorf("GET %s headers mismatch (-want +got):\n%s", url, diff)
			}
			if del := e.call("DELETE", "/v1/me/"+kind, alice.ID, "", nil); del.Status != 204 || len(del.Raw) != 0 {
				t.Errorf("DELETE: status %d body %q, want 204 and no body", del.Status, del.Raw)
			}
			me = e.call("GET", "/v1/me", alice.ID, "", nil).JSON["user"].(map[string]any)
			if me[kind+"Url"] != nil {
				t.Errorf("after DELETE, %sUrl = %v, want null", kind, me[kind+"Url"])
			}
			if got := e.call("GET", url, "", "", nil); got.Status != 404 {
				t.Errorf("GET %s after DELETE: status %d, want 404", url, got.Status)
			}
		})
	}

	t.Run("rejected uploads", func(t *testing.T) {
		tests := []struct {
			name, path, ct string
			body           []byte
			wantStatus     int
			wantErr        map[string]any
		}{
			{"text/plain", "/v1/me/avatar", "text/plain", img, 415, errorOf("unsupported_media_type", "")},
			{"not an image", "/v1/me/avatar", "application/octet-stream", []byte("GIF89a not really"), 415, errorOf("unsupported_media_type", "")},
			{"avatar over 1 MB", "/v1/me/avatar", "image/png", append(img[:len(img):len(img)], make([]byte, 1_000_000)...), 413, errorOf("too_large", "")},
			{"avatar 2 MiB", "/v1/me/avatar", "image/png", make([]byte, 2<<20), 413, errorOf("too_large", "")},
			{"banner over 5 MB", "/v1/me/banner", "image/png", make([]byte, 5_000_001), 413, errorOf("too_large", "")},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := e.call("PUT", tt.path, alice.ID, tt.ct, tt.body)
				if got.Status != tt.wantStatus {
					t.Fatalf("status %d, want %d: %s", got.Status, tt.wantStatus, got.Raw)
				}
				gotErr := errorCode(got)
				delete(gotErr, "field")
				if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
					t.Errorf("error mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})

	if got := e.call("GET", "/assets/no/such/key.png", "", "", nil); got.Status != 404 {
		t.Errorf("GET missing asset: status %d, want 404", got.Status)
	}
}

func TestChannelPagesAndFollows(t *testing.T) {
	e := newChannelsEnv(t, nil)
	alice := e.register("alicia")
	bob := e.register("Bobby")
	ctx := context.Background()

	page := func(viewer string) map[string]any {
		t.Helper()
		got := e.call("GET", "/v1/channels/bobby", viewer, "", nil)
		if got.Status != 200 {
			t.Fatalf("GET /v1/channels/bobby: status %d: %s", got.Status, got.Raw)
		}
		return got.JSON
	}
	wantPage := map[string]any{
		"username": "Bobby", "color": bob.Color, "avatar": bob.Avatar, "avatarUrl": nil, "bannerUrl": nil,
		"isLive": false, "liveKind": nil, "liveSince": nil, "playbackUrl": bob.Channel.PlaybackURL,
		"stage":         map[string]any{"active": false, "arn": bob.Channel.StageArn},
		"followerCount": float64(0), "isFollowing": false, "isViewerBanned": false,
	}
	if diff := cmp.Diff(wantPage, page("")); diff != "" {
		t.Errorf("anonymous page mismatch (-want +got):\n%s", diff)
	}

	steps := []struct {
		name, method, path, user string
		wantStatus               int
		wantErr                  map[string]any
	}{
		{"follow", "PUT", "/v1/me/following/bobby", alice.ID, 204, nil},
		{"follow again", "PUT", "/v1/me/following/BOBBY", alice.ID, 204, nil},
		{"follow self", "PUT", "/v1/me/following/alicia", alice.ID, 400, errorOf("self_follow", "")},
		{"follow unknown", "PUT", "/v1/me/following/nobody", alice.ID, 404, errorOf("user_not_found", "")},
		{"unfollow unknown", "DELETE", "/v1/me/following/nobody", alice.ID, 404, errorOf("user_not_found", "")},
		{"unknown channel", "GET", "/v1/channels/nobody", "", 404, errorOf("not_found", "")},
		{"bad limit", "GET", "/v1/channels?live=true&limit=abc", "", 400, errorOf("invalid_argument", "limit")},
		{"limit too big", "GET", "/v1/me/following?limit=1000", alice.ID, 400, errorOf("invalid_argument", "limit")},
		{"live=false", "GET", "/v1/channels?live=false", "", 400, errorOf("invalid_argument", "live")},
		{"bad cursor", "GET", "/v1/channels?cursor=forged", "", 400, errorOf("invalid_cursor", "")},
	}
	for _, s := range steps {
		got := e.call(s.method, s.path, s.user, "", nil)
		if got.Status != s.wantStatus {
			t.Errorf("%s: %s %s: status %d, want %d: %s", s.name, s.method, s.path, got.Status, s.wantStatus, got.Raw)
			continue
		}
		gotErr := errorCode(got)
		if s.wantErr != nil && s.wantErr["field"] == nil {
			delete(gotErr, "field")
		}
		if diff := cmp.Diff(s.wantErr, gotErr); diff != "" {
			t.Errorf("%s: error mismatch (-want +got):\n%s", s.name, diff)
		}
	}

	wantPage["followerCount"], wantPage["isFollowing"] = float64(1), true
	if diff := cmp.Diff(wantPage, page(alice.ID)); diff != "" {
		t.Errorf("follower's page mismatch (-want +got):\n%s", diff)
	}

	// Bob goes live: the store's live index is what the metrics ingester
	// writes from IVS events.
	since := time.Date(2026, 11, 25, 11, 30, 0, 0, time.UTC)
	if err := e.store.SetLive(ctx, ugc.LiveEntry{UserID: bob.ID, Kind: ugc.LiveLowLatency, Since: since, Ref: "st-1"}); err != nil {
		t.Fatal(err)
	}
	wantPage["isLive"], wantPage["liveKind"], wantPage["liveSince"] = true, "low_latency", "2026-11-25T11:30:00Z"
	if diff := cmp.Diff(wantPage, page(alice.ID)); diff != "" {
		t.Errorf("live page mismatch (-want +got):\n%s", diff)
	}

	dir := e.call("GET", "/v1/channels?live=true&limit=10", "", "", nil)
	wantDir := map[string]any{
		"channels": []any{map[string]any{
			"username": "Bobby", "color": bob.Color, "avatar": bob.Avatar, "avatarUrl": nil,
			"liveKind": "low_latency", "liveSince": "2026-11-25T11:30:00Z",
		}},
		"nextCursor": nil,
	}
	if diff := cmp.Diff(wantDir, dir.JSON); diff != "" {
		t.Errorf("directory mismatch (-want +got):\n%s", diff)
	}

	fol := e.call("GET", "/v1/me/following", alice.ID, "", nil)
	wantFol := map[string]any{
		"channels": []any{map[string]any{
			"username": "Bobby", "color": bob.Color, "avatar": bob.Avatar, "avatarUrl": nil,
			"isLive": true, "liveKind": "low_latency", "liveSince": "2026-11-25T11:30:00Z",
			"followedAt": "2026-11-25T12:00:00Z",
		}},
		"nextCursor": nil,
	}
	if diff := cmp.Diff(wantFol, fol.JSON); diff != "" {
		t.Errorf("following mismatch (-want +got):\n%s", diff)
	}

	if got := e.call("DELETE", "/v1/me/following/bobby", alice.ID, "", nil); got.Status != 204 {
		t.Errorf("unfollow: status %d: %s", got.Status, got.Raw)
	}
	if got := e.call("GET", "/v1/me/following", alice.ID, "", nil); got.Status != 200 || len(got.JSON["channels"].([]any)) != 0 {
		t.Errorf("following after unfollow: status %d: %s; want 200 and an empty list", got.Status, got.Raw)
	}
}

func TestDirectoryPaging(t *testing.T) {
	e := newChannelsEnv(t, nil)
	ctx := context.Background()
	var want []any
	for i, name := range []string{"user_a", "user_b", "user_c"} {
		u := e.register(name)
		since := time.Date(2026, 11, 25, 10, i, 0, 0, time.UTC)
		if err := e.store.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveRealTime, Since: since, Ref: "s"}); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	var got []any
	cursor := ""
	for range 5 {
		res := e.call("GET", "/v1/channels?live=true&limit=2&cursor="+cursor, "", "", nil)
		if res.Status != 200 {
			t.Fatalf("status %d: %s", res.Status, res.Raw)
		}
		for _, c := range res.JSON["channels"].([]any) {
			got = append(got, c.(map[string]any)["username"])
		}
		next, _ := res.JSON["nextCursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	less := func(a, b any) bool { return a.(string) < b.(string) }
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(less)); diff != "" {
		t.Errorf("directory pages mismatch (-want +got):\n%s", diff)
	}
}

func TestDeleteMe(t *testing.T) {
	e := newChannelsEnv(t, nil)
	alice := e.register("alicia")
	bob := e.register("bobby")
	if got := e.call("PUT", "/v1/me/following/alicia", bob.ID, "", nil); got.Status != 204 {
		t.Fatalf("follow: status %d: %s", got.Status, got.Raw)
	}
	if got := e.call("DELETE", "/v1/me", alice.ID, "", nil); got.Status != 204 || len(got.Raw) != 0 {
		t.Fatalf("DELETE /v1/me: status %d body %q, want 204 and no body", got.Status, got.Raw)
	}
	for _, tt := range []struct {
		method, path, user string
		want               int
	}{
		{"GET", "/v1/me", alice.ID, 404},
		{"GET", "/v1/channels/alicia", "", 404},
		{"PUT", "/v1/me/following/alicia", bob.ID, 404},
	} {
		if got := e.call(tt.method, tt.path, tt.user, "", nil); got.Status != tt.want {
			t.Errorf("%s %s after delete: status %d, want %d: %s", tt.method, tt.path, got.Status, tt.want, got.Raw)
		}
	}
	// The name is free again.
	e.register("alicia")
}

func TestOpenAPIWithChannels(t *testing.T) {
	h := newChannelsEnv(t, nil).h
	checkOpenAPI(t, h)

	// Every $ref resolves.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/openapi.json", nil))
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, at string)
	refs := 0
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs++
				var target any = doc
				for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := target.(map[string]any)
					target = m[p]
				}
				if target == nil {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(doc, "#")
	if refs == 0 {
		t.Error("the document has no $ref at all")
	}
}

// TestConcurrentRequests runs readers and writers of one channel at once
// over a real listener (run with -race): follows, unfollows, page views
// and profile reads end in a consistent state.
func TestConcurrentRequests(t *testing.T) {
	e := newChannelsEnv(t, nil)
	streamer := e.register("streamer1")
	const viewers = 8
	var ids []string
	for i := range viewers {
		ids = append(ids, e.register(fmt.Sprintf("viewer%d", i)).ID)
	}
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	do := func(method, path, user string) (int, error) {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+user)
		resp, err := srv.Client().Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	var g errgroup.Group
	for i, id := range ids {
		g.Go(func() error {
			for j := range 10 {
				method := "PUT"
				if j%2 == 1 && i%2 == 1 {
					method = "DELETE"
				}
				for _, c := range []struct{ method, path string }{
					{method, "/v1/me/following/streamer1"},
					{"GET", "/v1/channels/streamer1"},
					{"GET", "/v1/me"},
				} {
					st, err := do(c.method, c.path, id)
					if err != nil {
						return err
					}
					if st >= 300 {
						return fmt.Errorf("%s %s as %s: status %d", c.method, c.path, id, st)
					}
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	// Even viewers only followed; odd viewers alternated and ended with an
	// unfollow (j = 9), so half of them follow.
	got := e.call("GET", "/v1/channels/streamer1", streamer.ID, "", nil)
	if diff := cmp.Diff(float64(viewers/2), got.JSON["followerCount"]); diff != "" {
		t.Errorf("followerCount mismatch (-want +got):\n%s", diff)
	}
}
