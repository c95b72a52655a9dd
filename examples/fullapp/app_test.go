package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// TestWalkthrough drives the README's walkthrough over real HTTP.
func TestWalkthrough(t *testing.T) {
	var banner bytes.Buffer
	cfg := testConfig(t.TempDir())
	cfg.Stdout = &banner
	app := startApp(t, cfg)
	c := newClient(t, app.URL())

	for _, want := range []string{app.URL(), app.EmulatorURL(), "/_dev/channels/<username>/stream/start", "streamKey"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}

	// The app's routes are documented next to the SDK's.
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	c.must(http.StatusOK, "GET", "/v1/openapi.json", "", nil).JSON(t, &doc)
	for _, p := range []string{"/v1/auth/register", "/v1/auth/login", "/v1/auth/logout", "/v1/me/password",
		"/v1/auth/password-reset", "/v1/auth/password-reset/confirm", "/_dev/channels/{username}/stream/start", "/_dev/outbox", "/v1/me"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("OpenAPI document lacks %s", p)
		}
	}

	// Register, then see yourself.
	alice := c.register("alice", "alice@example.com")
	m := c.me(alice.Token)
	if m.User.Username != "alice" || m.Channel.Arn == "" || m.Channel.StreamKey == "" ||
		!strings.HasPrefix(m.Channel.IngestServer, "rtmps://") {
		t.Fatalf("GET /v1/me = %+v, want alice with a provisioned channel", m)
	}

	// Sign in with the email too.
	var byEmail session
	c.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "alice@example.com", "password": password}).JSON(t, &byEmail)
	if byEmail.User.ID != alice.User.ID || byEmail.Token == alice.Token {
		t.Errorf("login by email = %+v, want a new session of alice", byEmail)
	}

	// Go live with the dev control: the directory shows it.
	if diff := cmp.Diff([]string{}, c.directory()); diff != "" {
		t.Errorf("directory before streaming mismatch (-want +got):\n%s", diff)
	}
	c.must(http.StatusCreated, "POST", "/_dev/channels/alice/stream/start", "", nil)
	if diff := cmp.Diff([]string{"alice:low_latency"}, c.directory()); diff != "" {
		t.Errorf("directory while live mismatch (-want +got):\n%s", diff)
	}
	var page struct {
		IsLive bool `json:"isLive"`
	}
	c.must(http.StatusOK, "GET", "/v1/channels/alice", "", nil).JSON(t, &page)
	if !page.IsLive {
		t.Errorf("channel page isLive = false while streaming")
	}
	if got := c.do("POST", "/_dev/channels/alice/stream/start", "", nil).Err(t); got.Status != http.StatusConflict || got.Code != "already_live" {
		t.Errorf("second start = %+v, want 409 already_live", got)
	}
	c.must(http.StatusNoContent, "POST", "/_dev/channels/alice/stream/starvation", "", map[string]bool{"active": true})
	c.must(http.StatusNoContent, "POST", "/_dev/channels/alice/stream/starvation", "", map[string]bool{"active": false})
	c.must(http.StatusNoContent, "POST", "/_dev/channels/alice/stream/limit-breach", "", nil)
	var md struct {
		Payloads []string `json:"payloads"`
	}
	c.must(http.StatusOK, "GET", "/_dev/channels/alice/metadata", "", nil).JSON(t, &md)
	if md.Payloads == nil || len(md.Payloads) != 0 {
		t.Errorf("metadata = %#v, want an empty list", md.Payloads)
	}

	// Stop: the directory is empty again.
	c.must(http.StatusNoContent, "POST", "/_dev/channels/alice/stream/stop", "", nil)
	if diff := cmp.Diff([]string{}, c.directory()); diff != "" {
		t.Errorf("directory after stop mismatch (-want +got):\n%s", diff)
	}
	// The emulator's events went through metrics.Ingest: one ended
	// session, flagged by the breach. (Its health is not checked: the
	// starvation's start and end carry the same second, and the emulator's
	// event times have no finer resolution to order them by.)
	sessions, _, err := app.store.ListStreamSessions(context.Background(), alice.User.ID, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 1 || sessions[0].IsLive() || sessions[0].EndTime.IsZero() || !sessions[0].HasErrorEvent {
		t.Errorf("stream sessions = %+v, want one ended session with an error event", sessions)
	}
	if got := c.do("POST", "/_dev/channels/alice/stream/stop", "", nil).Err(t); got.Status != http.StatusConflict || got.Code != "not_broadcasting" {
		t.Errorf("stop while offline = %+v, want 409 not_broadcasting", got)
	}
	if got := c.do("POST", "/_dev/channels/nobody/stream/start", "", nil).Err(t); got.Status != http.StatusNotFound {
		t.Errorf("start of an unknown user = %+v, want 404", got)
	}

	// Change the password: the other session ends, this one stays.
	c.must(http.StatusNoContent, "PUT", "/v1/me/password", alice.Token,
		map[string]string{"currentPassword": password, "newPassword": "New-Horse-10"})
	c.me(alice.Token)
	if got := c.do("GET", "/v1/me", byEmail.Token, nil).Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("other session after the change = %+v, want 401", got)
	}
	if got := c.login("alice", password).Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("login with the old password = %+v, want 401", got)
	}
	c.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "alice", "password": "New-Horse-10"})

	// Forget it and reset it through the mail in the outbox.
	c.must(http.StatusAccepted, "POST", "/v1/auth/password-reset", "", map[string]string{"email": "nobody@example.com"})
	c.must(http.StatusAccepted, "POST", "/v1/auth/password-reset", "", map[string]string{"email": "alice@example.com"})
	tok := c.resetToken("alice@example.com")
	c.must(http.StatusNoContent, "POST", "/v1/auth/password-reset/confirm", "", map[string]string{"token": tok, "newPassword": "Reset-Horse-11"})
	if got := c.do("POST", "/v1/auth/password-reset/confirm", "", map[string]string{"token": tok, "newPassword": "Again-Horse-12"}).Err(t); got.Status != http.StatusConflict || got.Code != "token_used" {
		t.Errorf("reusing the reset token = %+v, want 409 token_used", got)
	}
	if got := c.do("GET", "/v1/me", alice.Token, nil).Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("session after the reset = %+v, want 401", got)
	}
	var afterReset session
	c.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "alice", "password": "Reset-Horse-11"}).JSON(t, &afterReset)

	// Sign out.
	var again session
	c.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "alice", "password": "Reset-Horse-11"}).JSON(t, &again)
	c.must(http.StatusNoContent, "POST", "/v1/auth/logout", again.Token, nil)
	if got := c.do("GET", "/v1/me", again.Token, nil).Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("session after logout = %+v, want 401", got)
	}

	// Delete the account: its sessions and password are gone.
	c.must(http.StatusNoContent, "DELETE", "/v1/me", afterReset.Token, nil)
	if got := c.login("alice", "Reset-Horse-11").Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("login after delete = %+v, want 401", got)
	}
	if got := c.do("GET", "/v1/me", afterReset.Token, nil).Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("session after delete = %+v, want 401", got)
	}
	if got := c.do("POST", "/_dev/channels/alice/stream/start", "", nil).Err(t); got.Status != http.StatusNotFound {
		t.Errorf("dev start after delete = %+v, want 404", got)
	}
	// The username is free again.
	c.register("alice", "alice@example.com")
}

