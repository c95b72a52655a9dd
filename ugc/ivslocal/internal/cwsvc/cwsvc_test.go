package cwsvc

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/fxamacker/cbor/v2"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "AWS/IVS"

func TestPutMetricDataValidation(t *testing.T) {
	ok := func(d types.MetricDatum) types.MetricDatum {
		if d.MetricName == nil {
			d.MetricName = aws.String("IngestFramerate")
		}
		return d
	}
	tests := []struct {
		name      string
		namespace string
		datum     types.MetricDatum
		want      string
	}{
		{"single value", ns, ok(types.MetricDatum{Value: aws.Float64(1)}), ""},
		{"values and counts", ns, ok(types.MetricDatum{Values: []float64{1, 2}, Counts: []float64{3, 4}}), ""},
		{"statistic set", ns, ok(types.MetricDatum{StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(2), Sum: aws.Float64(3), Minimum: aws.Float64(1), Maximum: aws.Float64(2)}}), ""},
		{"high resolution", ns, ok(types.MetricDatum{Value: aws.Float64(1), StorageResolution: aws.Int32(1)}), ""},
		{"namespace starting with colon", ":bad", ok(types.MetricDatum{Value: aws.Float64(1)}), "InvalidParameterValue"},
		{"no value", ns, ok(types.MetricDatum{}), "MissingParameter"},
		{"value and statistic set", ns, ok(types.MetricDatum{Value: aws.Float64(1), StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(1), Sum: aws.Float64(1), Minimum: aws.Float64(1), Maximum: aws.Float64(1)}}), "InvalidParameterCombination"},
		{"value and values", ns, ok(types.MetricDatum{Value: aws.Float64(1), Values: []float64{1}}), "InvalidParameterCombination"},
		{"counts of another length", ns, ok(types.MetricDatum{Values: []float64{1, 2}, Counts: []float64{1}}), "InvalidParameterValue"},
		{"too many values", ns, ok(types.MetricDatum{Values: make([]float64, 151)}), "InvalidParameterValue"},
		{"NaN", ns, ok(types.MetricDatum{Value: aws.Float64(math.NaN())}), "InvalidParameterValue"},
		{"infinity", ns, ok(types.MetricDatum{Value: aws.Float64(math.Inf(1))}), "InvalidParameterValue"},
		{"out of range", ns, ok(types.MetricDatum{Value: aws.Float64(math.Pow(2, 361))}), "InvalidParameterValue"},
		{"unknown unit", ns, ok(types.MetricDatum{Value: aws.Float64(1), Unit: "Furlongs"}), "InvalidParameterValue"},
		{"resolution 5", ns, ok(types.MetricDatum{Value: aws.Float64(1), StorageResolution: aws.Int32(5)}), "InvalidParameterValue"},
		{"timestamp 15 days old", ns, ok(types.MetricDatum{Value: aws.Float64(1), Timestamp: aws.Time(testNow.Add(-15 * 24 * time.Hour))}), "InvalidParameterValue"},
		{"timestamp 3 hours ahead", ns, ok(types.MetricDatum{Value: aws.Float64(1), Timestamp: aws.Time(testNow.Add(3 * time.Hour))}), "InvalidParameterValue"},
		{"minimum above maximum", ns, ok(types.MetricDatum{StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(2), Sum: aws.Float64(3), Minimum: aws.Float64(5), Maximum: aws.Float64(2)}}), "InvalidParameterValue"},
		{"zero sample count", ns, ok(types.MetricDatum{StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(0), Sum: aws.Float64(0), Minimum: aws.Float64(0), Maximum: aws.Float64(0)}}), "InvalidParameterValue"},
		{"empty dimension value", ns, ok(types.MetricDatum{Value: aws.Float64(1), Dimensions: dims("Channel", "")}), "InvalidParameterValue"},
		{"duplicate dimension", ns, ok(types.MetricDatum{Value: aws.Float64(1), Dimensions: dims("Channel", "a", "Channel", "b")}), "InvalidParameterValue"},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{
				Namespace: aws.String(tt.namespace), MetricData: []types.MetricDatum{tt.datum}})
			if diff := cmp.Diff(tt.want, errCode(err)); diff != "" {
				t.Errorf("error code mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestErrorsAreTypedExceptions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String(ns), MetricName: aws.String("m"),
		StartTime: aws.Time(testNow), EndTime: aws.Time(testNow.Add(-time.Hour)), Period: aws.Int32(60),
		Statistics: []types.Statistic{types.StatisticAverage},
	})
	var ipv *types.InvalidParameterValueException
	if !errors.As(err, &ipv) {
		t.Fatalf("GetMetricStatistics with StartTime after EndTime: got %T %v, want *types.InvalidParameterValueException", err, err)
	}
	if diff := cmp.Diff("InvalidParameterValue", ipv.ErrorCode()); diff != "" {
		t.Errorf("code mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("The parameter StartTime must be before EndTime.", ipv.ErrorMessage()); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}

	_, err = f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String(ns), MetricName: aws.String("m"),
		StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), Period: aws.Int32(60),
		Statistics: []types.Statistic{types.StatisticAverage}, ExtendedStatistics: []string{"p99"},
	})
	var ipc *types.InvalidParameterCombinationException
	if !errors.As(err, &ipc) {
		t.Errorf("Statistics with ExtendedStatistics: got %T %v, want *types.InvalidParameterCombinationException", err, err)
	}

	_, err = f.client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), NextToken: aws.String("garbage"),
		MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "x", 60, "Sum")},
	})
	var bad *types.InvalidNextToken
	if !errors.As(err, &bad) {
		t.Errorf("bad NextToken: got %T %v, want *types.InvalidNextToken", err, err)
	}

	_, err = f.client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow),
		MetricDataQueries: []types.MetricDataQuery{expression("e", "SEARCH('x', 'Sum', 60)")},
	})
	var ve *types.ValidationException
	if !errors.As(err, &ve) || ve.ErrorCode() != "ValidationError" {
		t.Errorf("unsupported expression: got %T %v, want *types.ValidationException with code ValidationError", err, err)
	}

	f.env.Faults.Add(emu.Fault{Operation: "PutMetricData", Error: "InternalServiceError", Message: "boom"})
	_, err = f.client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns),
		MetricData: []types.MetricDatum{{MetricName: aws.String("m"), Value: aws.Float64(1)}}})
	var isf *types.InternalServiceFault
	if !errors.As(err, &isf) || isf.ErrorMessage() != "boom" {
		t.Errorf("injected fault: got %T %v, want *types.InternalServiceFault with message boom", err, err)
	}

	_, err = f.client.ListMetrics(ctx, &cloudwatch.ListMetricsInput{})
	if diff := cmp.Diff("UnknownOperationException", errCode(err)); diff != "" {
		t.Errorf("unimplemented operation: code mismatch (-want +got):\n%s", diff)
	}

	var got []string
	for _, c := range f.env.Calls.List() {
		got = append(got, c.Operation+":"+c.Error)
	}
	want := []string{
		"GetMetricStatistics:InvalidParameterValue", "GetMetricStatistics:InvalidParameterCombination",
		"GetMetricData:InvalidNextToken", "GetMetricData:ValidationError",
		"PutMetricData:InternalServiceError", "ListMetrics:UnknownOperationException",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("call log mismatch (-want +got):\n%s", diff)
	}
}

