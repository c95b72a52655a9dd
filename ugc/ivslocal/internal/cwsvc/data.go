package cwsvc

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

type metricIn struct {
	Namespace  string  `cbor:"Namespace"`
	MetricName string  `cbor:"MetricName"`
	Dimensions []dimIn `cbor:"Dimensions"`
}

type metricStatIn struct {
	Metric *metricIn `cbor:"Metric"`
	Period *int64    `cbor:"Period"`
	Stat   string    `cbor:"Stat"`
	Unit   string    `cbor:"Unit"`
}

type metricDataQueryIn struct {
	ID         string        `cbor:"Id"`
	MetricStat *metricStatIn `cbor:"MetricStat"`
	Expression *string       `cbor:"Expression"`
	Label      *string       `cbor:"Label"`
	ReturnData *bool         `cbor:"ReturnData"`
	Period     *int64        `cbor:"Period"`
	AccountID  *string       `cbor:"AccountId"`
}

type getMetricDataIn struct {
	MetricDataQueries []metricDataQueryIn `cbor:"MetricDataQueries"`
	StartTime         *time.Time          `cbor:"StartTime"`
	EndTime           *time.Time          `cbor:"EndTime"`
	NextToken         *string             `cbor:"NextToken"`
	ScanBy            string              `cbor:"ScanBy"`
	MaxDatapoints     *int64              `cbor:"MaxDatapoints"`
}

type messageOut struct {
	Code  string `cbor:"Code"`
	Value string `cbor:"Value"`
}

type metricDataResultOut struct {
	ID         string       `cbor:"Id"`
	Label      string       `cbor:"Label"`
	Timestamps []time.Time  `cbor:"Timestamps"`
	Values     []float64    `cbor:"Values"`
	StatusCode string       `cbor:"StatusCode"`
	Messages   []messageOut `cbor:"Messages,omitempty"`
}

type getMetricDataOut struct {
	MetricDataResults []metricDataResultOut `cbor:"MetricDataResults"`
	NextToken         string                `cbor:"NextToken,omitempty"`
	Messages          []messageOut          `cbor:"Messages"`
}

var queryIDRE = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// gmdQuery is a validated query of a GetMetricData request.
type gmdQuery struct {
	in     metricDataQueryIn
	key    string // series, for a MetricStat
	start  int64  // rounded window start, for a MetricStat
	period int64
	unit   int
	expr   node
}

