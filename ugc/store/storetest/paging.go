package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// pageN is the number of items each paged list holds in the paging tests:
// not a multiple of the page sizes tried, with ties in every sort key.
const pageN = 23

// listSpec describes one paged list method for the paging tests.
type listSpec struct {
	name string
	// global lists take no owner argument.
	global bool
	// fill writes pageN items into the list of owner "o" (and others into
	// the list of owner "p") and returns the keys of o's list in order.
	fill func(t *testing.T, ctx context.Context, st store.Store) []string
	// list returns the keys of one page of owner's list.
	list func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error)
}

// item is a sort key of the paging tests: a time in seconds and an ID.
type item struct {
	t  int
	id string
}

// ids sorts items by time (descending when desc), ties by ID, and
// returns their IDs.
func ids(items []item, desc bool) []string {
	slices.SortFunc(items, func(a, b item) int {
		c := cmp.Compare(a.t, b.t)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.id
	}
	return out
}

// keys maps a page of values to their keys.
func keys[T any](vs []T, err error, next string, key func(T) string) ([]string, string, error) {
	if err != nil {
		return nil, "", err
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = key(v)
	}
	return out, next, nil
}

// id returns the i-th ID of a list: the order of IDs differs from the
// order of times, so ties are broken by ID visibly.
func id(prefix string, i int) string { return fmt.Sprintf("%s%02d", prefix, (i*7)%pageN) }

var listSpecs = []listSpec{
	{
		name: "ListJobs",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				j := &ugc.Job{Kind: "o", ID: id("j", i), Step: "s", UpdatedAt: at(i / 3)}
				ok(t, "PutJob", st.PutJob(ctx, j))
				items = append(items, item{i / 3, j.ID})
				ok(t, "PutJob", st.PutJob(ctx, &ugc.Job{Kind: "p", ID: j.ID, UpdatedAt: at(i / 3)}))
			}
			ok(t, "PutJob", st.PutJob(ctx, &ugc.Job{Kind: "o", ID: "late", UpdatedAt: at(1000)})) // not before updatedBefore
			return ids(items, false)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListJobs(ctx, owner, at(1000), p)
			return keys(vs, err, next, func(j *ugc.Job) string { return j.ID })
		},
	},
	{
		name: "ListFollowing",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var live, offline []item
			for i := range pageN {
				ch := id("c", i)
				follow(t, ctx, st, "o", ch, i/3)
				follow(t, ctx, st, "p", ch, i/3)
				if i%3 == 0 {
					setLive(t, ctx, st, ch, ugc.LiveLowLatency, 100+i/6, "st-"+ch)
					live = append(live, item{100 + i/6, ch})
				} else {
					offline = append(offline, item{i / 3, ch})
				}
			}
			return append(ids(live, true), ids(offline, true)...)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListFollowing(ctx, owner, p)
			return keys(vs, err, next, func(f ugc.FollowedChannel) string { return f.ChannelUserID })
		},
	},
	{
		name:   "ListLive",
		global: true,
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				u := id("l", i)
				setLive(t, ctx, st, u, ugc.LiveLowLatency, i/3, "st-"+u)
				if i%4 == 0 {
					setLive(t, ctx, st, u, ugc.LiveRealTime, i/3-1, "ss-"+u) // older: not the listed entry
				}
				items = append(items, item{i / 3, u})
			}
			return ids(items, true)
		},
		list: func(ctx context.Context, st store.Store, _ string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListLive(ctx, p)
			return keys(vs, err, next, func(e ugc.LiveEntry) string { return e.UserID })
		},
	},
	{
		name: "ListStreamSessions",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				s := newSession(id("st", i), "o", 1+i/3)
				putSession(t, ctx, st, s)
				items = append(items, item{1 + i/3, s.ID})
				putSession(t, ctx, st, newSession("p-"+s.ID, "p", 1+i/3))
			}
			putSession(t, ctx, st, newSession("unstarted", "o", 0))
			return ids(items, true)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListStreamSessions(ctx, owner, p)
			return keys(vs, err, next, func(s *ugc.StreamSession) string { return s.ID })
		},
	},
	{
		name: "ListStreamEvents",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				for _, sid := range []string{"o", "p"} {
					_, err := st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: id("e", i), SessionID: sid, Time: at(i / 3), Type: "t", Name: "n"})
					ok(t, "AppendStreamEvent", err)
				}
				items = append(items, item{i / 3, id("e", i)})
			}
			return ids(items, false)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListStreamEvents(ctx, owner, p)
			return keys(vs, err, next, func(e ugc.StreamEvent) string { return e.ID })
		},
	},
	{
		name: "ListBans",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				u := id("u", i)
				b := ugc.Ban{ChannelUserID: "o", UserID: u, CreatedAt: at(i / 3)}
				if i%5 == 0 {
					b.ExpiresAt = at(10) // expired at now: not listed
				} else {
					items = append(items, item{i / 3, u})
				}
				ok(t, "PutBan", st.PutBan(ctx, b))
				b.ChannelUserID = "p"
				ok(t, "PutBan", st.PutBan(ctx, b))
			}
			return ids(items, true)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListBans(ctx, owner, at(50), p)
			return keys(vs, err, next, func(b ugc.Ban) string { return b.UserID })
		},
	},
	{
		name: "ListModerators",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				u := id("m", i)
				for _, ch := range []string{"o", "p"} {
					ok(t, "PutModerator", st.PutModerator(ctx, ugc.Moderator{ChannelUserID: ch, UserID: u, CreatedAt: at(i / 3)}))
				}
				items = append(items, item{i / 3, u})
			}
			return ids(items, false)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListModerators(ctx, owner, p)
			return keys(vs, err, next, func(m ugc.Moderator) string { return m.UserID })
		},
	},
	{
		name:   "ListActiveStageSessions",
		global: true,
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				s := newStage(id("s", i), id("h", i), i/3)
				ok(t, "CreateStageSession", st.CreateStageSession(ctx, s))
				if i%5 == 0 {
					s.EndedAt = at(40) // ended: not listed
					ok(t, "UpdateStageSession", st.UpdateStageSession(ctx, s))
				} else {
					items = append(items, item{i / 3, s.ID})
				}
			}
			return ids(items, false)
		},
		list: func(ctx context.Context, st store.Store, _ string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListActiveStageSessions(ctx, p)
			return keys(vs, err, next, func(s *ugc.StageSession) string { return s.ID })
		},
	},
	{
		name: "ListJoinRequests",
		fill: func(t *testing.T, ctx context.Context, st store.Store) []string {
			var items []item
			for i := range pageN {
				for _, ch := range []string{"o", "p"} {
					ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, newRequest(ch+id("r", i), ch, id("u", i), i/3)))
				}
				items = append(items, item{i / 3, "o" + id("r", i)})
			}
			return ids(items, true)
		},
		list: func(ctx context.Context, st store.Store, owner string, p store.Page) ([]string, string, error) {
			vs, next, err := st.ListJoinRequests(ctx, owner, p)
			return keys(vs, err, next, func(r *ugc.JoinRequest) string { return r.ID })
		},
	},
}