func TestGetMetricStatisticsAggregation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := testNow.Add(-10 * time.Minute) // 11:50:00
	put := func(d types.MetricDatum) {
		t.Helper()
		d.MetricName = aws.String("ConcurrentViews")
		d.Dimensions = dims("Channel", "abcdEFGH1234")
		if _, err := f.client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns), MetricData: []types.MetricDatum{d}}); err != nil {
			t.Fatalf("PutMetricData: %v", err)
		}
	}
	// Minute 11:50: 1, 2, 3, 4 as single values and a Values/Counts datum.
	for i, v := range []float64{1, 2, 3, 4} {
		put(types.MetricDatum{Value: aws.Float64(v), Unit: types.StandardUnitCount, Timestamp: aws.Time(base.Add(time.Duration(i) * 10 * time.Second))})
	}
	put(types.MetricDatum{Values: []float64{10, 20}, Counts: []float64{1, 3}, Unit: types.StandardUnitCount, Timestamp: aws.Time(base.Add(50 * time.Second))})
	// Minute 11:51: a statistic set.
	put(types.MetricDatum{StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(4), Sum: aws.Float64(40), Minimum: aws.Float64(5), Maximum: aws.Float64(15)},
		Unit: types.StandardUnitCount, Timestamp: aws.Time(base.Add(70 * time.Second))})
	// Minute 11:52: a value in another unit.
	put(types.MetricDatum{Value: aws.Float64(7), Unit: types.StandardUnitPercent, Timestamp: aws.Time(base.Add(130 * time.Second))})

	in := func(period int32, unit types.StandardUnit, stats []types.Statistic, ext []string) *cloudwatch.GetMetricStatisticsInput {
		return &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String(ns), MetricName: aws.String("ConcurrentViews"), Dimensions: dims("Channel", "abcdEFGH1234"),
			StartTime: aws.Time(base), EndTime: aws.Time(testNow), Period: aws.Int32(period), Unit: unit,
			Statistics: stats, ExtendedStatistics: ext,
		}
	}
	all := []types.Statistic{types.StatisticAverage, types.StatisticSum, types.StatisticMinimum, types.StatisticMaximum, types.StatisticSampleCount}
	tests := []struct {
		name string
		in   *cloudwatch.GetMetricStatisticsInput
		want []dp
	}{
		{"per minute, every statistic, split by unit", in(60, "", all, nil), []dp{
			{base, "Count", map[string]float64{"Average": 80.0 / 8, "Sum": 80, "Minimum": 1, "Maximum": 20, "SampleCount": 8}},
			{base.Add(time.Minute), "Count", map[string]float64{"Average": 10, "Sum": 40, "Minimum": 5, "Maximum": 15, "SampleCount": 4}},
			{base.Add(2 * time.Minute), "Percent", map[string]float64{"Average": 7, "Sum": 7, "Minimum": 7, "Maximum": 7, "SampleCount": 1}},
		}},
		{"unit filter", in(300, types.StandardUnitCount, []types.Statistic{types.StatisticSum, types.StatisticSampleCount}, nil), []dp{
			{base, "Count", map[string]float64{"Sum": 120, "SampleCount": 12}},
		}},
		{"percentiles of exact values", in(60, types.StandardUnitCount, nil, []string{"p50", "p99", "p12.5"}), []dp{
			// values 1 2 3 4 10 20 20 20: nearest rank.
			{base, "Count", map[string]float64{"p50": 4, "p99": 20, "p12.5": 1}},
			// a statistic set has no percentiles.
			{base.Add(time.Minute), "Count", map[string]float64{}},
		}},
		{"10 second period", in(10, types.StandardUnitCount, []types.Statistic{types.StatisticSum}, nil), []dp{
			{base, "Count", map[string]float64{"Sum": 1}},
			{base.Add(10 * time.Second), "Count", map[string]float64{"Sum": 2}},
			{base.Add(20 * time.Second), "Count", map[string]float64{"Sum": 3}},
			{base.Add(30 * time.Second), "Count", map[string]float64{"Sum": 4}},
			{base.Add(50 * time.Second), "Count", map[string]float64{"Sum": 70}},
			{base.Add(70 * time.Second), "Count", map[string]float64{"Sum": 40}},
		}},
		{"unknown metric", &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("Nope"),
			StartTime: aws.Time(base), EndTime: aws.Time(testNow), Period: aws.Int32(60), Statistics: all}, []dp{}},
		{"dimensions must match exactly", &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("ConcurrentViews"),
			StartTime: aws.Time(base), EndTime: aws.Time(testNow), Period: aws.Int32(60), Statistics: all}, []dp{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.client.GetMetricStatistics(ctx, tt.in)
			if err != nil {
				t.Fatalf("GetMetricStatistics: %v", err)
			}
			if diff := cmp.Diff(tt.want, datapoints(out.Datapoints)); diff != "" {
				t.Errorf("datapoints mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(aws.ToString(tt.in.MetricName), aws.ToString(out.Label)); diff != "" {
				t.Errorf("label mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPeriodRules(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name   string
		age    time.Duration // of StartTime
		period int32
		want   string
		first  time.Time // timestamp of the first datapoint when no error
	}{
		{"1 s within 3 h", 2 * time.Hour, 1, "", testNow.Add(-2 * time.Hour)},
		{"5 s within 3 h, start rounded down to 5 s", 2*time.Hour + 7*time.Second, 5, "", testNow.Add(-2*time.Hour - 10*time.Second)},
		{"7 s is never valid", time.Hour, 7, "InvalidParameterValue", time.Time{}},
		{"90 s is never valid", time.Hour, 90, "InvalidParameterValue", time.Time{}},
		{"5 s older than 3 h", 4 * time.Hour, 5, "InvalidParameterValue", time.Time{}},
		{"60 s older than 3 h", 4*time.Hour + 30*time.Second, 60, "", testNow.Add(-4*time.Hour - time.Minute)},
		{"60 s at 14 days", 14 * day, 60, "", testNow.Add(-14 * day)},
		{"60 s older than 15 days", 16 * day, 60, "InvalidParameterValue", time.Time{}},
		{"300 s older than 15 days", 16*day + 2*time.Minute, 300, "", testNow.Add(-16*day - 5*time.Minute)},
		{"300 s older than 63 days", 64 * day, 300, "InvalidParameterValue", time.Time{}},
		{"3600 s older than 63 days", 64*day + 20*time.Minute, 3600, "", testNow.Add(-64*day - time.Hour)},
		{"7200 s older than 63 days", 100 * day, 7200, "", testNow.Add(-100 * day)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			start := testNow.Add(-tt.age)
			// Points every second around the start, high resolution.
			for i := -3600; i < 3600; i += 1 {
				f.svc.PutPoint(ns, "IngestVideoBitrate", map[string]string{"Channel": "c"}, start.Add(time.Duration(i)*time.Second), 1, "Bits/Second", 1)
			}
			out, err := f.client.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
				Namespace: aws.String(ns), MetricName: aws.String("IngestVideoBitrate"), Dimensions: dims("Channel", "c"),
				StartTime: aws.Time(start), EndTime: aws.Time(start.Add(time.Duration(tt.period) * 10 * time.Second)),
				Period: aws.Int32(tt.period), Statistics: []types.Statistic{types.StatisticSampleCount},
			})
			if diff := cmp.Diff(tt.want, errCode(err)); diff != "" {
				t.Fatalf("error mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil {
				return
			}
			if len(out.Datapoints) == 0 {
				t.Fatalf("no datapoints")
			}
			if diff := cmp.Diff(tt.first, out.Datapoints[0].Timestamp.UTC()); diff != "" {
				t.Errorf("first timestamp mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRollupAndRetention(t *testing.T) {
	f := newFixture(t)
	day := 24 * time.Hour
	// 5 s points, value 2, over an hour 20 days ago and an hour 500 days ago.
	for _, age := range []time.Duration{20 * day, 500 * day} {
		for i := 0; i < 720; i++ {
			f.svc.PutPoint(ns, "IngestFramerate", map[string]string{"Channel": "c"}, testNow.Add(-age+time.Duration(i)*5*time.Second), 2, "Count/Second", 1)
		}
	}
	// A minute later the next write rolls the series up.
	f.clock.Set(testNow.Add(time.Minute))
	f.svc.PutPoint(ns, "IngestFramerate", map[string]string{"Channel": "c"}, testNow, 2, "Count/Second", 1)

	f.svc.store.mu.RLock()
	var pts []point
	for _, se := range f.svc.store.series {
		pts = append(pts, se.pts...)
	}
	f.svc.store.mu.RUnlock()
	// 20 days old: 12 five-minute aggregates of 60 points; 500 days old: gone.
	if diff := cmp.Diff(13, len(pts)); diff != "" {
		t.Fatalf("stored point count mismatch (-want +got):\n%s", diff)
	}
	for _, p := range pts[:12] {
		if p.n != 60 || p.sum != 120 {
			t.Errorf("aggregate at %v: n=%v sum=%v, want 60 and 120", time.UnixMilli(p.t).UTC(), p.n, p.sum)
		}
	}

	for _, tt := range []struct {
		name string
		age  time.Duration
		want []dp
	}{
		{"rolled-up data read at 3600 s", 20 * day, []dp{{testNow.Add(-20 * day), "Count/Second", map[string]float64{"SampleCount": 720, "Average": 2}}}},
		{"expired data", 500 * day, []dp{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.client.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
				Namespace: aws.String(ns), MetricName: aws.String("IngestFramerate"), Dimensions: dims("Channel", "c"),
				StartTime: aws.Time(testNow.Add(-tt.age)), EndTime: aws.Time(testNow.Add(-tt.age + time.Hour)), Period: aws.Int32(3600),
				Statistics: []types.Statistic{types.StatisticSampleCount, types.StatisticAverage},
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, datapoints(out.Datapoints)); diff != "" {
				t.Errorf("datapoints mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tooMany := make([]types.MetricDataQuery, 501)
	for i := range tooMany {
		tooMany[i] = metricStat("m"+string(rune('a'+i%26))+string(rune('a'+i/26)), ns, "x", 60, "Sum")
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"1440 datapoints", func() error {
			_, err := f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("x"),
				StartTime: aws.Time(testNow.Add(-24 * time.Hour)), EndTime: aws.Time(testNow), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSum}})
			return err
		}, ""},
		{"1441 datapoints", func() error {
			_, err := f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("x"),
				StartTime: aws.Time(testNow.Add(-24*time.Hour - time.Minute)), EndTime: aws.Time(testNow), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSum}})
			return err
		}, "InvalidParameterCombination"},
		{"6 statistics", func() error {
			_, err := f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("x"),
				StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), Period: aws.Int32(60),
				Statistics: []types.Statistic{"Sum", "Sum", "Sum", "Sum", "Sum", "Sum"}})
			return err
		}, "InvalidParameterValue"},
		{"bad percentile", func() error {
			_, err := f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("x"),
				StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), Period: aws.Int32(60), ExtendedStatistics: []string{"p101"}})
			return err
		}, "InvalidParameterValue"},
		{"no statistics", func() error {
			_, err := f.client.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String("x"),
				StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), Period: aws.Int32(60)})
			return err
		}, "MissingParameter"},
		{"500 queries", func() error {
			_, err := f.client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), MetricDataQueries: tooMany[:500]})
			return err
		}, ""},
		{"501 queries", func() error {
			_, err := f.client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow), MetricDataQueries: tooMany})
			return err
		}, "InvalidParameterValue"},
		{"FILL over more than 100,800 periods", func() error {
			_, err := f.client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(testNow.Add(-time.Hour)), EndTime: aws.Time(testNow.Add(48 * time.Hour)),
				MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "x", 1, "Sum"), expression("e", "FILL(m, 0)")}})
			return err
		}, "ValidationError"},
		{"1001 metric data", func() error {
			md := make([]types.MetricDatum, 1001)
			for i := range md {
				md[i] = types.MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(1)}
			}
			_, err := f.client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns), MetricData: md})
			return err
		}, "InvalidParameterValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if diff := cmp.Diff(tt.want, errCode(err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestWire(t *testing.T) {
	env := emu.NewEnv("us-east-1", "123456789012")
	env.Now = func() time.Time { return testNow }
	svc := New(env)
	body, err := cbor.Marshal(map[string]any{
		"Namespace": ns,
		"MetricData": []any{map[string]any{
			"MetricName": "ConcurrentViews", "Value": 3,
			"Timestamp": cbor.Tag{Number: 1, Content: float64(testNow.Add(-time.Minute).Unix())},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(body)
	zw.Close()

	tests := []struct {
		name       string
		method     string
		path       string
		gzip       bool
		body       []byte
		wantStatus int
		wantType   string // __type of an error body
		wantQuery  string // X-Amzn-Query-Error
	}{
		{"gzip body", http.MethodPost, PathPrefix + "PutMetricData", true, gz.Bytes(), 200, "", ""},
		{"plain body", http.MethodPost, PathPrefix + "PutMetricData", false, body, 200, "", ""},
		{"malformed CBOR", http.MethodPost, PathPrefix + "PutMetricData", false, []byte{0xff, 0x00}, 400,
			"com.amazonaws.cloudwatch#InvalidParameterValueException", "InvalidParameterValue;Sender"},
		{"wrong path", http.MethodPost, "/service/Other/operation/PutMetricData", false, body, 404, "com.amazonaws.cloudwatch#UnknownOperationException", "UnknownOperationException;Sender"},
		{"GET", http.MethodGet, PathPrefix + "PutMetricData", false, nil, 404, "com.amazonaws.cloudwatch#UnknownOperationException", "UnknownOperationException;Sender"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, bytes.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/cbor")
			req.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
			if tt.gzip {
				req.Header.Set("Content-Encoding", "gzip")
			}
			rec := httptest.NewRecorder()
			svc.ServeHTTP(rec, req)
			type got struct {
				Status              int
				Protocol, CT, Query string
				Type                string
			}
			g := got{Status: rec.Code, Protocol: rec.Header().Get("Smithy-Protocol"), CT: rec.Header().Get("Content-Type"), Query: rec.Header().Get("X-Amzn-Query-Error")}
			var m map[string]any
			if err := cbor.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatalf("response is not CBOR: %v", err)
			}
			if ty, ok := m["__type"].(string); ok {
				g.Type = ty
			}
			want := got{Status: tt.wantStatus, Protocol: "rpc-v2-cbor", CT: "application/cbor", Query: tt.wantQuery, Type: tt.wantType}
			if diff := cmp.Diff(want, g); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
	bs := svc.store.query(seriesKey(ns, "ConcurrentViews", nil), 0, testNow.UnixMilli(), 60_000, 0, -1, false, false)
	if diff := cmp.Diff(1, len(bs)); diff != "" {
		t.Fatalf("bucket count mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(2.0, bs[0].agg.n); diff != "" {
		t.Errorf("stored sample count mismatch (-want +got):\n%s", diff)
	}
}

func TestMetricSink(t *testing.T) {
	f := newFixture(t)
	var sink emu.MetricSink = f.env.Metrics
	sink.PutPoint(ns, "IngestVideoBitrate", map[string]string{"Channel": "c"}, testNow.Add(-10*time.Second), 3000, "Bits/Second", 1)
	sink.PutPoint(ns, "IngestVideoBitrate", map[string]string{"Channel": "c"}, testNow.Add(-5*time.Second), 5000, "Bits/Second", 1)
	out, err := f.client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(testNow.Add(-time.Minute)), EndTime: aws.Time(testNow),
		MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "IngestVideoBitrate", 5, "Average", dims("Channel", "c")...)},
		ScanBy:            types.ScanByTimestampAscending,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []result{{ID: "m", Label: "IngestVideoBitrate", Status: "Complete", Points: []tv{
		{testNow.Add(-10 * time.Second), 3000}, {testNow.Add(-5 * time.Second), 5000},
	}}}
	if diff := cmp.Diff(want, results(out.MetricDataResults)); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
}

func TestRetentionWithoutRollup(t *testing.T) {
	f := newFixture(t)
	old := testNow.Add(-456 * 24 * time.Hour)
	// One write only: the series is never rolled up, so retention applies at
	// read time.
	f.svc.PutPoint(ns, "LiveDeliveredTime", nil, old, 60, "Seconds", 60)
	out, err := f.client.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String(ns), MetricName: aws.String("LiveDeliveredTime"),
		StartTime: aws.Time(old.Add(-time.Hour)), EndTime: aws.Time(old.Add(time.Hour)), Period: aws.Int32(3600),
		Statistics: []types.Statistic{types.StatisticSum},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dp{}, datapoints(out.Datapoints)); diff != "" {
		t.Errorf("datapoints mismatch (-want +got):\n%s", diff)
	}
}
