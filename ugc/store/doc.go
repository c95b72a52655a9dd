// Package store is the storage contract of ugc-go: Go interfaces grouped by
// aggregate, with the semantics every driver must keep. The drivers are
// ugc/store/memstore (in memory), ugc/store/sqlstore (SQLite) and
// ugc/store/dynamostore (DynamoDB); ugc/store/storetest is the conformance
// suite and the benchmarks every driver runs.
//
// # Arguments
//
// Every method rejects empty required IDs, IDs longer than MaxIDLen, page
// limits outside 0..MaxPageLimit and malformed cursors with an error wrapping
// ugc.ErrInvalidArgument, before any write. A method either applies all of
// its writes or none.
//
// The rules for each stored entity are functions of this package, named
// after it (CheckUser, CheckJob, CheckPoll, CheckBan, CheckStageSession, ...),
// on top of the primitives CheckID, CheckIDs, CheckBatch, CheckText,
// CheckSize and Limit. Every driver calls them, so all drivers refuse the
// same inputs with the same error kind and field; a driver adds only the
// checks its backend needs.
//
// # Paging
//
// List methods take a Page and return the items and the cursor of the next
// page ("" on the last page). A zero Limit means DefaultPageLimit. Cursors
// are opaque, tamper-evident and bound to the query that produced them: a
// cursor used with another query, or edited, is ErrInvalidArgument.
//
// # Errors
//
// Methods return errors wrapping the ugc sentinels: ErrNotFound,
// ErrAlreadyExists (a uniqueness or duplicate condition failed; the
// *ugc.Error names the field or has a specific code), ErrFailedPrecondition
// (a conditional write failed; specific codes are documented per method) and
// ErrInvalidArgument. Any other error is a driver failure. Drivers never
// retry.
//
// # Time
//
// Times are stored with millisecond precision in UTC and returned in UTC.
// Methods whose outcome depends on the clock take now as an argument, so the
// caller's clock decides and tests can control it.
//
// # Concurrency
//
// Every driver is safe for concurrent use, and the uniqueness and
// conditional rules hold across goroutines, processes and replicas sharing
// the same backing store.
package store
