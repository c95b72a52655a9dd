// Package memstore is the in-memory driver of the ugc/store contract: a
// supported backend for single-process deployments, development and tests,
// not a mock. It keeps every rule of store.Store: case-insensitive
// uniqueness, conditional and idempotent writes, exact counters, the
// documented orderings and tamper-evident cursors bound to their query.
//
//	st := memstore.New()
//	defer st.Close()
//	err := st.CreateUser(ctx, &ugc.User{ID: "u1", Username: "Alice", Email: "a@example.com"})
//
// # Data structures
//
// Records live in maps keyed by their natural keys. Every ordered list is
// served from an ordered set of sort keys (a list of sorted blocks of at
// most 256 keys), so a page costs a binary search plus the page itself:
// the directory (ListLive) keeps one key per live user, (Since desc,
// UserID); each channel keeps its bans, moderators and join requests, each
// session its events, each user its started stream sessions.
//
// A follow record points at the followed channel's state (its followers and
// live entries), so follower counts are the size of a set and the following
// list tells live channels from offline ones without a lookup: one pass
// over the follower's (FollowedAt desc, channel) index, then a sort of the
// live ones only.
//
// A poll keeps its votes in a map next to its counts, so a vote is one map
// insert. Values are copied on the way in and on the way out: no caller
// ever shares memory with the store.
//
// # Cursors
//
// Cursors are signed with internal/pagetoken. Each Store draws a random key
// at New, so its cursors are good only for it; WithCursorKey sets the key.
// A cursor is bound to the method and the identifying arguments of the list
// (the follower, the channel, the session, the job kind), not to time
// filters such as ListBans' now or ListJobs' updatedBefore, which callers
// pass afresh on every page.
//
// # Time
//
// Times are stored in UTC, truncated to the millisecond; the zero time
// stays zero.
//
// # Concurrency
//
// A Store is safe for concurrent use. One sync.RWMutex guards all state:
// reads share it, writes hold it for the whole of their checks and changes,
// so every conditional write is atomic and a method applies all of its
// writes or none. Arguments are checked before the lock is taken. After
// Close, every method fails with an error wrapping ugc.ErrUnavailable.
//
// # Testing
//
// memstore runs the conformance suite and the benchmarks of
// ugc/store/storetest (go test ./ugc/store/memstore/, go test -run x
// -bench . ./ugc/store/memstore/).
package memstore
