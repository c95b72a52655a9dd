package metrics_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// countingCloudWatch counts GetMetricData calls.
type countingCloudWatch struct {
	metrics.CloudWatchAPI
	mu    sync.Mutex
	calls int
}

func (c *countingCloudWatch) GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	return c.CloudWatchAPI.GetMetricData(ctx, in, opts...)
}

func (c *countingCloudWatch) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// The emulator streams; its events flow into Ingest; the session then shows
// its events, its encoder configuration and metrics, and an ended session's
// metrics come from the cache afterwards.
func TestEndToEndWithEmulator(t *testing.T) {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	cfg := srv.AWSConfig()
	ivsc := ivs.NewFromConfig(cfg)
	cw := &countingCloudWatch{CloudWatchAPI: cloudwatch.NewFromConfig(cfg)}
	st := memstore.New()
	svc, err := metrics.New(metrics.Options{Store: st, IVS: ivsc, CloudWatch: cw})
	if err != nil {
		t.Fatal(err)
	}

	ch, err := ivsc.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("e2e")})
	if err != nil {
		t.Fatal(err)
	}
	u := &ugc.User{ID: "u1", Username: "streamer", Email: "s@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: aws.ToString(ch.Channel.Arn)}}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var ingestErrs []error
	cancel := srv.Subscribe(func(ev ivslocal.Event) {
		raw, _ := json.Marshal(ev)
		if _, err := svc.Ingest(ctx, raw); err != nil {
			mu.Lock()
			ingestErrs = append(ingestErrs, err)
			mu.Unlock()
		}
	})
	defer cancel()

	channelArn, streamID, err := srv.StartStream(aws.ToString(ch.StreamKey.Value))
	if err != nil || channelArn != u.Channel.Arn {
		t.Fatalf("StartStream = %q, %q, %v", channelArn, streamID, err)
	}
	status, err := svc.LiveStatus(ctx, "u1")
	if err != nil || !status.IsBroadcasting {
		t.Fatalf("LiveStatus while streaming = %+v, %v", status, err)
	}
	if err := srv.SetStarvation(ugc.ChannelID(channelArn), true); err != nil {
		t.Fatal(err)
	}
	live, err := svc.Session(ctx, "u1", streamID)
	if err != nil {
		t.Fatal(err)
	}
	if !live.Session.IsLive() || live.Session.IsHealthy {
		t.Errorf("live session = %+v, want live and unhealthy", live.Session)
	}
	if err := srv.LimitBreach(ugc.ChannelID(channelArn), "Ingest Bitrate"); err != nil {
		t.Fatal(err)
	}
	if err := srv.EndStream(ugc.ChannelID(channelArn)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(ingestErrs) > 0 {
		t.Fatalf("ingest errors: %v", ingestErrs)
	}
	mu.Unlock()

	d, err := svc.Session(ctx, "u1", streamID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Session.IsLive() || !d.Session.HasErrorEvent {
		t.Errorf("ended session = %+v", d.Session)
	}
	names := map[string]bool{}
	for _, e := range d.Events {
		names[e.Name] = true
	}
	for _, want := range []string{"Session Created", "Stream Start", "Starvation Start", "Ingest Bitrate", "Stream End", "Session Ended"} {
		if !names[want] {
			t.Errorf("events lack %q: %+v", want, d.Events)
		}
	}
	var ingest struct {
		Video struct{ VideoWidth, TargetBitrate int64 }
		Audio struct{ Codec string }
	}
	if err := json.Unmarshal(d.IngestConfiguration, &ingest); err != nil || ingest.Video.VideoWidth == 0 || ingest.Audio.Codec == "" {
		t.Errorf("ingest configuration = %s (%v)", d.IngestConfiguration, err)
	}
	if len(d.Metrics) != 5 {
		t.Fatalf("got %d series, want 5", len(d.Metrics))
	}
	for _, s := range d.Metrics {
		if s.Period != 5 || len(s.Values) == 0 || len(s.Values) != len(s.Timestamps) || s.Average == nil {
			t.Errorf("series %s = %+v", s.Name, s)
		}
	}

	before := cw.count()
	again, err := svc.Session(ctx, "u1", streamID)
	if err != nil {
		t.Fatal(err)
	}
	if cw.count() != before {
		t.Errorf("an ended session's metrics were fetched again, not read from the cache")
	}
	if len(again.Metrics) != 5 || len(again.Metrics[0].Values) != len(d.Metrics[0].Values) {
		t.Errorf("cached metrics differ: %+v", again.Metrics)
	}
	if _, err := svc.Session(ctx, "someone-else", streamID); ugc.KindOf(err) != ugc.ErrNotFound {
		t.Errorf("another user's session: err = %v, want ErrNotFound", err)
	}
	list, next, err := svc.Sessions(ctx, "u1", store.Page{})
	if err != nil || len(list) != 1 || next != "" || list[0].ID != streamID {
		t.Errorf("Sessions = %+v, %q, %v", list, next, err)
	}
}

// Better cached data survives: once an ended session is cached whole, a
// later read, when CloudWatch only has coarser data, still returns it.
func TestCachedMetricsAreNeverDowngraded(t *testing.T) {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	cfg := srv.AWSConfig()
	ivsc := ivs.NewFromConfig(cfg)
	cw := &countingCloudWatch{CloudWatchAPI: cloudwatch.NewFromConfig(cfg)}
	st := memstore.New()
	now := time.Now()
	svc, err := metrics.New(metrics.Options{Store: st, IVS: ivsc, CloudWatch: cw, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := ivsc.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(ctx, &ugc.User{ID: "u1", Username: "streamer", Email: "s@example.com",
		Channel: ugc.Channel{Arn: aws.ToString(ch.Channel.Arn)}}); err != nil {
		t.Fatal(err)
	}
	cancel := srv.Subscribe(func(ev ivslocal.Event) {
		raw, _ := json.Marshal(ev)
		svc.Ingest(ctx, raw)
	})
	defer cancel()
	_, streamID, err := srv.StartStream(aws.ToString(ch.StreamKey.Value))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.EndStream(ugc.ChannelID(aws.ToString(ch.Channel.Arn))); err != nil {
		t.Fatal(err)
	}
	now = time.Now()
	first, err := svc.Session(ctx, "u1", streamID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.GetMetricsCache(ctx, streamID)
	if err != nil || c.Period != 5 {
		t.Fatalf("cache after first read = %+v, %v", c, err)
	}
	// Twenty days later CloudWatch would only serve 300 s data.
	now = now.Add(20 * 24 * time.Hour)
	calls := cw.count()
	later, err := svc.Session(ctx, "u1", streamID)
	if err != nil {
		t.Fatal(err)
	}
	if cw.count() != calls || later.Metrics[0].Period != 5 || len(later.Metrics[0].Values) != len(first.Metrics[0].Values) {
		t.Errorf("later read: %d CloudWatch calls, period %d; want the cached 5 s data", cw.count()-calls, later.Metrics[0].Period)
	}
	// A worse entry offered to the store directly is refused.
	stored, err := st.PutMetricsCache(ctx, ugc.MetricsCacheEntry{SessionID: streamID, Period: 300, Complete: true, Data: []byte(`[]`)})
	if err != nil || stored {
		t.Errorf("PutMetricsCache(coarser) = %v, %v; want refused", stored, err)
	}
}
