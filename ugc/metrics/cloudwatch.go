package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// The AWS/IVS metrics a session shows. Charted metrics are gap-filled.
var (
	sessionMetrics = []string{"IngestVideoBitrate", "IngestFramerate", "KeyframeInterval", "ConcurrentViews", "IngestAudioBitrate"}
	chartedMetrics = []string{"IngestVideoBitrate", "IngestFramerate"}
)

// ingestionDelay is how far behind CloudWatch data runs; the newest points
// of a live session are dropped because they are still incomplete.
const ingestionDelay = 30 * time.Second

// Series is one metric of a session with explicit timestamps.
type Series struct {
	Name       string      `json:"name"`
	Period     int         `json:"period"`
	Timestamps []time.Time `json:"timestamps"`
	Values     []float64   `json:"values"`
	Average    *float64    `json:"average"` // nil when there is no data
}

// sessionMetrics returns the session's metrics: from the cache for an
// ended session cached completely, else from CloudWatch (and cached when
// the session has ended, unless the cache already holds better data).
func (s *Service) sessionMetrics(ctx context.Context, sess *ugc.StreamSession) ([]Series, error) {
	now := s.opts.Now()
	ended := !sess.EndTime.IsZero()
	if ended {
		c, err := s.opts.Store.GetMetricsCache(ctx, sess.ID)
		switch {
		case err == nil && c.Complete:
			if out, err := decodeCache(c.Data); err == nil {
				return out, nil
			}
		case err != nil && !errors.Is(err, ugc.ErrNotFound):
			return nil, err
		}
	}
	w := WindowFor(sess.StartTime, sess.EndTime, now)
	series, err := s.fetch(ctx, ugc.ChannelID(sess.ChannelArn), w, !ended)
	if err != nil {
		return nil, err
	}
	if ended && hasData(series) {
		data, err := encodeCache(series)
		if err != nil {
			return nil, err
		}
		entry := ugc.MetricsCacheEntry{
			SessionID: sess.ID, Period: w.Period, Complete: !w.Start.After(sess.StartTime),
			Data: data, FetchedAt: now.UTC(),
		}
		if _, err := s.opts.Store.PutMetricsCache(ctx, entry); err != nil {
			s.opts.Logger.WarnContext(ctx, "cannot cache metrics", "session", sess.ID, "err", err)
		}
		if !entry.Complete {
			// A better cached copy beats this partial fetch.
			if c, err := s.opts.Store.GetMetricsCache(ctx, sess.ID); err == nil && c.Complete {
				if out, err := decodeCache(c.Data); err == nil {
					return out, nil
				}
			}
		}
	}
	return series, nil
}

// cachedSeries is the compact form of a Series in the metrics cache:
// timestamps as Unix seconds.
type cachedSeries struct {
	Name    string    `json:"n"`
	Period  int       `json:"p"`
	Times   []int64   `json:"t"`
	Values  []float64 `json:"v"`
	Average *float64  `json:"a,omitempty"`
}

func encodeCache(series []Series) ([]byte, error) {
	out := make([]cachedSeries, len(series))
	for i, s := range series {
		c := cachedSeries{Name: s.Name, Period: s.Period, Times: make([]int64, len(s.Timestamps)), Values: s.Values, Average: s.Average}
		for j, t := range s.Timestamps {
			c.Times[j] = t.Unix()
		}
		out[i] = c
	}
	return json.Marshal(out)
}

func decodeCache(data []byte) ([]Series, error) {
	var in []cachedSeries
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, err
	}
	out := make([]Series, len(in))
	for i, c := range in {
		if len(c.Times) != len(c.Values) {
			return nil, errors.New("metrics cache: timestamps and values differ in length")
		}
		s := Series{Name: c.Name, Period: c.Period, Timestamps: make([]time.Time, len(c.Times)), Values: c.Values, Average: c.Average}
		if s.Values == nil {
			s.Values = []float64{}
		}
		for j, t := range c.Times {
			s.Timestamps[j] = time.Unix(t, 0).UTC()
		}
		out[i] = s
	}
	return out, nil
}

