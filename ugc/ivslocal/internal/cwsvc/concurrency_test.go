package cwsvc

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
)

// TestConcurrentWritesAndReads writes from several goroutines, some through
// the SDK, while others read; every point must be counted once.
func TestConcurrentWritesAndReads(t *testing.T) {
	f := newFixture(t)
	start := testNow.Add(-time.Hour)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 250 {
				f.svc.PutPoint(ns, "ConcurrentViews", map[string]string{"Channel": "c"}, start.Add(time.Duration(i*4+w)*time.Second), 1, "Count", 60)
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			_, err := f.client.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns),
				MetricData: []types.MetricDatum{{MetricName: aws.String("ConcurrentViews"), Dimensions: dims("Channel", "c"),
					Timestamp: aws.Time(start), Values: []float64{1}, Counts: []float64{25}, Unit: types.StandardUnitCount}}})
			if err != nil {
				t.Errorf("PutMetricData: %v", err)
			}
		})
		wg.Go(func() {
			if _, err := f.client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				StartTime: aws.Time(start), EndTime: aws.Time(testNow),
				MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "ConcurrentViews", 60, "SampleCount", dims("Channel", "c")...)},
			}); err != nil {
				t.Errorf("GetMetricData: %v", err)
			}
		})
	}
	wg.Wait()
	out, err := f.client.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String(ns), MetricName: aws.String("ConcurrentViews"), Dimensions: dims("Channel", "c"),
		StartTime: aws.Time(start), EndTime: aws.Time(testNow), Period: aws.Int32(3600), Statistics: []types.Statistic{types.StatisticSampleCount},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []dp{{start, "Count", map[string]float64{"SampleCount": 1100}}}
	if diff := cmp.Diff(want, datapoints(out.Datapoints)); diff != "" {
		t.Errorf("datapoints mismatch (-want +got):\n%s", diff)
	}
}
