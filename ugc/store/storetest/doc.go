// Package storetest is the conformance suite and the benchmarks of the
// ugc/store contract. Every driver runs both, in about ten lines:
//
//	type harness struct {
//		dir string
//		n   int
//	}
//
//	func (h *harness) MakeStore(ctx context.Context) (store.Store, error) {
//		h.n++
//		return sqlstore.Open(ctx, filepath.Join(h.dir, fmt.Sprintf("store%d.db", h.n)))
//	}
//
//	func (h *harness) Close() {}
//
//	func TestConformance(t *testing.T) {
//		storetest.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (storetest.Harness, error) {
//			return &harness{dir: t.TempDir()}, nil
//		})
//	}
//
//	func BenchmarkStore(b *testing.B) {
//		storetest.RunBenchmarks(b, func(ctx context.Context, b *testing.B) (storetest.Harness, error) {
//			return &harness{dir: b.TempDir()}, nil
//		}, func(o *storetest.BenchOptions) { o.Channels = 20_000 }) // shrink for a slow backend
//	}
//
// MakeStore must return an empty store each time it is called: every
// subtest makes its own.
//
// # What the suite covers
//
// One t.Run group per aggregate (Users, Accounts, Jobs, Follows, Live,
// StreamSessions, Moderation, Actions, Polls, Stages, Notifications) with
// a case per behaviour of every method, and CrossCutting (no memory shared
// with callers, the same time truncation everywhere, DeleteUser does not
// cascade): results compared with cmp.Diff,
// errors checked with errors.Is on the ugc sentinels, ugc.CodeOf codes
// ("already_voted", "poll_closed", "poll_active", "stage_full",
// "seat_held", "session_active", "request_pending", "request_state",
// "token_used", "token_expired", "version_conflict") and ugc.FieldOf
// fields ("id", "username", "email").
//
// Paging walks every paged list with several limits and checks order, no
// duplicate and no omission, "" as the cursor of the last page, bad limits,
// edited cursors and cursors of other queries (another owner, another list
// method), all ErrInvalidArgument.
//
// BadInput calls every method with an empty ID, an ID of MaxIDLen+1 bytes
// and invalid UTF-8 in each ID argument (ErrInvalidArgument naming a field
// and, for writes, nothing written), with free text and data one byte over
// MaxTextLen, MaxDataLen and MaxMetricsCacheLen, and with nil pointers.
//
// Concurrency races goroutines on every conditional write: 50 registrations
// of one username in different cases (one wins), 100 voters voting twice
// (exactly 100 votes), follow/unfollow storms (counts equal the records), 20
// seat reservations for 11 seats (exactly 11), and the poll, reset token,
// version, stage session, join request and notification sequence races.
// Run it with -race.
//
// # Readings of the contract
//
// Where store.go leaves room, the suite fixes one reading; the test names
// say which:
//
//   - Times come back in UTC truncated (not rounded) to the millisecond; the
//     zero time stays zero (TimesAreStoredInUTCTruncatedToMilliseconds).
//   - Emails: only the domain is case-insensitive, the local part is
//     compared as typed, like ugc.NormalizeEmail.
//   - Expiry instants are exclusive: an auth session, reset token, ban, seat
//     reservation or poll is over at exactly its ExpiresAt/EndsAt.
//   - UseResetToken on a token both used and expired is "token_used".
//   - ReserveSeat by a user who already holds a seat is "seat_held" even
//     when the session is full (ReserveSeatHeldBeatsFull).
//   - RecordVote checks in order: arguments, the poll exists, option in
//     range (else ErrInvalidArgument), poll open at now, first vote.
//   - SetLive with an equal start replaces the entry; only a later stored
//     start wins. Two entries with the same start are ordered by Kind
//     ("low_latency" first), and ListLive shows that one (GetLiveTiesByKind).
//   - LatestPoll and LatestJoinRequest break start-time ties by the greater
//     ID; ListJoinRequests ("newest first") and ListSeats break ties by ID
//     ascending, like the lists whose ties store.go names.
//   - PutModerator on an existing moderator changes nothing, CreatedAt
//     included. PutBlockedTerms refuses empty terms and keeps the order given.
//   - UpdateJoinRequest: the stored Status must equal fromStatus and the
//     stored TokenUsed must be false; a used request is final, so of
//     concurrent callers setting TokenUsed exactly one wins.
//   - CreateJoinRequest's pending check looks at Status only, not ExpiresAt.
//   - Sequence numbers of notifications are never reused, even after
//     DeleteNotificationsBefore removed every notification of the user.
//   - A cursor is bound to the list method and its identifying arguments
//     (owner, kind, session), not to the time filters of ListBans (now) and
//     ListJobs (updatedBefore), which callers pass afresh on each page.
//   - Any edit of a cursor string is refused, even one that decodes to the
//     same bytes (changed base64 padding bits): internal/pagetoken accepts
//     those, so drivers also decode both parts with
//     base64.RawURLEncoding.Strict().
//   - A page with a next cursor is never empty, and a page that ends the
//     list has cursor "" even when it is full.
//   - Optional string arguments (SetLive's and ClearLive's ref,
//     DeleteUserAuthSessions' except, DeleteActiveAction's id) may be empty
//     but not longer than MaxIDLen or invalid UTF-8.
//
// # Benchmarks
//
// RunBenchmarks reports ns/op and, on Unix, cpu-ns/op: the process CPU time
// per operation, which stays meaningful on a loaded machine. RecordVote
// also reports votes/s (wall clock) and votes/cpu-s. The data sets default
// to the project's target sizes (100,000 channels of which 10,000 live; a
// viewer following 1,000 channels of which 100 live; 10,000 users) and are
// written before the timed loop, in parallel; BenchOptions shrinks them.
//
// # Concurrency
//
// The conformance cases of the Concurrency group start goroutines that all
// end before the case returns. The harness must make stores safe for
// concurrent use.
//
// # Testing
//
// The package is exercised by ugc/store/memstore's tests; a driver change
// that breaks the contract fails there first.
package storetest
