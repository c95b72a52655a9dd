package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// newActionsEnv is the channels env with the actions routes mounted too.
func newActionsEnv(t *testing.T) (*channelsEnv, *actions.Service) {
	t.Helper()
	e := newChannelsEnv(t, nil)
	cfg := e.ivs.AWSConfig()
	asvc, err := actions.New(actions.Options{Store: e.store, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = asvc.Close() })
	e.h, err = httpapi.New(httpapi.Options{Channels: e.svc, Actions: asvc, Auth: bearerAuth, NewRequestID: func() string { return "rid" }})
	if err != nil {
		t.Fatal(err)
	}
	return e, asvc
}

// goLive starts a simulated broadcast and records it in the live index.
func (e *channelsEnv) goLive(u *ugc.User) {
	e.t.Helper()
	_, streamID, err := e.ivs.StartStream(u.Channel.StreamKey.Reveal())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.SetLive(context.Background(), ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: time.Now(), Ref: streamID}); err != nil {
		e.t.Fatal(err)
	}
}

// step is one request of a scripted scenario and what it must answer.
type step struct {
	name         string
	method, path string
	pathFn       func() string // when set, the path, computed when the step runs
	user         string        // "" anonymous, "bad" a bad token
	body         string
	wantStatus   int
	wantErr      map[string]any // code and field of an error response
	check        func(t *testing.T, r response)
}

func runSteps(t *testing.T, e *channelsEnv, steps []step) {
	t.Helper()
	for _, s := range steps {
		ct := ""
		var body []byte
		if s.body != "" {
			ct, body = "application/json", []byte(s.body)
		}
		if s.pathFn != nil {
			s.path = s.pathFn()
		}
		r := e.call(s.method, s.path, s.user, ct, body)
		if r.Status != s.wantStatus {
			t.Errorf("%s: %s %s: status %d %s, want %d", s.name, s.method, s.path, r.Status, r.Raw, s.wantStatus)
			continue
		}
		if s.wantErr != nil {
			if diff := cmp.Diff(s.wantErr, errorCode(r)); diff != "" {
				t.Errorf("%s: error mismatch (-want +got):\n%s", s.name, diff)
			}
		}
		if s.check != nil {
			s.check(t, r)
		}
	}
}

// Every signed-in route refuses anonymous callers and bad tokens; viewer
// routes refuse bad tokens.
func TestActionsAuthMatrix(t *testing.T) {
	e, _ := newActionsEnv(t)
	e.register("streamer")
	routes := []struct{ method, path, body string }{
		{"POST", "/v1/me/actions", `{"type":"celebration"}`},
		{"DELETE", "/v1/me/actions/active", ""},
		{"GET", "/v1/me/action-presets", ""},
		{"PUT", "/v1/me/action-presets/notice", `{"title":"t","message":"m"}`},
		{"GET", "/v1/me/action-rules", ""},
		{"POST", "/v1/me/action-rules", `{"eventName":"Stream Start","presetType":"notice"}`},
		{"DELETE", "/v1/me/action-rules/r1", ""},
		{"POST", "/v1/me/polls", `{"question":"q","options":["a","b"],"durationSeconds":10}`},
		{"DELETE", "/v1/me/polls/active", ""},
		{"POST", "/v1/channels/streamer/polls/p1/votes", `{"option":0}`},
	}
	var steps []step
	for _, rt := range routes {
		steps = append(steps,
			step{name: "anonymous", method: rt.method, path: rt.path, body: rt.body, wantStatus: 401, wantErr: errorOf("unauthenticated", "")},
			step{name: "bad token", method: rt.method, path: rt.path, user: "bad", body: rt.body, wantStatus: 401, wantErr: errorOf("unauthenticated", "")})
	}
	for _, p := range []string{"/v1/channels/streamer/polls/active", "/v1/channels/streamer/polls/p1"} {
		steps = append(steps, step{name: "bad token on a viewer route", method: "GET", path: p, user: "bad", wantStatus: 401})
	}
	steps = append(steps, step{name: "public route ignores tokens", method: "GET", path: "/v1/channels/streamer/actions/active", user: "bad",
		wantStatus: 404, wantErr: errorOf("not_found", "")})
	runSteps(t, e, steps)
}

