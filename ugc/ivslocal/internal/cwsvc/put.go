package cwsvc

import (
	"fmt"
	"math"
	"time"
)

// dimIn is a Dimension as it arrives on the wire.
type dimIn struct {
	Name  string `cbor:"Name"`
	Value string `cbor:"Value"`
}

type statisticSetIn struct {
	SampleCount *float64 `cbor:"SampleCount"`
	Sum         *float64 `cbor:"Sum"`
	Minimum     *float64 `cbor:"Minimum"`
	Maximum     *float64 `cbor:"Maximum"`
}

type metricDatumIn struct {
	MetricName        string          `cbor:"MetricName"`
	Dimensions        []dimIn         `cbor:"Dimensions"`
	Timestamp         *time.Time      `cbor:"Timestamp"`
	Value             *float64        `cbor:"Value"`
	Values            []float64       `cbor:"Values"`
	Counts            []float64       `cbor:"Counts"`
	StatisticValues   *statisticSetIn `cbor:"StatisticValues"`
	Unit              string          `cbor:"Unit"`
	StorageResolution *int64          `cbor:"StorageResolution"`
}

type putMetricDataIn struct {
	Namespace  string          `cbor:"Namespace"`
	MetricData []metricDatumIn `cbor:"MetricData"`
}

// maxPutValue is the largest magnitude CloudWatch accepts (2^360).
var maxPutValue = math.Pow(2, 360)

func checkValue(field string, v float64) *apiError {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return invalid("InvalidParameterValue", "The value %v for parameter %s is invalid: NaN and infinity are not accepted.", v, field)
	}
	if math.Abs(v) > maxPutValue || (v != 0 && math.Abs(v) < 1/maxPutValue) {
		return invalid("InvalidParameterValue", "The value %v for parameter %s is out of range (2^-360 to 2^360).", v, field)
	}
	return nil
}

func (s *Service) putMetricData(body []byte) error {
	var in putMetricDataIn
	if err := decode(body, &in); err != nil {
		return err
	}
	if err := checkMetricID("", in.Namespace, "-"); err != nil {
		return err
	}
	if len(in.MetricData) == 0 {
		return invalid("MissingParameter", "The parameter MetricData is required.")
	}
	if len(in.MetricData) > maxMetricData {
		return invalid("InvalidParameterValue", "The collection MetricData must not have a size greater than %d.", maxMetricData)
	}
	now := s.env.Now()
	type batch struct {
		key []byte
		pts []point
	}
	batches := make([]batch, 0, len(in.MetricData))
	for i, d := range in.MetricData {
		f := fmt.Sprintf("MetricData.member.%d.", i+1)
		pts, key, err := datumPoints(f, in.Namespace, d, now)
		if err != nil {
			return err
		}
		batches = append(batches, batch{[]byte(key), pts})
	}
	// Validation passed for every datum: store them all.
	for _, b := range batches {
		s.store.add(b.key, now, b.pts...)
	}
	return nil
}

// datumPoints validates one MetricDatum and returns its points and series.
func datumPoints(f, ns string, d metricDatumIn, now time.Time) ([]point, string, *apiError) {
	if err := checkMetricID(f, ns, d.MetricName); err != nil {
		return nil, "", err
	}
	dims, err := checkDims(f+"Dimensions", d.Dimensions)
	if err != nil {
		return nil, "", err
	}
	unit := "None"
	if d.Unit != "" {
		unit = d.Unit
	}
	u, ok := unitIndex[unit]
	if !ok {
		return nil, "", invalid("InvalidParameterValue", "The parameter %sUnit has an unknown unit %q.", f, d.Unit)
	}
	res := uint8(60)
	if r := d.StorageResolution; r != nil {
		switch *r {
		case 1:
			res = 1
		case 60:
		default:
			return nil, "", invalid("InvalidParameterValue", "The parameter %sStorageResolution must be 1 or 60.", f)
		}
	}
	t := now
	if d.Timestamp != nil {
		t = *d.Timestamp
		if now.Sub(t) > maxPastPut || t.Sub(now) > maxFuturePut {
			return nil, "", invalid("InvalidParameterValue", "The parameter %sTimestamp must be within the past two weeks and the next two hours.", f)
		}
	}
	ms := t.UnixMilli()
	set := 0
	for _, b := range []bool{d.Value != nil, len(d.Values) > 0, d.StatisticValues != nil} {
		if b {
			set++
		}
	}
	if set > 1 {
		return nil, "", invalid("InvalidParameterCombination", "The parameters %sValue, %sValues and %sStatisticValues are mutually exclusive.", f, f, f)
	}
	var pts []point
	switch {
	case d.Value != nil:
		if err := checkValue(f+"Value", *d.Value); err != nil {
			return nil, "", err
		}
		v := *d.Value
		pts = []point{{t: ms, n: 1, sum: v, min: v, max: v, unit: u, res: res}}
	case len(d.Values) > 0:
		if len(d.Values) > maxValuesPerDatum {
			return nil, "", invalid("InvalidParameterValue", "The collection %sValues must not have a size greater than %d.", f, maxValuesPerDatum)
		}
		if len(d.Counts) > 0 && len(d.Counts) != len(d.Values) {
			return nil, "", invalid("InvalidParameterValue", "The collections %sValues and %sCounts must have the same size.", f, f)
		}
		for j, v := range d.Values {
			if err := checkValue(fmt.Sprintf("%sValues.member.%d", f, j+1), v); err != nil {
				return nil, "", err
			}
			c := 1.0
			if len(d.Counts) > 0 {
				c = d.Counts[j]
				if math.IsNaN(c) || c <= 0 || math.IsInf(c, 0) {
					return nil, "", invalid("InvalidParameterValue", "The parameter %sCounts.member.%d must be a positive number.", f, j+1)
				}
			}
			pts = append(pts, point{t: ms, n: c, sum: v * c, min: v, max: v, unit: u, res: res})
		}
	case d.StatisticValues != nil:
		sv := d.StatisticValues
		if sv.SampleCount == nil || sv.Sum == nil || sv.Minimum == nil || sv.Maximum == nil {
			return nil, "", invalid("MissingParameter", "The parameter %sStatisticValues needs SampleCount, Sum, Minimum and Maximum.", f)
		}
		for name, v := range map[string]float64{"SampleCount": *sv.SampleCount, "Sum": *sv.Sum, "Minimum": *sv.Minimum, "Maximum": *sv.Maximum} {
			if err := checkValue(f+"StatisticValues."+name, v); err != nil {
				return nil, "", err
			}
		}
		if *sv.SampleCount <= 0 {
			return nil, "", invalid("InvalidParameterValue", "The parameter %sStatisticValues.SampleCount must be greater than 0.", f)
		}
		if *sv.Minimum > *sv.Maximum {
			return nil, "", invalid("InvalidParameterValue", "The parameter %sStatisticValues.Minimum must not exceed Maximum.", f)
		}
		pts = []point{{t: ms, n: *sv.SampleCount, sum: *sv.Sum, min: *sv.Minimum, max: *sv.Maximum, unit: u, res: res}}
	default:
		return nil, "", invalid("MissingParameter", "The parameter %sValue, %sValues or %sStatisticValues is required.", f, f, f)
	}
	return pts, seriesKey(ns, d.MetricName, dims), nil
}
