// Package channels manages the users of a UGC platform and their channels:
// provisioning each user's Amazon IVS channel and stream key, IVS Chat room
// and IVS Real-Time stage; profiles and images; stream-key resets and
// channel configuration; the channel page a viewer sees; follows, the
// following list and the live directory; and account deletion.
//
// Build a Service with New, giving it a store.Store and the AWS clients it
// calls through the narrow interfaces IVSAPI, ChatRoomAPI and StageAPI
// (satisfied by *ivs.Client, *ivschat.Client and *ivsrealtime.Client).
//
// # Provisioning
//
// Register is a saga. Every resource is tagged with the project
// (Options.ProjectTag), the owner's user ID (TagOwner) and its creation time
// (TagCreatedAt), and recorded in a store Job (kind JobProvision, keyed by
// the normalized username) as soon as it is made. The user record is
// written last. When a step fails, the run deletes what it made; when that
// cleanup fails too, or the process dies, the job remains and a retry of
// the same registration resumes it: it looks the owner's resources up by
// tag (ListChannels, ListRooms, ListStages) and adopts them instead of
// making duplicates. ReconcileOrphans deletes project resources whose owner
// does not exist (or does not use them) once they are older than a grace
// period, and stale provisioning jobs.
//
// One run at a time owns a job, under a lease (Options.JobLease, default 1
// minute): Register claims the job with a create-if-absent write
// (store.Jobs.CreateJob) and every later write of it, one per step, is a
// compare-and-set (store.Jobs.UpdateJob) that renews the lease. A second
// registration of the username while the lease is live is
// ugc.ErrAlreadyExists naming "username" with code
// "registration_in_progress". Once the lease has expired (the run crashed
// or hangs), the next registration takes the job over with a
// compare-and-set and resumes it; the old run, at its next write, finds it
// has lost the job and stops without deleting anything, since the new owner
// may have adopted its resources. A run that fails and cannot delete all it
// made releases the job, so a retry resumes it at once.
//
// # Reads
//
// ChannelPage, Following and Directory read the store only: liveness comes
// from the store's live index, the stage state from the active stage
// session, bans from the channel's ban list. A banned viewer gets no
// playback URL and no stage ARN. With Options.PageCacheTTL set, a replica
// reuses a channel page's store reads for that long.
//
// # Deletion
//
// DeleteAccount is a cascade of idempotent steps ("not found" is done)
// whose progress is stored (a Job of kind JobDelete, keyed by the user
// ID), so calling it again after a failure or a crash completes it;
// ResumeDeletions does that for abandoned jobs. The deletion job has a
// lease like the provisioning job's: a second DeleteAccount while a call
// runs is ugc.ErrFailedPrecondition with code "deletion_in_progress".
//
// # Errors
//
// Methods return errors wrapping the ugc sentinels. Invalid input is
// ugc.ErrInvalidArgument naming the field; a taken username or email
// ugc.ErrAlreadyExists naming it; an AWS outage ugc.ErrUnavailable (AWS
// errors are mapped by internal/awserr, and errors.As still reaches the
// smithy.APIError).
//
// # Concurrency
//
// A Service is safe for concurrent use and keeps no state that matters
// besides its options (the optional page cache only serves reads at most
// Options.PageCacheTTL old), so any number of replicas can share a store
// and an AWS account.
// Concurrent registrations of one username, and concurrent deletions of
// one account, are serialized by their job's lease (see Provisioning); a
// run presumed dead that wakes up after a takeover may leave a resource it
// made unrecorded, which ReconcileOrphans removes.
//
// # Testing
//
// The tests run against ugc/ivslocal with unmodified SDK clients, on the
// memstore and sqlstore drivers, with fault injection at every AWS step.
package channels