// walk lists every page of owner's list with limit and checks the paging
// rules: no page longer than limit, no empty page before the last, and ""
// as the cursor of the last page.
func walk(t *testing.T, ctx context.Context, st store.Store, ls listSpec, owner string, limit int) []string {
	t.Helper()
	var all []string
	p := store.Page{Limit: limit}
	max := limit
	if max == 0 {
		max = store.DefaultPageLimit
	}
	for pages := 0; ; pages++ {
		if pages > pageN+1 {
			t.Fatalf("%s limit %d: more than %d pages", ls.name, limit, pageN+1)
		}
		got, next, err := ls.list(ctx, st, owner, p)
		if err != nil {
			t.Fatalf("%s limit %d page %d: %v", ls.name, limit, pages, err)
		}
		if len(got) > max {
			t.Errorf("%s limit %d page %d: %d items, more than the limit", ls.name, limit, pages, len(got))
		}
		all = append(all, got...)
		if next == "" {
			return all
		}
		if len(got) == 0 {
			t.Errorf("%s limit %d page %d: an empty page with a next cursor (the last page must have cursor \"\")", ls.name, limit, pages)
		}
		p.Cursor = next
	}
}

// firstCursor returns the cursor after the first two items of o's list.
func firstCursor(t *testing.T, ctx context.Context, st store.Store, ls listSpec) string {
	t.Helper()
	_, next, err := ls.list(ctx, st, "o", store.Page{Limit: 2})
	ok(t, ls.name+" first page", err)
	if next == "" {
		t.Fatalf("%s: first page of 2 of %d items has no next cursor", ls.name, pageN)
	}
	return next
}

