package cwsvc

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// testNow is the fixed time tests run at.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

type fixture struct {
	svc    *Service
	env    *emu.Env
	clock  *clock
	client *cloudwatch.Client
}

// newFixture starts the service behind an httptest server on 127.0.0.1 and
// returns an unmodified SDK client pointed at it.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	clk := &clock{now: testNow}
	env := emu.NewEnv("us-east-1", "123456789012")
	env.Now = clk.Now
	svc := New(env)
	env.Metrics = svc
	mux := http.NewServeMux()
	mux.Handle("/service/", svc)
	srv := httptest.NewServer(mux)
	tb.Cleanup(func() {
		srv.Close()
		svc.Close()
	})
	hc := &http.Client{Transport: &http.Transport{}}
	tb.Cleanup(hc.CloseIdleConnections)
	client := cloudwatch.New(cloudwatch.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
	})
	return &fixture{svc: svc, env: env, clock: clk, client: client}
}

func dims(kv ...string) []types.Dimension {
	var out []types.Dimension
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Dimension{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// dp is a Datapoint in a form cmp can compare.
type dp struct {
	T     time.Time
	Unit  string
	Stats map[string]float64
}

func datapoints(in []types.Datapoint) []dp {
	out := []dp{}
	for _, d := range in {
		x := dp{T: d.Timestamp.UTC(), Unit: string(d.Unit), Stats: map[string]float64{}}
		for name, v := range map[string]*float64{"Average": d.Average, "Sum": d.Sum, "Minimum": d.Minimum, "Maximum": d.Maximum, "SampleCount": d.SampleCount} {
			if v != nil {
				x.Stats[name] = *v
			}
		}
		for k, v := range d.ExtendedStatistics {
			x.Stats[k] = v
		}
		out = append(out, x)
	}
	return out
}

// result is a MetricDataResult in a form cmp can compare.
type result struct {
	ID, Label, Status string
	Points            []tv
}

type tv struct {
	T time.Time
	V float64
}

func results(in []types.MetricDataResult) []result {
	out := []result{}
	for _, r := range in {
		x := result{ID: aws.ToString(r.Id), Label: aws.ToString(r.Label), Status: string(r.StatusCode), Points: []tv{}}
		for i := range r.Timestamps {
			x.Points = append(x.Points, tv{r.Timestamps[i].UTC(), r.Values[i]})
		}
		out = append(out, x)
	}
	return out
}

// errCode returns the API error code of err, or "" for nil.
func errCode(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "non-API error: " + err.Error()
}

func metricStat(id, ns, name string, period int32, stat string, d ...types.Dimension) types.MetricDataQuery {
	return types.MetricDataQuery{Id: aws.String(id), MetricStat: &types.MetricStat{
		Metric: &types.Metric{Namespace: aws.String(ns), MetricName: aws.String(name), Dimensions: d},
		Period: aws.Int32(period), Stat: aws.String(stat)}}
}

func expression(id, e string) types.MetricDataQuery {
	return types.MetricDataQuery{Id: aws.String(id), Expression: aws.String(e)}
}
