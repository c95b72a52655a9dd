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
// follow), live (the live index, keyed by (user, kind)) with live_latest
// (each live user's entry with the latest start, kept in the same
// transaction, indexed by (since DESC, user_id) for the directory and
// joined by user ID for following lists), stream_sessions, stream_events,
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
// connection and a pool of read-only connections (Options.ReadConns) that
// read in parallel with the writer thanks to WAL. Multi-statement reads
// (following lists, polls with their counts) run in one read transaction
// and see one snapshot. An in-memory database (MemoryDSN) lives in one
// connection, which reads and writes share.
//
// SQLite allows one writer at a time, so every write goes to one goroutine
// the Store owns (started by Open, stopped by Close). It commits the writes
// waiting for it in one transaction (group commit, at most 128 per
// transaction), each inside its own savepoint: a write that fails is rolled
// back alone and the others commit. Each caller is answered only after the
// commit, so an acknowledged write is as durable as its own transaction
// would be, and a failed one was not applied. The statements of the
// high-rate writes (votes, stream events, follows, notifications, the live
// index) are prepared once on the write connection, since parsing dominates
// the cost of a small write; reads outside transactions keep their
// statements prepared too (at most 512). Other processes opening the same file
// serialize on SQLite's write lock (BEGIN IMMEDIATE), waiting up to
// Options.BusyTimeout.
//
// A caller's context is honoured until the writer picks its write up; from
// then on the write runs to its end with a context that keeps the caller's
// values but not its cancellation, so one caller giving up cannot
// interrupt a transaction shared with others. Methods of a closed Store
// fail; writes fail with an error wrapping ugc.ErrUnavailable.
//
// # Durability
//
// A file database runs in WAL mode with synchronous=NORMAL: a write is
// acknowledged after its transaction commits to the WAL, which survives a
// crash of the process; a power loss may lose the last transactions but
// never corrupts the file. Every method is atomic (its own savepoint within
// a committed transaction): it applies all of its writes or none (a vote
// and its tally, a follow and the follower count, a seat after counting the
// held ones), and arguments are checked before anything is written.
//
// # Testing
//
// sqlstore_test.go runs the storetest conformance suite against both a
// file database and an in-memory one, and the suite's benchmarks against a
// file database. driver_test.go adds the driver's own tests: restart
// (write, Close, Open the same file, read, including a cursor taken before
// the restart), migrations (recorded once, upgrade from version 1, refusal
// of a newer schema), two Stores on one file racing for a username as two
// processes would, concurrent votes and seat reservations with exact
// outcomes, the mapping of constraint failures to sentinels, canceled
// writes and Close. crash_test.go re-runs the test binary as a child that
// records votes and kills itself (SIGKILL, no Close) mid-stream; every vote
// it acknowledged must be found afterwards. bench_test.go measures parallel vote recording and
// event appends, the directory and the following list at the target sizes.
// The tests run goleak.VerifyTestMain, so a writer goroutine left running
// fails them.
package sqlstore
