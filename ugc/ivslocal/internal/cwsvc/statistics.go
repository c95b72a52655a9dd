package cwsvc

import (
	"time"
)

type getMetricStatisticsIn struct {
	Namespace          string     `cbor:"Namespace"`
	MetricName         string     `cbor:"MetricName"`
	Dimensions         []dimIn    `cbor:"Dimensions"`
	StartTime          *time.Time `cbor:"StartTime"`
	EndTime            *time.Time `cbor:"EndTime"`
	Period             *int64     `cbor:"Period"`
	Statistics         []string   `cbor:"Statistics"`
	ExtendedStatistics []string   `cbor:"ExtendedStatistics"`
	Unit               string     `cbor:"Unit"`
}

type datapointOut struct {
	Timestamp          time.Time          `cbor:"Timestamp"`
	SampleCount        *float64           `cbor:"SampleCount,omitempty"`
	Average            *float64           `cbor:"Average,omitempty"`
	Sum                *float64           `cbor:"Sum,omitempty"`
	Minimum            *float64           `cbor:"Minimum,omitempty"`
	Maximum            *float64           `cbor:"Maximum,omitempty"`
	Unit               string             `cbor:"Unit"`
	ExtendedStatistics map[string]float64 `cbor:"ExtendedStatistics,omitempty"`
}

type getMetricStatisticsOut struct {
	Label      string         `cbor:"Label"`
	Datapoints []datapointOut `cbor:"Datapoints"`
}

func (s *Service) getMetricStatistics(body []byte) (any, error) {
	var in getMetricStatisticsIn
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := checkMetricID("", in.Namespace, in.MetricName); err != nil {
		return nil, err
	}
	dims, err := checkDims("Dimensions", in.Dimensions)
	if err != nil {
		return nil, err
	}
	switch {
	case in.StartTime == nil:
		return nil, invalid("MissingParameter", "The parameter StartTime is required.")
	case in.EndTime == nil:
		return nil, invalid("MissingParameter", "The parameter EndTime is required.")
	case in.Period == nil:
		return nil, invalid("MissingParameter", "The parameter Period is required.")
	case len(in.Statistics) == 0 && len(in.ExtendedStatistics) == 0:
		return nil, invalid("MissingParameter", "Either the parameter Statistics or ExtendedStatistics is required.")
	case len(in.Statistics) > 0 && len(in.ExtendedStatistics) > 0:
		return nil, invalid("InvalidParameterCombination", "The parameters Statistics and ExtendedStatistics are mutually exclusive.")
	case len(in.Statistics) > maxStatistics:
		return nil, invalid("InvalidParameterValue", "The collection Statistics must not have a size greater than %d.", maxStatistics)
	case len(in.ExtendedStatistics) > maxExtendedStats:
		return nil, invalid("InvalidParameterValue", "The collection ExtendedStatistics must not have a size greater than %d.", maxExtendedStats)
	}
	for _, st := range in.Statistics {
		if !basicStats[st] {
			return nil, invalid("InvalidParameterValue", "The parameter Statistics contains an unknown statistic %q.", st)
		}
	}
	for _, st := range in.ExtendedStatistics {
		if _, ok := parsePercentile(st); !ok {
			return nil, invalid("InvalidParameterValue", "The parameter ExtendedStatistics contains an invalid percentile %q (want pNN or pNN.NN).", st)
		}
	}
	unit, err := unitFilter("Unit", in.Unit)
	if err != nil {
		return nil, err
	}
	now := s.env.Now()
	start, err := checkWindow("Period", *in.StartTime, *in.EndTime, *in.Period, now)
	if err != nil {
		return nil, err
	}
	if n := buckets(start, *in.EndTime, *in.Period); n > maxDatapointsGMS {
		return nil, invalid("InvalidParameterCombination",
			"You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
			n, maxDatapointsGMS)
	}
	bs := s.store.query(seriesKey(in.Namespace, in.MetricName, dims), start, in.EndTime.UnixMilli(),
		*in.Period*1000, now.Add(-hourRetention).UnixMilli(), unit, true, len(in.ExtendedStatistics) > 0)
	out := getMetricStatisticsOut{Label: in.MetricName, Datapoints: make([]datapointOut, 0, len(bs))}
	for i := range bs {
		b := &bs[i]
		dp := datapointOut{Timestamp: time.UnixMilli(b.t).UTC(), Unit: units[b.unit]}
		for _, st := range in.Statistics {
			v, _ := stat(b, st)
			switch st {
			case "SampleCount":
				dp.SampleCount = &v
			case "Average":
				dp.Average = &v
			case "Sum":
				dp.Sum = &v
			case "Minimum":
				dp.Minimum = &v
			case "Maximum":
				dp.Maximum = &v
			}
		}
		if len(in.ExtendedStatistics) > 0 {
			dp.ExtendedStatistics = map[string]float64{}
			for _, st := range in.ExtendedStatistics {
				if v, ok := stat(b, st); ok {
					dp.ExtendedStatistics[st] = v
				}
			}
		}
		out.Datapoints = append(out.Datapoints, dp)
	}
	return out, nil
}
