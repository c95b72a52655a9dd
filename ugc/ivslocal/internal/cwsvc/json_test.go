package cwsvc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// TestAWSJSONProtocol drives the service with a client switched to
// awsJson1_0, the protocol other SDKs may use.
func TestAWSJSONProtocol(t *testing.T) {
	env := emu.NewEnv("us-east-1", "123456789012")
	env.Now = func() time.Time { return testNow }
	svc := New(env)
	srv := httptest.NewServer(svc)
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(func() {
		hc.CloseIdleConnections()
		srv.Close()
	})
	client := cloudwatch.New(cloudwatch.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
		Protocol:         awsjson.New10(schemas.GraniteServiceVersion20100801),
	})
	ctx := context.Background()
	start := testNow.Add(-3 * time.Minute)
	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns), MetricData: []types.MetricDatum{
		{MetricName: aws.String("ConcurrentViews"), Timestamp: aws.Time(start.Add(1500 * time.Millisecond)), Value: aws.Float64(4), Unit: types.StandardUnitCount},
		{MetricName: aws.String("ConcurrentViews"), Timestamp: aws.Time(start.Add(time.Minute)), Values: []float64{1, 2}, Unit: types.StandardUnitCount},
	}})
	if err != nil {
		t.Fatalf("PutMetricData: %v", err)
	}
	gs, err := client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("ConcurrentViews"),
		StartTime: aws.Time(start), EndTime: aws.Time(testNow), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSum}})
	if err != nil {
		t.Fatalf("GetMetricStatistics: %v", err)
	}
	want := []dp{{start, "Count", map[string]float64{"Sum": 4}}, {start.Add(time.Minute), "Count", map[string]float64{"Sum": 3}}}
	if diff := cmp.Diff(want, datapoints(gs.Datapoints)); diff != "" {
		t.Errorf("datapoints mismatch (-want +got):\n%s", diff)
	}
	gd, err := client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(testNow),
		ScanBy:            types.ScanByTimestampAscending,
		MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "ConcurrentViews", 60, "Maximum"), expression("e", "FILL(m, REPEAT)")}})
	if err != nil {
		t.Fatalf("GetMetricData: %v", err)
	}
	wantR := []result{
		{"m", "ConcurrentViews", "Complete", []tv{{start, 4}, {start.Add(time.Minute), 2}}},
		{"e", "e", "Complete", []tv{{start, 4}, {start.Add(time.Minute), 2}, {start.Add(2 * time.Minute), 2}}},
	}
	if diff := cmp.Diff(wantR, results(gd.MetricDataResults)); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
	_, err = client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("ConcurrentViews"),
		StartTime: aws.Time(testNow), EndTime: aws.Time(start), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSum}})
	var ipv *types.InvalidParameterValueException
	if !errors.As(err, &ipv) || ipv.ErrorCode() != "InvalidParameterValue" {
		t.Errorf("StartTime after EndTime: got %T %v, want InvalidParameterValueException with code InvalidParameterValue", err, err)
	}
}
