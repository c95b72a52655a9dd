package realtime_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
)

// BenchmarkReserveSeat measures seat reservations on each store driver:
// "sequential" reserves and releases one seat per iteration; "race20"
// has 20 goroutines race for the 11 guest seats of a fresh session per
// iteration (11 win, 9 get stage_full). Target: ≥ 1,000 reservations/s
// on sqlstore.
func BenchmarkReserveSeat(b *testing.B) {
	for _, driver := range drivers {
		b.Run(driver+"/sequential", func(b *testing.B) {
			st := openStore(b, driver)
			ctx := context.Background()
			now := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				seat := ugc.Seat{SessionID: "s1", UserID: "u1", ReservedAt: now, ExpiresAt: now.Add(time.Minute)}
				if err := st.ReserveSeat(ctx, seat, realtime.GuestSeats, now); err != nil {
					b.Fatal(err)
				}
				if _, err := st.ReleaseSeat(ctx, "s1", "u1"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
		})
		b.Run(driver+"/race20", func(b *testing.B) {
			st := openStore(b, driver)
			ctx := context.Background()
			now := time.Now()
			session := 0
			var won atomic.Int64
			for b.Loop() {
				session++
				sid := fmt.Sprintf("s%d", session)
				var g errgroup.Group
				for i := range 20 {
					g.Go(func() error {
						seat := ugc.Seat{SessionID: sid, UserID: fmt.Sprintf("u%d", i), ReservedAt: now, ExpiresAt: now.Add(time.Minute)}
						err := st.ReserveSeat(ctx, seat, realtime.GuestSeats, now)
						if err == nil {
							won.Add(1)
							return nil
						}
						if ugc.CodeOf(err) != "stage_full" {
							return err
						}
						return nil
					})
				}
				if err := g.Wait(); err != nil {
					b.Fatal(err)
				}
			}
			if got := won.Load(); got != int64(b.N)*realtime.GuestSeats {
				b.Fatalf("%d seats won in %d races, want %d each", got, b.N, realtime.GuestSeats)
			}
			b.ReportMetric(float64(won.Load())/b.Elapsed().Seconds(), "reservations/s")
		})
	}
}

// BenchmarkPublishToken measures the whole publish-token path (checks,
// invite verification, seat reservation, CreateParticipantToken against
// ivslocal, seat update) followed by the participant leaving. Target:
// ≥ 200 tokens/s on sqlstore.
func BenchmarkPublishToken(b *testing.B) {
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			e := newEnv(b, driver)
			host := e.register("host0")
			guests := e.users("guest", 11)
			e.start(host)
			ctx := context.Background()
			inv, err := e.svc.CreateInvite(ctx, host.ID, 0)
			if err != nil {
				b.Fatal(err)
			}
			stage := ugc.ChannelID(host.Channel.StageArn)
			i := 0
			for b.Loop() {
				u := guests[i%len(guests)]
				i++
				tok, err := e.svc.PublishToken(ctx, u.ID, "host0", inv.Code)
				if err != nil {
					b.Fatal(err)
				}
				pid, err := e.srv.JoinStage(stage, tok.Token.Reveal())
				if err != nil {
					b.Fatal(err)
				}
				if err := e.srv.LeaveStage(stage, pid); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