// TestAuthAndErrorConventions checks statuses, codes and fields of the
// account routes' errors.
func TestAuthAndErrorConventions(t *testing.T) {
	app := startApp(t, testConfig(t.TempDir()))
	c := newClient(t, app.URL())
	bob := c.register("bobby", "bob@example.com")

	tests := []struct {
		name                string
		method, path, token string
		body                any
		want                apiError
	}{
		{"me without a token", "GET", "/v1/me", "", nil,
			apiError{Status: 401, Code: "unauthenticated", Message: "sign-in required: send Authorization: Bearer <token>"}},
		{"me with an unknown token", "GET", "/v1/me", "bogus", nil,
			apiError{Status: 401, Code: "invalid_session", Message: "the session is missing, expired or signed out"}},
		{"logout without a token", "POST", "/v1/auth/logout", "", nil,
			apiError{Status: 401, Code: "unauthenticated", Message: "sign-in required: send Authorization: Bearer <token>"}},
		{"weak password", "POST", "/v1/auth/register", "", map[string]string{"username": "carol", "email": "c@example.com", "password": "short"},
			apiError{Status: 400, Code: "weak_password", Message: "must be 8 to 256 characters", Field: "password"}},
		{"taken username", "POST", "/v1/auth/register", "", map[string]string{"username": "BOBBY", "email": "b2@example.com", "password": password},
			apiError{Status: 409, Code: "username_taken", Field: "username"}},
		{"taken email", "POST", "/v1/auth/register", "", map[string]string{"username": "bobby2", "email": "bob@EXAMPLE.com", "password": password},
			apiError{Status: 409, Code: "email_taken", Field: "email"}},
		{"reserved username", "POST", "/v1/auth/register", "", map[string]string{"username": "admin", "email": "a@example.com", "password": password},
			apiError{Status: 400, Code: "reserved_username", Message: "is reserved", Field: "username"}},
		{"unknown field", "POST", "/v1/auth/login", "", `{"login":"bob","password":"x","admin":true}`,
			apiError{Status: 400, Code: "invalid_argument", Field: "admin"}},
		{"not JSON", "POST", "/v1/auth/login", "", `{"login":`,
			apiError{Status: 400, Code: "invalid_argument"}},
		{"wrong current password", "PUT", "/v1/me/password", bob.Token, map[string]string{"currentPassword": "Nope-Nope-1", "newPassword": "New-Horse-10"},
			apiError{Status: 400, Code: "wrong_password", Message: "is not the current password", Field: "currentPassword"}},
		{"weak new password", "PUT", "/v1/me/password", bob.Token, map[string]string{"currentPassword": password, "newPassword": "weak"},
			apiError{Status: 400, Code: "weak_password", Message: "must be 8 to 256 characters", Field: "newPassword"}},
		{"bad reset token", "POST", "/v1/auth/password-reset/confirm", "", map[string]string{"token": "bogus", "newPassword": "New-Horse-10"},
			apiError{Status: 400, Code: "invalid_token", Message: "is not a valid reset token", Field: "token"}},
		{"reset of a malformed address", "POST", "/v1/auth/password-reset", "", map[string]string{"email": "bob"},
			apiError{Status: 400, Code: "invalid_argument", Message: "must be a valid email address", Field: "email"}},
		{"starvation without active", "POST", "/_dev/channels/bobby/stream/starvation", "", map[string]string{},
			apiError{Status: 400, Code: "invalid_argument", Message: "is required", Field: "active"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.do(tt.method, tt.path, tt.token, tt.body).Err(t)
			if tt.want.Message == "" {
				got.Message = "" // only the code and field are stable
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("wrong content type", func(t *testing.T) {
		req, _ := http.NewRequest("POST", app.URL()+"/v1/auth/login", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "text/plain")
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("status = %d, want 415", resp.StatusCode)
		}
	})

	t.Run("basic auth is refused", func(t *testing.T) {
		req, _ := http.NewRequest("GET", app.URL()+"/v1/me", nil)
		req.SetBasicAuth("bobby", password)
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status = %d, want 401", resp.StatusCode)
		}
	})

	t.Run("unknown login and wrong password look alike", func(t *testing.T) {
		unknown := c.login("nobody", password).Err(t)
		wrong := c.login("bobby", "Wrong-Horse-9").Err(t)
		if diff := cmp.Diff(unknown, wrong); diff != "" {
			t.Errorf("mismatch (-unknown +wrong):\n%s", diff)
		}
		if unknown.Status != http.StatusUnauthorized || unknown.Code != "invalid_credentials" {
			t.Errorf("unknown login = %+v, want 401 invalid_credentials", unknown)
		}
	})
}

// TestLoginThrottling checks the 429 after 10 failures of one login.
func TestLoginThrottling(t *testing.T) {
	app := startApp(t, testConfig(t.TempDir()))
	c := newClient(t, app.URL())
	c.register("dave", "dave@example.com")
	for i := range 10 {
		if got := c.login("dave", "Wrong-Horse-9").Status; got != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i+1, got)
		}
	}
	r := c.login("dave", password)
	if got := r.Err(t); got.Status != http.StatusTooManyRequests || got.Code != "too_many_attempts" {
		t.Fatalf("11th attempt = %+v, want 429 too_many_attempts", got)
	}
	// The window is a minute and the first failure was moments ago, so
	// the wait is the rest of that minute, not the generic 1 s.
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 2 || ra > 60 {
		t.Errorf("Retry-After = %q, want 2..60 seconds", r.Header.Get("Retry-After"))
	}
}

