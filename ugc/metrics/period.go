package metrics

import (
	"fmt"
	"time"
)

// CloudWatch keeps data at these resolutions for these ages; PeriodFor
// picks the finest period still available for a start time.
const (
	highResRetention = 3 * time.Hour
	minuteRetention  = 15 * 24 * time.Hour
	fiveMinRetention = 63 * 24 * time.Hour
)

// PeriodFor returns the finest CloudWatch period, in seconds, that still
// holds data starting at start when asked at now: 5 for the last 3 hours,
// then 60 up to 15 days, 300 up to 63 days and 3600 beyond.
func PeriodFor(start, now time.Time) int {
	// The seed compares ceil((now-start)/1s) with the thresholds.
	diff := now.Sub(start)
	if r := diff % time.Second; r != 0 {
		diff += time.Second - r
	}
	switch {
	case diff > fiveMinRetention:
		return 3600
	case diff > minuteRetention:
		return 300
	case diff > highResRetention:
		return 60
	}
	return 5
}

// Window is a CloudWatch query window: a period and the start and end of
// the session aligned to it.
type Window struct {
	Period int       // seconds
	Start  time.Time // aligned start
	End    time.Time // aligned end
}

// Key returns the window's cache key, "P<period>-S<startMs>-E<endMs>", as
// the seed names its metrics cache entries.
func (w Window) Key() string {
	return fmt.Sprintf("P%d-S%d-E%d", w.Period, w.Start.UnixMilli(), w.End.UnixMilli())
}

// liveClampMargin keeps a live session's clamped start safely inside
// CloudWatch's 3-hour high-resolution retention: the request reaches
// CloudWatch a moment after now, and a start exactly 3 hours old would by
// then need a 60 s period.
const liveClampMargin = time.Minute

// WindowFor returns the query window of a session that started at start
// and ended at end (zero while live), asked at now. A live session is
// clamped to its last 3 hours (less a one-minute margin). The start is aligned down to the period
// unless that would cross into a coarser period, in which case it is
// aligned up; the end (now while live) is aligned up.
func WindowFor(start, end, now time.Time) Window {
	if end.IsZero() {
		if min := now.Add(-highResRetention + liveClampMargin); start.Before(min) {
			start = min
		}
		end = now
	}
	p := PeriodFor(start, now)
	d := time.Duration(p) * time.Second
	s := alignDown(start, d)
	if PeriodFor(s, now) != p {
		s = alignUp(start, d)
	}
	e := alignUp(end, d)
	if !e.After(s) {
		// A session shorter than its timestamps' resolution (events carry
		// whole seconds) still gets one period.
		e = s.Add(d)
	}
	return Window{Period: p, Start: s, End: e}
}

func alignDown(t time.Time, d time.Duration) time.Time {
	return time.UnixMilli(t.UnixMilli() - t.UnixMilli()%d.Milliseconds()).UTC()
}

func alignUp(t time.Time, d time.Duration) time.Time {
	down := alignDown(t, d)
	if down.Equal(t) {
		return down
	}
	return down.Add(d)
}
