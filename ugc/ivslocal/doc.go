// Package ivslocal is an in-process emulator of Amazon IVS (low-latency
// channels, stream keys, streams, timed metadata), IVS Chat (rooms, tokens
// and the chat messaging WebSocket), IVS Real-Time (stages and participants)
// and CloudWatch (metrics), served on one loopback HTTP listener that
// unmodified aws-sdk-go-v2 clients talk to. It is to these services what
// httptest.NewServer is to an HTTP handler.
//
//	srv := ivslocal.NewServer()
//	defer srv.Close()
//	client := ivs.NewFromConfig(srv.AWSConfig())
//
// The command ugc/ivslocal/cmd/ivslocal serves the same on a fixed address
// for SDKs in any language (set their endpoint to the printed URL).
//
// # Dispatch
//
// One http.Handler serves every service. CloudWatch requests (rpcv2Cbor:
// path /service/GraniteServiceVersion20100801/... or header
// Smithy-Protocol: rpc-v2-cbor) go to CloudWatch; any request with
// Upgrade: websocket, on any path, is a chat messaging connection (see
// ChatEndpoint); paths under /_ivslocal/ are the control API; everything
// else is a restJson1 operation of IVS, IVS Chat or IVS Real-Time
// (POST /<Operation>). GET, POST and DELETE /tags/{resourceArn} serve the
// tag operations of all three services, chosen by the ARN: arn:aws:ivschat:
// is IVS Chat (its error body carries "message"), :stage/ and the other
// Real-Time resource types are IVS Real-Time, anything else is IVS.
//
// # Simulated broadcasts and control API
//
// There is no media. A broadcast is simulated with StartStream (or the
// control API): the channel goes LIVE, a stream session with a fixed ingest
// configuration (H.264 avc1.64001F 1920x1080 at 30 fps and 6 Mbps, AAC-LC
// mp4a.40.2 stereo 48 kHz at 160 kbps) starts, the events Session Created
// and Stream Start are emitted, and AWS/IVS metrics (IngestVideoBitrate,
// IngestAudioBitrate, IngestFramerate, KeyframeInterval, ConcurrentViews,
// dimension Channel = channel ID, storage resolution 1 s) are written to the
// CloudWatch emulator at once and then every metrics interval (5 s, see
// WithMetricsInterval) until the stream ends.
//
// The control API, on the same listener, mirrors the Go methods. Errors are
// JSON {"error": message, "code": AWS-style code} with the matching status.
//
//	POST   /_ivslocal/streams                         {"streamKey":"sk_..."} → 201 {"channelArn","streamId"}; 404 unknown key; 409 already live
//	DELETE /_ivslocal/streams/{channelId}             → 204 (Stream End, Session Ended); 404 offline or unknown
//	POST   /_ivslocal/streams/{channelId}/starvation  {"active":true|false} → 204 (Starvation Start / End; health STARVING / HEALTHY)
//	POST   /_ivslocal/streams/{channelId}/limit-breach {"limitName":"Ingest Bitrate"} → 204 (IVS Limit Breach + a session error event)
//	GET    /_ivslocal/channels/{channelId}/metadata   → 200 {"metadata":[{"time","payload"}]}, oldest first
//	GET    /_ivslocal/faults                          → 200 {"faults":[...]}
//	POST   /_ivslocal/faults                          {"operation":"CreateRoom","error":"InternalServerException","count":1,"message":"..."} → 201
//	DELETE /_ivslocal/faults                          → 204
//	GET    /_ivslocal/calls                           → 200 {"calls":[{"time","service","operation","status","error"}]}
//	DELETE /_ivslocal/calls                           → 204
//	POST   /_ivslocal/reset                           → 204
//	POST   /_ivslocal/stages/{stageId}/participants   {"token":"..."} → 201 {"participantId"}
//	POST   /_ivslocal/stages/{stageId}/participants/{participantId}/publish   → 204
//	POST   /_ivslocal/stages/{stageId}/participants/{participantId}/unpublish → 204
//	DELETE /_ivslocal/stages/{stageId}/participants/{participantId}           → 204
//
// Limit names are "Ingest Bitrate", "Ingest Resolution", "Concurrent
// Broadcasts" and "Concurrent Viewers".
//
// # Events
//
// Every state change emits an EventBridge-shaped Event (source aws.ivs,
// detail types IVS Stream State Change, IVS Stream Health Change, IVS Limit
// Breach and IVS Stage Update, with the detail keys AWS documents). Go
// subscribers (Subscribe) are called synchronously, in order; with
// WithEventURL each event is also POSTed as JSON to a URL from a bounded
// queue drained by one goroutine, best-effort.
//
// # Faults and call log
//
// InjectFault (or POST /_ivslocal/faults) makes the next calls of an
// operation, by name, fail with an AWS error type and its HTTP status. An
// error type the operation does not model reaches SDK callers as a generic
// smithy.APIError with that code. Calls returns every API call with its
// status and error code.
//
// # State file
//
// With WithStateFile, channels, stream keys, chat rooms and logging
// configurations, stages (with their past sessions, participants and used
// participant tokens) and all tags are loaded at start and written back
// atomically (temporary file and rename) about 200 ms after each change and
// on Close. After a restart no channel is live, no stage session is active
// and its participants are DISCONNECTED. Stream sessions, timed metadata,
// chat tokens and connections, and CloudWatch data are not kept.
//
// # Errors
//
// API errors are the AWS error types with AWS's statuses and body members,
// so errors.As reaches the SDK's typed exceptions. The Go control methods
// return errors matching ErrNotFound, ErrConflict, ErrNotBroadcasting,
// ErrInvalid or ErrClosed with errors.Is.
//
// # Concurrency
//
// A Server is safe for concurrent use. It owns its goroutines (HTTP server,
// one metrics ticker per live stream, the event poster, the state saver,
// chat connections) and Close stops them all.
//
// # Deviations from AWS
//
// Common to all services:
//   - Signatures and credentials are not checked; ARNs, URLs and events use
//     the server's region and account, not the request's.
//   - API rate quotas are not enforced, except PutMetadata's; resource
//     quotas (channels, rooms, stages, concurrent streams) are not enforced.
//   - Error message texts are the emulator's own.
//   - Events are delivered at once and in order; AWS delivers them
//     best-effort, possibly late or out of order.
//   - nextToken values are offsets: a page can skip or repeat an item when
//     resources are created or deleted between pages.
//
// IVS low-latency:
//   - No RTMP/SRT ingest and no HLS playback: ingestEndpoint, playbackUrl and
//     srt are AWS-shaped but fake hosts. Every broadcast reports the same
//     ingest configuration whatever the channel type; viewerCount and
//     ConcurrentViews follow a random walk.
//   - Recording configurations, playback key pairs, playback restriction
//     policies, ad configurations, viewer-session revocation and
//     InsertAdBreak are not implemented. The ARNs of recording,
//     playback-restriction and ad configurations are checked against their
//     patterns only, never for existence; a stream session's
//     recordingConfiguration carries only the channel's ARN.
//   - A second stream key on a channel is a ServiceQuotaExceededException
//     and PutMetadata over 1024 UTF-8 bytes a ValidationException; AWS
//     documents the limits, not the codes.
//   - ListChannels orders by ARN, filterByName matches the whole name, and
//     two filters at once are a ConflictException.
//   - UpdateChannel leaves authorized and insecureIngest unchanged when they
//     are absent (the Go SDK omits false), so they cannot be switched off
//     through the Go SDK.
//   - Stream End is emitted before Session Ended. Limit breaches use fixed
//     limit values; the session error event has type IVS Limit Breach, the
//     limit name as name and code LimitBreach.
//   - ConcurrentViews is written at 1-second resolution like the ingest
//     metrics (AWS publishes it per minute). Stream sessions (up to 1,000
//     per channel) live in memory only; AWS keeps them 60 days.
//   - Timestamps have millisecond precision.
//
// IVS Chat (see ugc/ivslocal/internal/chatsvc):
//   - Bare room and logging-configuration IDs are accepted wherever an ARN
//     is expected; validation messages are AWS-like, not verbatim.
//   - Logging configurations deliver no logs and are never CREATING or
//     UPDATING; deleting one that rooms use detaches it.
//   - The message review handler is one in-process Go function
//     (SetMessageReviewHandler) serving every room with a handler URI; the
//     Lambda ARN is never resolved. A DENY Reason is appended to the 406
//     message (an extension of the Lambda contract).
//   - The WebSocket handshake refusal (HTTP 401) and ERROR message texts are
//     the emulator's own; 413 is used for an over-long message as in the chat
//     SDK's error table. Session expiry closes without an ERROR frame; slow
//     clients are dropped when their queue fills.
//   - DeleteMessage does not check that the message exists; no history is
//     kept.
//
// IVS Real-Time (see ugc/ivslocal/internal/stagesvc):
//   - No WebRTC/WHIP media: participants join, publish, unpublish and leave
//     through JoinStage, PublishParticipant, UnpublishParticipant and
//     LeaveStage (or the control routes); publishing is a state change.
//     Participant tokens are JWTs signed by the emulator; a token joins once,
//     so a participant that left needs a new token.
//   - Only Participant Published, Unpublished and Publish Error are verified
//     AWS event names; Joined, Left, Session Created and Session Ended follow
//     the documentation, and reason values are the emulator's.
//   - Subscriptions, compositions, replication, ingest, storage and encoder
//     configurations and public keys are not modelled; recording is not
//     performed (recordingState only follows publishing).
//   - An unknown sessionId in ListParticipants is ResourceNotFoundException;
//     UpdateStage refuses to switch participant recording while a session is
//     active.
//
// CloudWatch (see ugc/ivslocal/internal/cwsvc):
//   - Only rpcv2Cbor (the current Go SDK protocol) is served, not awsQuery
//     or awsJson1_0; PutMetricData, GetMetricData and GetMetricStatistics
//     only (no alarms, dashboards, ListMetrics, Metrics Insights).
//   - Percentiles are nearest-rank over exact values; periods with statistic
//     sets or rolled-up data have none.
//   - Period-rule violations and too many queries are errors; AWS returns no
//     datapoints for an unsuitable period.
//   - AWS/ namespaces are writable; data is readable as soon as it is
//     written; GetMetricStatistics returns datapoints in time order.
package ivslocal
