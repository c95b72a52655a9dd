package actions_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
)

var _ metrics.StreamEventListener = (*actions.Service)(nil)

func TestPresets(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	s := e.user("presets")
	tests := []struct {
		typ, data string
		want      string
		wantField string
	}{
		{typ: "notice", data: `{"title":"Hi","message":"Welcome"}`, want: `{"title":"Hi","message":"Welcome","duration":15}`},
		{typ: "poll", data: `{"question":"Q","options":["a","b"],"durationSeconds":30}`, want: `{"question":"Q","options":["a","b"],"durationSeconds":30}`},
		{typ: "poll", data: `{"question":"Q","options":["a"],"durationSeconds":30}`, wantField: "data.options"},
		{typ: "quiz", data: `{"question":"Q","answers":["a","b","c"],"correctAnswerIndex":5}`, wantField: "data.correctAnswerIndex"},
		{typ: "celebration", data: `{"duration":20}`, want: `{"duration":20}`},
		{typ: "bogus", data: `{}`, wantField: "type"},
	}
	for _, tt := range tests {
		p, err := e.svc.PutPreset(ctx, s.ID, tt.typ, json.RawMessage(tt.data))
		if tt.wantField != "" {
			if ugc.FieldOf(err) != tt.wantField {
				t.Errorf("PutPreset(%s, %s): %v, want an error naming %s", tt.typ, tt.data, err, tt.wantField)
			}
			continue
		}
		if err != nil || string(p.Data) != tt.want {
			t.Errorf("PutPreset(%s, %s) = %s, %v; want %s", tt.typ, tt.data, p.Data, err, tt.want)
		}
	}
	list, err := e.svc.Presets(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range list {
		got[p.Type] = string(p.Data)
	}
	want := map[string]string{
		"celebration": `{"duration":20}`,
		"notice":      `{"title":"Hi","message":"Welcome","duration":15}`,
		"poll":        `{"question":"Q","options":["a","b"],"durationSeconds":30}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("presets mismatch (-want +got):\n%s", diff)
	}
}

// A rule sends its preset the set delay after the event; "Stream End"
// removes the active action.
func TestRules(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "ruled")
		ctx := context.Background()
		if _, err := f.svc.PutPreset(ctx, u.ID, "notice", json.RawMessage(`{"title":"Welcome","message":"Thanks for watching"}`)); err != nil {
			t.Fatal(err)
		}
		rule, err := f.svc.PutRule(ctx, u.ID, actions.RuleInput{EventName: "Stream Start", PresetType: "notice", Delay: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.PutRule(ctx, u.ID, actions.RuleInput{EventName: "Stream Start", PresetType: "celebration"}); err != nil {
			t.Fatal(err) // no celebration preset: does nothing
		}
		for _, bad := range []actions.RuleInput{
			{EventName: "", PresetType: "notice"},
			{EventName: "Stream Start", PresetType: "poll"},
			{EventName: "Stream Start", PresetType: "notice", Delay: time.Hour},
		} {
			if _, err := f.svc.PutRule(ctx, u.ID, bad); !errors.Is(err, ugc.ErrInvalidArgument) {
				t.Errorf("PutRule(%+v): %v, want invalid argument", bad, err)
			}
		}
		start := time.Now()
		f.svc.StreamEvent(ctx, u.ID, ugc.StreamEvent{ID: "e1", Name: "Session Created"})
		f.svc.StreamEvent(ctx, u.ID, ugc.StreamEvent{ID: "e2", Name: "Stream Start"})
		time.Sleep(time.Minute)
		synctest.Wait()
		calls := f.ivs.list()
		if len(calls) != 1 {
			t.Fatalf("%d payloads, want 1", len(calls))
		}
		m := decode(t, calls[0].Payload)
		if m.Type != "notice" || string(m.Data) != `{"title":"Welcome","message":"Thanks for watching","duration":15}` || calls[0].Time.Sub(start) != 30*time.Second {
			t.Errorf("payload %s at %s, want the notice preset at 30s", calls[0].Payload, calls[0].Time.Sub(start))
		}

		// A product stays; the stream's end removes it.
		if _, err := f.svc.Start(ctx, u.ID, "product", json.RawMessage(`{"title":"t","price":"1","imageUrl":"https://x.test/i","description":""}`)); err != nil {
			t.Fatal(err)
		}
		f.svc.StreamEvent(ctx, u.ID, ugc.StreamEvent{ID: "e3", Name: "Stream End"})
		if _, err := f.svc.Active(ctx, "ruled"); !errors.Is(err, ugc.ErrNotFound) {
			t.Errorf("Active after Stream End: %v, want not found", err)
		}

		if err := f.svc.DeleteRule(ctx, u.ID, rule.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteRule(ctx, u.ID, rule.ID); !errors.Is(err, ugc.ErrNotFound) {
			t.Errorf("second DeleteRule: %v, want not found", err)
		}
		rules, err := f.svc.Rules(ctx, u.ID)
		if err != nil || len(rules) != 1 || rules[0].PresetType != "celebration" {
			t.Errorf("Rules = %+v, %v", rules, err)
		}
	})
}

// Close drops scheduled rules.
func TestCloseDropsRules(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "dropped")
		ctx := context.Background()
		if _, err := f.svc.PutPreset(ctx, u.ID, "celebration", json.RawMessage(`{}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.PutRule(ctx, u.ID, actions.RuleInput{EventName: "Stream Start", PresetType: "celebration", Delay: time.Second}); err != nil {
			t.Fatal(err)
		}
		f.svc.StreamEvent(ctx, u.ID, ugc.StreamEvent{ID: "e1", Name: "Stream Start"})
		if err := f.svc.Close(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := len(f.ivs.list()); n != 0 {
			t.Errorf("%d payloads after Close, want 0", n)
		}
	})
}
