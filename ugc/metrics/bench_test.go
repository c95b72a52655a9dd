package metrics_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// BenchmarkIngest measures events ingested per second: each iteration is a
// new event of a long session (target ≥ 5,000/s on sqlstore).
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	drivers := map[string]func(b *testing.B) store.Store{
		"memstore": func(*testing.B) store.Store { return memstore.New() },
		"sqlstore": func(b *testing.B) store.Store {
			st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "ugc.db"))
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
	}
	for _, name := range []string{"memstore", "sqlstore"} {
		b.Run(name, func(b *testing.B) {
			st := drivers[name](b)
			defer st.Close()
			srv := ivslocal.NewServer()
			defer srv.Close()
			cfg := srv.AWSConfig()
			svc, err := metrics.New(metrics.Options{Store: st, IVS: ivs.NewFromConfig(cfg), CloudWatch: cloudwatch.NewFromConfig(cfg)})
			if err != nil {
				b.Fatal(err)
			}
			if err := st.CreateUser(ctx, &ugc.User{ID: "u1", Username: "streamer", Email: "s@example.com",
				Channel: ugc.Channel{Arn: testChannelArn}}); err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Ingest(ctx, stateEvent("start", "Stream Start", "st-bench", t0)); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				i++
				raw := breachEvent(fmt.Sprintf("ev-%d", i), "st-bench", t0.Add(time.Duration(i)*time.Millisecond))
				if _, err := svc.Ingest(ctx, raw); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkSessionDetail reads a session whose channel has a day of 5 s
// points in CloudWatch: "live" reads the last 3 hours at 5 s from
// CloudWatch each time (never cached); "ended" reads the whole day, which
// is served from the cache after the first read.
func BenchmarkSessionDetail(b *testing.B) {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	cfg := srv.AWSConfig()
	cw := cloudwatch.NewFromConfig(cfg)
	ivsc := ivs.NewFromConfig(cfg)
	ch, err := ivsc.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		b.Fatal(err)
	}
	channelID := ugc.ChannelID(aws.ToString(ch.Channel.Arn))
	end := time.Now().Truncate(time.Minute)
	start := end.Add(-24 * time.Hour)
	names := []string{"IngestVideoBitrate", "IngestFramerate", "KeyframeInterval", "ConcurrentViews", "IngestAudioBitrate"}
	var batch []cwtypes.MetricDatum
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if _, err := cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("AWS/IVS"), MetricData: batch}); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for t := start; t.Before(end); t = t.Add(5 * time.Second) {
		for i, n := range names {
			batch = append(batch, cwtypes.MetricDatum{
				MetricName: aws.String(n), Timestamp: aws.Time(t), Value: aws.Float64(float64(1000 * (i + 1))),
				StorageResolution: aws.Int32(1),
				Dimensions:        []cwtypes.Dimension{{Name: aws.String("Channel"), Value: aws.String(channelID)}},
			})
		}
		if len(batch) >= 500 {
			flush()
		}
	}
	flush()

	for _, tc := range []struct {
		name string
		end  time.Time
	}{{"live", time.Time{}}, {"ended", end}} {
		b.Run(tc.name, func(b *testing.B) {
			st := memstore.New()
			svc, err := metrics.New(metrics.Options{Store: st, IVS: ivsc, CloudWatch: cw})
			if err != nil {
				b.Fatal(err)
			}
			if err := st.CreateUser(ctx, &ugc.User{ID: "u1", Username: "streamer", Email: "s@example.com",
				Channel: ugc.Channel{Arn: aws.ToString(ch.Channel.Arn)}}); err != nil {
				b.Fatal(err)
			}
			sess := &ugc.StreamSession{ID: "st-day", UserID: "u1", ChannelArn: aws.ToString(ch.Channel.Arn), StartTime: start, EndTime: tc.end, IsHealthy: true}
			if _, err := st.PutStreamSession(ctx, sess, 0); err != nil {
				b.Fatal(err)
			}
			points := 0
			for b.Loop() {
				d, err := svc.Session(ctx, "u1", "st-day")
				if err != nil {
					b.Fatal(err)
				}
				points = len(d.Metrics[0].Values)
			}
			b.ReportMetric(float64(points), "points/series")
		})
	}
}
