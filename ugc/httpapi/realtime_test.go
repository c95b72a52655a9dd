package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
)

var testInviteKey = []byte("httpapi-test-invite-key-32-bytes!")

// newRealtimeEnv is the channels env with the realtime routes mounted and
// the emulator's stage events flowing through metrics ingestion into the
// realtime service.
func newRealtimeEnv(t *testing.T) (*channelsEnv, *realtime.Service) {
	t.Helper()
	e := newChannelsEnv(t, nil)
	svc := e.newRealtime(t)
	var err error
	e.h, err = httpapi.New(httpapi.Options{Channels: e.svc, Realtime: svc, Auth: bearerAuth, NewRequestID: func() string { return "rid" }})
	if err != nil {
		t.Fatal(err)
	}
	cfg := e.ivs.AWSConfig()
	msvc, err := metrics.New(metrics.Options{Store: e.store, IVS: ivs.NewFromConfig(cfg), CloudWatch: cloudwatch.NewFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	msvc.SetStageHandler(svc)
	cancel := e.ivs.Subscribe(func(ev ivslocal.Event) {
		b, _ := json.Marshal(ev)
		if _, err := msvc.Ingest(context.Background(), b); err != nil {
			t.Errorf("ingesting %s: %v", ev.DetailType, err)
		}
	})
	t.Cleanup(cancel)
	return e, svc
}

// newRealtime returns a realtime service (a replica) on the env's store and emulator.
func (e *channelsEnv) newRealtime(t *testing.T) *realtime.Service {
	t.Helper()
	svc, err := realtime.New(realtime.Options{
		Store: e.store, Stages: ivsrealtime.NewFromConfig(e.ivs.AWSConfig()), InviteKey: testInviteKey,
		ProjectTag: "httpapi-test", AvatarURL: e.svc.AvatarURL, PollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func jsonBody(s string) (string, []byte) {
	if s == "" {
		return "", nil
	}
	return "application/json", []byte(s)
}

// TestRealtimeAuthorization calls every realtime route anonymously, with a
// bad token and as a signed-in caller (the one the row names), and asserts
// the exact statuses. The table must name every realtime route.
func TestRealtimeAuthorization(t *testing.T) {
	e, svc := newRealtimeEnv(t)
	host := e.register("host1")
	guest, viewer, stranger, banned := e.register("guest1"), e.register("viewer1"), e.register("stranger"), e.register("banned1")
	ctx := context.Background()
	if r := e.call("POST", "/v1/me/stage/session", host.ID, "", nil); r.Status != 200 {
		t.Fatalf("start: %d %s", r.Status, r.Raw)
	}
	if err := e.store.PutBan(ctx, ugc.Ban{ChannelUserID: host.ID, UserID: banned.ID, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	rq, err := svc.RequestJoin(ctx, guest.ID, "host1")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AcceptRequest(ctx, host.ID, rq.ID); err != nil {
		t.Fatal(err)
	}
	toAccept, _ := svc.RequestJoin(ctx, viewer.ID, "host1")
	inv, err := svc.CreateInvite(ctx, host.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := svc.CreateInvite(ctx, host.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := svc.SpectatorToken(ctx, "", "host1")
	if err != nil {
		t.Fatal(err)
	}
	pid, err := e.ivs.JoinStage(ugc.ChannelID(host.Channel.StageArn), spec.Token.Reveal())
	if err != nil {
		t.Fatal(err)
	}

	type statuses struct{ Anonymous, BadToken, SignedIn int }
	tests := []struct {
		route string
		path  string
		as    string // the signed-in caller
		body  string
		want  statuses
	}{
		{"POST /v1/me/stage/session", "/v1/me/stage/session", host.ID, "", statuses{401, 401, 200}},
		{"GET /v1/me/stage/participants", "/v1/me/stage/participants", host.ID, "", statuses{401, 401, 200}},
		{"GET /v1/me/stage/requests", "/v1/me/stage/requests", host.ID, "", statuses{401, 401, 200}},
		{"POST /v1/me/stage/invites", "/v1/me/stage/invites", host.ID, `{"expiresInSeconds":600}`, statuses{401, 401, 201}},
		{"POST /v1/me/stage/invites", "/v1/me/stage/invites", host.ID, `{"expiresInSeconds":5}`, statuses{401, 401, 400}},
		{"DELETE /v1/me/stage/invites/{id}", "/v1/me/stage/invites/" + revoked.ID, stranger.ID, "", statuses{401, 401, 404}},
		{"DELETE /v1/me/stage/invites/{id}", "/v1/me/stage/invites/nosuchinvite", host.ID, "", statuses{401, 401, 404}},
		{"DELETE /v1/me/stage/invites/{id}", "/v1/me/stage/invites/" + revoked.ID, host.ID, "", statuses{401, 401, 204}},
		{"DELETE /v1/me/stage/invites/{id}", "/v1/me/stage/invites/" + revoked.ID, host.ID, "", statuses{401, 401, 204}},
		{"POST /v1/channels/{username}/stage/requests", "/v1/channels/host1/stage/requests", stranger.ID, "", statuses{401, 401, 201}},
		{"POST /v1/channels/{username}/stage/requests", "/v1/channels/host1/stage/requests", host.ID, "", statuses{401, 401, 400}},
		{"POST /v1/channels/{username}/stage/requests", "/v1/channels/host1/stage/requests", banned.ID, "", statuses{401, 401, 403}},
		{"POST /v1/channels/{username}/stage/requests", "/v1/channels/nobody1/stage/requests", stranger.ID, "", statuses{401, 401, 404}},
		{"DELETE /v1/channels/{username}/stage/requests/mine", "/v1/channels/host1/stage/requests/mine", stranger.ID, "", statuses{401, 401, 204}},
		{"DELETE /v1/channels/{username}/stage/requests/mine", "/v1/channels/host1/stage/requests/mine", banned.ID, "", statuses{401, 401, 404}},
		{"POST /v1/me/stage/requests/{id}/accept", "/v1/me/stage/requests/" + toAccept.ID + "/accept", stranger.ID, "", statuses{401, 401, 404}},
		{"POST /v1/me/stage/requests/{id}/reject", "/v1/me/stage/requests/" + toAccept.ID + "/reject", guest.ID, "", statuses{401, 401, 404}},
		{"POST /v1/me/stage/requests/{id}/accept", "/v1/me/stage/requests/" + toAccept.ID + "/accept", host.ID, "", statuses{401, 401, 204}},
		{"POST /v1/me/stage/requests/{id}/reject", "/v1/me/stage/requests/" + toAccept.ID + "/reject", host.ID, "", statuses{401, 401, 409}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/host1/stage/participant-token", stranger.ID, "", statuses{401, 401, 403}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/host1/stage/participant-token", banned.ID, `{"invite":"` + inv.Code + `"}`, statuses{401, 401, 403}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/host1/stage/participant-token", stranger.ID, `{"invite":"i1.forged.sig"}`, statuses{401, 401, 403}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/host1/stage/participant-token", stranger.ID, `{"invite":"` + revoked.Code + `"}`, statuses{401, 401, 403}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/host1/stage/participant-token", guest.ID, "", statuses{401, 401, 200}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/host1/stage/participant-token", stranger.ID, `{"invite":"` + inv.Code + `"}`, statuses{401, 401, 200}},
		{"POST /v1/channels/{username}/stage/participant-token", "/v1/channels/viewer1/stage/participant-token", stranger.ID, "", statuses{401, 401, 409}},
		{"POST /v1/channels/{username}/stage/spectator-token", "/v1/channels/host1/stage/spectator-token", viewer.ID, "", statuses{200, 401, 200}},
		{"POST /v1/channels/{username}/stage/spectator-token", "/v1/channels/host1/stage/spectator-token", banned.ID, "", statuses{200, 401, 403}},
		{"POST /v1/channels/{username}/stage/spectator-token", "/v1/channels/viewer1/stage/spectator-token", viewer.ID, "", statuses{409, 401, 409}},
		{"GET /v1/events", "/v1/events", viewer.ID, "", statuses{401, 401, 200}},
		{"DELETE /v1/me/stage/participants/{participantId}", "/v1/me/stage/participants/" + pid, stranger.ID, "", statuses{401, 401, 409}},
		{"DELETE /v1/me/stage/participants/{participantId}", "/v1/me/stage/participants/" + pid, host.ID, "", statuses{401, 401, 204}},
		{"DELETE /v1/me/stage/participants/{participantId}", "/v1/me/stage/participants/nosuchpart", host.ID, "", statuses{401, 401, 404}},
		{"DELETE /v1/me/stage/session", "/v1/me/stage/session", stranger.ID, "", statuses{401, 401, 204}},
		{"DELETE /v1/me/stage/session", "/v1/me/stage/session", host.ID, "", statuses{401, 401, 204}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.route] = true
		method, _, _ := strings.Cut(tt.route, " ")
		t.Run(tt.route, func(t *testing.T) {
			ct, body := jsonBody(tt.body)
			var got statuses
			got.Anonymous = e.callStream(method, tt.path, "", ct, body).Status
			got.BadToken = e.callStream(method, tt.path, "bad", ct, body).Status
			res := e.callStream(method, tt.path, tt.as, ct, body)
			got.SignedIn = res.Status
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s statuses mismatch (-want +got):\n%s\nsigned-in body: %s", tt.path, diff, res.Raw)
			}
		})
	}
	for _, rt := range httpapi.Routes(e.h) {
		key := fmt.Sprintf("%s %s", rt.Method, rt.Pattern)
		if strings.Contains(rt.Pattern, "/stage") || rt.Pattern == "/v1/events" {
			if !covered[key] {
				t.Errorf("route %s is not in the authorization table", key)
			}
		}
	}
}

// callStream is call, except that GET /v1/events is served with an
// already canceled context, so the stream writes its preamble and ends.
func (e *channelsEnv) callStream(method, path, user, contentType string, body []byte) response {
	e.t.Helper()
	if path != "/v1/events" {
		return e.call(method, path, user, contentType, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, method, path, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	ct := rec.Header().Get("Content-Type")
	if err := httpapi.CheckResponse(e.h, req, rec.Code, ct, rec.Body.Bytes()); err != nil {
		e.t.Errorf("GET /v1/events: response does not match the OpenAPI document: %v", err)
	}
	return response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
}

// The whole flow over HTTP: start, request, accept, join, list, kick, end.
func TestStageFlow(t *testing.T) {
	e, _ := newRealtimeEnv(t)
	host := e.register("host1")
	guest := e.register("guest1")
	start := e.call("POST", "/v1/me/stage/session", host.ID, "", nil)
	if start.Status != 200 || start.JSON["role"] != "host" || start.JSON["stageArn"] != host.Channel.StageArn ||
		start.JSON["token"] == "" || start.JSON["screenShareToken"] == "" || start.JSON["participantId"] == "" {
		t.Fatalf("start: %d %s", start.Status, start.Raw)
	}
	stageID := ugc.ChannelID(host.Channel.StageArn)
	if _, err := e.ivs.JoinStage(stageID, start.JSON["token"].(string)); err != nil {
		t.Fatal(err)
	}
	page := e.call("GET", "/v1/channels/host1", "", "", nil)
	if page.JSON["liveKind"] != "real_time" {
		t.Errorf("channel page while the stage is live: %s", page.Raw)
	}
	req := e.call("POST", "/v1/channels/host1/stage/requests", guest.ID, "", nil)
	if req.Status != 201 || req.JSON["status"] != "pending" {
		t.Fatalf("request: %d %s", req.Status, req.Raw)
	}
	id := req.JSON["id"].(string)
	list := e.call("GET", "/v1/me/stage/requests", host.ID, "", nil)
	want := []any{map[string]any{"id": id, "username": "guest1", "color": guest.Color, "avatarUrl": nil,
		"createdAt": list.JSON["requests"].([]any)[0].(map[string]any)["createdAt"], "status": "pending"}}
	if diff := cmp.Diff(want, list.JSON["requests"]); diff != "" {
		t.Errorf("requests mismatch (-want +got):\n%s", diff)
	}
	if r := e.call("POST", "/v1/me/stage/requests/"+id+"/accept", host.ID, "", nil); r.Status != 204 {
		t.Fatalf("accept: %d %s", r.Status, r.Raw)
	}
	tok := e.call("POST", "/v1/channels/host1/stage/participant-token", guest.ID, "", nil)
	if tok.Status != 200 {
		t.Fatalf("token: %d %s", tok.Status, tok.Raw)
	}
	gpid, err := e.ivs.JoinStage(stageID, tok.JSON["token"].(string))
	if err != nil || gpid != tok.JSON["participantId"] {
		t.Fatalf("guest join: %s, %v", gpid, err)
	}
	if err := e.ivs.PublishParticipant(stageID, gpid); err != nil {
		t.Fatal(err)
	}
	ps := e.call("GET", "/v1/me/stage/participants", host.ID, "", nil)
	var got []string
	for _, p := range ps.JSON["participants"].([]any) {
		m := p.(map[string]any)
		got = append(got, fmt.Sprintf("%v/%v/%v/%v", m["username"], m["role"], m["state"], m["published"]))
	}
	if diff := cmp.Diff([]string{"host1/host/CONNECTED/false", "guest1/guest/CONNECTED/true"}, got); diff != "" {
		t.Errorf("participants mismatch (-want +got):\n%s", diff)
	}
	if r := e.call("DELETE", "/v1/me/stage/participants/"+gpid, host.ID, "", nil); r.Status != 204 {
		t.Fatalf("kick: %d %s", r.Status, r.Raw)
	}
	if r := e.call("POST", "/v1/channels/host1/stage/requests", guest.ID, "", nil); r.Status != 403 || errorCode(r)["code"] != "kicked" {
		t.Errorf("request after a kick: %d %s", r.Status, r.Raw)
	}
	inv := e.call("POST", "/v1/me/stage/invites", host.ID, "", nil)
	if inv.Status != 201 {
		t.Fatalf("invite: %d %s", inv.Status, inv.Raw)
	}
	body := []byte(`{"invite":"` + inv.JSON["code"].(string) + `"}`)
	if r := e.call("POST", "/v1/channels/host1/stage/participant-token", guest.ID, "application/json", body); r.Status != 403 || errorCode(r)["code"] != "kicked" {
		t.Errorf("kicked guest with an invite: %d %s", r.Status, r.Raw)
	}
	if r := e.call("DELETE", "/v1/me/stage/session", host.ID, "", nil); r.Status != 204 {
		t.Fatalf("end: %d %s", r.Status, r.Raw)
	}
	if r := e.call("POST", "/v1/channels/host1/stage/spectator-token", "", "", nil); r.Status != 409 || errorCode(r)["code"] != "stage_offline" {
		t.Errorf("spectator after the end: %d %s", r.Status, r.Raw)
	}
	if page := e.call("GET", "/v1/channels/host1", "", "", nil); page.JSON["isLive"] != false {
		t.Errorf("channel page after the end: %s", page.Raw)
	}
}

// sseEvent is one parsed server-sent event.
type sseEvent struct{ ID, Event, Data string }

// sseReader reads events from a text/event-stream body, skipping comments.
type sseReader struct{ sc *bufio.Scanner }

func (r *sseReader) next() (sseEvent, error) {
	var ev sseEvent
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case line == "":
			if ev.Event != "" {
				return ev, nil
			}
		case strings.HasPrefix(line, "id: "):
			ev.ID = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.Event = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.Data = line[6:]
		}
	}
	return ev, fmt.Errorf("stream ended: %v", r.sc.Err())
}

// openEvents opens GET /v1/events on a real server.
func openEvents(t *testing.T, ctx context.Context, url, user, lastID string) (*http.Response, *sseReader) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+user)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	return res, &sseReader{sc: bufio.NewScanner(res.Body)}
}

// The event stream over a real listener whose WriteTimeout is shorter than
// the stream's life, across two replicas, with Last-Event-ID resume.
func TestEventStream(t *testing.T) {
	e, a := newRealtimeEnv(t)
	b := e.newRealtime(t)
	hb, err := httpapi.New(httpapi.Options{Channels: e.svc, Realtime: b, Auth: bearerAuth})
	if err != nil {
		t.Fatal(err)
	}
	srvA := httptest.NewUnstartedServer(e.h)
	srvA.Config.WriteTimeout = 100 * time.Millisecond
	srvA.Start()
	defer srvA.Close()
	srvB := httptest.NewServer(hb)
	defer srvB.Close()

	host, guest := e.register("host1"), e.register("guest1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := a.StartSession(ctx, host.ID); err != nil {
		t.Fatal(err)
	}
	res, host1 := openEvents(t, ctx, srvA.URL, host.ID, "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET /v1/events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	_, guest1 := openEvents(t, ctx, srvA.URL, guest.ID, "")
	// Outlive the server's write timeout before the first event.
	time.Sleep(300 * time.Millisecond)

	// The request is filed on replica b; the host's stream on a sees it.
	rq, err := b.RequestJoin(ctx, guest.ID, "host1")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := host1.next()
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	_ = json.Unmarshal([]byte(ev.Data), &info)
	if ev.Event != realtime.EventRequestCreated || ev.ID != "1" || info["id"] != rq.ID || info["username"] != "guest1" {
		t.Errorf("host event = %+v", ev)
	}
	if err := b.AcceptRequest(ctx, host.ID, rq.ID); err != nil {
		t.Fatal(err)
	}
	ev, err = guest1.next()
	if err != nil || ev.Event != realtime.EventRequestAccepted {
		t.Fatalf("guest event = %+v, %v", ev, err)
	}
	// Revoke on a, then reconnect the host on b with Last-Event-ID 1:
	// only the revoke is replayed.
	if err := a.RevokeRequest(ctx, guest.ID, "host1"); err != nil {
		t.Fatal(err)
	}
	_, host2 := openEvents(t, ctx, srvB.URL, host.ID, "1")
	ev, err = host2.next()
	if err != nil || ev.Event != realtime.EventRequestRevoked || ev.ID != "2" {
		t.Errorf("resumed host event = %+v, %v", ev, err)
	}
}

// A bad Last-Event-ID is a 400 naming the header.
func TestEventStreamBadLastEventID(t *testing.T) {
	e, _ := newRealtimeEnv(t)
	u := e.register("viewer1")
	req := httptest.NewRequest("GET", "/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+u.ID)
	req.Header.Set("Last-Event-ID", "x")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	got := response{Status: rec.Code, JSON: body}
	if got.Status != 400 || !cmp.Equal(errorOf("invalid_argument", "Last-Event-ID"), errorCode(got)) {
		t.Errorf("bad Last-Event-ID: %d %s", rec.Code, bytes.TrimSpace(rec.Body.Bytes()))
	}
}
