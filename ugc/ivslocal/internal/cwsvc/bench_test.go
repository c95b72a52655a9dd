package cwsvc

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

const dayOf5s = 24 * 60 * 60 / 5 // 17,280 points

// writeDay writes a day of 5 s high-resolution points ending at testNow.
func writeDay(s *Service) {
	start := testNow.Add(-24 * time.Hour)
	d := map[string]string{"Channel": "abcdEFGH1234"}
	for i := range dayOf5s {
		s.PutPoint(ns, "IngestVideoBitrate", d, start.Add(time.Duration(i)*5*time.Second), float64(3_000_000+i%100), "Bits/Second", 1)
	}
}

func dayQuery() *cloudwatch.GetMetricDataInput {
	return &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(testNow.Add(-24 * time.Hour)), EndTime: aws.Time(testNow),
		MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "IngestVideoBitrate", 60, "Average", dims("Channel", "abcdEFGH1234")...)},
	}
}

// BenchmarkWriteDay5s stores a day of 5 s points through the metric sink.
func BenchmarkWriteDay5s(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.svc.Reset()
		writeDay(f.svc)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*dayOf5s), "ns/point")
}

// BenchmarkPutMetricDataDay5s writes a day of 5 s points through the SDK,
// 1000 data per request (18 requests, gzipped CBOR).
func BenchmarkPutMetricDataDay5s(b *testing.B) {
	f := newFixture(b)
	start := testNow.Add(-14 * 24 * time.Hour).Add(time.Hour) // PutMetricData accepts two weeks back
	var reqs []*cloudwatch.PutMetricDataInput
	for i := 0; i < dayOf5s; i += 1000 {
		in := &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns)}
		for j := i; j < min(i+1000, dayOf5s); j++ {
			in.MetricData = append(in.MetricData, types.MetricDatum{
				MetricName: aws.String("IngestVideoBitrate"), Dimensions: dims("Channel", "abcdEFGH1234"),
				Timestamp: aws.Time(start.Add(time.Duration(j) * 5 * time.Second)), Value: aws.Float64(float64(j)),
				Unit: types.StandardUnitBitsSecond, StorageResolution: aws.Int32(1),
			})
		}
		reqs = append(reqs, in)
	}
	b.ReportAllocs()
	for b.Loop() {
		f.svc.Reset()
		for _, in := range reqs {
			if _, err := f.client.PutMetricData(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReadDay60s reads a day of 5 s points back at a 60 s period
// (1,440 datapoints) with GetMetricData through the SDK.
func BenchmarkReadDay60s(b *testing.B) {
	f := newFixture(b)
	writeDay(f.svc)
	in := dayQuery()
	b.ReportAllocs()
	for b.Loop() {
		out, err := f.client.GetMetricData(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(out.MetricDataResults[0].Values); n != 1440 {
			b.Fatalf("got %d datapoints, want 1440", n)
		}
	}
}

// BenchmarkQueryDay60s is the store-level read of BenchmarkReadDay60s,
// without HTTP and CBOR.
func BenchmarkQueryDay60s(b *testing.B) {
	f := newFixture(b)
	writeDay(f.svc)
	key := seriesKey(ns, "IngestVideoBitrate", []dim{{"Channel", "abcdEFGH1234"}})
	start := testNow.Add(-24 * time.Hour).UnixMilli()
	b.ReportAllocs()
	for b.Loop() {
		if n := len(f.svc.store.query(key, start, testNow.UnixMilli(), 60_000, 0, -1, false, false)); n != 1440 {
			b.Fatalf("got %d buckets, want 1440", n)
		}
	}
}