// TestRegisterAWSFailure checks that a failed provisioning is a 503 that
// leaves nothing behind, and that the same request then succeeds.
func TestRegisterAWSFailure(t *testing.T) {
	for _, op := range []string{"CreateChannel", "CreateRoom", "CreateStage"} {
		t.Run(op, func(t *testing.T) {
			app := startApp(t, testConfig(t.TempDir()))
			c := newClient(t, app.URL())
			app.emulator.InjectFault(ivslocal.Fault{Operation: op, Error: "InternalServerException", Message: "injected", Count: 1})
			body := map[string]string{"username": "erin", "email": "erin@example.com", "password": password}
			if got := c.do("POST", "/v1/auth/register", "", body).Err(t); got.Status != http.StatusServiceUnavailable {
				t.Fatalf("register with %s failing = %+v, want 503", op, got)
			}
			if got := c.login("erin", password).Err(t); got.Status != http.StatusUnauthorized {
				t.Errorf("login after the failed registration = %+v, want 401", got)
			}
			if got := awsResources(t, app.emulator); got != (resourceCount{}) {
				t.Errorf("AWS resources after the failed registration = %+v, want none", got)
			}
			var s session
			c.must(http.StatusCreated, "POST", "/v1/auth/register", "", body).JSON(t, &s)
			c.me(s.Token)
			if got, want := awsResources(t, app.emulator), (resourceCount{1, 1, 1}); got != want {
				t.Errorf("AWS resources after the retry = %+v, want %+v", got, want)
			}
		})
	}
}

