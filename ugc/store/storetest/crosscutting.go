package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// crossCuttingTests check rules of every aggregate: a store shares no
// memory with its callers (what a caller passes in and gets back can be
// edited freely), times are truncated the same way everywhere, and
// deletes do not cascade unless documented.
var crossCuttingTests = []test{
	{"EditingArgumentsAfterAWriteChangesNothing", func(t *testing.T, ctx context.Context, st store.Store) {
		terms := []string{"a", "b"}
		ok(t, "PutBlockedTerms", st.PutBlockedTerms(ctx, "c", terms))
		terms[0] = "changed"
		p := newPoll("p", "c", 0, 60)
		createPoll(t, ctx, st, p, 0)
		p.Options[0] = "changed"
		a := &ugc.Action{ID: "a", ChannelUserID: "c", Type: ugc.ActionNotice, Data: json.RawMessage(`{"x":1}`)}
		ok(t, "PutActiveAction", st.PutActiveAction(ctx, a))
		a.Data[2] = 'y'
		j := &ugc.Job{Kind: "k", ID: "j", Data: map[string]string{"a": "1"}}
		ok(t, "PutJob", st.PutJob(ctx, j))
		j.Data["a"] = "changed"
		n := &ugc.Notification{UserID: "u", Type: "t", Data: []byte(`{"n":1}`)}
		ok(t, "AppendNotification", st.AppendNotification(ctx, n))
		n.Data[2] = 'm'

		gotTerms, err := st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms", err)
		diff(t, "GetBlockedTerms", []string{"a", "b"}, gotTerms)
		gotPoll, err := st.GetPoll(ctx, "p")
		ok(t, "GetPoll", err)
		diff(t, "Options", newPoll("p", "c", 0, 60).Options, gotPoll.Options)
		gotAction, err := st.GetActiveAction(ctx, "c")
		ok(t, "GetActiveAction", err)
		equal(t, "action Data", `{"x":1}`, string(gotAction.Data))
		gotJob, err := st.GetJob(ctx, "k", "j")
		ok(t, "GetJob", err)
		equal(t, "job Data[a]", "1", gotJob.Data["a"])
		gotNotes, err := st.ListNotifications(ctx, "u", 0, 0)
		ok(t, "ListNotifications", err)
		equal(t, "notification Data", `{"n":1}`, string(gotNotes[0].Data))
	}},
	{"EditingResultsChangesNothing", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "PutBlockedTerms", st.PutBlockedTerms(ctx, "c", []string{"a", "b"}))
		createPoll(t, ctx, st, newPoll("p", "c", 0, 60), 0)
		ok(t, "RecordVote", st.RecordVote(ctx, vote("p", "u", 1, 1), at(1)))
		ok(t, "PutActiveAction", st.PutActiveAction(ctx, &ugc.Action{ID: "a", ChannelUserID: "c", Type: ugc.ActionNotice, Data: json.RawMessage(`{"x":1}`)}))
		setLive(t, ctx, st, "c", ugc.LiveLowLatency, 1, "st-1")
		follow(t, ctx, st, "f", "c", 1)

		terms, _ := st.GetBlockedTerms(ctx, "c")
		terms[0] = "changed"
		p, _ := st.GetPoll(ctx, "p")
		p.Counts[1] = 99
		p.Options[0] = "changed"
		a, _ := st.GetActiveAction(ctx, "c")
		a.Data[2] = 'y'
		live, _ := st.GetLive(ctx, "c")
		live[0].Ref = "changed"
		list, _, _ := st.ListLive(ctx, store.Page{})
		list[0].Ref = "changed"
		fs, _, _ := st.ListFollowing(ctx, "f", store.Page{})
		fs[0].Live.Ref = "changed"

		terms, err := st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms", err)
		diff(t, "GetBlockedTerms", []string{"a", "b"}, terms)
		p, err = st.GetPoll(ctx, "p")
		ok(t, "GetPoll", err)
		diff(t, "Counts", []int64{0, 1, 0}, p.Counts)
		equal(t, "Options[0]", "red", p.Options[0])
		a, err = st.GetActiveAction(ctx, "c")
		ok(t, "GetActiveAction", err)
		equal(t, "action Data", `{"x":1}`, string(a.Data))
		live, err = st.GetLive(ctx, "c")
		ok(t, "GetLive", err)
		equal(t, "GetLive Ref", "st-1", live[0].Ref)
		list, _, err = st.ListLive(ctx, store.Page{})
		ok(t, "ListLive", err)
		equal(t, "ListLive Ref", "st-1", list[0].Ref)
		fs, _, err = st.ListFollowing(ctx, "f", store.Page{})
		ok(t, "ListFollowing", err)
		equal(t, "ListFollowing Live.Ref", "st-1", fs[0].Live.Ref)
	}},
	{"SubMillisecondTimesAreTruncatedEverywhere", func(t *testing.T, ctx context.Context, st store.Store) {
		loc := time.FixedZone("UTC-3", -3*3600)
		fine := time.Date(2026, 3, 4, 2, 6, 7, 987654321, loc) // t0 + 987.654321 ms
		want := t0.Add(987 * time.Millisecond)
		_, err := st.Follow(ctx, ugc.Follow{FollowerID: "f", ChannelUserID: "c", FollowedAt: fine})
		ok(t, "Follow", err)
		ok(t, "SetLive", st.SetLive(ctx, ugc.LiveEntry{UserID: "l", Kind: ugc.LiveLowLatency, Since: fine, Ref: "r"}))
		ok(t, "PutBan", st.PutBan(ctx, ugc.Ban{ChannelUserID: "c", UserID: "u", CreatedAt: fine, ExpiresAt: fine.Add(time.Hour)}))
		_, err = st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: "e", SessionID: "s", Time: fine, Type: "t", Name: "n"})
		ok(t, "AppendStreamEvent", err)
		ok(t, "AppendNotification", st.AppendNotification(ctx, &ugc.Notification{UserID: "u", Type: "t", CreatedAt: fine}))
		ok(t, "CreateStageSession", st.CreateStageSession(ctx, &ugc.StageSession{ID: "ss", ChannelUserID: "c", StartedAt: fine}))

		fs, _, err := st.ListFollowing(ctx, "f", store.Page{})
		ok(t, "ListFollowing", err)
		ls, _, err := st.ListLive(ctx, store.Page{})
		ok(t, "ListLive", err)
		b, err := st.GetBan(ctx, "c", "u")
		ok(t, "GetBan", err)
		evs, _, err := st.ListStreamEvents(ctx, "s", store.Page{})
		ok(t, "ListStreamEvents", err)
		ns, err := st.ListNotifications(ctx, "u", 0, 0)
		ok(t, "ListNotifications", err)
		ss, err := st.GetStageSession(ctx, "ss")
		ok(t, "GetStageSession", err)
		for what, got := range map[string]time.Time{
			"FollowedAt": fs[0].FollowedAt, "Since": ls[0].Since, "Ban.CreatedAt": b.CreatedAt,
			"Ban.ExpiresAt": b.ExpiresAt.Add(-time.Hour), "StreamEvent.Time": evs[0].Time,
			"Notification.CreatedAt": ns[0].CreatedAt, "StageSession.StartedAt": ss.StartedAt,
		} {
			if !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("%s = %v, want %v in UTC", what, got, want)
			}
		}
	}},
	{"DeleteUserDoesNotCascade", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u1", "Alice")
		follow(t, ctx, st, "u2", "u1", 1)
		ok(t, "PutCredentials", st.PutCredentials(ctx, ugc.Credentials{UserID: "u1", PasswordHash: "h"}))
		ok(t, "DeleteUser", st.DeleteUser(ctx, "u1"))
		equal(t, "FollowerCount after DeleteUser", 1, count(t, ctx, st, "u1"))
		_, err := st.GetCredentials(ctx, "u1")
		ok(t, "GetCredentials after DeleteUser", err)
	}},
}
