// Package stagesvc emulates Amazon IVS Real-Time (the ivsrealtime API:
// stages, participant tokens, participants and stage sessions) for
// ivslocal, plus control routes through which tests act as stage clients.
//
// # API routes
//
// Service.Register adds the restJson1 operations, each POST /<Operation>
// with the JSON keys of aws-sdk-go-v2/service/ivsrealtime v1.37.6:
// CreateStage, GetStage, UpdateStage, DeleteStage, ListStages,
// CreateParticipantToken, DisconnectParticipant, ListParticipants,
// GetParticipant, ListParticipantEvents, ListStageSessions and
// GetStageSession. Calls are logged and injected faults applied through
// emu.Env.Op; errors carry x-amzn-ErrorType and exceptionMessage (the SDK's
// typed exceptions expose the text as ExceptionMessage, as with AWS).
// Tag routes are not registered here: stages are registered with env.Tags
// on create and forgotten on delete, and GetStage/ListStages read their
// tags from there.
//
// # Stages, tokens and sessions
//
// A stage ARN is arn:aws:ivs:<region>:<account>:stage/<12 alphanumerics>.
// Stages carry AWS-shaped endpoints (events, whip, rtmp, rtmps) that point
// nowhere; autoParticipantRecordingConfiguration is validated, stored and
// echoed with the service's defaults filled in (AUDIO_VIDEO, 6 s HLS
// segments, INTERVAL thumbnails every 60 s to SEQUENTIAL storage).
//
// CreateParticipantToken (and CreateStage's participantTokenConfigurations,
// at most 12) validates capabilities (PUBLISH, SUBSCRIBE; default both),
// userId (≤128), attributes (≤1 KB of keys and values) and duration (1 to
// 20,160 minutes, default 720) and returns a participant ID (12
// alphanumerics) and a token: a JWT signed with HMAC-SHA256 under a key of
// the service, carrying the stage, participant ID, user ID, attributes,
// capabilities and expiry. Treat it as opaque.
//
// A participant joins with Join or POST /_ivslocal/stages/{stageId}/participants
// {"token":"..."} → 201 {"participantId":"..."}. A token joins once; a
// malformed or foreign token, one for another stage, or an expired one is
// refused. The first join starts a stage session ("st-" + 13 alphanumerics),
// shown as the stage's activeSessionId; it ends when the last participant
// leaves (Leave, DELETE .../participants/{participantId}, DisconnectParticipant
// or DeleteStage). A later join starts a new session. Participants have
// state CONNECTED or DISCONNECTED, published, firstJoinTime, userId,
// attributes, protocol UNKNOWN and recordingState (DISABLED without
// recording; with a storage configuration STOPPED, ACTIVE while publishing).
//
// Publish and Unpublish (POST .../{participantId}/publish and /unpublish →
// 204) need a connected participant; Publish needs the PUBLISH capability
// and a free seat: at most 12 participants of a stage publish at once.
// Publishing twice, or unpublishing a non-publisher, is a no-op.
//
// Control errors are JSON {"error":"..."}: 404 for an unknown stage or
// participant; 409 for a used token, a participant that is not connected,
// the publisher limit, or 10,000 connected participants; 400 otherwise. The
// Go methods return errors wrapping the exported Err* values.
//
// ListParticipants needs sessionId and accepts one of filterByUserId,
// filterByPublished, filterByState, filterByRecordingState (more than one is
// a ValidationException); lists page with maxResults (1-100, default 50) and
// opaque nextToken values. Stages list in creation order, sessions newest
// first, participants in join order.
//
// # Events
//
// Each change emits an "IVS Stage Update" event (source aws.ivs, resources
// [stage ARN]) on env.Bus after the service's lock is released, with detail
// keys session_id, event_name, event_time (RFC 3339, seconds), user_id and
// participant_id, in this order of names: "Session Created" (no participant
// keys), "Participant Joined", "Participant Published", "Participant
// Unpublished", "Participant Publish Error" (reason QUOTA_EXCEEDED or
// INSUFFICIENT_CAPABILITIES), "Participant Left" (reason when disconnected
// by DisconnectParticipant or DeleteStage) and "Session Ended". Leaving
// while publishing emits Unpublished before Left. ListParticipantEvents
// returns JOINED, LEFT, PUBLISH_STARTED, PUBLISH_STOPPED and PUBLISH_ERROR
// (with errorCode).
//
// # State
//
// MarshalState saves stages, sessions, participants, used tokens and the
// signing key; UnmarshalState restores them as after a restart: active
// sessions end and connected participants become DISCONNECTED, without
// events. Tokens minted before the restart still join once. Reset deletes
// every stage and rotates the key. The service starts no goroutines; Close
// drops the stages.
//
// # Deviations from AWS
//
//   - Only Published, Unpublished and Publish Error are verified AWS event
//     names; Joined, Left, Session Created and Session Ended follow the
//     Real-Time EventBridge documentation but were not checked against live
//     events, and the reason values are ours.
//   - No media flows: "publishing" is a state change. Subscriptions are not
//     modelled (no Subscribed events), nor compositions, ingest
//     configurations, replication, storage and encoder configurations, or
//     public keys.
//   - Recording is not performed; recordingState only follows publishing and
//     no S3 bucket or prefix is reported.
//   - No per-account stage quota (100 on AWS) and no API rate limits;
//     inject ServiceQuotaExceededException or ThrottlingException through
//     emu.Faults to test those paths.
//   - An unknown sessionId in ListParticipants is ResourceNotFoundException.
//   - Participants keep their token's attributes and capabilities; a
//     disconnected participant cannot rejoin with the same token (each token
//     joins once), so clients need a new token.
//   - UpdateStage refuses (ConflictException) to switch participant
//     recording on or off while a session is active.
//
// # Concurrency
//
// A Service is safe for concurrent use. Bus subscribers run synchronously
// in the caller's goroutine and may call back into the service.
//
// # Testing
//
// Tests drive every operation with an unmodified ivsrealtime.Client pointed
// at an httptest server, and participants through the control routes.
package stagesvc