// resourceCount counts the emulator's channels, rooms and stages.
type resourceCount struct{ Channels, Rooms, Stages int }

func awsResources(t *testing.T, srv *ivslocal.Server) resourceCount {
	t.Helper()
	ctx := context.Background()
	cfg := srv.AWSConfig()
	chs, err := ivs.NewFromConfig(cfg).ListChannels(ctx, &ivs.ListChannelsInput{})
	if err != nil {
		t.Fatal(err)
	}
	rooms, err := ivschat.NewFromConfig(cfg).ListRooms(ctx, &ivschat.ListRoomsInput{})
	if err != nil {
		t.Fatal(err)
	}
	stages, err := ivsrealtime.NewFromConfig(cfg).ListStages(ctx, &ivsrealtime.ListStagesInput{})
	if err != nil {
		t.Fatal(err)
	}
	return resourceCount{len(chs.Channels), len(rooms.Rooms), len(stages.Stages)}
}

// TestRestartKeepsState restarts the app on the same data directory.
func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	first := NewApp(testConfig(dir))
	if err := first.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c1 := newClient(t, first.URL())
	frank := c1.register("frank", "frank@example.com")
	before := c1.me(frank.Token)
	c1.must(http.StatusCreated, "POST", "/_dev/channels/frank/stream/start", "", nil)
	c1.hc.Transport.(*http.Transport).CloseIdleConnections()
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := startApp(t, testConfig(dir))
	c2 := newClient(t, second.URL())
	if diff := cmp.Diff(before, c2.me(frank.Token)); diff != "" {
		t.Errorf("GET /v1/me with the old session mismatch (-before +after):\n%s", diff)
	}
	c2.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "frank", "password": password})
	// No stream survives a restart: the shutdown ended it, session and all.
	if diff := cmp.Diff([]string{}, c2.directory()); diff != "" {
		t.Errorf("directory after restart mismatch (-want +got):\n%s", diff)
	}
	var sessions struct {
		Sessions []struct {
			IsLive  bool       `json:"isLive"`
			EndTime *time.Time `json:"endTime"`
		} `json:"sessions"`
	}
	c2.must(http.StatusOK, "GET", "/v1/me/sessions", frank.Token, nil).JSON(t, &sessions)
	if len(sessions.Sessions) != 1 || sessions.Sessions[0].IsLive || sessions.Sessions[0].EndTime == nil {
		t.Errorf("sessions after restart = %+v, want one ended session", sessions.Sessions)
	}
	// The emulator still knows the stream key.
	c2.must(http.StatusCreated, "POST", "/_dev/channels/frank/stream/start", "", nil)
	if diff := cmp.Diff([]string{"frank:low_latency"}, c2.directory()); diff != "" {
		t.Errorf("directory mismatch (-want +got):\n%s", diff)
	}
}

