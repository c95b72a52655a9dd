package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func newSession(id, user string, start int) *ugc.StreamSession {
	s := &ugc.StreamSession{ID: id, UserID: user, ChannelArn: "arn:aws:ivs:us-east-1:1:channel/" + user,
		IsHealthy: true, UpdatedAt: at(start)}
	if start > 0 {
		s.StartTime = at(start)
	}
	return s
}

func putSession(t *testing.T, ctx context.Context, st store.Store, s *ugc.StreamSession) {
	t.Helper()
	_, err := st.PutStreamSession(ctx, s, 0)
	ok(t, "PutStreamSession", err)
}

var streamSessionsTests = []test{
	{"PutStreamSessionIsConditionalOnVersion", func(t *testing.T, ctx context.Context, st store.Store) {
		s := newSession("st-1", "u", 0)
		v, err := st.PutStreamSession(ctx, s, 0)
		ok(t, "PutStreamSession create", err)
		equal(t, "version after create", 1, v)
		_, err = st.PutStreamSession(ctx, s, 0)
		isErr(t, "PutStreamSession create again", err, ugc.ErrFailedPrecondition, "version_conflict")

		s.StartTime = at(5)
		s.IngestConfiguration = json.RawMessage(`{"video":{"codec":"avc1"}}`)
		v, err = st.PutStreamSession(ctx, s, 1)
		ok(t, "PutStreamSession update", err)
		equal(t, "version after update", 2, v)
		stale := *s
		stale.HasErrorEvent = true
		_, err = st.PutStreamSession(ctx, &stale, 1)
		isErr(t, "PutStreamSession with a stale version", err, ugc.ErrFailedPrecondition, "version_conflict")
		_, err = st.PutStreamSession(ctx, newSession("st-2", "u", 0), 3)
		isErr(t, "PutStreamSession of a missing session with a version", err, ugc.ErrFailedPrecondition, "version_conflict")

		got, ver, err := st.GetStreamSessionVersion(ctx, "st-1")
		ok(t, "GetStreamSessionVersion", err)
		equal(t, "version", 2, ver)
		diff(t, "GetStreamSessionVersion", s, got)
		got, err = st.GetStreamSession(ctx, "st-1")
		ok(t, "GetStreamSession", err)
		diff(t, "GetStreamSession", s, got)
		_, err = st.GetStreamSession(ctx, "st-2")
		isErr(t, "GetStreamSession of a missing session", err, ugc.ErrNotFound, "")
		_, _, err = st.GetStreamSessionVersion(ctx, "st-2")
		isErr(t, "GetStreamSessionVersion of a missing session", err, ugc.ErrNotFound, "")
	}},
	{"ListStreamSessionsOnlyStartedNewestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		putSession(t, ctx, st, newSession("st-a", "u", 5))
		putSession(t, ctx, st, newSession("st-b", "u", 9))
		putSession(t, ctx, st, newSession("st-c", "u", 5))
		putSession(t, ctx, st, newSession("st-d", "u", 0)) // no start time: not listed
		putSession(t, ctx, st, newSession("st-e", "v", 7))
		s := newSession("st-d", "u", 7)
		_, err := st.PutStreamSession(ctx, s, 1)
		ok(t, "PutStreamSession setting the start", err)
		got, next, err := st.ListStreamSessions(ctx, "u", store.Page{})
		ok(t, "ListStreamSessions", err)
		equal(t, "next", "", next)
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		diff(t, "ListStreamSessions IDs", []string{"st-b", "st-d", "st-a", "st-c"}, ids)
		diff(t, "ListStreamSessions[1]", s, got[1])
	}},
	{"AppendStreamEventIsIdempotentAndListedOldestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		evs := []ugc.StreamEvent{
			{ID: "e3", SessionID: "st-1", Time: at(3), Type: "IVS Stream State Change", Name: "Stream End"},
			{ID: "e1", SessionID: "st-1", Time: at(1), Type: "IVS Stream State Change", Name: "Stream Start"},
			{ID: "e2b", SessionID: "st-1", Time: at(2), Type: "IVS Stream Health Change", Name: "Starvation Start", Code: "c", Reason: "r"},
			{ID: "e2a", SessionID: "st-1", Time: at(2), Type: "IVS Stream Health Change", Name: "Starvation End"},
			{ID: "e1", SessionID: "st-2", Time: at(1), Type: "IVS Stream State Change", Name: "Stream Start"},
		}
		for _, ev := range evs {
			added, err := st.AppendStreamEvent(ctx, ev)
			ok(t, "AppendStreamEvent", err)
			equal(t, "added", true, added)
		}
		dup := evs[0]
		dup.Name = "changed"
		added, err := st.AppendStreamEvent(ctx, dup)
		ok(t, "AppendStreamEvent again", err)
		equal(t, "added again", false, added)
		got, next, err := st.ListStreamEvents(ctx, "st-1", store.Page{})
		ok(t, "ListStreamEvents", err)
		equal(t, "next", "", next)
		diff(t, "ListStreamEvents", []ugc.StreamEvent{evs[1], evs[3], evs[2], evs[0]}, got)
	}},
	{"PutMetricsCacheKeepsTheBetterEntry", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.GetMetricsCache(ctx, "st-1")
		isErr(t, "GetMetricsCache before Put", err, ugc.ErrNotFound, "")
		e := func(period int, complete bool, data string) ugc.MetricsCacheEntry {
			return ugc.MetricsCacheEntry{SessionID: "st-1", Period: period, Complete: complete, Data: json.RawMessage(data), FetchedAt: at(period)}
		}
		steps := []struct {
			name   string
			e      ugc.MetricsCacheEntry
			stored bool
		}{
			{"no data is never stored", e(60, true, ""), false},
			{"first entry", e(300, false, `[1]`), true},
			{"coarser incomplete", e(3600, false, `[2]`), false},
			{"finer incomplete", e(60, false, `[3]`), true},
			{"complete beats incomplete", e(3600, true, `[4]`), true},
			{"incomplete never beats complete", e(1, false, `[5]`), false},
			{"equal period is not better", e(3600, true, `[6]`), false},
			{"finer complete", e(300, true, `[7]`), true},
		}
		want := ugc.MetricsCacheEntry{}
		for _, s := range steps {
			stored, err := st.PutMetricsCache(ctx, s.e)
			ok(t, "PutMetricsCache "+s.name, err)
			equal(t, "stored: "+s.name, s.stored, stored)
			if s.stored {
				want = s.e
			}
		}
		got, err := st.GetMetricsCache(ctx, "st-1")
		ok(t, "GetMetricsCache", err)
		diff(t, "GetMetricsCache", &want, got)
	}},
	{"DeleteUserStreamSessionsRemovesEventsAndCaches", func(t *testing.T, ctx context.Context, st store.Store) {
		putSession(t, ctx, st, newSession("st-1", "u", 1))
		putSession(t, ctx, st, newSession("st-2", "u", 0))
		putSession(t, ctx, st, newSession("st-3", "v", 1))
		for _, sid := range []string{"st-1", "st-2", "st-3"} {
			_, err := st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: "e", SessionID: sid, Time: at(1), Type: "t", Name: "n"})
			ok(t, "AppendStreamEvent", err)
			_, err = st.PutMetricsCache(ctx, ugc.MetricsCacheEntry{SessionID: sid, Period: 60, Data: json.RawMessage(`[]`)})
			ok(t, "PutMetricsCache", err)
		}
		ok(t, "DeleteUserStreamSessions", st.DeleteUserStreamSessions(ctx, "u"))
		ok(t, "DeleteUserStreamSessions again (idempotent)", st.DeleteUserStreamSessions(ctx, "u"))
		for _, sid := range []string{"st-1", "st-2"} {
			_, err := st.GetStreamSession(ctx, sid)
			isErr(t, "GetStreamSession "+sid, err, ugc.ErrNotFound, "")
			_, err = st.GetMetricsCache(ctx, sid)
			isErr(t, "GetMetricsCache "+sid, err, ugc.ErrNotFound, "")
			evs, _, err := st.ListStreamEvents(ctx, sid, store.Page{})
			ok(t, "ListStreamEvents", err)
			equal(t, "len(ListStreamEvents "+sid+")", 0, len(evs))
		}
		list, _, err := st.ListStreamSessions(ctx, "u", store.Page{})
		ok(t, "ListStreamSessions", err)
		equal(t, "len(ListStreamSessions(u))", 0, len(list))
		_, err = st.GetStreamSession(ctx, "st-3")
		ok(t, "another user's session survives", err)
		evs, _, err := st.ListStreamEvents(ctx, "st-3", store.Page{})
		ok(t, "ListStreamEvents", err)
		equal(t, "len(ListStreamEvents st-3)", 1, len(evs))
		// A deleted session can be created again from version 0.
		_, err = st.PutStreamSession(ctx, newSession("st-1", "u", 1), 0)
		ok(t, "PutStreamSession after delete", err)
	}},
}