func hasData(series []Series) bool {
	return slices.ContainsFunc(series, func(s Series) bool { return len(s.Values) > 0 })
}

func queryID(metric string) string { return strings.ToLower(metric) }

// fetch runs one GetMetricData call (following its pages) for the window.
func (s *Service) fetch(ctx context.Context, channelID string, w Window, live bool) ([]Series, error) {
	var queries []cwtypes.MetricDataQuery
	for _, m := range sessionMetrics {
		id := queryID(m)
		charted := slices.Contains(chartedMetrics, m)
		queries = append(queries, cwtypes.MetricDataQuery{
			Id:    aws.String(id),
			Label: aws.String(m),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{
					Namespace:  aws.String("AWS/IVS"),
					MetricName: aws.String(m),
					Dimensions: []cwtypes.Dimension{{Name: aws.String("Channel"), Value: aws.String(channelID)}},
				},
				Period: aws.Int32(int32(w.Period)),
				Stat:   aws.String("Average"),
			},
			ReturnData: aws.Bool(!charted),
		}, cwtypes.MetricDataQuery{
			Id:         aws.String(id + "avg"),
			Label:      aws.String(m + "Avg"),
			Expression: aws.String("TIME_SERIES(AVG(" + id + "))"),
		})
		if charted {
			queries = append(queries, cwtypes.MetricDataQuery{
				Id:         aws.String(id + "filled"),
				Label:      aws.String(m),
				Expression: aws.String("FILL(" + id + ", REPEAT)"),
			})
		}
	}
	results := map[string]*cwtypes.MetricDataResult{}
	in := &cloudwatch.GetMetricDataInput{
		MetricDataQueries: queries,
		StartTime:         aws.Time(w.Start),
		EndTime:           aws.Time(w.End),
		ScanBy:            cwtypes.ScanByTimestampAscending,
	}
	for {
		out, err := s.opts.CloudWatch.GetMetricData(ctx, in)
		if err != nil {
			return nil, mapAWS(err)
		}
		for i := range out.MetricDataResults {
			r := &out.MetricDataResults[i]
			id := aws.ToString(r.Id)
			if prev, ok := results[id]; ok {
				prev.Timestamps = append(prev.Timestamps, r.Timestamps...)
				prev.Values = append(prev.Values, r.Values...)
				continue
			}
			c := *r
			results[id] = &c
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}

	drop := int(math.Round(ingestionDelay.Seconds() / float64(w.Period)))
	series := make([]Series, 0, len(sessionMetrics))
	for _, m := range sessionMetrics {
		id := queryID(m)
		charted := slices.Contains(chartedMetrics, m)
		src := results[id]
		if charted {
			src = results[id+"filled"]
		}
		s := Series{Name: m, Period: w.Period, Timestamps: []time.Time{}, Values: []float64{}}
		if src != nil && len(src.Timestamps) == len(src.Values) {
			s.Timestamps, s.Values = sortedPoints(src.Timestamps, src.Values)
		}
		if live && charted && len(s.Values) > 0 {
			n := max(len(s.Values)-drop, 0)
			s.Timestamps, s.Values = s.Timestamps[:n], s.Values[:n]
		}
		if avg := results[id+"avg"]; avg != nil && len(avg.Values) > 0 {
			v := avg.Values[0]
			s.Average = &v
		}
		series = append(series, s)
	}
	return series, nil
}

func sortedPoints(ts []time.Time, vs []float64) ([]time.Time, []float64) {
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ts[idx[a]].Before(ts[idx[b]]) })
	outT := make([]time.Time, len(ts))
	outV := make([]float64, len(ts))
	for i, j := range idx {
		outT[i], outV[i] = ts[j].UTC(), vs[j]
	}
	return outT, outV
}
