// Package metrics ingests Amazon IVS events and serves stream sessions,
// their health and their CloudWatch metrics.
//
// # Events
//
// Service.Ingest takes one EventBridge event as EventBridge delivers it (to
// a Lambda function through ugc/metrics/eventslambda, to an API destination
// through POST /v1/stream-events of ugc/httpapi, or from ivslocal's event
// subscriber locally). It records the event on its stream session, folds it
// into the session's state and keeps the store's live index, the one
// definition of "live" the directory, the following list and the channel
// page read. Redelivery is harmless (events are keyed by their EventBridge
// ID) and the final state does not depend on delivery order:
//
//   - start: the earliest "Session Created" or "Stream Start";
//   - end: the latest "Stream End" or "Session Ended";
//   - healthy: unless the latest "IVS Stream Health Change" is "Starvation Start";
//   - error flag: any "IVS Limit Breach" or "Stream Failure";
//   - live (low latency): from "Stream Start" until the session has an end.
//
// Events of other sources, unknown kinds and channels no user owns are
// acknowledged and ignored, so EventBridge does not retry them forever.
// "IVS Stage Update" events go to a StageEventHandler (the realtime package).
//
// # Metrics
//
// Service.Session reads IngestVideoBitrate, IngestFramerate,
// KeyframeInterval, ConcurrentViews and IngestAudioBitrate (namespace
// AWS/IVS, dimension Channel = the channel ID) with one GetMetricData call.
// The period follows CloudWatch's retention by the age of the data (5 s for
// the last 3 hours, then 60, 300 and 3600 s; see PeriodFor and WindowFor).
// Charted series (bitrate, frame rate) are gap-filled with FILL(m, REPEAT),
// and the newest 30 s of a live session are dropped because CloudWatch has
// not finished ingesting them. Every series carries explicit timestamps.
// Live sessions are never cached; an ended session is cached at the best
// period that covers it whole, and a coarser, partial or empty fetch never
// replaces better cached data (store.BetterMetrics).
//
// # Errors
//
// Malformed events are ugc.ErrInvalidArgument; another user's session is
// ugc.ErrNotFound; AWS failures are ugc.ErrUnavailable or ugc.ErrThrottled
// with the AWS error as the cause.
package metrics
