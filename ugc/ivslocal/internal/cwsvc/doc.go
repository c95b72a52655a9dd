// Package cwsvc emulates the CloudWatch metric API for ivslocal, over the
// rpcv2Cbor protocol that the current aws-sdk-go-v2 CloudWatch client uses
// by default.
//
// # Protocol
//
// Service.ServeHTTP serves POST /service/GraniteServiceVersion20100801/operation/{Op}
// (PathPrefix + operation). Request bodies are CBOR maps keyed by the
// PascalCase member names; a body with Content-Encoding: gzip is gunzipped
// (the SDK compresses PutMetricData). Responses are CBOR with
// Content-Type: application/cbor and Smithy-Protocol: rpc-v2-cbor;
// timestamps are CBOR tag 1 (epoch seconds, integer or float64).
//
// A request carrying X-Amz-Target: GraniteServiceVersion20100801.<Op>
// (JSONTargetPrefix), at any path, is served as awsJson1_0 instead: JSON
// bodies with epoch-seconds timestamps and Content-Type
// application/x-amz-json-1.0, as clients switched with
// Options.Protocol = awsjson.New10(schemas.GraniteServiceVersion20100801)
// (or other SDKs) send. The root package must route such requests here.
//
// Errors are CBOR (or JSON) maps with __type set to the full shape ID
// (com.amazonaws.cloudwatch#InvalidParameterValueException) and the shape's
// message member, plus the X-Amzn-Query-Error header ("InvalidParameterValue;Sender")
// because CloudWatch is query-compatible: the SDK returns the typed exception
// (*types.InvalidParameterValueException and so on) whose ErrorCode() is the
// awsQuery code. Codes used: InvalidParameterValue, MissingParameter,
// InvalidParameterCombination, InvalidNextToken, ValidationError (shape
// ValidationException) and InternalServiceError (500). Injected faults
// (emu.Faults) may name either the awsQuery code or the shape.
//
// # Operations
//
//   - PutMetricData: MetricData (1-1000) with MetricName, Dimensions (≤30),
//     Timestamp (default now), exactly one of Value, Values (+Counts, ≤150)
//     and StatisticValues, Unit (a StandardUnit, default None) and
//     StorageResolution (1 or 60). NaN, ±Inf and magnitudes beyond 2^±360 are
//     rejected, as are timestamps more than two weeks old or more than two
//     hours ahead. A request is stored entirely or not at all.
//   - GetMetricStatistics: Statistics (1-5 of Average, Sum, Minimum, Maximum,
//     SampleCount) or ExtendedStatistics (1-10 of pNN/pNN.NN), not both;
//     optional Unit filter; datapoints of different units are returned
//     separately; at most 1,440 requested datapoints, else
//     InvalidParameterCombination.
//   - GetMetricData: up to 500 MetricDataQueries, each a MetricStat or an
//     Expression; ReturnData=false hides a query; Label defaults to the metric
//     name (MetricStat) or the query ID (Expression); ScanBy (default
//     TimestampDescending); MaxDatapoints (default and cap 100,800) pages the
//     results with NextToken; a result cut by the page is PartialData, the
//     rest Complete; Messages is always empty.
//
// Other operations answer UnknownOperationException.
//
// # Storage, retention and periods
//
// Points are kept per series (namespace, metric name, dimension set; the
// order of dimensions does not matter) in a slice sorted by time, with
// count, sum, minimum and maximum per point, so reads are a binary search
// plus a scan. At most once a minute per series, a write rolls the series
// up the way CloudWatch does: points older than 3 hours become 60 s
// aggregates, older than 15 days 300 s, older than 63 days 3600 s, and
// points older than 455 days are dropped (reads also ignore them).
//
// A period must be 1, 5, 10, 20, 30 or a multiple of 60. With a StartTime
// more than 3 hours ago it must be a multiple of 60, more than 15 days ago
// of 300, more than 63 days ago of 3600; otherwise the request fails with
// InvalidParameterValue. StartTime is rounded down to the period (1-30 s
// periods), else to the minute, 5 minutes or hour by its age. Datapoint
// timestamps are the start of their period; only periods with data are
// returned. A Unit filter keeps only data stored with that unit.
//
// # Expressions
//
// GetMetricData evaluates a small metric-math language: query IDs, numbers,
// + - * / and parentheses, and the functions FILL(s, REPEAT|LINEAR|number),
// TIME_SERIES(x), AVG, SUM, MIN, MAX (a series to a scalar) and ABS.
// FILL and TIME_SERIES produce a value at every period of the window
// (REPEAT fills leading gaps with the first value, LINEAR interpolates and
// repeats the edge values). Two series combine at the timestamps both
// have. An expression may refer to other expressions; unknown IDs, cycles,
// syntax errors, any other function (METRICS, SEARCH, RATE, ...), Metrics
// Insights queries and a result that is a scalar are ValidationError.
//
// # Metric sink
//
// Service implements emu.MetricSink: PutPoint stores a point without
// PutMetricData's checks, so simulated streams and tests can write AWS/IVS
// metrics of any age (StorageResolution 1 for the high-resolution ingest
// metrics, the Channel dimension holding the channel ID).
//
// # Deviations from AWS
//
//   - Percentiles are nearest-rank over exact values (single values and
//     Values/Counts). Periods containing statistic sets or rolled-up
//     aggregates have no percentile (AWS keeps percentile sketches).
//   - GetMetricStatistics returns datapoints in time order; AWS does not
//     promise any order.
//   - Period-rule violations and too many queries are errors here; AWS
//     documents that an unsuitable period for old data returns no
//     datapoints. The exact codes AWS uses for those cases are not verified.
//   - Metrics Insights, cross-account queries (AccountId is ignored),
//     LabelOptions, metric entity data, dashboards, alarms, ListMetrics and
//     the awsQuery protocol are not implemented.
//   - The AWS/ namespaces are accepted (AWS reserves them) so tests can
//     inject IVS data.
//   - Data is visible as soon as it is written; AWS may take minutes.
//
// # Concurrency
//
// A Service is safe for concurrent use; reads share a read lock. It starts
// no goroutines; Close and Reset drop the stored data.
//
// # Testing
//
// Tests drive every operation with an unmodified cloudwatch.Client pointed
// at an httptest server (BaseEndpoint, static credentials, one attempt).
package cwsvc
