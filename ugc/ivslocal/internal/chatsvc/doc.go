// Package chatsvc emulates Amazon IVS Chat for ivslocal: the restJson1
// control API that aws-sdk-go-v2/service/ivschat speaks, and the chat
// messaging WebSocket that the amazon-ivs-chat-messaging JS SDK (1.1.1) and
// any other client use.
//
// The root ivslocal package builds a Service with New, mounts the API with
// Register, sends every WebSocket upgrade to ServeWebSocket, serves the
// /tags routes from the shared tag registry (rooms are registered there on
// create and forgotten on delete) and saves rooms with MarshalState.
//
// # Control API
//
// CreateRoom, GetRoom, UpdateRoom, DeleteRoom (204), ListRooms,
// CreateChatToken, SendEvent, DeleteMessage, DisconnectUser and the
// logging-configuration operations (Create, Get, Update, Delete (204),
// List), each as POST /<Operation> with the JSON members of the ivschat
// model. Rooms have ARN arn:aws:ivschat:<region>:<account>:room/<12
// alphanumerics>; timestamps are ISO 8601 strings with milliseconds, in
// UTC. Defaults:
// maximumMessageLength 500 (1-500 code points), maximumMessageRatePerSecond
// 10 (1-100), fallbackResult ALLOW, sessionDurationInMinutes 60 (1-180).
// ListRooms returns summaries (no maximum* members) in room-ID order, at
// most maxResults (1-50, default 50) per page, filtered by exact name,
// messageReviewHandlerUri and loggingConfigurationIdentifier.
//
// A room identifier is the room ARN or, as a convenience, the bare room ID.
// A room's loggingConfigurationIdentifiers must name existing logging
// configurations (ResourceNotFoundException otherwise). Logging
// configurations are ACTIVE as soon as they are created and log nothing;
// deleting one removes it from every room that lists it.
//
// # Errors
//
// Errors are restJson1 errors with the x-amzn-ErrorType header and a JSON
// body whose text is in "message":
//
//   - ResourceNotFoundException (404) for an unknown room, with resourceId
//     (the room ID) and resourceType "ROOM" (for a logging configuration,
//     its ID and "LOGGING_CONFIGURATION").
//   - ValidationException (400) with reason FIELD_VALIDATION_FAILED and a
//     fieldList of {name, message} for each bad member (ranges, lengths,
//     patterns, enums, attributes over 1 KB, more than 50 tags), or reason
//     OTHER for a body that is not valid JSON.
//
// Faults injected through emu.Env apply to every operation by name.
//
// # Tokens
//
// CreateChatToken returns an opaque token of RFC 7230 token characters,
// tokenExpirationTime (now + 60 s) and sessionExpirationTime (now + the
// session duration). A token connects once, before tokenExpirationTime; an
// unknown, expired or reused token, or one whose room was deleted, is
// refused with HTTP 401 before the upgrade (the JS SDK reports a socket
// error and asks its token provider for a new token). Attributes count as
// the UTF-8 bytes of every key and value; over 1024 is a ValidationException.
// Tokens live in memory only.
//
// # Messaging WebSocket
//
// Any path works; the token is the subprotocol offered in
// Sec-WebSocket-Protocol and the server selects it. Client frames are JSON
// text with PascalCase members:
//
//	{"Action":"SEND_MESSAGE","RequestId":"…","Content":"…","Attributes":{…}}
//	{"Action":"DELETE_MESSAGE","RequestId":"…","Id":"<12 chars>","Reason":"…"}
//	{"Action":"DISCONNECT_USER","RequestId":"…","UserId":"…","Reason":"…"}
//
// Server frames are MESSAGE (Type, Id, RequestId, Content, Attributes,
// SendTime, Sender{UserId, Attributes}), EVENT (Type, Id, RequestId,
// EventName, Attributes, SendTime) and ERROR (Type, Id, RequestId, numeric
// ErrorCode, ErrorMessage). Every frame has a fresh 12-character Id;
// RequestId is echoed on the frames a request causes and omitted
// otherwise; empty Attributes are omitted. Sender.Attributes are the token's
// attributes.
//
// An accepted SEND_MESSAGE is broadcast as one MESSAGE frame to every
// connection of the room, the sender included. DELETE_MESSAGE (and the
// DeleteMessage API) broadcasts the EVENT aws:DELETE_MESSAGE with
// attributes MessageId, MessageID (the JS SDK reads this one) and Reason
// when given. DISCONNECT_USER (and the DisconnectUser API) broadcasts
// aws:DISCONNECT_USER with UserId and Reason, then closes every connection
// of that user in the room with status 1000 once the event has been written
// to it. SendEvent broadcasts an EVENT with its name and attributes.
//
// ERROR codes and messages:
//
//   - 400 "Invalid request: …": a frame that is not a JSON object with
//     string attributes, an unknown Action, an empty Content, a bad Id or
//     UserId.
//   - 403 "Forbidden: the connection's token lacks the <CAP> capability".
//   - 404 "Room not found": the room was deleted (its connections are also
//     closed with status 1000).
//   - 406 "Message rejected during message review" (": <Reason>" appended
//     when the handler gives one).
//   - 413: content longer than the room's maximumMessageLength code points,
//     attributes over 1 KB, a Reason over 256 characters.
//   - 429 "Rate exceeded: …": more than maximumMessageRatePerSecond accepted
//     messages in the room within one second (all senders together, as AWS
//     documents the limit). Messages refused before the limit is checked
//     (capability, content, length) and throttled ones do not count;
//     messages later denied by review do.
//
// Connections close with status 1000 at sessionExpirationTime, on
// DisconnectUser and when their room is deleted, and 1001 on Close and
// Reset. A client that falls 512 frames behind is dropped: its write in
// progress is aborted and the TCP connection closed (status 1008 when no
// write was in progress).
//
// # Message review
//
// Rooms whose messageReviewHandler.uri is set (any Lambda ARN) have every
// SEND_MESSAGE reviewed by the one Go ReviewHandler set with
// SetReviewHandler, which receives and returns the Lambda payload shapes.
// ALLOW delivers the message, with Content and Attributes replaced when the
// handler returns them; DENY sends the sender an ERROR 406 and delivers
// nothing. An error, a panic, a result other than ALLOW or DENY, no handler
// at all, or no answer within the review timeout (200 ms, SetReviewTimeout)
// apply the room's fallbackResult: ALLOW delivers the original message, DENY
// rejects it with 406.
//
// # Concurrency
//
// Service is safe for concurrent use. Each connection has a buffered send
// queue drained by its own writer goroutine; a broadcast encodes the frame
// once and only enqueues it (under the service lock, so every connection
// sees frames in the same order), so a slow client never delays the
// others. Frames still queued when a connection closes after
// DisconnectUser or session expiry get up to 5 s to be written; Close
// aborts them. The reader runs on the goroutine that called ServeWebSocket.
// Close stops every connection and waits for all goroutines the service
// started, review handler calls included.
//
// # Known deviations from AWS
//
//   - Bare room and logging-configuration IDs are accepted wherever an ARN
//     identifier is expected.
//   - Validation messages follow AWS's style but are not verbatim.
//   - Logging configurations deliver no logs, are never CREATING or
//     UPDATING, and deleting one that rooms use detaches it instead of
//     failing (AWS's behaviour there is not verified).
//   - API rate quotas (room CRUD 5 TPS, SendEvent 100 TPS, ...) and the
//     account-wide connection quota are not enforced.
//   - The handshake refusal (HTTP 401) and every ERROR message text are the
//     emulator's own; AWS does not document them. The 413 code for an
//     over-long message follows the chat SDK's error table; the AWS guide
//     has an example using 400.
//   - Session expiry closes the connection without an ERROR frame.
//   - The message review handler is an in-process Go function, not a Lambda
//     invocation; its URI is not resolved and the same handler serves every
//     room that has one. ReviewResponse.Reason, appended to the 406
//     message, is an emulator extension of the Lambda contract.
//   - DeleteMessage does not check that the message exists (neither, as far
//     as is known, does AWS) and no chat history is kept.
//   - Slow clients are dropped when their queue fills; AWS's behaviour
//     there is unknown.
//
// # Testing
//
// The tests drive every operation with unmodified ivschat clients, the
// WebSocket with github.com/coder/websocket clients, and (TestNodeChatClient)
// the real JS SDK from testdata/node when node and npm are available.
package chatsvc
