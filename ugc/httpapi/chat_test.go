package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

const chatReviewARN = "arn:aws:lambda:us-east-1:123456789012:function:ugc-chat-review"

// chatEnv is channelsEnv with the chat service mounted too.
type chatEnv struct {
	*channelsEnv
	chat *chat.Service
}

func newChatEnv(t *testing.T) *chatEnv {
	t.Helper()
	e := newChannelsEnv(t, nil)
	svc, err := chat.New(chat.Options{
		Store: e.store, Chat: ivschat.NewFromConfig(e.ivs.AWSConfig()), Endpoint: e.ivs.ChatEndpoint(),
		ReviewHandlerURI: chatReviewARN, AvatarURL: e.svc.AvatarURL, Now: func() time.Time { return e.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	e.h, err = httpapi.New(httpapi.Options{Channels: e.svc, Chat: svc, Auth: bearerAuth, NewRequestID: func() string { return "rid" }})
	if err != nil {
		t.Fatal(err)
	}
	return &chatEnv{channelsEnv: e, chat: svc}
}

// TestChatAuthorization calls every chat route as each kind of caller and
// asserts the exact status of every cell. The table must name every chat
// route, so a new one cannot skip it.
func TestChatAuthorization(t *testing.T) {
	e := newChatEnv(t)
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	banned := e.register("banned1")
	mod := e.register("mod1")
	e.register("target1")
	if err := e.chat.AddModerator(context.Background(), owner.ID, "mod1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.chat.Ban(context.Background(), owner.ID, owner.ID, chat.BanInput{Username: "banned1"}); err != nil {
		t.Fatal(err)
	}
	checkOpenAPI(t, e.h)

	// Callers, in the column order of statuses.
	type statuses struct{ Anonymous, BadToken, SignedIn, Banned, Moderator, Owner int }
	callers := []string{"", "bad", viewer.ID, banned.ID, mod.ID, owner.ID}
	const js = "application/json"
	tests := []struct {
		route string // the route's method and pattern
		path  string
		body  string // JSON, "" for none
		want  statuses
	}{
		{"POST /v1/channels/{username}/chat/token", "/v1/channels/owner1/chat/token", "",
			statuses{200, 401, 200, 403, 200, 200}},
		{"GET /v1/me/chat/bans", "/v1/me/chat/bans", "", statuses{401, 401, 200, 200, 200, 200}},
		{"PUT /v1/me/chat/bans/{username}", "/v1/me/chat/bans/target1", `{"reason":"spam","durationSeconds":60}`,
			statuses{401, 401, 204, 204, 204, 204}},
		{"DELETE /v1/me/chat/bans/{username}", "/v1/me/chat/bans/target1", "", statuses{401, 401, 204, 204, 204, 204}},
		{"PUT /v1/channels/{channel}/chat/bans/{username}", "/v1/channels/owner1/chat/bans/target1", "",
			statuses{401, 401, 403, 403, 204, 204}},
		{"DELETE /v1/channels/{channel}/chat/bans/{username}", "/v1/channels/owner1/chat/bans/target1", "",
			statuses{401, 401, 403, 403, 204, 204}},
		{"GET /v1/me/chat/moderators", "/v1/me/chat/moderators", "", statuses{401, 401, 200, 200, 200, 200}},
		{"PUT /v1/me/chat/moderators/{username}", "/v1/me/chat/moderators/target1", "", statuses{401, 401, 204, 204, 204, 204}},
		{"DELETE /v1/me/chat/moderators/{username}", "/v1/me/chat/moderators/target1", "", statuses{401, 401, 204, 204, 204, 204}},
		{"DELETE /v1/channels/{channel}/chat/messages/{messageId}", "/v1/channels/owner1/chat/messages/AbCdEfGh1234",
			`{"reason":"rude"}`, statuses{401, 401, 403, 403, 204, 204}},
		{"POST /v1/channels/{channel}/chat/kick", "/v1/channels/owner1/chat/kick", `{"username":"target1"}`,
			statuses{401, 401, 403, 403, 204, 204}},
		{"GET /v1/me/chat/settings", "/v1/me/chat/settings", "", statuses{401, 401, 200, 200, 200, 200}},
		{"PUT /v1/me/chat/settings", "/v1/me/chat/settings", `{"maxMessageLength":200}`, statuses{401, 401, 200, 200, 200, 200}},
		{"GET /v1/me/chat/blocked-terms", "/v1/me/chat/blocked-terms", "", statuses{401, 401, 200, 200, 200, 200}},
		{"PUT /v1/me/chat/blocked-terms", "/v1/me/chat/blocked-terms", `{"terms":["bad"]}`, statuses{401, 401, 200, 200, 200, 200}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.route] = true
		method, _, _ := strings.Cut(tt.route, " ")
		t.Run(tt.route, func(t *testing.T) {
			var got [6]int
			var bodies []string
			for i, c := range callers {
				var body []byte
				ct := ""
				if tt.body != "" {
					body, ct = []byte(tt.body), js
				}
				res := e.call(method, tt.path, c, ct, body)
				got[i] = res.Status
				bodies = append(bodies, string(res.Raw))
			}
			gotS := statuses{got[0], got[1], got[2], got[3], got[4], got[5]}
			if diff := cmp.Diff(tt.want, gotS); diff != "" {
				t.Errorf("statuses mismatch (-want +got):\n%s\nbodies: %q", diff, bodies)
			}
		})
	}
	for _, rt := range httpapi.Routes(e.h) {
		key := fmt.Sprintf("%s %s", rt.Method, rt.Pattern)
		if strings.Contains(rt.Pattern, "/chat") && !covered[key] {
			t.Errorf("chat route %s is not in the authorization table", key)
		}
	}
}

// TestChatRoutes walks the chat API as a client would: a token that
// connects, a ban that disconnects and shows in the list, errors by case.
func TestChatRoutes(t *testing.T) {
	e := newChatEnv(t)
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	e.register("mod1")

	res := e.call("POST", "/v1/channels/owner1/chat/token", viewer.ID, "", nil)
	if res.Status != 200 {
		t.Fatalf("token: status %d: %s", res.Status, res.Raw)
	}
	if got, want := res.JSON["capabilities"], []any{"SEND_MESSAGE"}; cmp.Diff(want, got) != "" {
		t.Errorf("capabilities = %v, want %v", got, want)
	}
	if got := res.JSON["endpoint"]; got != e.ivs.ChatEndpoint() {
		t.Errorf("endpoint = %v, want %s", got, e.ivs.ChatEndpoint())
	}
	anon := e.call("POST", "/v1/channels/owner1/chat/token", "", "", nil)
	if got := anon.JSON["capabilities"]; cmp.Diff([]any{}, got) != "" {
		t.Errorf("anonymous capabilities = %v, want []", got)
	}

	// The token connects to the chat.
	dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, res.JSON["endpoint"].(string), &websocket.DialOptions{Subprotocols: []string{res.JSON["token"].(string)}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.CloseNow()

	// The owner bans the viewer for 60 s: the connection is closed.
	if res := e.call("PUT", "/v1/me/chat/bans/viewer1", owner.ID, "application/json", []byte(`{"reason":"spam","durationSeconds":60}`)); res.Status != 204 {
		t.Fatalf("ban: status %d: %s", res.Status, res.Raw)
	}
	for {
		_, b, err := conn.Read(dctx)
		if err != nil {
			if s := websocket.CloseStatus(err); s != websocket.StatusNormalClosure {
				t.Errorf("connection ended with %v, want a normal closure", err)
			}
			break
		}
		var f struct{ Type, EventName string }
		_ = json.Unmarshal(b, &f)
		if f.Type == "EVENT" && f.EventName != "aws:DISCONNECT_USER" {
			t.Errorf("unexpected event %s", b)
		}
	}
	res = e.call("POST", "/v1/channels/owner1/chat/token", viewer.ID, "", nil)
	if res.Status != 403 || cmp.Diff(errorOf("banned", ""), errorCode(res)) != "" {
		t.Errorf("token while banned: %d %s, want 403 banned", res.Status, res.Raw)
	}
	list := e.call("GET", "/v1/me/chat/bans", owner.ID, "", nil)
	want := map[string]any{
		"bans": []any{map[string]any{
			"username": "viewer1", "reason": "spam", "bannedBy": "owner1",
			"createdAt": e.now.Format(time.RFC3339), "expiresAt": e.now.Add(time.Minute).Format(time.RFC3339),
		}},
		"nextCursor": nil,
	}
	if diff := cmp.Diff(want, list.JSON); diff != "" {
		t.Errorf("ban list mismatch (-want +got):\n%s", diff)
	}
	page := e.call("GET", "/v1/channels/owner1", viewer.ID, "", nil)
	if page.JSON["playbackUrl"] != nil || page.JSON["isViewerBanned"] != true {
		t.Errorf("channel page of a banned viewer: playbackUrl %v, isViewerBanned %v", page.JSON["playbackUrl"], page.JSON["isViewerBanned"])
	}

	// Moderators.
	if res := e.call("PUT", "/v1/me/chat/moderators/mod1", owner.ID, "", nil); res.Status != 204 {
		t.Fatalf("add moderator: %d %s", res.Status, res.Raw)
	}
	mods := e.call("GET", "/v1/me/chat/moderators", owner.ID, "", nil)
	wantMods := map[string]any{"moderators": []any{map[string]any{"username": "mod1", "createdAt": e.now.Format(time.RFC3339)}}, "nextCursor": nil}
	if diff := cmp.Diff(wantMods, mods.JSON); diff != "" {
		t.Errorf("moderators mismatch (-want +got):\n%s", diff)
	}
	mod, err := e.svc.GetByUsername(context.Background(), "mod1")
	if err != nil {
		t.Fatal(err)
	}
	if res := e.call("PUT", "/v1/channels/owner1/chat/bans/owner1", mod.ID, "", nil); res.Status != 403 ||
		cmp.Diff(errorOf("target_is_owner", ""), errorCode(res)) != "" {
		t.Errorf("moderator bans the owner: %d %s, want 403 target_is_owner", res.Status, res.Raw)
	}
	if res := e.call("DELETE", "/v1/channels/owner1/chat/bans/viewer1", mod.ID, "", nil); res.Status != 204 {
		t.Errorf("moderator unbans: %d %s", res.Status, res.Raw)
	}

	// Settings and terms.
	st := e.call("PUT", "/v1/me/chat/settings", owner.ID, "application/json", []byte(`{"slowModeMessagesPerSecond":3}`))
	if diff := cmp.Diff(map[string]any{"maxMessageLength": 500.0, "slowModeMessagesPerSecond": 3.0}, st.JSON); diff != "" {
		t.Errorf("settings mismatch (-want +got):\n%s", diff)
	}
	terms := e.call("PUT", "/v1/me/chat/blocked-terms", owner.ID, "application/json", []byte(`{"terms":[" Bad ","bad","buy  now"]}`))
	if diff := cmp.Diff(map[string]any{"terms": []any{"Bad", "buy now"}}, terms.JSON); diff != "" {
		t.Errorf("terms mismatch (-want +got):\n%s", diff)
	}

	errs := []struct {
		name, method, path, user, body string
		status                         int
		want                           map[string]any
	}{
		{"unknown channel token", "POST", "/v1/channels/nobody/chat/token", "", "", 404, errorOf("user_not_found", "username")},
		{"unknown channel ban", "PUT", "/v1/channels/nobody/chat/bans/viewer1", owner.ID, "", 404, errorOf("user_not_found", "channel")},
		{"unknown user ban", "PUT", "/v1/me/chat/bans/nobody", owner.ID, "", 404, errorOf("user_not_found", "username")},
		{"ban yourself", "PUT", "/v1/me/chat/bans/owner1", owner.ID, "", 400, errorOf("self_moderation", "username")},
		{"duration zero", "PUT", "/v1/me/chat/bans/viewer1", owner.ID, `{"durationSeconds":0}`, 400, errorOf("invalid_argument", "durationSeconds")},
		{"duration over 14 days", "PUT", "/v1/me/chat/bans/viewer1", owner.ID, `{"durationSeconds":1209601}`, 400, errorOf("invalid_argument", "durationSeconds")},
		{"unknown field", "PUT", "/v1/me/chat/bans/viewer1", owner.ID, `{"minutes":3}`, 400, errorOf("invalid_argument", "minutes")},
		{"bad message id", "DELETE", "/v1/channels/owner1/chat/messages/nope", owner.ID, "", 400, errorOf("invalid_argument", "messageId")},
		{"kick without username", "POST", "/v1/channels/owner1/chat/kick", owner.ID, `{}`, 400, errorOf("invalid_argument", "username")},
		{"settings out of range", "PUT", "/v1/me/chat/settings", owner.ID, `{"maxMessageLength":501}`, 400, errorOf("invalid_argument", "maxMessageLength")},
		{"terms missing", "PUT", "/v1/me/chat/blocked-terms", owner.ID, `{}`, 400, errorOf("invalid_argument", "terms")},
		{"term too long", "PUT", "/v1/me/chat/blocked-terms", owner.ID, `{"terms":["` + strings.Repeat("a", 51) + `"]}`, 400, errorOf("invalid_argument", "terms")},
		{"bad cursor", "GET", "/v1/me/chat/bans?cursor=" + url.QueryEscape("nope"), owner.ID, "", 400, errorOf("invalid_cursor", "cursor")},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			ct := ""
			if tt.body != "" {
				body, ct = []byte(tt.body), "application/json"
			}
			res := e.call(tt.method, tt.path, tt.user, ct, body)
			if res.Status != tt.status || cmp.Diff(tt.want, errorCode(res)) != "" {
				t.Errorf("status %d %s, want %d %v", res.Status, res.Raw, tt.status, tt.want)
			}
		})
	}
}
