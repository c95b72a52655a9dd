package storetest

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// BenchHarnessMaker makes a Harness for one benchmark. Each sub-benchmark
// calls it once and makes one store.
type BenchHarnessMaker func(ctx context.Context, b *testing.B) (Harness, error)

// BenchOptions sizes the data sets of RunBenchmarks. Zero fields take the
// defaults, the sizes of the project's targets.
type BenchOptions struct {
	Channels      int // users in the directory benchmarks; default 100,000
	LiveChannels  int // of those, live; default 10,000
	Following     int // channels the following-list user follows; default 1,000
	FollowingLive int // of those, live; default 100
	Users         int // users in the lookup benchmarks; default 10,000
	// SetupParallelism bounds the goroutines that write the data sets;
	// default GOMAXPROCS. Set 1 for drivers that serialize writes anyway.
	SetupParallelism int
}

func (o *BenchOptions) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Channels, 100_000)
	def(&o.LiveChannels, 10_000)
	def(&o.Following, 1_000)
	def(&o.FollowingLive, 100)
	def(&o.Users, 10_000)
	def(&o.SetupParallelism, runtime.GOMAXPROCS(0))
	o.LiveChannels = min(o.LiveChannels, o.Channels)
	o.FollowingLive = min(o.FollowingLive, o.Following)
}

// RunBenchmarks runs the store benchmarks against the driver newHarness
// makes: RecordVote (reporting votes/s), ListLive (the directory's top 50
// and its second page), ListFollowing, AppendStreamEvent, Follow,
// GetUser and GetUserByUsername. Data sets are written before the timed
// loop; optFns can shrink them for slow drivers.
func RunBenchmarks(b *testing.B, newHarness BenchHarnessMaker, optFns ...func(*BenchOptions)) {
	var o BenchOptions
	for _, f := range optFns {
		f(&o)
	}
	o.defaults()
	benches := []struct {
		name string
		fn   func(b *testing.B, ctx context.Context, st store.Store, o BenchOptions)
	}{
		{"RecordVote", benchRecordVote},
		{"ListLive/Top50", benchListLive(false)},
		{"ListLive/Page2", benchListLive(true)},
		{"ListFollowing/First50", benchListFollowing},
		{"AppendStreamEvent", benchAppendStreamEvent},
		{"Follow", benchFollow},
		{"GetUser", benchGetUser(false)},
		{"GetUserByUsername", benchGetUser(true)},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			ctx := b.Context()
			h, err := newHarness(ctx, b)
			if err != nil {
				b.Fatalf("making harness: %v", err)
			}
			defer h.Close()
			st, err := h.MakeStore(ctx)
			if err != nil {
				b.Fatalf("making store: %v", err)
			}
			defer st.Close()
			bb.fn(b, ctx, st, o)
		})
	}
}

// cpuMeter measures the CPU time of a benchmark loop, a figure that
// stays meaningful when other processes load the machine (ns/op then
// counts the time the benchmark waited for a CPU).
type cpuMeter struct {
	start time.Duration
}

func startCPU() cpuMeter { return cpuMeter{processCPU()} }

// report adds the metric cpu-ns/op for n iterations.
func (m cpuMeter) report(b *testing.B, n int) {
	if m.start == 0 || n == 0 {
		return
	}
	b.ReportMetric(float64(processCPU()-m.start)/float64(n), "cpu-ns/op")
}

// loop runs f for every b.Loop iteration and reports cpu-ns/op; it returns
// the number of iterations.
func loop(b *testing.B, f func(i int) error) int {
	m := startCPU()
	n := 0
	for b.Loop() {
		if err := f(n); err != nil {
			b.Fatal(err)
		}
		n++
	}
	m.report(b, n)
	return n
}

// parallel runs f(0..n-1) with at most o.SetupParallelism goroutines.
func parallel(b *testing.B, o BenchOptions, n int, f func(i int) error) {
	b.Helper()
	var g errgroup.Group
	g.SetLimit(o.SetupParallelism)
	for i := range n {
		g.Go(func() error { return f(i) })
	}
	if err := g.Wait(); err != nil {
		b.Fatalf("setup: %v", err)
	}
}

func benchUserID(i int) string { return fmt.Sprintf("user-%06d", i) }

// createUsers writes n users named user-000000... .
func createUsers(b *testing.B, ctx context.Context, st store.Store, o BenchOptions, n int) {
	b.Helper()
	parallel(b, o, n, func(i int) error {
		id := benchUserID(i)
		return st.CreateUser(ctx, &ugc.User{ID: id, Username: "u" + strconv.Itoa(i), Email: id + "@example.com",
			Color: "blue", Avatar: "bear", CreatedAt: t0})
	})
}

