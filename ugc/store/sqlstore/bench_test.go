package sqlstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// BenchmarkRecordVote records distinct votes from many goroutines on a
// file database; each acknowledged vote is committed to the WAL.
func BenchmarkRecordVote(b *testing.B) {
	ctx := context.Background()
	s, _ := openFile(b)
	p := &ugc.Poll{ID: "p", ChannelUserID: "c", Question: "?", Options: []string{"a", "b", "c"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}
	must(b, s.CreatePoll(ctx, p, t0))
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if err := s.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: fmt.Sprintf("v%d", i), Option: int(i % 3), At: t0}, t0); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

// BenchmarkAppendStreamEvent appends distinct events from many goroutines.
func BenchmarkAppendStreamEvent(b *testing.B) {
	ctx := context.Background()
	s, _ := openFile(b)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			ev := ugc.StreamEvent{ID: fmt.Sprintf("ev%d", i), SessionID: fmt.Sprintf("st%d", i%100), Time: t0.Add(time.Duration(i) * time.Millisecond),
				Type: "IVS Stream State Change", Name: "Stream Start"}
			if _, err := s.AppendStreamEvent(ctx, ev); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// seedLive makes n live channels (user IDs ch00000...), every tenth also
// live on its stage, started one second apart.
func seedLive(b *testing.B, s store.Store, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n {
		id := fmt.Sprintf("ch%05d", i*10)
		must(b, s.SetLive(ctx, ugc.LiveEntry{UserID: id, Kind: ugc.LiveLowLatency, Since: t0.Add(time.Duration(i) * time.Second), Ref: "st-" + id}))
		if i%10 == 0 {
			must(b, s.SetLive(ctx, ugc.LiveEntry{UserID: id, Kind: ugc.LiveRealTime, Since: t0.Add(time.Duration(i)*time.Second + time.Millisecond), Ref: "stage-" + id}))
		}
	}
}

// BenchmarkListLive reads the directory's first page (50) with 10,000 of
// 100,000 channels live (IDs ch00000..ch99990, every tenth).
func BenchmarkListLive(b *testing.B) {
	ctx := context.Background()
	s, _ := openFile(b)
	seedLive(b, s, 10_000)
	for b.Loop() {
		got, next, err := s.ListLive(ctx, store.Page{Limit: 50})
		if err != nil || len(got) != 50 || next == "" {
			b.Fatalf("ListLive = %d entries, %q, %v", len(got), next, err)
		}
	}
}

// BenchmarkListFollowing reads the first page (50) of the following list
// of a user who follows 1,000 channels, 100 of them live, among 10,000 live
// channels.
func BenchmarkListFollowing(b *testing.B) {
	ctx := context.Background()
	s, _ := openFile(b)
	seedLive(b, s, 10_000)
	for i := range 1000 {
		// 100 live channels (multiples of ten), 900 offline ones.
		id := fmt.Sprintf("ch%05d", i*10+5)
		if i < 100 {
			id = fmt.Sprintf("ch%05d", i*90)
		}
		_, err := s.Follow(ctx, ugc.Follow{FollowerID: "fan", ChannelUserID: id, FollowedAt: t0.Add(time.Duration(i) * time.Second)})
		must(b, err)
	}
	got, _, err := s.ListFollowing(ctx, "fan", store.Page{Limit: 100})
	must(b, err)
	live := 0
	for _, fc := range got {
		if fc.Live != nil {
			live++
		}
	}
	if live != 100 {
		b.Fatalf("the fan follows %d live channels, want 100", live)
	}
	for b.Loop() {
		got, next, err := s.ListFollowing(ctx, "fan", store.Page{Limit: 50})
		if err != nil || len(got) != 50 || next == "" {
			b.Fatalf("ListFollowing = %d entries, %q, %v", len(got), next, err)
		}
	}
}
