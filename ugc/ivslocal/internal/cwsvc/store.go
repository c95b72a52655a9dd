package cwsvc

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Retention and rollup schedule of CloudWatch.
const (
	highResRetention = 3 * time.Hour        // sub-minute points
	minuteRetention  = 15 * 24 * time.Hour  // 60 s aggregates
	fiveMinRetention = 63 * 24 * time.Hour  // 300 s aggregates
	hourRetention    = 455 * 24 * time.Hour // 3600 s aggregates
	compactEvery     = time.Minute          // how often a series is rolled up, at most
)

// units lists the StandardUnit values; a point stores its unit's index.
var units = []string{
	"None", "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
	"Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
	"Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
	"Terabits/Second", "Count/Second",
}

var unitIndex = func() map[string]uint8 {
	m := make(map[string]uint8, len(units))
	for i, u := range units {
		m[u] = uint8(i)
	}
	return m
}()

// point is one stored sample or aggregate. A single value v is n=1,
// sum=min=max=v; a value repeated c times (Values/Counts) is n=c,
// sum=v*c, min=max=v; a statistic set or a rolled-up aggregate has min<max
// in general. Percentiles are computed only from points with min == max.
type point struct {
	t    int64 // Unix milliseconds
	n    float64
	sum  float64
	min  float64
	max  float64
	unit uint8
	res  uint8 // storage resolution in seconds: 1 or 60
}

func (p point) exact() bool { return p.min == p.max }

// dim is one dimension of a metric.
type dim struct {
	Name  string
	Value string
}

// series is the points of one metric (namespace, name, dimensions), sorted
// by time.
type series struct {
	pts       []point
	compacted int64 // Unix ms of the last rollup
}

// store holds every series, safe for concurrent use.
type store struct {
	mu     sync.RWMutex
	series map[string]*series
}

func newStore() *store { return &store{series: map[string]*series{}} }

// seriesKey is the identity of a metric: dimensions are sorted by name, so
// their order in a request does not matter.
func seriesKey(ns, name string, dims []dim) string {
	ds := slices.Clone(dims)
	sortDims(ds)
	return string(appendKey(nil, ns, name, ds))
}

func sortDims(ds []dim) {
	slices.SortFunc(ds, func(a, b dim) int { return strings.Compare(a.Name, b.Name) })
}

// appendKey appends the key of a metric whose dimensions are sorted.
func appendKey(b []byte, ns, name string, sorted []dim) []byte {
	b = append(b, ns...)
	b = append(b, 0)
	b = append(b, name...)
	for _, d := range sorted {
		b = append(b, 0)
		b = append(b, d.Name...)
		b = append(b, 1)
		b = append(b, d.Value...)
	}
	return b
}

// add stores points of one series and rolls the series up when due.
func (s *store) add(key []byte, now time.Time, pts ...point) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.series[string(key)]
	if se == nil {
		se = &series{compacted: now.UnixMilli()}
		s.series[string(key)] = se
	}
	for _, p := range pts {
		n := len(se.pts)
		if n == 0 || se.pts[n-1].t <= p.t {
			se.pts = append(se.pts, p)
			continue
		}
		i := sort.Search(n, func(i int) bool { return se.pts[i].t > p.t })
		se.pts = slices.Insert(se.pts, i, p)
	}
	if now.UnixMilli()-se.compacted >= compactEvery.Milliseconds() {
		se.pts = compact(se.pts, now)
		se.compacted = now.UnixMilli()
	}
}

// reset drops every series.
func (s *store) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.series = map[string]*series{}
}

// rollup returns the bucket width, in ms, that a point at time t (Unix ms)
// is kept at: 0 for raw points, then 60 s, 300 s, 3600 s; -1 for expired.
func rollup(t, now int64) int64 {
	age := now - t
	switch {
	case age > hourRetention.Milliseconds():
		return -1
	case age > fiveMinRetention.Milliseconds():
		return 3_600_000
	case age > minuteRetention.Milliseconds():
		return 300_000
	case age > highResRetention.Milliseconds():
		return 60_000
	}
	return 0
}