// TestMemoryStore runs the app on the memory driver.
func TestMemoryStore(t *testing.T) {
	cfg := testConfig(t.TempDir())
	cfg.Store = StoreMemory
	app := startApp(t, cfg)
	c := newClient(t, app.URL())
	s := c.register("grace", "grace@example.com")
	c.me(s.Token)
}

func TestCloseStopsServing(t *testing.T) {
	app := NewApp(testConfig(t.TempDir()))
	if err := app.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	url := app.URL()
	if err := app.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := app.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	if resp, err := (&http.Client{Transport: tr}).Get(url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("GET /healthz after Close succeeded with %d", resp.StatusCode)
	}
}

// TestOrigins checks that -origins reaches the API's CORS policy.
func TestOrigins(t *testing.T) {
	cfg := testConfig(t.TempDir())
	cfg.Origins = []string{"http://localhost:3000"}
	app := startApp(t, cfg)
	c := newClient(t, app.URL())
	tests := []struct {
		origin     string
		wantStatus int
		wantAllow  string
	}{
		{"http://localhost:3000", http.StatusNoContent, "http://localhost:3000"},
		{"https://evil.example", http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodOptions, app.URL()+"/v1/auth/login", nil)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := [2]any{resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin")}
			if diff := cmp.Diff([2]any{tt.wantStatus, tt.wantAllow}, got); diff != "" {
				t.Errorf("preflight (status, allow-origin) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRestartAfterCrash restarts on a data directory whose last run left a
// stream live (its emulator stopped without end events, as in a crash):
// the stream is ended at start, session and all.
func TestRestartAfterCrash(t *testing.T) {
	dir := t.TempDir()
	first := NewApp(testConfig(dir))
	if err := first.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c1 := newClient(t, first.URL())
	mia := c1.register("mia_m", "mia@example.com")
	c1.must(http.StatusCreated, "POST", "/_dev/channels/mia_m/stream/start", "", nil)
	c1.hc.Transport.(*http.Transport).CloseIdleConnections()
	// The crash: the emulator goes away without ending the stream.
	first.emulator.Close()
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := startApp(t, testConfig(dir))
	c2 := newClient(t, second.URL())
	if diff := cmp.Diff([]string{}, c2.directory()); diff != "" {
		t.Errorf("directory after restart mismatch (-want +got):\n%s", diff)
	}
	var sessions struct {
		Sessions []struct {
			IsLive  bool       `json:"isLive"`
			EndTime *time.Time `json:"endTime"`
		} `json:"sessions"`
	}
	c2.must(http.StatusOK, "GET", "/v1/me/sessions", mia.Token, nil).JSON(t, &sessions)
	if len(sessions.Sessions) != 1 || sessions.Sessions[0].IsLive || sessions.Sessions[0].EndTime == nil {
		t.Errorf("sessions after restart = %+v, want one ended session", sessions.Sessions)
	}
}

// TestCloseEndsEventStreams checks that an open server-sent event stream
// does not hold up the shutdown: Close drains without hitting its timeout.
func TestCloseEndsEventStreams(t *testing.T) {
	app := NewApp(testConfig(t.TempDir()))
	if err := app.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, app.URL())
	s := c.register("quinn", "quinn@example.com")
	req, _ := http.NewRequest("GET", app.URL()+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/events = %d", resp.StatusCode)
	}
	first := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != "retry" {
		t.Fatalf("stream starts with %q, %v; want \"retry\"", first, err)
	}
	if err := app.Close(); err != nil {
		t.Errorf("Close with an open event stream: %v", err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Errorf("the stream did not end cleanly: %v", err)
	}
}
