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