// compact applies retention and rollup to pts (sorted by time) in place:
// expired points are dropped and older points are merged, per unit, into
// aggregates at the start of their 60 s, 300 s or 3600 s bucket.
func compact(pts []point, now time.Time) []point {
	nowMs := now.UnixMilli()
	out := pts[:0]
	var run []point // aggregates of the current bucket, one per unit
	var runStart int64
	var runWidth int64
	flush := func() {
		out = append(out, run...)
		run = run[:0]
	}
	for i := 0; i < len(pts); i++ {
		p := pts[i]
		w := rollup(p.t, nowMs)
		if w < 0 {
			continue
		}
		if w == 0 {
			flush()
			// Raw from here on: points are sorted, so every later point is
			// younger; keep them as they are.
			out = append(out, pts[i:]...)
			return out
		}
		start := p.t - mod(p.t, w)
		if len(run) > 0 && (start != runStart || w != runWidth) {
			flush()
		}
		runStart, runWidth = start, w
		merged := false
		for j := range run {
			if run[j].unit == p.unit {
				run[j] = merge(run[j], p)
				merged = true
				break
			}
		}
		if !merged {
			p.t = start
			p.res = 60
			run = append(run, p)
		}
	}
	flush()
	return out
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

func merge(a, b point) point {
	a.n += b.n
	a.sum += b.sum
	a.min = math.Min(a.min, b.min)
	a.max = math.Max(a.max, b.max)
	return a
}

// bucket is the aggregate of one period of a query.
type bucket struct {
	t     int64 // start, Unix ms
	unit  uint8
	agg   point
	exact bool      // every point had min == max, so percentiles are known
	vals  []float64 // exact values, repeated by count, when percentiles are wanted
	wts   []float64
}

// query aggregates the points of a series in [start, end) into buckets of
// period ms starting at start, skipping points older than notBefore (the
// retention limit; a series that gets no writes is not rolled up). unit < 0 takes every unit; byUnit splits
// buckets per unit. withValues keeps the values percentiles need. Buckets
// come back sorted by time (and unit).
func (s *store) query(key string, start, end, period, notBefore int64, unit int, byUnit, withValues bool) []bucket {
	s.mu.RLock()
	defer s.mu.RUnlock()
	se := s.series[key]
	if se == nil {
		return nil
	}
	pts := se.pts
	lo := max(start, notBefore)
	i := sort.Search(len(pts), func(i int) bool { return pts[i].t >= lo })
	var out []bucket
	for ; i < len(pts) && pts[i].t < end; i++ {
		p := pts[i]
		if unit >= 0 && int(p.unit) != unit {
			continue
		}
		bt := start + (p.t-start)/period*period
		var b *bucket
		// Buckets are built in time order; search back only within the
		// current bucket time.
		for j := len(out) - 1; j >= 0 && out[j].t == bt; j-- {
			if !byUnit || out[j].unit == p.unit {
				b = &out[j]
				break
			}
		}
		if b == nil {
			out = append(out, bucket{t: bt, unit: p.unit, agg: p, exact: true})
			b = &out[len(out)-1]
		} else {
			b.agg = merge(b.agg, p)
		}
		if !p.exact() {
			b.exact = false
		}
		if withValues && b.exact {
			b.vals = append(b.vals, p.min)
			b.wts = append(b.wts, p.n)
		}
	}
	if byUnit {
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].t != out[j].t {
				return out[i].t < out[j].t
			}
			return out[i].unit < out[j].unit
		})
	}
	return out
}

// stat computes a statistic of b; ok is false when it is not available (a
// percentile of aggregated data).
func stat(b *bucket, name string) (v float64, ok bool) {
	switch name {
	case "Average":
		return b.agg.sum / b.agg.n, true
	case "Sum":
		return b.agg.sum, true
	case "Minimum":
		return b.agg.min, true
	case "Maximum":
		return b.agg.max, true
	case "SampleCount":
		return b.agg.n, true
	}
	p, ok := parsePercentile(name)
	if !ok || !b.exact || len(b.vals) == 0 {
		return 0, false
	}
	return percentile(b.vals, b.wts, p), true
}

// percentile returns the nearest-rank p-th percentile of values weighted by
// counts.
func percentile(vals, wts []float64, p float64) float64 {
	idx := make([]int, len(vals))
	total := 0.0
	for i := range idx {
		idx[i] = i
		total += wts[i]
	}
	sort.Slice(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
	rank := math.Ceil(p / 100 * total)
	if rank < 1 {
		rank = 1
	}
	acc := 0.0
	for _, i := range idx {
		acc += wts[i]
		if acc >= rank {
			return vals[i]
		}
	}
	return vals[idx[len(idx)-1]]
}
