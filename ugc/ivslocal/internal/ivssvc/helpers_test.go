package ivssvc_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixture is an ivslocal server (whose IVS service is this package) with an
// unmodified SDK client from its AWSConfig, a controllable clock and an
// event recorder.
type fixture struct {
	srv    *ivslocal.Server
	client *ivs.Client
	clock  *clock
	events *recorder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	srv := ivslocal.NewServer(ivslocal.WithRegion("us-west-2"), ivslocal.WithAccount("123456789012"), ivslocal.WithClock(c.Now))
	rec := &recorder{}
	srv.Subscribe(rec.add)
	t.Cleanup(func() { srv.Close() })
	return &fixture{srv: srv, client: ivs.NewFromConfig(srv.AWSConfig()), clock: c, events: rec}
}

// createChannel creates a channel named name and returns it with its key.
func (f *fixture) createChannel(t *testing.T, in *ivs.CreateChannelInput) (*types.Channel, *types.StreamKey) {
	t.Helper()
	if in == nil {
		in = &ivs.CreateChannelInput{}
	}
	out, err := f.client.CreateChannel(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateChannel: %v", err)
	}
	return out.Channel, out.StreamKey
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// point is one metric point a sink received.
type point struct {
	Namespace, Name string
	Dims            map[string]string
	Value           float64
	Unit            string
	Res             int
}

// sink records metric points.
type sink struct {
	mu     sync.Mutex
	points []point
}

func (s *sink) PutPoint(namespace, name string, dims map[string]string, _ time.Time, value float64, unit string, res int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.points = append(s.points, point{namespace, name, dims, value, unit, res})
}

func (s *sink) list() []point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]point(nil), s.points...)
}

// recorder records events.
type recorder struct {
	mu     sync.Mutex
	events []emu.Event
}

func (r *recorder) add(ev emu.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) list() []emu.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]emu.Event(nil), r.events...)
}

// names returns "detail-type/event_name" of each recorded event.
func (r *recorder) names() []string {
	var out []string
	for _, ev := range r.list() {
		n, _ := ev.Detail["event_name"].(string)
		if n == "" {
			n, _ = ev.Detail["limit_name"].(string)
		}
		out = append(out, ev.DetailType+"/"+n)
	}
	return out
}

func jsonDecode(s string, v any) error { return json.Unmarshal([]byte(s), v) }
