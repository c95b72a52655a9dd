package cwsvc

import (
	"regexp"
	"strconv"
	"time"
)

// Query caps of CloudWatch.
const (
	maxQueries        = 500
	maxDatapointsGMD  = 100_800
	maxDatapointsGMS  = 1_440
	maxDimensions     = 30
	maxMetricData     = 1000
	maxValuesPerDatum = 150
	maxPastPut        = 14 * 24 * time.Hour
	maxFuturePut      = 2 * time.Hour
	maxStatistics     = 5
	maxExtendedStats  = 10
	maxNameLen        = 255
	maxDimValueLen    = 1024
	maxExpressionLen  = 2048
)

var basicStats = map[string]bool{"Average": true, "Sum": true, "Minimum": true, "Maximum": true, "SampleCount": true}

var percentileRE = regexp.MustCompile(`^p(\d{1,2}(\.\d{1,2})?|100)$`)

// parsePercentile parses pNN or pNN.NN.
func parsePercentile(s string) (float64, bool) {
	if !percentileRE.MatchString(s) {
		return 0, false
	}
	p, err := strconv.ParseFloat(s[1:], 64)
	return p, err == nil
}

func validStat(s string) bool {
	if basicStats[s] {
		return true
	}
	_, ok := parsePercentile(s)
	return ok
}

// checkWindow applies the period and data-age rules to a query window and
// returns the window's start rounded as CloudWatch rounds it, in Unix ms.
//
//   - Period must be 1, 5, 10, 20 or 30 seconds, or a multiple of 60.
//   - A start time more than 3 hours ago needs a multiple of 60 s, more than
//     15 days ago a multiple of 300 s, more than 63 days ago a multiple of
//     3600 s.
//   - The start is rounded down to the period for 1-30 s periods, else to the
//     minute (start within 15 days), 5 minutes (within 63 days) or hour.
func checkWindow(field string, start, end time.Time, period int64, now time.Time) (int64, *apiError) {
	if !start.Before(end) {
		return 0, invalid("InvalidParameterValue", "The parameter StartTime must be before EndTime.")
	}
	switch {
	case period <= 0:
		return 0, invalid("InvalidParameterValue", "The parameter %s must be greater than 0.", field)
	case period < 60 && period != 1 && period != 5 && period != 10 && period != 20 && period != 30:
		return 0, invalid("InvalidParameterValue", "The parameter %s must be 1, 5, 10, 20, 30 or a multiple of 60.", field)
	case period > 60 && period%60 != 0:
		return 0, invalid("InvalidParameterValue", "The parameter %s must be a multiple of 60.", field)
	}
	age := now.Sub(start)
	switch {
	case age > fiveMinRetention && period%3600 != 0:
		return 0, invalid("InvalidParameterValue", "The parameter %s must be a multiple of 3600 for data older than 63 days.", field)
	case age > minuteRetention && period%300 != 0:
		return 0, invalid("InvalidParameterValue", "The parameter %s must be a multiple of 300 for data older than 15 days.", field)
	case age > highResRetention && period%60 != 0:
		return 0, invalid("InvalidParameterValue", "The parameter %s must be a multiple of 60 for data older than 3 hours.", field)
	}
	ms := start.UnixMilli()
	var unit int64
	switch {
	case period < 60:
		unit = period * 1000
	case age <= minuteRetention:
		unit = 60_000
	case age <= fiveMinRetention:
		unit = 300_000
	default:
		unit = 3_600_000
	}
	return ms - mod(ms, unit), nil
}

// buckets is the number of periods from start (Unix ms) up to end.
func buckets(start int64, end time.Time, period int64) int64 {
	span := end.UnixMilli() - start
	p := period * 1000
	return (span + p - 1) / p
}

// checkDims validates the dimensions of a metric.
func checkDims(field string, ds []dimIn) ([]dim, *apiError) {
	if len(ds) > maxDimensions {
		return nil, invalid("InvalidParameterValue", "The collection %s must not have a size greater than %d.", field, maxDimensions)
	}
	out := make([]dim, 0, len(ds))
	seen := map[string]bool{}
	for _, d := range ds {
		if d.Name == "" || len(d.Name) > maxNameLen {
			return nil, invalid("InvalidParameterValue", "The parameter %s.Name must be 1 to %d characters.", field, maxNameLen)
		}
		if d.Value == "" || len(d.Value) > maxDimValueLen {
			return nil, invalid("InvalidParameterValue", "The parameter %s.Value must be 1 to %d characters.", field, maxDimValueLen)
		}
		if seen[d.Name] {
			return nil, invalid("InvalidParameterValue", "The dimension %s appears more than once in %s.", d.Name, field)
		}
		seen[d.Name] = true
		out = append(out, dim(d))
	}
	return out, nil
}

// checkMetricID validates the namespace and name of a metric.
func checkMetricID(field, ns, name string) *apiError {
	if ns == "" {
		return invalid("MissingParameter", "The parameter %sNamespace is required.", field)
	}
	if len(ns) > maxNameLen || ns[0] == ':' {
		return invalid("InvalidParameterValue", "The parameter %sNamespace must be 1 to %d characters and not start with ':'.", field, maxNameLen)
	}
	if name == "" {
		return invalid("MissingParameter", "The parameter %sMetricName is required.", field)
	}
	if len(name) > maxNameLen {
		return invalid("InvalidParameterValue", "The parameter %sMetricName must be 1 to %d characters.", field, maxNameLen)
	}
	return nil
}

// unitFilter returns the index of a unit filter, -1 for none.
func unitFilter(field, u string) (int, *apiError) {
	if u == "" {
		return -1, nil
	}
	i, ok := unitIndex[u]
	if !ok {
		return 0, invalid("InvalidParameterValue", "The parameter %s has an unknown unit %q.", field, u)
	}
	return int(i), nil
}
