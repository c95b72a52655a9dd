package ivslocal_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
)

// TestStreamMetricsInCloudWatch checks the wiring: a simulated stream
// publishes AWS/IVS points that the CloudWatch client (rpcv2Cbor, routed by
// path) reads back.
func TestStreamMetricsInCloudWatch(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	cw := cloudwatch.NewFromConfig(srv.AWSConfig())
	ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.StartStream(aws.ToString(ch.StreamKey.Value)); err != nil {
		t.Fatal(err)
	}
	id := channelID(ch.Channel.Arn)
	now := time.Now()
	var queries []cwtypes.MetricDataQuery
	names := []string{"IngestVideoBitrate", "IngestAudioBitrate", "IngestFramerate", "KeyframeInterval", "ConcurrentViews"}
	for i, name := range names {
		queries = append(queries, cwtypes.MetricDataQuery{
			Id: aws.String(string(rune('a' + i))),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String("AWS/IVS"), MetricName: aws.String(name),
					Dimensions: []cwtypes.Dimension{{Name: aws.String("Channel"), Value: aws.String(id)}}},
				Period: aws.Int32(5),
				Stat:   aws.String("Average"),
			},
		})
	}
	out, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Minute)), EndTime: aws.Time(now.Add(time.Minute)), MetricDataQueries: queries,
	})
	if err != nil {
		t.Fatalf("GetMetricData: %v", err)
	}
	if len(out.MetricDataResults) != len(names) {
		t.Fatalf("results = %d, want %d", len(out.MetricDataResults), len(names))
	}
	for i, r := range out.MetricDataResults {
		if len(r.Values) == 0 {
			t.Errorf("%s: no data point right after StartStream", names[i])
		}
	}
}

// TestPutMetricDataThroughAWSConfig checks that a CloudWatch client from
// AWSConfig (which gzips every PutMetricData body) round-trips a point.
func TestPutMetricDataThroughAWSConfig(t *testing.T) {
	srv := newServer(t)
	cw := cloudwatch.NewFromConfig(srv.AWSConfig())
	now := time.Now().Truncate(time.Second)
	dims := []cwtypes.Dimension{{Name: aws.String("Room"), Value: aws.String("r1")}}
	_, err := cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("UGC/Test"),
		MetricData: []cwtypes.MetricDatum{{
			MetricName: aws.String("Messages"), Dimensions: dims, Timestamp: aws.Time(now),
			Value: aws.Float64(42), Unit: cwtypes.StandardUnitCount, StorageResolution: aws.Int32(1),
		}},
	})
	if err != nil {
		t.Fatalf("PutMetricData: %v", err)
	}
	out, err := cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("UGC/Test"), MetricName: aws.String("Messages"), Dimensions: dims,
		StartTime: aws.Time(now.Add(-time.Minute)), EndTime: aws.Time(now.Add(time.Minute)),
		Period: aws.Int32(60), Statistics: []cwtypes.Statistic{cwtypes.StatisticSum},
	})
	if err != nil {
		t.Fatalf("GetMetricStatistics: %v", err)
	}
	var sum float64
	for _, dp := range out.Datapoints {
		sum += aws.ToFloat64(dp.Sum)
	}
	if sum != 42 {
		t.Errorf("sum = %v, want 42", sum)
	}
}
