// Package sqlstore is the SQL driver of the ugc-go storage contract
// (ugc/store), over SQLite through database/sql and modernc.org/sqlite (pure
// Go, no cgo; driver name "sqlite").
//
//	s, err := sqlstore.Open(ctx, "ugc.db") // or sqlstore.MemoryDSN
//	if err != nil { ... }
//	defer s.Close()
//
// # Schema
//
// The schema is created and upgraded by numbered migrations embedded from
// migrations/NNNN_name.sql; schema_migrations records which have run, and
// Open applies the missing ones, each in its own transaction. The meta table
// holds the random per-database secret that signs page cursors, so cursors
// survive restarts and are good for any process sharing the file.
//
// One table per record type: users (UNIQUE indexes on the normalized
// username and email, partial indexes on the channel, chat room and stage
// ARNs), credentials, auth_sessions, reset_tokens, jobs, follows with
// follower_counts (the exact counts, updated in the same transaction as the
// follow), live (the live index, keyed by (user, kind), indexed by
// (since DESC, user_id) for the directory), stream_sessions, stream_events,
// metrics_cache, bans, moderators, blocked_terms, active_actions, presets,
// rules, polls with poll_options (text and exact count per option) and votes
// (primary key (poll, user): one vote each), stage_sessions (a partial
// UNIQUE index allows one active session per channel), seats, join_requests
// (a partial UNIQUE index allows one pending request per channel and user),
// invites, kicks, notifications with notification_seqs (per-user counters
// that retention never rewinds).
//
// Times are INTEGER Unix milliseconds in UTC; the zero time.Time is stored
// as its own Unix milliseconds, so every time column is NOT NULL and zero
// comes back as zero. Usernames and emails are normalized with
// ugc.NormalizeUsername and ugc.NormalizeEmail in Go (SQLite's lower() knows
// only ASCII) and stored next to the display form.
//
// # Errors
//
// Methods return the ugc sentinels as store documents them. Uniqueness is
// enforced by the database: a UNIQUE or PRIMARY KEY violation is mapped to
// ErrAlreadyExists with the field ("id", "username", "email", "token_hash")
// or code ("already_voted", "session_active", "request_pending") the
// contract names. Conditional writes read and write inside one BEGIN
// IMMEDIATE transaction, so their checks cannot race.
//
// # Concurrency
//
// A Store is safe for concurrent use. A file database has one write
// connection, through which every write transaction runs (SQLite allows one
// writer at a time; queuing in Go avoids SQLITE_BUSY between our own
// goroutines), and a pool of read-only connections that read in parallel
// with the writer thanks to WAL. Multi-statement reads (following lists,
// polls with their counts) run in one read transaction and see one
// snapshot. Other processes opening the same file serialize on SQLite's
// write lock, waiting up to Options.BusyTimeout. An in-memory database
// (MemoryDSN) lives in one connection, which reads and writes share.
//
// # Durability
//
// A file database runs in WAL mode with synchronous=NORMAL: a write is
// acknowledged after its transaction commits to the WAL, which survives a
// crash of the process; a power loss may lose the last transactions but
// never corrupts the file. Every method is one transaction: it applies all
// of its writes or none (a vote and its tally, a follow and the follower
// count, a seat and the seat count).
//
// # Testing
//
// sqlstore_test.go runs the storetest conformance suite and benchmarks
// against both a file database and an in-memory one, plus driver-specific
// tests: restart (write, Close, Open the same file, read), migrations,
// cursor survival across restarts, concurrency of votes and seats across
// goroutines, and the targets of the directory, the following list and vote
// recording.
package sqlstore
