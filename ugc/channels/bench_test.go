package channels

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func reportRate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkChannelPage reads a live channel's page as a follower who is
// checked for a ban: the hot path of a viewer (targets: 100,000/s on
// memstore, 20,000/s on sqlstore).
func BenchmarkChannelPage(b *testing.B) {
	for _, driver := range drivers {
		e := newEnv(b, driver)
		ctx := context.Background()
		owner, viewer, other := e.register(b, "owner"), e.register(b, "viewer"), e.register(b, "other")
		must(b, e.svc.Follow(ctx, viewer.ID, "owner"))
		must(b, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: owner.ID, UserID: other.ID, CreatedAt: e.clock.Now()}))
		must(b, e.st.SetLive(ctx, ugc.LiveEntry{UserID: owner.ID, Kind: ugc.LiveLowLatency, Since: e.clock.Now(), Ref: "s"}))
		b.Run(driver, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.svc.ChannelPage(ctx, "owner", viewer.ID); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, "pages/s")
		})
		cached := e.newService(b, func(o *Options) { o.PageCacheTTL, o.Now = time.Second, time.Now })
		b.Run(driver+"/cached-1s", func(b *testing.B) {
			for b.Loop() {
				if _, err := cached.ChannelPage(ctx, "owner", viewer.ID); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, "pages/s")
		})
		b.Run(driver+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := e.svc.ChannelPage(ctx, "owner", viewer.ID); err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportRate(b, "pages/s")
		})
	}
}

// BenchmarkRegister provisions one user (channel + key, room, stage, user
// record) against ivslocal over loopback HTTP.
func BenchmarkRegister(b *testing.B) {
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			e := newEnv(b, driver)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				name := fmt.Sprintf("user%d", i)
				if _, err := e.svc.Register(ctx, RegisterInput{Username: name, Email: name + "@example.com"}); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, "users/s")
		})
	}
}

// populate stores n users (without AWS resources) of which every tenth is
// live, and makes viewer follow follows of them, spread over the range.
func populate(b *testing.B, st store.Store, n, follows int, now time.Time) (viewer string) {
	b.Helper()
	ctx := context.Background()
	viewer = "viewer"
	must(b, st.CreateUser(ctx, &ugc.User{ID: viewer, Username: "viewer", Email: "viewer@example.com", CreatedAt: now}))
	step := n / follows
	for i := range n {
		id := fmt.Sprintf("u%06d", i)
		u := &ugc.User{ID: id, Username: "user" + id, Email: id + "@example.com", Color: "blue", Avatar: "bear", CreatedAt: now,
			Channel: ugc.Channel{Arn: "arn:aws:ivs:us-east-1:123456789012:channel/" + id, PlaybackURL: "https://example.com/" + id + ".m3u8"}}
		must(b, st.CreateUser(ctx, u))
		if i%10 == 0 {
			kind := ugc.LiveLowLatency
			if i%20 == 0 {
				kind = ugc.LiveRealTime
			}
			must(b, st.SetLive(ctx, ugc.LiveEntry{UserID: id, Kind: kind, Since: now.Add(-time.Duration(i) * time.Second), Ref: id}))
		}
		if i%step == 0 {
			_, err := st.Follow(ctx, ugc.Follow{FollowerID: viewer, ChannelUserID: id, FollowedAt: now.Add(-time.Duration(i) * time.Millisecond)})
			must(b, err)
		}
	}
	return viewer
}

// BenchmarkLists reads the first page of 50 of a following list (1,000
// follows) and of the directory (10,000 live channels) in a store of
// 100,000 users.
func BenchmarkLists(b *testing.B) {
	const users, follows = 100_000, 1_000
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			e := newEnv(b, driver)
			ctx := context.Background()
			viewer := populate(b, e.st, users, follows, e.clock.Now())
			b.Run("following", func(b *testing.B) {
				for b.Loop() {
					list, _, err := e.svc.Following(ctx, viewer, store.Page{})
					if err != nil || len(list) != MaxPageLimit {
						b.Fatal(len(list), err)
					}
				}
				reportRate(b, "pages/s")
			})
			b.Run("directory", func(b *testing.B) {
				for b.Loop() {
					list, _, err := e.svc.Directory(ctx, store.Page{})
					if err != nil || len(list) != MaxPageLimit {
						b.Fatal(len(list), err)
					}
				}
				reportRate(b, "pages/s")
			})
			b.Run("directory-page-100", func(b *testing.B) {
				// A page deep in the directory, reached through cursors once.
				p := store.Page{}
				for range 100 {
					_, next, err := e.svc.Directory(ctx, p)
					must(b, err)
					p.Cursor = next
				}
				for b.Loop() {
					if _, _, err := e.svc.Directory(ctx, p); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, "pages/s")
			})
		})
	}
}