func (s *Service) getMetricData(body []byte) (any, error) {
	var in getMetricDataIn
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch {
	case in.StartTime == nil:
		return nil, invalid("MissingParameter", "The parameter StartTime is required.")
	case in.EndTime == nil:
		return nil, invalid("MissingParameter", "The parameter EndTime is required.")
	case len(in.MetricDataQueries) == 0:
		return nil, invalid("MissingParameter", "The parameter MetricDataQueries is required.")
	case len(in.MetricDataQueries) > maxQueries:
		return nil, invalid("InvalidParameterValue", "The collection MetricDataQueries must not have a size greater than %d.", maxQueries)
	case !in.StartTime.Before(*in.EndTime):
		return nil, invalid("InvalidParameterValue", "The parameter StartTime must be before EndTime.")
	}
	desc := true
	switch in.ScanBy {
	case "", "TimestampDescending":
	case "TimestampAscending":
		desc = false
	default:
		return nil, invalid("InvalidParameterValue", "The parameter ScanBy must be TimestampDescending or TimestampAscending.")
	}
	budget := int64(maxDatapointsGMD)
	if in.MaxDatapoints != nil {
		if *in.MaxDatapoints <= 0 {
			return nil, invalid("InvalidParameterValue", "The parameter MaxDatapoints must be greater than 0.")
		}
		budget = min(*in.MaxDatapoints, maxDatapointsGMD)
	}
	firstQ, firstOff := 0, 0
	if in.NextToken != nil && *in.NextToken != "" {
		var ok bool
		firstQ, firstOff, ok = parseNextToken(*in.NextToken, len(in.MetricDataQueries))
		if !ok {
			return nil, invalid("InvalidNextToken", "The NextToken is not valid for this request.")
		}
	}

	now := s.env.Now()
	qs := make([]*gmdQuery, len(in.MetricDataQueries))
	byID := map[string]int{}
	for i, q := range in.MetricDataQueries {
		f := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		if !queryIDRE.MatchString(q.ID) || len(q.ID) > maxNameLen {
			return nil, invalid("ValidationError", "%s.Id %q must start with a lowercase letter and contain only letters, digits and underscores.", f, q.ID)
		}
		if _, dup := byID[q.ID]; dup {
			return nil, invalid("ValidationError", "The Id %q is used by more than one query.", q.ID)
		}
		byID[q.ID] = i
		gq := &gmdQuery{in: q, unit: -1}
		switch {
		case (q.MetricStat == nil) == (q.Expression == nil):
			return nil, invalid("ValidationError", "%s must have exactly one of MetricStat and Expression.", f)
		case q.MetricStat != nil:
			ms := q.MetricStat
			if ms.Metric == nil {
				return nil, invalid("MissingParameter", "The parameter %s.MetricStat.Metric is required.", f)
			}
			if err := checkMetricID(f+".MetricStat.Metric.", ms.Metric.Namespace, ms.Metric.MetricName); err != nil {
				return nil, err
			}
			dims, err := checkDims(f+".MetricStat.Metric.Dimensions", ms.Metric.Dimensions)
			if err != nil {
				return nil, err
			}
			if ms.Period == nil {
				return nil, invalid("MissingParameter", "The parameter %s.MetricStat.Period is required.", f)
			}
			if !validStat(ms.Stat) {
				return nil, invalid("InvalidParameterValue", "The parameter %s.MetricStat.Stat has an unsupported statistic %q.", f, ms.Stat)
			}
			if gq.unit, err = unitFilter(f+".MetricStat.Unit", ms.Unit); err != nil {
				return nil, err
			}
			if gq.start, err = checkWindow(f+".MetricStat.Period", *in.StartTime, *in.EndTime, *ms.Period, now); err != nil {
				return nil, err
			}
			gq.period = *ms.Period
			gq.key = seriesKey(ms.Metric.Namespace, ms.Metric.MetricName, dims)
		default:
			e := *q.Expression
			if e == "" || len(e) > maxExpressionLen {
				return nil, invalid("ValidationError", "%s.Expression must be 1 to %d characters.", f, maxExpressionLen)
			}
			n, err := parseExpr(e)
			if err != nil {
				return nil, invalid("ValidationError", "Error in expression %s: %v.", q.ID, err)
			}
			gq.expr = n
			if q.Period != nil {
				if _, err := checkWindow(f+".Period", *in.StartTime, *in.EndTime, *q.Period, now); err != nil {
					return nil, err
				}
				gq.period = *q.Period
			}
		}
		qs[i] = gq
	}
	for _, q := range qs {
		if q.expr == nil {
			continue
		}
		for _, id := range refs(q.expr, nil) {
			if _, ok := byID[id]; !ok {
				return nil, invalid("ValidationError", "Error in expression %s: unknown metric or expression id %q.", q.in.ID, id)
			}
		}
	}

	// Evaluate every query, expressions after what they refer to.
	vals := make([]*val, len(qs))
	visiting := make([]bool, len(qs))
	var get func(i int) (*val, error)
	get = func(i int) (*val, error) {
		if vals[i] != nil {
			return vals[i], nil
		}
		q := qs[i]
		if q.expr == nil {
			vals[i] = s.metricStat(q, in.EndTime.UnixMilli(), now)
			return vals[i], nil
		}
		if visiting[i] {
			return nil, invalid("ValidationError", "Error in expression %s: circular reference.", q.in.ID)
		}
		visiting[i] = true
		defPeriod := q.period
		if defPeriod == 0 {
			defPeriod = 60
		}
		ev := &evaluator{
			lookup:        func(id string) (*val, error) { return get(byID[id]) },
			defaultPeriod: defPeriod,
			grid: func(period int64) ([]int64, error) {
				start, err := checkWindow("Period", *in.StartTime, *in.EndTime, period, now)
				if err != nil {
					return nil, err
				}
				if n := buckets(start, *in.EndTime, period); n > maxDatapointsGMD {
					return nil, fmt.Errorf("the window holds %d periods of %d s; FILL and TIME_SERIES fill at most %d", n, period, maxDatapointsGMD)
				}
				var g []int64
				for t := start; t < in.EndTime.UnixMilli(); t += period * 1000 {
					g = append(g, t)
				}
				return g, nil
			},
		}
		v, err := ev.eval(q.expr)
		if err != nil {
			if ae, ok := err.(*apiError); ok {
				return nil, ae
			}
			return nil, invalid("ValidationError", "Error in expression %s: %v.", q.in.ID, err)
		}
		if v.scalar {
			return nil, invalid("ValidationError", "Error in expression %s: the expression returns a scalar, not a time series; wrap it in TIME_SERIES().", q.in.ID)
		}
		vals[i] = v
		return v, nil
	}
	for i := range qs {
		if _, err := get(i); err != nil {
			return nil, err
		}
	}

	out := getMetricDataOut{MetricDataResults: []metricDataResultOut{}, Messages: []messageOut{}}
	for i := firstQ; i < len(qs); i++ {
		q := qs[i]
		if q.in.ReturnData != nil && !*q.in.ReturnData {
			continue
		}
		v := vals[i]
		var ts []int64
		var vs []float64
		for j := range v.ts {
			if math.IsNaN(v.vs[j]) || math.IsInf(v.vs[j], 0) {
				continue
			}
			ts = append(ts, v.ts[j])
			vs = append(vs, v.vs[j])
		}
		if desc {
			slices.Reverse(ts)
			slices.Reverse(vs)
		}
		off := 0
		if i == firstQ {
			off = min(firstOff, len(ts))
		}
		ts, vs = ts[off:], vs[off:]
		r := metricDataResultOut{ID: q.in.ID, Label: label(q), StatusCode: "Complete",
			Timestamps: []time.Time{}, Values: []float64{}}
		n := int64(len(ts))
		if n > budget {
			n = budget
			r.StatusCode = "PartialData"
			out.NextToken = nextToken(i, off+int(n))
		}
		for j := int64(0); j < n; j++ {
			r.Timestamps = append(r.Timestamps, time.UnixMilli(ts[j]).UTC())
			r.Values = append(r.Values, vs[j])
		}
		budget -= n
		out.MetricDataResults = append(out.MetricDataResults, r)
		if out.NextToken != "" {
			break
		}
		if budget == 0 && i+1 < len(qs) {
			out.NextToken = nextToken(i+1, 0)
			break
		}
	}
	return out, nil
}

