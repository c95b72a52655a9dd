// Package actions serves stream overlays sent as Amazon IVS timed metadata
// (quiz, product, amazon_product, notice, celebration), the streamer's
// saved presets, rules that send a preset when a stream event arrives, and
// polls tallied in the store and pushed to the channel's chat room.
//
// Everything the seed kept in the streamer's browser is server-side here:
// one active action per channel, "only polls while a stage is live",
// presets and poll tallies survive any tab closing and any replica dying.
//
// # Overlays
//
// Service.Start validates the data of a type field by field (Validate; the
// limits are the seed's), checks the live index (the channel must be
// broadcasting: "channel_offline"; its stage must not be live:
// "stage_live"), encodes the metadata document and refuses it before any
// AWS call when it exceeds IVS's 1 KB (ugc.ErrTooLarge), stores it as the
// channel's one active action with its expiry and sends it. Service.Stop
// removes it and sends the clear document; Service.Active returns it until
// it expires. A "Stream End" event removes it.
//
// # Metadata documents
//
// Viewers receive version 1 of
//
//	{"v":1,"id":"…","type":"quiz","data":{…},"startedAt":"2026-11-25T12:00:00Z","expiresAt":"2026-11-25T12:00:15Z"}
//
// with expiresAt null for an overlay that stays until replaced or stopped,
// and {"v":1,"id":"…","type":"clear","expiresAt":null} when it is stopped.
// MetadataSchema is the JSON Schema of these documents; DecodeMetadata
// parses one as a player would.
//
// # Sending
//
// PutMetadata allows 5 calls per second per channel. Each channel has a
// token bucket (Options.MetadataRate, MetadataBurst; by default no more
// than 5 calls fall in any one-second window) and at most one payload
// waiting: a newer payload replaces a waiting one, which is dropped rather
// than sent late (its Start returns the code "superseded"). Right before
// each attempt the sender checks in the store that the payload is still
// the channel's current action, so a payload superseded through another
// replica is dropped too. Throttled calls are retried up to
// Options.MaxAttempts times with exponential backoff and jitter. The
// caller's context cancels its send.
//
// # Presets and rules
//
// A preset is the user's saved configuration of one action type (or
// "poll"), validated like the action. A rule sends the channel's preset of
// a type a delay after a stream event with a given name (for instance a
// notice 30 s after "Stream Start"): Service implements
// metrics.StreamEventListener (StreamEvent), so metrics ingestion feeds it.
//
// # Polls
//
// A poll (question ≤ 256 characters, 2–5 unique options ≤ 40, 10–1800 s)
// is stored; one poll per channel is open at a time. Each vote is one
// atomic store write keyed (poll, user): a second vote is refused
// ("already_voted") and changes nothing, a vote after the end is refused
// ("poll_closed"), banned and anonymous viewers cannot vote. The end is
// decided by the clock, so a poll closes on time with no process watching
// it, and the tallies read through the Service are the store's exact
// counts. The room is told with ivschat:SendEvent: poll:start, poll:update
// (at most twice a second per poll while votes arrive) and poll:end. The
// poll:end is a stored job created with the poll: the Service that started
// the poll sends it at the end (or the one that ends it early), and when
// that Service is gone, the next Sweep of any Service on the store does
// (run Service.Run in every replica). A claim on the job (compare-and-set)
// makes one Service send it; a failed send is retried after 30 s.
//
// # Errors
//
// Errors are *ugc.Error values: validation errors are ugc.ErrInvalidArgument
// naming the field; state errors are ugc.ErrFailedPrecondition or
// ugc.ErrAlreadyExists with the codes above; AWS errors are mapped by
// internal/awserr.
//
// # Concurrency
//
// A Service is safe for concurrent use. It owns its goroutines (one sender
// per channel with work, timers for rules, poll updates and poll ends);
// Close stops them. Run, the sweep loop, runs in the caller's goroutine.
//
// # Replicas
//
// Replicas share nothing but the store. What is kept per replica, and so
// holds per replica only: the PutMetadata token bucket (throttling retries
// and the store check before each send cover the rest), the poll:update
// spacing and scheduled rules. The poll:end timer lives in the replica
// that started the poll, but its job is in the store: if that replica
// dies, another's Sweep sends poll:end within the sweep interval. Rules
// fire in the replica that ingested the event.
//
// # Testing
//
// The tests run against ugc/ivslocal with unmodified SDK clients and read
// the PutMetadata payloads it received; timers are tested with
// testing/synctest.
package actions
