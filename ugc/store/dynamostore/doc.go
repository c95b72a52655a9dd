// Package dynamostore implements the ugc/store contract on one DynamoDB
// table (single-table design) through aws-sdk-go-v2's dynamodb client.
// Server replicas hold no state, so N replicas sharing one table behave
// like one: every uniqueness rule and counter is kept by DynamoDB's
// conditional writes and TransactWriteItems, never by a process.
//
//	client := dynamodb.NewFromConfig(cfg) // the standard AWS config chain
//	if err := dynamostore.CreateTable(ctx, client, "ugc"); err != nil && !errors.Is(err, ugc.ErrAlreadyExists) {
//		return err
//	}
//	st, err := dynamostore.New(client, "ugc")
//
// # Table
//
// One table with string keys PK (partition) and SK (sort), on-demand
// billing, and four indexes that project every attribute:
//
//	LSI1  PK, LSK    consistent per-partition orders (events, bans, moderators)
//	GSI1  G1PK, G1SK most secondary lookups and orders, the sharded live index
//	GSI2  G2PK, G2SK a stream session's owner, a (channel, user)'s join requests,
//	                 the notification retention index
//	GSI3  G3PK, G3SK join requests by requester
//
// Times are numbers (milliseconds since the epoch, 0 for the zero time). In
// sort keys, asc(t) is 16 hex digits that sort like t and desc(t) sorts in
// reverse, followed by "#" and an ID to break ties. Composite keys prefix
// every part but the last with its length ("JOB#9:provision#u1"), so IDs
// may hold any character.
//
// # Items
//
//	USER#<id>            USER          the user (version for UpdateUser)
//	UNAME#<lower name>   U             copy of the user: makes names unique, one-read lookup
//	EMAIL#<email>        U             copy of the user: makes emails unique, one-read lookup
//	RES#<arn>            U#<id>        channel resource index (GetUserByResource)
//	USER#<id>            CRED | ACTION | LIVE | PRESET#<type>
//	USER#<id>            FOLLOWERS#<shard>  follower count shard (n)
//	AUTH#<hash>          A             auth session; GSI1 UAUTH#<user>
//	RESET#<hash>         T             reset token (used with one conditional update)
//	JOB#<kind,id>        J             job; GSI1 JOBS#<kind>, asc(updated)#id
//	FOLLOWING#<f>        C#<channel>   follow; GSI1 FOLLOWERS#<channel>, f
//	SS#<id>              S             stream session; GSI1 USS#<user>, desc(start)#id;
//	                                   GSI2 USSALL#<user>, id
//	EV#<session>         E#<event>     stream event; LSK asc(time)#event
//	MC#<session>         META, C#<gen>#<n>  metrics cache (chunked blob)
//	BANS#<channel>       U#<user>      ban; LSK desc(created)#user; GSI1 BANNED#<user>
//	MODS#<channel>       U#<user>      moderator; LSK asc(created)#user; GSI1 MODOF#<user>
//	TERMS#<channel>      META, C#...   blocked terms (chunked blob)
//	RULES#<channel>      R#<id>        rule
//	POLL#<id>            P             poll
//	POLL#<id>            TALLY#<shard> counts c0..c9 of a vote shard, copy of the
//	                                   poll's end times and option count
//	VOTES#<poll>         U#<user>      vote
//	CHPOLLS#<channel>    #LOCK, P#asc(start)#id   poll lock and headers
//	STAGE#<id>           S             stage session; GSI1 STAGESCH#<channel>
//	ACTSTAGE#<channel>   A             active session copy; GSI1 ACTSTAGES#<shard>, asc(start)#id
//	SEATS#<session>      #N, U#<user>  seat counter and seats; GSI1 SEATSOF#<user>
//	JR#<id>              R             join request; GSI1 JRCH#<channel>, desc(created)#id;
//	                                   GSI2 JRCU#<channel,user>; GSI3 JRU#<user>
//	JRPEND#<channel,user> P            the pending request's marker
//	INV#<id>             I             invite; GSI1 INVCH#<channel>
//	KICKS#<channel>      U#<user>      kick; GSI1 KICKED#<user>
//	NOTES#<user>         #SEQ, N#<seq> notifications; GSI2 NOTEALL#<shard>, asc(created)#...
//	META                 CURSORKEY     the shared cursor key
//
// No item grows with a session's length: events are separate items, and a
// metrics cache entry (up to store.MaxMetricsCacheLen = 1 MiB) or a
// blocked term list is gzipped when that helps and split into 128 KiB
// chunks, replaced in one transaction with a generation number.
//
// # Invariants
//
//   - Usernames and emails: the UNAME and EMAIL items are written in the
//     same transaction as the user, conditioned on not existing; a
//     cancellation names the field.
//   - Follows: the follow item (put if absent) and ADD to the follower's
//     shard of the channel's follower count, in one transaction; the
//     count is the sum of the shards.
//   - Votes: one transaction puts the vote if absent and ADDs to the
//     option's count on the voter's tally shard, conditioned on the
//     shard's copy of the poll saying it is open at now and the option in
//     range; a refused vote is read again to tell why. CreatePoll puts
//     every shard and EndPoll updates every shard in the same transaction
//     as the poll, so the copies always agree with it.
//   - Seats: the session's seats are read, then one transaction deletes the
//     expired ones (each conditioned on its expiry), puts the new seat if
//     absent and sets the seat counter, conditioned on the count read.
//   - One open poll per channel, one active stage session per channel, one
//     pending join request per (channel, user), one sequence number per
//     notification: a lock, marker or counter item in the same transaction.
//
// Where a method reads, decides and writes conditioned on what it read
// (ReserveSeat, CreatePoll, SetLive, UpdateUser, AppendNotification...),
// a write refused because a concurrent writer came first is decided again
// on a fresh read, at most Options.MaxAttempts times. This is optimistic
// concurrency, not a retry of failed requests: the driver never resends a
// request that failed (the SDK retryer is the one retry layer).
//
// # Scale
//
// No request path scans. The live index is sharded: each live user's
// state item is in GSI1 partition LIVE#<fnv(user) mod LiveShards>, sorted by
// desc(start)#user, and ListLive queries every shard (in parallel) for one
// page and merges them, so a popular moment does not make one hot
// partition. Active stage sessions are sharded the same way.
//
// Counters that every user of a channel or poll changes are sharded too.
// DynamoDB allows about 1,000 writes per second per item, and cancels a
// TransactWriteItems that meets another in-flight transaction on any of
// its items (condition checks included) with TransactionConflict. So a
// poll's counts are split into Options.CounterShards (default 16) tally
// items and a channel's follower count into as many count items; a vote,
// follow or unfollow writes the shard of its user (fnv(user) mod
// CounterShards) and otherwise only its own vote or follow item, so
// concurrent votes on one poll, or follows of one channel, by users of
// different shards share no item and cannot cancel each other. Users of
// one shard still can (with 16 shards, about one pair in 16): Follow,
// Unfollow and RecordVote return such a cancellation as
// ugc.ErrUnavailable with code "transaction_conflict" for the caller to
// retry. GetPoll, LatestPoll and FollowerCount sum the shards with one
// consistent query. EndPoll, which writes every tally shard, can cancel
// votes in flight, once per poll. The per-session seat counter (at most a
// stage's seats) and the per-user notification sequence are not shared
// by many users and stay single items.
//
// Requests per operation (each a single request unless noted):
//
//	GetUser, GetUserByUsername, GetUserByEmail, GetLive,
//	IsFollowing, GetBan, ActiveStageSession   1 read
//	FollowerCount, GetPoll                    1 query (the shards)
//	LatestPoll                                2 queries
//	Follow, Unfollow, RecordVote, CreateUser  1 transaction
//	RecordVote refused                        1 transaction + 1 query
//	CreatePoll, EndPoll                       1 query + 1 transaction of
//	                                          CounterShards+3 items
//	ListLive                                  LiveShards parallel queries
//	GetUsers                                  1 BatchGetItem
//	ListFollowing                             1 query + ceil(follows/100) BatchGetItem
//	ReserveSeat, AppendNotification, SetLive  1 read + 1 write
//
// # Cursors
//
// Cursors are signed with internal/pagetoken and bound to the list method
// and its arguments. The key is Options.CursorKey, or else a random key
// kept in the table's META item, created by the first replica that needs
// it, so every replica accepts every other's cursors.
//
// # CloudFormation
//
// The table CreateTable makes:
//
//	UgcTable:
//	  Type: AWS::DynamoDB::Table
//	  Properties:
//	    TableName: ugc
//	    BillingMode: PAY_PER_REQUEST
//	    AttributeDefinitions:
//	      - {AttributeName: PK, AttributeType: S}
//	      - {AttributeName: SK, AttributeType: S}
//	      - {AttributeName: LSK, AttributeType: S}
//	      - {AttributeName: G1PK, AttributeType: S}
//	      - {AttributeName: G1SK, AttributeType: S}
//	      - {AttributeName: G2PK, AttributeType: S}
//	      - {AttributeName: G2SK, AttributeType: S}
//	      - {AttributeName: G3PK, AttributeType: S}
//	      - {AttributeName: G3SK, AttributeType: S}
//	    KeySchema:
//	      - {AttributeName: PK, KeyType: HASH}
//	      - {AttributeName: SK, KeyType: RANGE}
//	    LocalSecondaryIndexes:
//	      - IndexName: LSI1
//	        KeySchema: [{AttributeName: PK, KeyType: HASH}, {AttributeName: LSK, KeyType: RANGE}]
//	        Projection: {ProjectionType: ALL}
//	    GlobalSecondaryIndexes:
//	      - IndexName: GSI1
//	        KeySchema: [{AttributeName: G1PK, KeyType: HASH}, {AttributeName: G1SK, KeyType: RANGE}]
//	        Projection: {ProjectionType: ALL}
//	      - IndexName: GSI2
//	        KeySchema: [{AttributeName: G2PK, KeyType: HASH}, {AttributeName: G2SK, KeyType: RANGE}]
//	        Projection: {ProjectionType: ALL}
//	      - IndexName: GSI3
//	        KeySchema: [{AttributeName: G3PK, KeyType: HASH}, {AttributeName: G3SK, KeyType: RANGE}]
//	        Projection: {ProjectionType: ALL}
//
// # Consistency
//
// Reads of the base table and LSI1 are strongly consistent; every
// conditional rule is decided on them. Queries of the GSIs are eventually
// consistent, as DynamoDB's GSIs are (a write shows up there within about
// a second): ListLive, ListJobs, ListStreamSessions, ListJoinRequests,
// LatestJoinRequest, ListActiveStageSessions, DeleteUserAuthSessions,
// DeleteNotificationsBefore and the lookups of the Delete...Of methods.
//
// # Retries
//
// The SDK resends a request whose response it did not get (a connection
// reset, a 500), so a write may arrive twice. Transactions carry the
// ClientRequestToken the SDK fills in once per call, and DynamoDB answers a
// resent committed transaction with its first result. Conditional PutItem
// and UpdateItem calls have no such token, so the driver writes its own: a
// random write token in the item's "wtok" attribute, fixed per call. When
// the condition fails the driver asks for the stored item, and a resent
// write that had been applied finds its own token and succeeds, while any
// other writer's item (a redelivered stream event included) still fails
// the condition. Deletes that report whether they removed something
// (bans, moderators, rules, the active action) are one-item transactions,
// so they get DynamoDB's replay of a resent call; ClearLive's conditional
// delete re-reads after a failed condition, so a resend costs it only a
// round.
//
// # Errors
//
// Besides the contract's errors, throttling is ugc.ErrThrottled and a
// DynamoDB server failure ugc.ErrUnavailable; a transaction canceled by a
// concurrent one (real DynamoDB reports TransactionConflict; it applied
// nothing) is sent again up to three times after a short jittered pause,
// then, on a method without optimistic rounds, is ugc.ErrUnavailable with
// code "transaction_conflict"; rounds that ran out are ugc.ErrUnavailable
// with code "contention". Other client errors are returned as driver
// failures.
//
// # Testing
//
// The tests run the storetest conformance suite against moto's DynamoDB
// (started on a free 127.0.0.1 port, running one request at a time in its
// backend, because moto's own server does not isolate transactions, and
// honouring ClientRequestToken as DynamoDB does: see
// testdata/motoserver.py), lose responses on purpose to test the retries
// above, count the requests of the hot-path operations,
// and run the storetest benchmarks on moto with shrunk data sets. dynalite
// (installed by npm into the ignored testdata/node/node_modules) does not
// implement TransactWriteItems as of 4.0.0, so the suite's run on it is
// skipped with that message; TestDynaliteWithoutTransactions instead runs
// every method that needs no transaction on dynalite and compares the
// results with memstore's. A missing node, npm or moto skips a test, and
// fails it when UGC_REQUIRE_INTEGRATION=1.
package dynamostore
