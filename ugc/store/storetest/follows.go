package storetest

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func follow(t *testing.T, ctx context.Context, st store.Store, follower, channel string, n int) {
	t.Helper()
	created, err := st.Follow(ctx, ugc.Follow{FollowerID: follower, ChannelUserID: channel, FollowedAt: at(n)})
	ok(t, "Follow", err)
	equal(t, "Follow created", true, created)
}

func count(t *testing.T, ctx context.Context, st store.Store, channel string) int64 {
	t.Helper()
	n, err := st.FollowerCount(ctx, channel)
	ok(t, "FollowerCount", err)
	return n
}

func setLive(t *testing.T, ctx context.Context, st store.Store, user string, kind ugc.LiveKind, n int, ref string) ugc.LiveEntry {
	t.Helper()
	e := ugc.LiveEntry{UserID: user, Kind: kind, Since: at(n), Ref: ref}
	ok(t, "SetLive", st.SetLive(ctx, e))
	return e
}

var followsTests = []test{
	{"FollowIsIdempotentAndCountsOnce", func(t *testing.T, ctx context.Context, st store.Store) {
		equal(t, "FollowerCount of an unknown channel", 0, count(t, ctx, st, "c"))
		follow(t, ctx, st, "f", "c", 1)
		created, err := st.Follow(ctx, ugc.Follow{FollowerID: "f", ChannelUserID: "c", FollowedAt: at(5)})
		ok(t, "Follow again", err)
		equal(t, "Follow again: created", false, created)
		equal(t, "FollowerCount", 1, count(t, ctx, st, "c"))
		is, err := st.IsFollowing(ctx, "f", "c")
		ok(t, "IsFollowing", err)
		equal(t, "IsFollowing(f, c)", true, is)
		is, err = st.IsFollowing(ctx, "c", "f")
		ok(t, "IsFollowing", err)
		equal(t, "IsFollowing(c, f)", false, is)
		got, _, err := st.ListFollowing(ctx, "f", store.Page{})
		ok(t, "ListFollowing", err)
		diff(t, "ListFollowing keeps the first FollowedAt", []ugc.FollowedChannel{{ChannelUserID: "c", FollowedAt: at(1)}}, got)
	}},
	{"FollowYourselfIsInvalid", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.Follow(ctx, ugc.Follow{FollowerID: "u", ChannelUserID: "u", FollowedAt: at(1)})
		isErr(t, "Follow yourself", err, ugc.ErrInvalidArgument, "")
		equal(t, "FollowerCount", 0, count(t, ctx, st, "u"))
	}},
	{"UnfollowReportsRemovalAndKeepsCountExact", func(t *testing.T, ctx context.Context, st store.Store) {
		follow(t, ctx, st, "f1", "c", 1)
		follow(t, ctx, st, "f2", "c", 2)
		removed, err := st.Unfollow(ctx, "f1", "c")
		ok(t, "Unfollow", err)
		equal(t, "Unfollow removed", true, removed)
		removed, err = st.Unfollow(ctx, "f1", "c")
		ok(t, "Unfollow again", err)
		equal(t, "Unfollow again removed", false, removed)
		removed, err = st.Unfollow(ctx, "nobody", "c")
		ok(t, "Unfollow of a missing follow", err)
		equal(t, "Unfollow of a missing follow removed", false, removed)
		equal(t, "FollowerCount", 1, count(t, ctx, st, "c"))
		follow(t, ctx, st, "f1", "c", 3)
		equal(t, "FollowerCount after following again", 2, count(t, ctx, st, "c"))
	}},
	{"ListFollowingLiveFirstThenRecentlyFollowed", func(t *testing.T, ctx context.Context, st store.Store) {
		follow(t, ctx, st, "f", "c1", 1)
		follow(t, ctx, st, "f", "c2", 5)
		follow(t, ctx, st, "f", "c3", 3)
		follow(t, ctx, st, "f", "c4", 3)
		follow(t, ctx, st, "f", "c5", 2)
		follow(t, ctx, st, "f", "c6", 4)
		follow(t, ctx, st, "other", "c7", 4)
		setLive(t, ctx, st, "c7", ugc.LiveLowLatency, 100, "st-7") // not followed by f
		e5 := setLive(t, ctx, st, "c5", ugc.LiveLowLatency, 50, "st-5")
		setLive(t, ctx, st, "c1", ugc.LiveLowLatency, 20, "st-1")
		e1 := setLive(t, ctx, st, "c1", ugc.LiveRealTime, 60, "ss-1") // the later entry wins
		e6 := setLive(t, ctx, st, "c6", ugc.LiveRealTime, 50, "ss-6") // ties with c5: by ID
		want := []ugc.FollowedChannel{
			{ChannelUserID: "c1", FollowedAt: at(1), Live: &e1},
			{ChannelUserID: "c5", FollowedAt: at(2), Live: &e5},
			{ChannelUserID: "c6", FollowedAt: at(4), Live: &e6},
			{ChannelUserID: "c2", FollowedAt: at(5)},
			{ChannelUserID: "c3", FollowedAt: at(3)},
			{ChannelUserID: "c4", FollowedAt: at(3)},
		}
		got, next, err := st.ListFollowing(ctx, "f", store.Page{})
		ok(t, "ListFollowing", err)
		equal(t, "next", "", next)
		diff(t, "ListFollowing", want, got)
		got, _, err = st.ListFollowing(ctx, "nobody", store.Page{})
		ok(t, "ListFollowing of a user who follows no one", err)
		equal(t, "len(ListFollowing(nobody))", 0, len(got))
	}},
	{"DeleteFollowsOfKeepsOtherCountsExact", func(t *testing.T, ctx context.Context, st store.Store) {
		follow(t, ctx, st, "x", "a", 1)
		follow(t, ctx, st, "x", "b", 1)
		follow(t, ctx, st, "y", "x", 1)
		follow(t, ctx, st, "z", "x", 1)
		follow(t, ctx, st, "y", "a", 1)
		ok(t, "DeleteFollowsOf", st.DeleteFollowsOf(ctx, "x"))
		ok(t, "DeleteFollowsOf again (idempotent)", st.DeleteFollowsOf(ctx, "x"))
		counts := map[string]int64{}
		for _, c := range []string{"a", "b", "x"} {
			counts[c] = count(t, ctx, st, c)
		}
		diff(t, "FollowerCount after DeleteFollowsOf", map[string]int64{"a": 1, "b": 0, "x": 0}, counts)
		got, _, err := st.ListFollowing(ctx, "y", store.Page{})
		ok(t, "ListFollowing", err)
		diff(t, "ListFollowing(y)", []ugc.FollowedChannel{{ChannelUserID: "a", FollowedAt: at(1)}}, got)
		got, _, err = st.ListFollowing(ctx, "x", store.Page{})
		ok(t, "ListFollowing", err)
		equal(t, "len(ListFollowing(x))", 0, len(got))
	}},
}

