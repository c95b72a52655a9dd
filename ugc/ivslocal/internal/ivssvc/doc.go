// Package ivssvc emulates Amazon IVS low-latency streaming (the "ivs"
// restJson1 API) for ivslocal: channels, stream keys, streams, stream
// sessions, timed metadata and the simulated broadcasts that make a channel
// go live.
//
// # Operations
//
// Register installs CreateChannel, GetChannel, UpdateChannel, DeleteChannel,
// ListChannels, BatchGetChannel, CreateStreamKey, GetStreamKey,
// ListStreamKeys, DeleteStreamKey, BatchGetStreamKey, GetStream, ListStreams, GetStreamSession,
// ListStreamSessions, StopStream and PutMetadata as POST /<Operation> routes.
// Tag operations are served by the root package, which owns /tags/ for every
// service and keeps tags in emu.Tags.
//
// # Broadcasts
//
// There is no RTMP ingest. StartStream simulates an encoder connecting with a
// stream key: the channel goes LIVE, a stream session with a fixed ingest
// configuration starts, events are emitted on the environment's bus and a
// goroutine publishes AWS/IVS metrics to env.Metrics every metrics interval.
// EndStream, SetStarvation and LimitBreach drive the rest of the lifecycle.
//
// # Errors
//
// Operations return the IVS error types with their HTTP statuses and the
// "exceptionMessage" body member. The control methods return *emu.Error
// values with the same codes.
//
// # Concurrency
//
// A Service is safe for concurrent use. Events are emitted outside its lock,
// so subscribers may call back into it. Close stops every metrics goroutine.
//
// # Testing
//
// The tests drive every operation, errors included, with an unmodified
// ivs.Client built from an ivslocal.Server's AWSConfig, and check the
// metrics ticker with testing/synctest.
package ivssvc
