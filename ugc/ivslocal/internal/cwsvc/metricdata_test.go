package cwsvc

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
)

// seedGaps writes one value per minute at minutes 0, 1, 3 and 6 of the
// 8-minute window before testNow: 10, 20, 40, 70.
func seedGaps(f *fixture) (start time.Time) {
	start = testNow.Add(-8 * time.Minute)
	for m, v := range map[int]float64{0: 10, 1: 20, 3: 40, 6: 70} {
		f.svc.PutPoint(ns, "ConcurrentViews", map[string]string{"Channel": "c"}, start.Add(time.Duration(m)*time.Minute+15*time.Second), v, "Count", 60)
	}
	// A second metric that starts late, at minute 2.
	f.svc.PutPoint(ns, "Late", nil, start.Add(2*time.Minute), 5, "Count", 60)
	f.svc.PutPoint(ns, "Late", nil, start.Add(4*time.Minute), 9, "Count", 60)
	return start
}

func points(start time.Time, vals map[int]float64, minutes ...int) []tv {
	out := []tv{}
	for _, m := range minutes {
		out = append(out, tv{start.Add(time.Duration(m) * time.Minute), vals[m]})
	}
	return out
}

func seq(vals ...float64) map[int]float64 {
	m := map[int]float64{}
	for i, v := range vals {
		m[i] = v
	}
	return m
}