// tamper returns edited forms of a cursor.
func tamper(c string) map[string]string {
	flip := func(i int) string {
		b := []byte(c)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	return map[string]string{
		"first byte flipped":  flip(0),
		"middle byte flipped": flip(len(c) / 2),
		"last byte flipped":   flip(len(c) - 1),
		"truncated":           c[:len(c)-1],
		"extended":            c + "A",
		"doubled":             c + c,
		"garbage":             "not-a-cursor",
		"very long":           strings.Repeat("A", 5000),
		"invalid UTF-8":       "\xff\xfe",
	}
}

func pagingTests() []test {
	var tests []test
	for _, ls := range listSpecs {
		tests = append(tests,
			test{ls.name + "/WalkAllPagesEveryLimit", func(t *testing.T, ctx context.Context, st store.Store) {
				want := ls.fill(t, ctx, st)
				for _, limit := range []int{1, 2, 5, pageN - 1, pageN, pageN + 1, 0, store.MaxPageLimit} {
					got := walk(t, ctx, st, ls, "o", limit)
					diff(t, fmt.Sprintf("%s all pages with limit %d", ls.name, limit), want, got)
				}
			}},
			test{ls.name + "/LastPageHasEmptyCursor", func(t *testing.T, ctx context.Context, st store.Store) {
				want := ls.fill(t, ctx, st)
				got, next, err := ls.list(ctx, st, "o", store.Page{Limit: len(want)})
				ok(t, ls.name, err)
				diff(t, ls.name+" one exact page", want, got)
				equal(t, "next cursor of a page that ends the list", "", next)
				got, next, err = ls.list(ctx, st, "nobody", store.Page{})
				ok(t, ls.name+" of an empty list", err)
				if !ls.global {
					equal(t, "len of an empty list", 0, len(got))
				}
				if !ls.global {
					equal(t, "next cursor of an empty list", "", next)
				}
			}},
			test{ls.name + "/BadLimit", func(t *testing.T, ctx context.Context, st store.Store) {
				ls.fill(t, ctx, st)
				for _, l := range []int{-1, store.MaxPageLimit + 1} {
					_, _, err := ls.list(ctx, st, "o", store.Page{Limit: l})
					isErr(t, fmt.Sprintf("%s limit %d", ls.name, l), err, ugc.ErrInvalidArgument, "")
				}
			}},
			test{ls.name + "/TamperedCursor", func(t *testing.T, ctx context.Context, st store.Store) {
				ls.fill(t, ctx, st)
				c := firstCursor(t, ctx, st, ls)
				for name, bad := range tamper(c) {
					_, _, err := ls.list(ctx, st, "o", store.Page{Limit: 2, Cursor: bad})
					isErr(t, ls.name+" with a cursor "+name, err, ugc.ErrInvalidArgument, "")
				}
			}},
			test{ls.name + "/CursorOfAnotherQuery", func(t *testing.T, ctx context.Context, st store.Store) {
				for _, other := range listSpecs {
					other.fill(t, ctx, st)
				}
				c := firstCursor(t, ctx, st, ls)
				if !ls.global {
					_, _, err := ls.list(ctx, st, "p", store.Page{Limit: 2, Cursor: c})
					isErr(t, ls.name+" of owner p with a cursor of owner o", err, ugc.ErrInvalidArgument, "")
				}
				for _, other := range listSpecs {
					if other.name == ls.name {
						continue
					}
					_, _, err := other.list(ctx, st, "o", store.Page{Limit: 2, Cursor: c})
					isErr(t, other.name+" with a cursor of "+ls.name, err, ugc.ErrInvalidArgument, "")
				}
			}},
		)
	}
	tests = append(tests,
		test{"ListFollowing/CursorSurvivesLiveChanges", func(t *testing.T, ctx context.Context, st store.Store) {
			// A channel that goes live or offline between pages may be
			// skipped or repeated; every other channel appears exactly once.
			want := listSpecs[1].fill(t, ctx, st)
			for step, change := range []func(ch string){
				func(ch string) { setLive(t, ctx, st, ch, ugc.LiveRealTime, 500, "ss-"+ch) },
				func(ch string) { ok(t, "ClearLive", st.ClearLive(ctx, ch, ugc.LiveLowLatency, "")) },
			} {
				seen := map[string]int{}
				p := store.Page{Limit: 3}
				changed := ""
				for pages := 0; ; pages++ {
					got, next, err := st.ListFollowing(ctx, "o", p)
					ok(t, "ListFollowing", err)
					for _, f := range got {
						seen[f.ChannelUserID]++
					}
					if pages == 1 {
						changed = want[len(want)/2+step]
						change(changed)
					}
					if next == "" || pages > pageN {
						break
					}
					p.Cursor = next
				}
				for _, ch := range want {
					if ch != changed && seen[ch] != 1 {
						t.Errorf("step %d: channel %s listed %d times, want once (changed: %s)", step, ch, seen[ch], changed)
					}
				}
			}
		}},
		test{"ListLive/CursorSurvivesChanges", func(t *testing.T, ctx context.Context, st store.Store) {
			want := listSpecs[2].fill(t, ctx, st)
			seen := map[string]int{}
			p := store.Page{Limit: 4}
			for pages := 0; ; pages++ {
				got, next, err := st.ListLive(ctx, p)
				ok(t, "ListLive", err)
				for _, e := range got {
					seen[e.UserID]++
				}
				if pages == 1 {
					// New and ended streams between pages never make
					// other channels repeat or vanish.
					setLive(t, ctx, st, "new-first", ugc.LiveLowLatency, 900, "x")
					setLive(t, ctx, st, "new-last", ugc.LiveLowLatency, -900, "x")
				}
				if next == "" || pages > pageN {
					break
				}
				p.Cursor = next
			}
			for _, u := range want {
				if seen[u] != 1 {
					t.Errorf("user %s listed %d times, want once", u, seen[u])
				}
			}
			equal(t, "times new-last (after the cursor) was listed", 1, seen["new-last"])
			equal(t, "times new-first (before the cursor) was listed", 0, seen["new-first"])
		}},
	)
	return tests
}
