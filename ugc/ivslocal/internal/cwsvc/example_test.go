package cwsvc_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/cwsvc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// A simulated stream publishes 5 s ingest points through the metric sink;
// the real CloudWatch client reads them back per minute.
func ExampleService_PutPoint() {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	env := emu.NewEnv("us-east-1", "123456789012")
	env.Now = func() time.Time { return now }
	svc := cwsvc.New(env)
	env.Metrics = svc
	srv := httptest.NewServer(svc)
	defer srv.Close()

	start := now.Add(-2 * time.Minute)
	for i := range 24 {
		env.Metrics.PutPoint("AWS/IVS", "IngestFramerate", map[string]string{"Channel": "abcdEFGH1234"},
			start.Add(time.Duration(i)*5*time.Second), float64(30-i%2), "Count/Second", 1)
	}

	client := cloudwatch.New(cloudwatch.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
	out, err := client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending,
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("fps"), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: aws.String("AWS/IVS"), MetricName: aws.String("IngestFramerate"),
				Dimensions: []types.Dimension{{Name: aws.String("Channel"), Value: aws.String("abcdEFGH1234")}}},
			Period: aws.Int32(60), Stat: aws.String("Average")}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := out.MetricDataResults[0]
	for i, t := range r.Timestamps {
		fmt.Println(t.UTC().Format(time.TimeOnly), r.Values[i])
	}
	// Output:
	// 11:58:00 29.5
	// 11:59:00 29.5
}
