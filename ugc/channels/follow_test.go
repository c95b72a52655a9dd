package channels

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func TestChannelPage(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			owner := e.register(t, "owner")
			fan, banned, expired, stranger := e.register(t, "fan1"), e.register(t, "banned"), e.register(t, "expired"), e.register(t, "stranger")
			must(t, e.svc.Follow(ctx, fan.ID, "owner"))
			must(t, e.svc.Follow(ctx, banned.ID, "owner"))
			now := e.clock.Now()
			must(t, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: owner.ID, UserID: banned.ID, CreatedAt: now}))
			must(t, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: owner.ID, UserID: expired.ID, CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Minute)}))
			since := now.Add(-10 * time.Minute).Truncate(time.Millisecond)
			must(t, e.st.SetLive(ctx, ugc.LiveEntry{UserID: owner.ID, Kind: ugc.LiveLowLatency, Since: since, Ref: "st-1"}))
			must(t, e.st.CreateStageSession(ctx, &ugc.StageSession{ChannelUserID: owner.ID, StageArn: owner.Channel.StageArn, ID: "sess-1", StartedAt: now}))
			calls := len(e.srv.Calls())

			type view struct {
				Playback, Stage                  string
				Live                             bool
				Kind                             ugc.LiveKind
				Since                            time.Time
				StageActive                      bool
				Followers                        int64
				Following, Banned, PrivateFields bool
			}
			tests := []struct {
				name, viewer string
				want         view
			}{
				{"anonymous", "", view{owner.Channel.PlaybackURL, owner.Channel.StageArn, true, ugc.LiveLowLatency, since, true, 2, false, false, false}},
				{"follower", fan.ID, view{owner.Channel.PlaybackURL, owner.Channel.StageArn, true, ugc.LiveLowLatency, since, true, 2, true, false, false}},
				{"stranger", stranger.ID, view{owner.Channel.PlaybackURL, owner.Channel.StageArn, true, ugc.LiveLowLatency, since, true, 2, false, false, false}},
				{"banned follower", banned.ID, view{"", "", true, ugc.LiveLowLatency, since, true, 2, true, true, false}},
				{"expired ban", expired.ID, view{owner.Channel.PlaybackURL, owner.Channel.StageArn, true, ugc.LiveLowLatency, since, true, 2, false, false, false}},
				{"owner", owner.ID, view{owner.Channel.PlaybackURL, owner.Channel.StageArn, true, ugc.LiveLowLatency, since, true, 2, false, false, false}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					pg, err := e.svc.ChannelPage(ctx, "OWNER", tt.viewer)
					must(t, err)
					c := pg.User.Channel
					got := view{pg.PlaybackURL, pg.StageArn, pg.IsLive, pg.LiveKind, pg.LiveSince, pg.StageActive, pg.FollowerCount,
						pg.IsFollowing, pg.IsViewerBanned, pg.User.Email != "" || c.StreamKey != "" || c.StreamKeyArn != "" || c.IngestEndpoint != ""}
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("page mismatch (-want +got):\n%s", diff)
					}
					if pg.IsViewerBanned && (c.PlaybackURL != "" || c.StageArn != "") {
						t.Errorf("a banned viewer sees the playback URL or stage through User")
					}
				})
			}
			if n := len(e.srv.Calls()); n != calls {
				t.Errorf("ChannelPage made %d AWS calls, want none", n-calls)
			}
			if _, err := e.svc.ChannelPage(ctx, "nobody", ""); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("unknown channel: %v, want ErrNotFound", err)
			}
			// Offline, no stage.
			must(t, e.st.ClearLive(ctx, owner.ID, ugc.LiveLowLatency, ""))
			pg, err := e.svc.ChannelPage(ctx, "fan1", "")
			must(t, err)
			if pg.IsLive || pg.StageActive || pg.LiveKind != "" || pg.FollowerCount != 0 {
				t.Errorf("offline page = %+v", pg)
			}
		})
	}
}

func TestFollow(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			a, b := e.register(t, "aaaa"), e.register(t, "bbbb")
			count := func() int64 {
				n, err := e.st.FollowerCount(ctx, b.ID)
				must(t, err)
				return n
			}
			steps := []struct {
				name  string
				do    func() error
				kind  error
				count int64
			}{
				{"follow", func() error { return e.svc.Follow(ctx, a.ID, "BBBB") }, nil, 1},
				{"follow again", func() error { return e.svc.Follow(ctx, a.ID, "bbbb") }, nil, 1},
				{"self", func() error { return e.svc.Follow(ctx, b.ID, "bbbb") }, ugc.ErrInvalidArgument, 1},
				{"unknown", func() error { return e.svc.Follow(ctx, a.ID, "zzzz") }, ugc.ErrNotFound, 1},
				{"unfollow", func() error { return e.svc.Unfollow(ctx, a.ID, "bbbb") }, nil, 0},
				{"unfollow again", func() error { return e.svc.Unfollow(ctx, a.ID, "bbbb") }, nil, 0},
				{"unfollow unknown", func() error { return e.svc.Unfollow(ctx, a.ID, "zzzz") }, ugc.ErrNotFound, 0},
				{"unknown follower", func() error { return e.svc.Follow(ctx, "ghost", "bbbb") }, ugc.ErrNotFound, 0},
			}
			for _, st := range steps {
				err := st.do()
				if (st.kind == nil) != (err == nil) || (st.kind != nil && !errors.Is(err, st.kind)) {
					t.Errorf("%s: err = %v, want %v", st.name, err, st.kind)
				}
				if got := count(); got != st.count {
					t.Errorf("%s: follower count %d, want %d", st.name, got, st.count)
				}
			}
		})
	}
}