func TestGetMetricDataExpressions(t *testing.T) {
	f := newFixture(t)
	start := seedGaps(f)
	m := metricStat("m", ns, "ConcurrentViews", 60, "Sum", dims("Channel", "c")...)
	hidden := m
	hidden.ReturnData = aws.Bool(false)
	late := metricStat("late", ns, "Late", 60, "Sum")
	late.ReturnData = aws.Bool(false)
	all := []int{0, 1, 2, 3, 4, 5, 6, 7}
	tests := []struct {
		name    string
		queries []types.MetricDataQuery
		want    []result
	}{
		{"metric alone", []types.MetricDataQuery{m}, []result{
			{"m", "ConcurrentViews", "Complete", points(start, map[int]float64{0: 10, 1: 20, 3: 40, 6: 70}, 0, 1, 3, 6)},
		}},
		{"FILL REPEAT", []types.MetricDataQuery{hidden, expression("e", "FILL(m, REPEAT)")}, []result{
			{"e", "e", "Complete", points(start, seq(10, 20, 20, 40, 40, 40, 70, 70), all...)},
		}},
		{"FILL REPEAT with a leading gap", []types.MetricDataQuery{late, expression("e", "FILL(late, REPEAT)")}, []result{
			{"e", "e", "Complete", points(start, seq(5, 5, 5, 5, 9, 9, 9, 9), all...)},
		}},
		{"FILL number", []types.MetricDataQuery{hidden, expression("e", "FILL(m, 0)")}, []result{
			{"e", "e", "Complete", points(start, seq(10, 20, 0, 40, 0, 0, 70, 0), all...)},
		}},
		{"FILL LINEAR", []types.MetricDataQuery{hidden, expression("e", "FILL(m, LINEAR)")}, []result{
			{"e", "e", "Complete", points(start, seq(10, 20, 30, 40, 50, 60, 70, 70), all...)},
		}},
		{"TIME_SERIES(AVG(m))", []types.MetricDataQuery{hidden, expression("e", "TIME_SERIES(AVG(m))")}, []result{
			{"e", "e", "Complete", points(start, seq(35, 35, 35, 35, 35, 35, 35, 35), all...)},
		}},
		{"arithmetic and label", []types.MetricDataQuery{hidden, {Id: aws.String("e"), Expression: aws.String("(m * 2 + 1) / 1"), Label: aws.String("doubled")}}, []result{
			{"e", "doubled", "Complete", points(start, map[int]float64{0: 21, 1: 41, 3: 81, 6: 141}, 0, 1, 3, 6)},
		}},
		{"scalar minus series", []types.MetricDataQuery{hidden, expression("e", "MAX(m) - m")}, []result{
			{"e", "e", "Complete", points(start, map[int]float64{0: 60, 1: 50, 3: 30, 6: 0}, 0, 1, 3, 6)},
		}},
		{"expression of an expression", []types.MetricDataQuery{hidden, expression("e2", "e1 - 10"), expression("e1", "ABS(-FILL(m, 1))")}, []result{
			{"e2", "e2", "Complete", points(start, seq(0, 10, -9, 30, -9, -9, 60, -9), all...)},
			{"e1", "e1", "Complete", points(start, seq(10, 20, 1, 40, 1, 1, 70, 1), all...)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				StartTime: aws.Time(start), EndTime: aws.Time(testNow), MetricDataQueries: tt.queries,
				ScanBy: types.ScanByTimestampAscending,
			})
			if err != nil {
				t.Fatalf("GetMetricData: %v", err)
			}
			if diff := cmp.Diff(tt.want, results(out.MetricDataResults)); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetMetricDataErrors(t *testing.T) {
	f := newFixture(t)
	start := seedGaps(f)
	m := metricStat("m", ns, "ConcurrentViews", 60, "Sum", dims("Channel", "c")...)
	both := m
	both.Expression = aws.String("m")
	tests := []struct {
		name    string
		queries []types.MetricDataQuery
		want    string
	}{
		{"unknown id", []types.MetricDataQuery{m, expression("e", "FILL(x, REPEAT)")}, "ValidationError"},
		{"cycle", []types.MetricDataQuery{expression("a", "b + 1"), expression("b", "a + 1")}, "ValidationError"},
		{"scalar result", []types.MetricDataQuery{m, expression("e", "AVG(m)")}, "ValidationError"},
		{"syntax", []types.MetricDataQuery{m, expression("e", "m +")}, "ValidationError"},
		{"unsupported function", []types.MetricDataQuery{m, expression("e", "RATE(m)")}, "ValidationError"},
		{"METRICS()", []types.MetricDataQuery{m, expression("e", "SUM(METRICS())")}, "ValidationError"},
		{"REPEAT outside FILL", []types.MetricDataQuery{m, expression("e", "m + REPEAT")}, "ValidationError"},
		{"FILL of a scalar", []types.MetricDataQuery{m, expression("e", "FILL(AVG(m), 0)")}, "ValidationError"},
		{"uppercase id", []types.MetricDataQuery{metricStat("M", ns, "ConcurrentViews", 60, "Sum")}, "ValidationError"},
		{"duplicate id", []types.MetricDataQuery{m, m}, "ValidationError"},
		{"MetricStat and Expression", []types.MetricDataQuery{both}, "ValidationError"},
		{"unsupported statistic", []types.MetricDataQuery{metricStat("m", ns, "ConcurrentViews", 60, "tm99")}, "InvalidParameterValue"},
		{"period 45", []types.MetricDataQuery{metricStat("m", ns, "ConcurrentViews", 45, "Sum")}, "InvalidParameterValue"},
		{"percentile", []types.MetricDataQuery{metricStat("m", ns, "ConcurrentViews", 60, "p90")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				StartTime: aws.Time(start), EndTime: aws.Time(testNow), MetricDataQueries: tt.queries,
			})
			if diff := cmp.Diff(tt.want, errCode(err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestGetMetricDataPaging(t *testing.T) {
	f := newFixture(t)
	start := testNow.Add(-10 * time.Minute)
	for i := range 10 {
		f.svc.PutPoint(ns, "ConcurrentViews", nil, start.Add(time.Duration(i)*time.Minute), float64(i), "Count", 60)
	}
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start), EndTime: aws.Time(testNow), MaxDatapoints: aws.Int32(4),
		MetricDataQueries: []types.MetricDataQuery{metricStat("m", ns, "ConcurrentViews", 60, "Maximum"), expression("e", "m * 10")},
	}
	p := cloudwatch.NewGetMetricDataPaginator(f.client, in)
	type pageSummary struct {
		IDs, Status []string
		Points      int
	}
	var pages []pageSummary
	merged := map[string][]float64{}
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("page %d: %v", len(pages), err)
		}
		var ps pageSummary
		for _, r := range out.MetricDataResults {
			ps.IDs = append(ps.IDs, *r.Id)
			ps.Status = append(ps.Status, string(r.StatusCode))
			ps.Points += len(r.Values)
			merged[*r.Id] = append(merged[*r.Id], r.Values...)
		}
		pages = append(pages, ps)
	}
	wantPages := []pageSummary{
		{[]string{"m"}, []string{"PartialData"}, 4},
		{[]string{"m"}, []string{"PartialData"}, 4},
		{[]string{"m", "e"}, []string{"Complete", "PartialData"}, 4},
		{[]string{"e"}, []string{"PartialData"}, 4},
		{[]string{"e"}, []string{"Complete"}, 4},
	}
	if diff := cmp.Diff(wantPages, pages); diff != "" {
		t.Errorf("pages mismatch (-want +got):\n%s", diff)
	}
	// Default ScanBy is TimestampDescending.
	wantMerged := map[string][]float64{
		"m": {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
		"e": {90, 80, 70, 60, 50, 40, 30, 20, 10, 0},
	}
	if diff := cmp.Diff(wantMerged, merged); diff != "" {
		t.Errorf("merged values mismatch (-want +got):\n%s", diff)
	}
}