var liveTests = []test{
	{"SetLiveAndGetLiveLatestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		got, err := st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		equal(t, "len(GetLive) of an offline user", 0, len(got))
		a := setLive(t, ctx, st, "u", ugc.LiveLowLatency, 10, "st-1")
		b := setLive(t, ctx, st, "u", ugc.LiveRealTime, 20, "ss-1")
		got, err = st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive", []ugc.LiveEntry{b, a}, got)
	}},
	{"GetLiveTiesByKind", func(t *testing.T, ctx context.Context, st store.Store) {
		// Decision: entries with equal starts are ordered by Kind
		// ("low_latency" before "real_time"), and ListLive shows the first.
		b := setLive(t, ctx, st, "u", ugc.LiveRealTime, 10, "ss-1")
		a := setLive(t, ctx, st, "u", ugc.LiveLowLatency, 10, "st-1")
		got, err := st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive", []ugc.LiveEntry{a, b}, got)
		list, _, err := st.ListLive(ctx, store.Page{})
		ok(t, "ListLive", err)
		diff(t, "ListLive", []ugc.LiveEntry{a}, list)
	}},
	{"SetLiveIgnoresAnOlderStart", func(t *testing.T, ctx context.Context, st store.Store) {
		e := setLive(t, ctx, st, "u", ugc.LiveLowLatency, 10, "st-2")
		setLive(t, ctx, st, "u", ugc.LiveLowLatency, 5, "st-1")
		got, err := st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive after an out-of-order older start", []ugc.LiveEntry{e}, got)
		// An equal start replaces (only a later stored start wins).
		e2 := setLive(t, ctx, st, "u", ugc.LiveLowLatency, 10, "st-3")
		got, err = st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive after an equal start", []ugc.LiveEntry{e2}, got)
		e3 := setLive(t, ctx, st, "u", ugc.LiveLowLatency, 11, "st-4")
		got, err = st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive after a later start", []ugc.LiveEntry{e3}, got)
	}},
	{"ClearLiveMatchesRef", func(t *testing.T, ctx context.Context, st store.Store) {
		e := setLive(t, ctx, st, "u", ugc.LiveLowLatency, 10, "st-2")
		r := setLive(t, ctx, st, "u", ugc.LiveRealTime, 5, "ss-1")
		ok(t, "ClearLive with another ref", st.ClearLive(ctx, "u", ugc.LiveLowLatency, "st-1"))
		got, err := st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive after ClearLive of an older ref", []ugc.LiveEntry{e, r}, got)
		ok(t, "ClearLive with the ref", st.ClearLive(ctx, "u", ugc.LiveLowLatency, "st-2"))
		got, err = st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		diff(t, "GetLive after ClearLive", []ugc.LiveEntry{r}, got)
		ok(t, "ClearLive again (idempotent)", st.ClearLive(ctx, "u", ugc.LiveLowLatency, "st-2"))
		ok(t, "ClearLive with no ref", st.ClearLive(ctx, "u", ugc.LiveRealTime, ""))
		got, err = st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		equal(t, "len(GetLive) after clearing both", 0, len(got))
		list, _, err := st.ListLive(ctx, store.Page{})
		ok(t, "ListLive", err)
		equal(t, "len(ListLive)", 0, len(list))
	}},
	{"LiveKindMustBeValid", func(t *testing.T, ctx context.Context, st store.Store) {
		err := st.SetLive(ctx, ugc.LiveEntry{UserID: "u", Kind: "webrtc", Since: at(1), Ref: "x"})
		isErr(t, "SetLive with an unknown kind", err, ugc.ErrInvalidArgument, "")
		err = st.SetLive(ctx, ugc.LiveEntry{UserID: "u", Since: at(1), Ref: "x"})
		isErr(t, "SetLive with no kind", err, ugc.ErrInvalidArgument, "")
		isErr(t, "ClearLive with an unknown kind", st.ClearLive(ctx, "u", "webrtc", ""), ugc.ErrInvalidArgument, "")
		got, err := st.GetLive(ctx, "u")
		ok(t, "GetLive", err)
		equal(t, "len(GetLive)", 0, len(got))
	}},
	{"ListLiveEachUserOnceLatestStartFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		setLive(t, ctx, st, "a", ugc.LiveLowLatency, 5, "st-a")
		a := setLive(t, ctx, st, "a", ugc.LiveRealTime, 8, "ss-a")
		b := setLive(t, ctx, st, "b", ugc.LiveLowLatency, 8, "st-b")
		c := setLive(t, ctx, st, "c", ugc.LiveRealTime, 3, "ss-c")
		d := setLive(t, ctx, st, "d", ugc.LiveLowLatency, 9, "st-d")
		got, next, err := st.ListLive(ctx, store.Page{})
		ok(t, "ListLive", err)
		equal(t, "next", "", next)
		diff(t, "ListLive", []ugc.LiveEntry{d, a, b, c}, got)
		ok(t, "ClearLive", st.ClearLive(ctx, "a", ugc.LiveRealTime, "ss-a"))
		a2 := ugc.LiveEntry{UserID: "a", Kind: ugc.LiveLowLatency, Since: at(5), Ref: "st-a"}
		got, _, err = st.ListLive(ctx, store.Page{})
		ok(t, "ListLive", err)
		diff(t, "ListLive after a's later entry ended", []ugc.LiveEntry{d, b, a2, c}, got)
	}},
}