func names(list []ChannelSummary) []string {
	var out []string
	for _, c := range list {
		s := c.User.Username
		if c.Live != nil {
			s += ":" + string(c.Live.Kind)
		}
		out = append(out, s)
	}
	return out
}

// TestFollowingAndDirectory checks the following list order (live first by
// most recent start, then offline by most recently followed), the
// directory (each live channel once, most recent start first, with its
// kind) and paging with cursors.
func TestFollowingAndDirectory(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			viewer := e.register(t, "viewer")
			users := map[string]*ugc.User{}
			for i := range 6 {
				name := fmt.Sprintf("chan%d", i)
				users[name] = e.register(t, name)
			}
			// Followed in order chan0..chan5, a minute apart.
			for i := range 6 {
				e.clock.Advance(time.Minute)
				must(t, e.svc.Follow(ctx, viewer.ID, fmt.Sprintf("chan%d", i)))
			}
			base := e.clock.Now()
			live := func(name string, kind ugc.LiveKind, ago time.Duration) {
				must(t, e.st.SetLive(ctx, ugc.LiveEntry{UserID: users[name].ID, Kind: kind, Since: base.Add(-ago), Ref: name + string(kind)}))
			}
			live("chan1", ugc.LiveLowLatency, 30*time.Minute)
			live("chan3", ugc.LiveRealTime, 10*time.Minute)
			live("chan4", ugc.LiveLowLatency, 20*time.Minute)
			live("chan4", ugc.LiveRealTime, 5*time.Minute) // both kinds: listed once, by its latest start
			stranger := e.register(t, "stranger")
			must(t, e.st.SetLive(ctx, ugc.LiveEntry{UserID: stranger.ID, Kind: ugc.LiveLowLatency, Since: base.Add(-time.Minute), Ref: "s"}))

			wantFollowing := []string{"chan4:real_time", "chan3:real_time", "chan1:low_latency", "chan5", "chan2", "chan0"}
			wantDirectory := []string{"stranger:low_latency", "chan4:real_time", "chan3:real_time", "chan1:low_latency"}
			for _, limit := range []int{0, 1, 4, 100} {
				t.Run(fmt.Sprint("limit", limit), func(t *testing.T) {
					collect := func(list func(store.Page) ([]ChannelSummary, string, error)) []string {
						var all []string
						p := store.Page{Limit: limit}
						for range 20 {
							page, next, err := list(p)
							must(t, err)
							if limit > 0 && len(page) > limit {
								t.Errorf("page of %d, limit %d", len(page), limit)
							}
							all = append(all, names(page)...)
							if next == "" {
								return all
							}
							p.Cursor = next
						}
						t.Fatal("paging did not end")
						return nil
					}
					got := collect(func(p store.Page) ([]ChannelSummary, string, error) { return e.svc.Following(ctx, viewer.ID, p) })
					if diff := cmp.Diff(wantFollowing, got); diff != "" {
						t.Errorf("following mismatch (-want +got):\n%s", diff)
					}
					got = collect(func(p store.Page) ([]ChannelSummary, string, error) { return e.svc.Directory(ctx, p) })
					if diff := cmp.Diff(wantDirectory, got); diff != "" {
						t.Errorf("directory mismatch (-want +got):\n%s", diff)
					}
				})
			}
			page, _, err := e.svc.Following(ctx, viewer.ID, store.Page{})
			must(t, err)
			for _, c := range page {
				if c.FollowedAt.IsZero() || c.User.Channel.StreamKey != "" || c.User.Email != "" {
					t.Errorf("summary %q: FollowedAt %v, private fields exposed", c.User.Username, c.FollowedAt)
				}
			}
			if _, _, err := e.svc.Directory(ctx, store.Page{Limit: 101}); !errors.Is(err, ugc.ErrInvalidArgument) {
				t.Errorf("limit 101: %v, want ErrInvalidArgument", err)
			}
			if _, _, err := e.svc.Directory(ctx, store.Page{Cursor: "forged"}); !errors.Is(err, ugc.ErrInvalidArgument) {
				t.Errorf("forged cursor: %v, want ErrInvalidArgument", err)
			}
		})
	}
}

func TestPageLimitCap(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	for i := range 55 {
		u := &ugc.User{ID: fmt.Sprintf("id%02d", i), Username: fmt.Sprintf("user%02d", i), Email: fmt.Sprintf("u%d@example.com", i), CreatedAt: e.clock.Now()}
		must(t, e.st.CreateUser(ctx, u))
		must(t, e.st.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: e.clock.Now().Add(time.Duration(i) * time.Second), Ref: "r"}))
	}
	page, next, err := e.svc.Directory(ctx, store.Page{Limit: 100})
	must(t, err)
	if len(page) != MaxPageLimit || next == "" {
		t.Fatalf("first page: %d items, next %q; want %d and a cursor", len(page), next, MaxPageLimit)
	}
	rest, next, err := e.svc.Directory(ctx, store.Page{Limit: 100, Cursor: next})
	must(t, err)
	if len(rest) != 5 || next != "" {
		t.Errorf("second page: %d items, next %q; want 5 and none", len(rest), next)
	}
}
