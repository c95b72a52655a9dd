package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

var moderationTests = []test{
	{"BansPutGetDelete", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.GetBan(ctx, "c", "u")
		isErr(t, "GetBan before Put", err, ugc.ErrNotFound, "")
		b := ugc.Ban{ChannelUserID: "c", UserID: "u", Reason: "spam", BannedBy: "c", CreatedAt: at(1), ExpiresAt: at(10)}
		ok(t, "PutBan", st.PutBan(ctx, b))
		got, err := st.GetBan(ctx, "c", "u")
		ok(t, "GetBan", err)
		diff(t, "GetBan", &b, got)
		b.Reason, b.ExpiresAt = "worse", at(0).AddDate(1, 0, 0)
		ok(t, "PutBan replace", st.PutBan(ctx, b))
		got, err = st.GetBan(ctx, "c", "u")
		ok(t, "GetBan", err)
		diff(t, "GetBan after replace", &b, got)
		removed, err := st.DeleteBan(ctx, "c", "u")
		ok(t, "DeleteBan", err)
		equal(t, "DeleteBan removed", true, removed)
		removed, err = st.DeleteBan(ctx, "c", "u")
		ok(t, "DeleteBan again", err)
		equal(t, "DeleteBan again removed", false, removed)
	}},
	{"GetBanReturnsExpiredBans", func(t *testing.T, ctx context.Context, st store.Store) {
		b := ugc.Ban{ChannelUserID: "c", UserID: "u", CreatedAt: at(1), ExpiresAt: at(2)}
		ok(t, "PutBan", st.PutBan(ctx, b))
		got, err := st.GetBan(ctx, "c", "u")
		ok(t, "GetBan of an expired ban", err)
		diff(t, "GetBan", &b, got)
	}},
	{"ListBansActiveAtNowNewestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		bans := []ugc.Ban{
			{ChannelUserID: "c", UserID: "u1", CreatedAt: at(1)},                    // permanent
			{ChannelUserID: "c", UserID: "u2", CreatedAt: at(3), ExpiresAt: at(50)}, // expires at 50
			{ChannelUserID: "c", UserID: "u3", CreatedAt: at(3), ExpiresAt: at(10)}, // expired at now
			{ChannelUserID: "c", UserID: "u0", CreatedAt: at(3)},
			{ChannelUserID: "d", UserID: "u4", CreatedAt: at(3)},
		}
		for _, b := range bans {
			ok(t, "PutBan", st.PutBan(ctx, b))
		}
		got, next, err := st.ListBans(ctx, "c", at(10), store.Page{})
		ok(t, "ListBans", err)
		equal(t, "next", "", next)
		diff(t, "ListBans at 10 (a ban expires at ExpiresAt)", []ugc.Ban{bans[3], bans[1], bans[0]}, got)
	}},
	{"ModeratorsAreIdempotentAndListedOldestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		mods := []ugc.Moderator{
			{ChannelUserID: "c", UserID: "m2", CreatedAt: at(2)},
			{ChannelUserID: "c", UserID: "m1", CreatedAt: at(1)},
			{ChannelUserID: "c", UserID: "m0", CreatedAt: at(2)},
			{ChannelUserID: "d", UserID: "m9", CreatedAt: at(1)},
		}
		for _, m := range mods {
			ok(t, "PutModerator", st.PutModerator(ctx, m))
		}
		// Putting again changes nothing, CreatedAt included.
		ok(t, "PutModerator again", st.PutModerator(ctx, ugc.Moderator{ChannelUserID: "c", UserID: "m1", CreatedAt: at(9)}))
		got, next, err := st.ListModerators(ctx, "c", store.Page{})
		ok(t, "ListModerators", err)
		equal(t, "next", "", next)
		diff(t, "ListModerators", []ugc.Moderator{mods[1], mods[2], mods[0]}, got)
		is, err := st.IsModerator(ctx, "c", "m1")
		ok(t, "IsModerator", err)
		equal(t, "IsModerator(c, m1)", true, is)
		is, err = st.IsModerator(ctx, "d", "m1")
		ok(t, "IsModerator", err)
		equal(t, "IsModerator(d, m1)", false, is)
		removed, err := st.DeleteModerator(ctx, "c", "m1")
		ok(t, "DeleteModerator", err)
		equal(t, "DeleteModerator removed", true, removed)
		removed, err = st.DeleteModerator(ctx, "c", "m1")
		ok(t, "DeleteModerator again", err)
		equal(t, "DeleteModerator again removed", false, removed)
		is, err = st.IsModerator(ctx, "c", "m1")
		ok(t, "IsModerator", err)
		equal(t, "IsModerator after DeleteModerator", false, is)
	}},
	{"BlockedTermsReplaceAndKeepOrder", func(t *testing.T, ctx context.Context, st store.Store) {
		got, err := st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms before Put", err)
		equal(t, "len(GetBlockedTerms)", 0, len(got))
		ok(t, "PutBlockedTerms", st.PutBlockedTerms(ctx, "c", []string{"zeta", "alpha", "mu"}))
		got, err = st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms", err)
		diff(t, "GetBlockedTerms", []string{"zeta", "alpha", "mu"}, got)
		ok(t, "PutBlockedTerms replace", st.PutBlockedTerms(ctx, "c", []string{"beta"}))
		got, err = st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms", err)
		diff(t, "GetBlockedTerms after replace", []string{"beta"}, got)
		terms := make([]string, 500)
		for i := range terms {
			terms[i] = fmt.Sprintf("term%03d", i)
		}
		ok(t, "PutBlockedTerms of 500 terms", st.PutBlockedTerms(ctx, "c", terms))
		isErr(t, "PutBlockedTerms of 501 terms", st.PutBlockedTerms(ctx, "c", append(terms, "one-more")), ugc.ErrInvalidArgument, "")
		got, err = st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms", err)
		diff(t, "GetBlockedTerms after a refused Put", terms, got)
		ok(t, "PutBlockedTerms empty", st.PutBlockedTerms(ctx, "c", nil))
		got, err = st.GetBlockedTerms(ctx, "c")
		ok(t, "GetBlockedTerms", err)
		equal(t, "len(GetBlockedTerms) after clearing", 0, len(got))
	}},
	{"DeleteModerationOfBothSides", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "PutBan", st.PutBan(ctx, ugc.Ban{ChannelUserID: "x", UserID: "a", CreatedAt: at(1)}))
		ok(t, "PutBan", st.PutBan(ctx, ugc.Ban{ChannelUserID: "b", UserID: "x", CreatedAt: at(1)}))
		ok(t, "PutBan", st.PutBan(ctx, ugc.Ban{ChannelUserID: "b", UserID: "a", CreatedAt: at(1)}))
		ok(t, "PutModerator", st.PutModerator(ctx, ugc.Moderator{ChannelUserID: "x", UserID: "a", CreatedAt: at(1)}))
		ok(t, "PutModerator", st.PutModerator(ctx, ugc.Moderator{ChannelUserID: "b", UserID: "x", CreatedAt: at(1)}))
		ok(t, "PutModerator", st.PutModerator(ctx, ugc.Moderator{ChannelUserID: "b", UserID: "a", CreatedAt: at(1)}))
		ok(t, "PutBlockedTerms", st.PutBlockedTerms(ctx, "x", []string{"t"}))
		ok(t, "PutBlockedTerms", st.PutBlockedTerms(ctx, "b", []string{"t"}))
		ok(t, "DeleteModerationOf", st.DeleteModerationOf(ctx, "x"))
		ok(t, "DeleteModerationOf again (idempotent)", st.DeleteModerationOf(ctx, "x"))
		for _, p := range [][2]string{{"x", "a"}, {"b", "x"}} {
			_, err := st.GetBan(ctx, p[0], p[1])
			isErr(t, "GetBan "+p[0]+"/"+p[1], err, ugc.ErrNotFound, "")
			is, err := st.IsModerator(ctx, p[0], p[1])
			ok(t, "IsModerator", err)
			equal(t, "IsModerator "+p[0]+"/"+p[1], false, is)
		}
		_, err := st.GetBan(ctx, "b", "a")
		ok(t, "an unrelated ban survives", err)
		is, err := st.IsModerator(ctx, "b", "a")
		ok(t, "IsModerator", err)
		equal(t, "an unrelated moderator survives", true, is)
		terms, err := st.GetBlockedTerms(ctx, "x")
		ok(t, "GetBlockedTerms", err)
		equal(t, "len(GetBlockedTerms(x))", 0, len(terms))
		terms, err = st.GetBlockedTerms(ctx, "b")
		ok(t, "GetBlockedTerms", err)
		equal(t, "len(GetBlockedTerms(b))", 1, len(terms))
		bans, _, err := st.ListBans(ctx, "b", at(2), store.Page{})
		ok(t, "ListBans", err)
		equal(t, "len(ListBans(b))", 1, len(bans))
	}},
}