func label(q *gmdQuery) string {
	if q.in.Label != nil && *q.in.Label != "" {
		return *q.in.Label
	}
	if q.in.MetricStat != nil {
		return q.in.MetricStat.Metric.MetricName
	}
	return q.in.ID
}

// metricStat computes the series of one MetricStat query.
func (s *Service) metricStat(q *gmdQuery, end int64, now time.Time) *val {
	st := q.in.MetricStat.Stat
	_, pct := parsePercentile(st)
	bs := s.store.query(q.key, q.start, end, q.period*1000, now.Add(-hourRetention).UnixMilli(), q.unit, false, pct)
	v := &val{period: q.period, ts: make([]int64, 0, len(bs)), vs: make([]float64, 0, len(bs))}
	for i := range bs {
		x, ok := stat(&bs[i], st)
		if !ok {
			continue
		}
		v.ts = append(v.ts, bs[i].t)
		v.vs = append(v.vs, x)
	}
	return v
}

// Next tokens name the query and the offset within its datapoints where
// the next page starts.

func nextToken(q, off int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("gmd:" + strconv.Itoa(q) + ":" + strconv.Itoa(off)))
}

func parseNextToken(tok string, nq int) (q, off int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, 0, false
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != "gmd" {
		return 0, 0, false
	}
	q, err1 := strconv.Atoi(parts[1])
	off, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || q < 0 || q >= nq || off < 0 {
		return 0, 0, false
	}
	return q, off, true
}