func TestActionsRoutes(t *testing.T) {
	e, _ := newActionsEnv(t)
	s := e.register("streamer")
	v := e.register("viewer1")
	onStage := e.register("onstage")
	ctx := context.Background()
	if err := e.store.SetLive(ctx, ugc.LiveEntry{UserID: onStage.ID, Kind: ugc.LiveRealTime, Since: time.Now(), Ref: "ss-1"}); err != nil {
		t.Fatal(err)
	}
	quiz := `{"type":"quiz","data":{"question":"Which house?","answers":["Slytherin","Gryffindor","Hufflepuff"],"correctAnswerIndex":1,"duration":10}}`
	big := `{"type":"quiz","data":{"question":"` + strings.Repeat("é", 256) + `","answers":["` + strings.Repeat("a", 128) + `","` +
		strings.Repeat("b", 128) + `","` + strings.Repeat("c", 128) + `","` + strings.Repeat("d", 128) + `"],"correctAnswerIndex":0}}`
	var actionID, ruleID string
	runSteps(t, e, []step{
		{name: "offline", method: "POST", path: "/v1/me/actions", user: s.ID, body: quiz, wantStatus: 409, wantErr: errorOf("channel_offline", "")},
		{name: "stage live", method: "POST", path: "/v1/me/actions", user: onStage.ID, body: quiz, wantStatus: 409, wantErr: errorOf("stage_live", "")},
		{name: "no active action", method: "GET", path: "/v1/channels/streamer/actions/active", wantStatus: 404},
	})
	e.goLive(s)
	runSteps(t, e, []step{
		{name: "start quiz", method: "POST", path: "/v1/me/actions", user: s.ID, body: quiz, wantStatus: 201, check: func(t *testing.T, r response) {
			actionID, _ = r.JSON["id"].(string)
			if r.JSON["type"] != "quiz" || r.JSON["expiresAt"] == nil || r.JSON["data"].(map[string]any)["duration"] != float64(10) {
				t.Errorf("start quiz: %s", r.Raw)
			}
		}},
		{name: "active for viewers", method: "GET", path: "/v1/channels/STREAMER/actions/active", wantStatus: 200, check: func(t *testing.T, r response) {
			if r.JSON["id"] != actionID {
				t.Errorf("active %s, want %s", r.Raw, actionID)
			}
		}},
		{name: "invalid field", method: "POST", path: "/v1/me/actions", user: s.ID, body: `{"type":"notice","data":{"title":"` + strings.Repeat("x", 25) + `","message":"m"}}`,
			wantStatus: 400, wantErr: errorOf("invalid_argument", "data.title")},
		{name: "unknown type", method: "POST", path: "/v1/me/actions", user: s.ID, body: `{"type":"poll","data":{}}`,
			wantStatus: 400, wantErr: errorOf("invalid_argument", "type")},
		{name: "amazon disabled", method: "POST", path: "/v1/me/actions", user: s.ID, body: `{"type":"amazon_product","data":{}}`,
			wantStatus: 400, wantErr: errorOf("action_disabled", "type")},
		{name: "over 1 KB", method: "POST", path: "/v1/me/actions", user: s.ID, body: big, wantStatus: 413, wantErr: errorOf("metadata_too_large", "data")},
		{name: "product stays", method: "POST", path: "/v1/me/actions", user: s.ID,
			body: `{"type":"product","data":{"title":"Mug","price":"$10","imageUrl":"https://example.com/m.png","description":""}}`, wantStatus: 201,
			check: func(t *testing.T, r response) {
				if r.JSON["expiresAt"] != nil {
					t.Errorf("product expiresAt %v, want null", r.JSON["expiresAt"])
				}
			}},
		{name: "stop", method: "DELETE", path: "/v1/me/actions/active", user: s.ID, wantStatus: 204},
		{name: "stop again", method: "DELETE", path: "/v1/me/actions/active", user: s.ID, wantStatus: 204},
		{name: "stopped", method: "GET", path: "/v1/channels/streamer/actions/active", wantStatus: 404, wantErr: errorOf("not_found", "")},
		{name: "unknown channel", method: "GET", path: "/v1/channels/nobody1/actions/active", wantStatus: 404},

		{name: "no presets", method: "GET", path: "/v1/me/action-presets", user: s.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			if diff := cmp.Diff(map[string]any{"presets": map[string]any{}}, r.JSON); diff != "" {
				t.Errorf("presets mismatch (-want +got):\n%s", diff)
			}
		}},
		{name: "save notice", method: "PUT", path: "/v1/me/action-presets/notice", user: s.ID, body: `{"title":"Hi","message":"Welcome"}`, wantStatus: 200,
			check: func(t *testing.T, r response) {
				if r.JSON["type"] != "notice" || r.JSON["data"].(map[string]any)["duration"] != float64(15) {
					t.Errorf("saved preset %s", r.Raw)
				}
			}},
		{name: "save poll", method: "PUT", path: "/v1/me/action-presets/poll", user: s.ID, body: `{"question":"Q","options":["a","b"],"durationSeconds":30}`, wantStatus: 200},
		{name: "bad preset", method: "PUT", path: "/v1/me/action-presets/poll", user: s.ID, body: `{"question":"Q","options":["a"],"durationSeconds":30}`,
			wantStatus: 400, wantErr: errorOf("invalid_argument", "data.options")},
		{name: "bad preset type", method: "PUT", path: "/v1/me/action-presets/bogus", user: s.ID, body: `{}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "type")},
		{name: "presets", method: "GET", path: "/v1/me/action-presets", user: s.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			want := map[string]any{"presets": map[string]any{
				"notice": map[string]any{"title": "Hi", "message": "Welcome", "duration": float64(15)},
				"poll":   map[string]any{"question": "Q", "options": []any{"a", "b"}, "durationSeconds": float64(30)},
			}}
			if diff := cmp.Diff(want, r.JSON); diff != "" {
				t.Errorf("presets mismatch (-want +got):\n%s", diff)
			}
		}},
		{name: "presets are per user", method: "GET", path: "/v1/me/action-presets", user: v.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			if len(r.JSON["presets"].(map[string]any)) != 0 {
				t.Errorf("viewer presets %s", r.Raw)
			}
		}},

		{name: "no rules", method: "GET", path: "/v1/me/action-rules", user: s.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			if diff := cmp.Diff(map[string]any{"rules": []any{}}, r.JSON); diff != "" {
				t.Errorf("rules mismatch (-want +got):\n%s", diff)
			}
		}},
		{name: "add rule", method: "POST", path: "/v1/me/action-rules", user: s.ID,
			body: `{"eventName":"Stream Start","presetType":"notice","delaySeconds":30}`, wantStatus: 201,
			check: func(t *testing.T, r response) {
				if r.JSON["id"] == "" || r.JSON["eventName"] != "Stream Start" || r.JSON["presetType"] != "notice" || r.JSON["delaySeconds"] != float64(30) {
					t.Errorf("rule %s", r.Raw)
				}
				ruleID, _ = r.JSON["id"].(string)
			}},
		{name: "rule delay too long", method: "POST", path: "/v1/me/action-rules", user: s.ID,
			body: `{"eventName":"Stream Start","presetType":"notice","delaySeconds":601}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "delaySeconds")},
		{name: "rule delay overflowing", method: "POST", path: "/v1/me/action-rules", user: s.ID,
			body: `{"eventName":"Stream Start","presetType":"notice","delaySeconds":9223372036854775807}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "delaySeconds")},
		{name: "rule with a poll", method: "POST", path: "/v1/me/action-rules", user: s.ID,
			body: `{"eventName":"Stream Start","presetType":"poll"}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "presetType")},
		{name: "rule without event", method: "POST", path: "/v1/me/action-rules", user: s.ID,
			body: `{"presetType":"notice"}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "eventName")},
		{name: "rule with an unknown field", method: "POST", path: "/v1/me/action-rules", user: s.ID,
			body: `{"eventName":"Stream Start","presetType":"notice","delay":5}`, wantStatus: 400},
		{name: "rules", method: "GET", path: "/v1/me/action-rules", user: s.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			rules, _ := r.JSON["rules"].([]any)
			if len(rules) != 1 || rules[0].(map[string]any)["id"] != ruleID {
				t.Errorf("rules %s, want the one added (%s)", r.Raw, ruleID)
			}
		}},
		{name: "rules are per user", method: "GET", path: "/v1/me/action-rules", user: v.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			if len(r.JSON["rules"].([]any)) != 0 {
				t.Errorf("viewer rules %s", r.Raw)
			}
		}},
		{name: "delete another's rule", method: "DELETE", pathFn: func() string { return "/v1/me/action-rules/" + ruleID }, user: v.ID,
			wantStatus: 404, wantErr: errorOf("not_found", "")},
		{name: "delete rule", method: "DELETE", pathFn: func() string { return "/v1/me/action-rules/" + ruleID }, user: s.ID, wantStatus: 204},
		{name: "delete rule again", method: "DELETE", pathFn: func() string { return "/v1/me/action-rules/" + ruleID }, user: s.ID,
			wantStatus: 404, wantErr: errorOf("not_found", "")},
	})
	// The payloads IVS received: the quiz, the product and the clear document.
	got, err := e.ivs.Metadata(ugc.ChannelID(s.Channel.Arn))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, p := range got {
		m, err := actions.DecodeMetadata(p)
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, m.Type)
	}
	if diff := cmp.Diff([]string{"quiz", "product", "clear"}, types); diff != "" {
		t.Errorf("metadata mismatch (-want +got):\n%s", diff)
	}
}

func TestPollRoutes(t *testing.T) {
	e, _ := newActionsEnv(t)
	s := e.register("streamer")
	v := e.register("viewer1")
	banned := e.register("banned1")
	if err := e.store.PutBan(context.Background(), ugc.Ban{ChannelUserID: s.ID, UserID: banned.ID, BannedBy: s.ID, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var pollID string
	votes := func() string { return "/v1/channels/streamer/polls/" + pollID + "/votes" }
	runSteps(t, e, []step{
		{name: "no poll", method: "GET", path: "/v1/channels/streamer/polls/active", wantStatus: 404},
		{name: "invalid poll", method: "POST", path: "/v1/me/polls", user: s.ID, body: `{"question":"q","options":["a","A"],"durationSeconds":10}`,
			wantStatus: 400, wantErr: errorOf("invalid_argument", "options")},
		{name: "too long", method: "POST", path: "/v1/me/polls", user: s.ID, body: `{"question":"q","options":["a","b"],"durationSeconds":1801}`,
			wantStatus: 400, wantErr: errorOf("invalid_argument", "durationSeconds")},
		{name: "start", method: "POST", path: "/v1/me/polls", user: s.ID, body: `{"question":"Best?","options":["cats","dogs"],"durationSeconds":120}`,
			wantStatus: 201, check: func(t *testing.T, r response) {
				pollID, _ = r.JSON["id"].(string)
				want := map[string]any{"id": pollID, "question": "Best?", "options": []any{
					map[string]any{"text": "cats", "votes": float64(0)}, map[string]any{"text": "dogs", "votes": float64(0)}},
					"totalVotes": float64(0), "status": "active", "startedAt": r.JSON["startedAt"], "endsAt": r.JSON["endsAt"]}
				if diff := cmp.Diff(want, r.JSON); diff != "" {
					t.Errorf("poll mismatch (-want +got):\n%s", diff)
				}
			}},
		{name: "second poll", method: "POST", path: "/v1/me/polls", user: s.ID, body: `{"question":"q","options":["a","b"],"durationSeconds":10}`,
			wantStatus: 409, wantErr: errorOf("poll_active", "")},
	})
	runSteps(t, e, []step{
		{name: "vote", method: "POST", path: votes(), user: v.ID, body: `{"option":1}`, wantStatus: 204},
		{name: "vote again", method: "POST", path: votes(), user: v.ID, body: `{"option":0}`, wantStatus: 409, wantErr: errorOf("already_voted", "")},
		{name: "banned", method: "POST", path: votes(), user: banned.ID, body: `{"option":0}`, wantStatus: 403, wantErr: errorOf("banned", "")},
		{name: "option out of range", method: "POST", path: votes(), user: s.ID, body: `{"option":2}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "option")},
		{name: "option missing", method: "POST", path: votes(), user: s.ID, body: `{}`, wantStatus: 400, wantErr: errorOf("invalid_argument", "option")},
		{name: "unknown poll", method: "POST", path: "/v1/channels/streamer/polls/nope/votes", user: s.ID, body: `{"option":0}`, wantStatus: 404},
		{name: "wrong channel", method: "POST", path: "/v1/channels/viewer1/polls/" + pollID + "/votes", user: s.ID, body: `{"option":0}`, wantStatus: 404},
		{name: "active, anonymous", method: "GET", path: "/v1/channels/streamer/polls/active", wantStatus: 200, check: func(t *testing.T, r response) {
			if _, ok := r.JSON["myVote"]; ok || r.JSON["totalVotes"] != float64(1) {
				t.Errorf("anonymous view %s", r.Raw)
			}
		}},
		{name: "active, voter", method: "GET", path: "/v1/channels/streamer/polls/active", user: v.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			if r.JSON["myVote"] != float64(1) {
				t.Errorf("voter view %s", r.Raw)
			}
		}},
		{name: "by id, not ended", method: "GET", path: "/v1/channels/streamer/polls/" + pollID, wantStatus: 200, check: func(t *testing.T, r response) {
			if _, ok := r.JSON["winner"]; ok || r.JSON["status"] != "active" {
				t.Errorf("open poll %s", r.Raw)
			}
		}},
		{name: "end", method: "DELETE", path: "/v1/me/polls/active", user: s.ID, wantStatus: 204},
		{name: "end again", method: "DELETE", path: "/v1/me/polls/active", user: s.ID, wantStatus: 204},
		{name: "closed", method: "POST", path: votes(), user: s.ID, body: `{"option":0}`, wantStatus: 409, wantErr: errorOf("poll_closed", "")},
		{name: "no active poll", method: "GET", path: "/v1/channels/streamer/polls/active", wantStatus: 404},
		{name: "result", method: "GET", path: "/v1/channels/streamer/polls/" + pollID, user: v.ID, wantStatus: 200, check: func(t *testing.T, r response) {
			if r.JSON["status"] != "ended" || r.JSON["winner"] != float64(1) || r.JSON["myVote"] != float64(1) {
				t.Errorf("ended poll %s", r.Raw)
			}
			if _, ok := r.JSON["tie"]; ok {
				t.Errorf("ended poll with a winner has tie: %s", r.Raw)
			}
		}},
		{name: "unknown poll id", method: "GET", path: "/v1/channels/streamer/polls/nope", wantStatus: 404},
		{name: "tie", method: "POST", path: "/v1/me/polls", user: v.ID, body: `{"question":"q","options":["a","b"],"durationSeconds":10}`, wantStatus: 201,
			check: func(t *testing.T, r response) { pollID, _ = r.JSON["id"].(string) }},
	})
	runSteps(t, e, []step{
		{name: "end the tie", method: "DELETE", path: "/v1/me/polls/active", user: v.ID, wantStatus: 204},
		{name: "tie result", method: "GET", path: "/v1/channels/viewer1/polls/" + pollID, wantStatus: 200, check: func(t *testing.T, r response) {
			if r.JSON["tie"] != true || r.JSON["totalVotes"] != float64(0) {
				t.Errorf("tie %s", r.Raw)
			}
		}},
	})
}