var actionsTests = []test{
	{"ActiveActionPutGetDelete", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.GetActiveAction(ctx, "c")
		isErr(t, "GetActiveAction before Put", err, ugc.ErrNotFound, "")
		a := &ugc.Action{ID: "a1", ChannelUserID: "c", Type: ugc.ActionNotice, Data: json.RawMessage(`{"title":"hi"}`),
			StartedAt: at(1), ExpiresAt: at(2)}
		ok(t, "PutActiveAction", st.PutActiveAction(ctx, a))
		got, err := st.GetActiveAction(ctx, "c")
		ok(t, "GetActiveAction (expired or not)", err)
		diff(t, "GetActiveAction", a, got)
		b := &ugc.Action{ID: "a2", ChannelUserID: "c", Type: ugc.ActionQuiz, Data: json.RawMessage(`{}`), StartedAt: at(3)}
		ok(t, "PutActiveAction replace", st.PutActiveAction(ctx, b))
		removed, err := st.DeleteActiveAction(ctx, "c", "a1")
		ok(t, "DeleteActiveAction of a replaced ID", err)
		equal(t, "DeleteActiveAction of a replaced ID removed", false, removed)
		got, err = st.GetActiveAction(ctx, "c")
		ok(t, "GetActiveAction", err)
		diff(t, "GetActiveAction after replace", b, got)
		removed, err = st.DeleteActiveAction(ctx, "c", "a2")
		ok(t, "DeleteActiveAction", err)
		equal(t, "DeleteActiveAction removed", true, removed)
		ok(t, "PutActiveAction", st.PutActiveAction(ctx, a))
		removed, err = st.DeleteActiveAction(ctx, "c", "")
		ok(t, "DeleteActiveAction with no ID", err)
		equal(t, "DeleteActiveAction with no ID removed", true, removed)
		removed, err = st.DeleteActiveAction(ctx, "c", "")
		ok(t, "DeleteActiveAction of nothing", err)
		equal(t, "DeleteActiveAction of nothing removed", false, removed)
	}},
	{"PresetsByType", func(t *testing.T, ctx context.Context, st store.Store) {
		ps := []ugc.Preset{
			{UserID: "u", Type: ugc.ActionQuiz, Data: json.RawMessage(`{"q":1}`), UpdatedAt: at(1)},
			{UserID: "u", Type: ugc.ActionCelebration, Data: json.RawMessage(`{}`), UpdatedAt: at(1)},
			{UserID: "v", Type: ugc.ActionNotice, Data: json.RawMessage(`{}`), UpdatedAt: at(1)},
		}
		for _, p := range ps {
			ok(t, "PutPreset", st.PutPreset(ctx, p))
		}
		ps[0].Data, ps[0].UpdatedAt = json.RawMessage(`{"q":2}`), at(2)
		ok(t, "PutPreset replace", st.PutPreset(ctx, ps[0]))
		got, err := st.ListPresets(ctx, "u")
		ok(t, "ListPresets", err)
		diff(t, "ListPresets", []ugc.Preset{ps[1], ps[0]}, got)
	}},
	{"RulesByID", func(t *testing.T, ctx context.Context, st store.Store) {
		rs := []ugc.Rule{
			{ID: "r2", ChannelUserID: "c", EventName: "Stream Start", PresetType: ugc.ActionNotice, Delay: 30e9, CreatedAt: at(1)},
			{ID: "r1", ChannelUserID: "c", EventName: "Stream End", PresetType: ugc.ActionQuiz, CreatedAt: at(2)},
			{ID: "r1", ChannelUserID: "d", EventName: "Stream End", PresetType: ugc.ActionQuiz, CreatedAt: at(2)},
		}
		for _, r := range rs {
			ok(t, "PutRule", st.PutRule(ctx, r))
		}
		got, err := st.ListRules(ctx, "c")
		ok(t, "ListRules", err)
		diff(t, "ListRules", []ugc.Rule{rs[1], rs[0]}, got)
		removed, err := st.DeleteRule(ctx, "c", "r1")
		ok(t, "DeleteRule", err)
		equal(t, "DeleteRule removed", true, removed)
		removed, err = st.DeleteRule(ctx, "c", "r1")
		ok(t, "DeleteRule again", err)
		equal(t, "DeleteRule again removed", false, removed)
		got, err = st.ListRules(ctx, "d")
		ok(t, "ListRules", err)
		diff(t, "ListRules of another channel", []ugc.Rule{rs[2]}, got)
	}},
	{"DeleteActionsOf", func(t *testing.T, ctx context.Context, st store.Store) {
		for _, u := range []string{"x", "y"} {
			ok(t, "PutActiveAction", st.PutActiveAction(ctx, &ugc.Action{ID: "a", ChannelUserID: u, Type: ugc.ActionNotice, StartedAt: at(1)}))
			ok(t, "PutPreset", st.PutPreset(ctx, ugc.Preset{UserID: u, Type: ugc.ActionNotice, UpdatedAt: at(1)}))
			ok(t, "PutRule", st.PutRule(ctx, ugc.Rule{ID: "r", ChannelUserID: u, EventName: "Stream Start", PresetType: ugc.ActionNotice}))
		}
		ok(t, "DeleteActionsOf", st.DeleteActionsOf(ctx, "x"))
		ok(t, "DeleteActionsOf again (idempotent)", st.DeleteActionsOf(ctx, "x"))
		_, err := st.GetActiveAction(ctx, "x")
		isErr(t, "GetActiveAction after DeleteActionsOf", err, ugc.ErrNotFound, "")
		for _, u := range []string{"x", "y"} {
			ps, err := st.ListPresets(ctx, u)
			ok(t, "ListPresets", err)
			rs, err := st.ListRules(ctx, u)
			ok(t, "ListRules", err)
			want := map[string]int{"x": 0, "y": 1}[u]
			equal(t, "len(ListPresets("+u+"))", want, len(ps))
			equal(t, "len(ListRules("+u+"))", want, len(rs))
		}
		_, err = st.GetActiveAction(ctx, "y")
		ok(t, "another channel's action survives", err)
	}},
}