func benchRecordVote(b *testing.B, ctx context.Context, st store.Store, _ BenchOptions) {
	p := &ugc.Poll{ID: "poll", ChannelUserID: "c", Question: "q", Options: []string{"a", "b", "c", "d"},
		StartedAt: t0, EndsAt: t0.Add(24 * time.Hour)}
	if err := st.CreatePoll(ctx, p, t0); err != nil {
		b.Fatal(err)
	}
	now := t0.Add(time.Second)
	m := startCPU()
	n := loop(b, func(i int) error {
		return st.RecordVote(ctx, ugc.Vote{PollID: "poll", UserID: "v" + strconv.Itoa(i), Option: i & 3, At: now}, now)
	})
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "votes/s")
	if cpu := processCPU() - m.start; m.start != 0 && cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "votes/cpu-s")
	}
	got, err := st.GetPoll(ctx, "poll")
	if err != nil {
		b.Fatal(err)
	}
	if got.Total() != int64(n) {
		b.Fatalf("poll total = %d after %d votes", got.Total(), n)
	}
}

func benchListLive(page2 bool) func(b *testing.B, ctx context.Context, st store.Store, o BenchOptions) {
	return func(b *testing.B, ctx context.Context, st store.Store, o BenchOptions) {
		createUsers(b, ctx, st, o, o.Channels)
		// Every tenth channel is live, with distinct starts and some ties.
		step := max(1, o.Channels/o.LiveChannels)
		parallel(b, o, o.LiveChannels, func(i int) error {
			return st.SetLive(ctx, ugc.LiveEntry{UserID: benchUserID(i * step), Kind: ugc.LiveLowLatency,
				Since: t0.Add(time.Duration(i/2) * time.Second), Ref: "st-" + strconv.Itoa(i)})
		})
		p := store.Page{Limit: 50}
		if page2 {
			_, next, err := st.ListLive(ctx, p)
			if err != nil {
				b.Fatal(err)
			}
			p.Cursor = next
		}
		want := min(50, max(0, o.LiveChannels-map[bool]int{false: 0, true: 50}[page2]))
		got, _, err := st.ListLive(ctx, p)
		if err != nil || len(got) != want {
			b.Fatalf("ListLive: %d entries, %v; want %d", len(got), err, want)
		}
		loop(b, func(int) error { _, _, err := st.ListLive(ctx, p); return err })
	}
}

func benchListFollowing(b *testing.B, ctx context.Context, st store.Store, o BenchOptions) {
	// Other users stream too: the live index holds twice as many
	// channels as the user follows, most of them not followed.
	createUsers(b, ctx, st, o, o.Following*2)
	parallel(b, o, o.Following, func(i int) error {
		_, err := st.Follow(ctx, ugc.Follow{FollowerID: "viewer", ChannelUserID: benchUserID(2 * i),
			FollowedAt: t0.Add(time.Duration(i) * time.Second)})
		return err
	})
	// Users 0, 2*step, 4*step... (followed) and every odd user (not
	// followed) are live.
	step := max(1, o.Following/o.FollowingLive)
	parallel(b, o, o.FollowingLive+o.Following, func(i int) error {
		uid := benchUserID(2*i + 1)
		if i < o.FollowingLive {
			uid = benchUserID(2 * i * step)
		}
		return st.SetLive(ctx, ugc.LiveEntry{UserID: uid, Kind: ugc.LiveLowLatency,
			Since: t0.Add(time.Duration(i) * time.Second), Ref: "st-" + strconv.Itoa(i)})
	})
	got, _, err := st.ListFollowing(ctx, "viewer", store.Page{Limit: 50})
	if err != nil || len(got) != min(50, o.Following) || got[0].Live == nil {
		b.Fatalf("ListFollowing: %d entries, %v", len(got), err)
	}
	loop(b, func(int) error { _, _, err := st.ListFollowing(ctx, "viewer", store.Page{Limit: 50}); return err })
}

func benchAppendStreamEvent(b *testing.B, ctx context.Context, st store.Store, _ BenchOptions) {
	loop(b, func(n int) error {
		_, err := st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: "ev-" + strconv.Itoa(n), SessionID: "st-1",
			Time: t0.Add(time.Duration(n) * time.Millisecond), Type: "IVS Stream State Change", Name: "Stream Start"})
		return err
	})
}

func benchFollow(b *testing.B, ctx context.Context, st store.Store, _ BenchOptions) {
	loop(b, func(n int) error {
		_, err := st.Follow(ctx, ugc.Follow{FollowerID: "f" + strconv.Itoa(n%1000), ChannelUserID: "c" + strconv.Itoa(n/1000),
			FollowedAt: t0})
		return err
	})
}

func benchGetUser(byName bool) func(b *testing.B, ctx context.Context, st store.Store, o BenchOptions) {
	return func(b *testing.B, ctx context.Context, st store.Store, o BenchOptions) {
		createUsers(b, ctx, st, o, o.Users)
		keys := make([]string, o.Users)
		for i := range keys {
			if byName {
				keys[i] = "U" + strconv.Itoa(i) // another case than stored
			} else {
				keys[i] = benchUserID(i)
			}
		}
		loop(b, func(n int) error {
			var err error
			if byName {
				_, err = st.GetUserByUsername(ctx, keys[n%len(keys)])
			} else {
				_, err = st.GetUser(ctx, keys[n%len(keys)])
			}
			return err
		})
	}
}
