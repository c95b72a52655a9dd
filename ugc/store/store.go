package store

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Limits every driver enforces.
const (
	MaxIDLen         = 256      // longest ID, username or email accepted
	DefaultPageLimit = 50       // page size when Page.Limit is 0
	MaxPageLimit     = 100      // largest page size
	MaxBatch         = 100      // most IDs in one batch read
	MaxTextLen       = 4096     // longest free text (reasons, questions, terms)
	MaxDataLen       = 64 << 10 // largest opaque data (action data, notifications, job data)
	// MaxMetricsCacheLen is the largest metrics cache entry; drivers whose
	// items are smaller (DynamoDB: 400 KB) split or compress it.
	MaxMetricsCacheLen = 1 << 20
	MaxBlockedTerms    = 500 // most blocked terms of one channel
	MinPollOptions     = 2   // fewest options of a poll
	MaxPollOptions     = 10  // most options of a poll
)

// ErrSessionEnded is returned by UpdateStageSession for a session that has
// ended: ErrFailedPrecondition with code "session_ended".
var ErrSessionEnded error = ugc.WithCode(ugc.ErrFailedPrecondition, "session_ended", "the stage session has ended")

// Page selects one page of a list.
type Page struct {
	Limit  int    // 0 means DefaultPageLimit; at most MaxPageLimit
	Cursor string // "" for the first page; else a cursor the same query returned
}

// Store is the whole contract. A driver's concrete type implements it.
type Store interface {
	Users
	Accounts
	Jobs
	Follows
	Live
	StreamSessions
	Moderation
	Actions
	Polls
	Stages
	Notifications
	// Close releases the driver's resources. It is safe to call twice.
	Close() error
}

// Users stores users with unique usernames (case-insensitively) and unique
// emails (domain case-insensitively), enforced by the store itself.
type Users interface {
	// CreateUser stores a new user. ID, Username and Email are required.
	// It sets u.Version to 1. A taken ID, username or email is
	// ErrAlreadyExists whose *ugc.Error names the field ("id", "username",
	// "email"). A deleted user's username and email can be taken again.
	CreateUser(ctx context.Context, u *ugc.User) error
	// GetUser returns the user with the ID, or ErrNotFound.
	GetUser(ctx context.Context, id string) (*ugc.User, error)
	// GetUserByUsername looks the username up case-insensitively, or ErrNotFound.
	GetUserByUsername(ctx context.Context, username string) (*ugc.User, error)
	// GetUserByEmail looks the email up with its domain case-insensitive, or ErrNotFound.
	GetUserByEmail(ctx context.Context, email string) (*ugc.User, error)
	// GetUserByResource returns the user whose channel resources include
	// the ARN (Channel.Arn, Channel.ChatRoomArn or Channel.StageArn), or
	// ErrNotFound. Event ingestion uses it to find a resource's owner.
	GetUserByResource(ctx context.Context, arn string) (*ugc.User, error)
	// GetUsers returns the users that exist among ids (at most MaxBatch),
	// keyed by ID. Missing IDs are absent from the map.
	GetUsers(ctx context.Context, ids []string) (map[string]*ugc.User, error)
	// UpdateUser replaces the stored user if its Version equals u.Version,
	// then increments u.Version. A different version is ErrFailedPrecondition
	// with code "version_conflict"; a missing user ErrNotFound; a username or
	// email taken by another user ErrAlreadyExists naming the field.
	UpdateUser(ctx context.Context, u *ugc.User) error
	// DeleteUser removes the user and frees its username and email. It does
	// not cascade. A missing user is ErrNotFound.
	DeleteUser(ctx context.Context, id string) error
}

// Accounts stores what the app's own accounts need: password hashes,
// signed-in sessions and password-reset tokens. Secrets are stored as hashes.
type Accounts interface {
	// PutCredentials creates or replaces the user's password hash.
	PutCredentials(ctx context.Context, c ugc.Credentials) error
	// GetCredentials returns the user's password hash, or ErrNotFound.
	GetCredentials(ctx context.Context, userID string) (*ugc.Credentials, error)
	// DeleteCredentials removes them; idempotent.
	DeleteCredentials(ctx context.Context, userID string) error

	// CreateAuthSession stores a session; a taken TokenHash is ErrAlreadyExists.
	CreateAuthSession(ctx context.Context, s ugc.AuthSession) error
	// GetAuthSession returns the session with the hash if it has not
	// expired at now, else ErrNotFound.
	GetAuthSession(ctx context.Context, tokenHash string, now time.Time) (*ugc.AuthSession, error)
	// DeleteAuthSession removes one session; idempotent.
	DeleteAuthSession(ctx context.Context, tokenHash string) error
	// DeleteUserAuthSessions removes every session of the user except the
	// one with hash except ("" keeps none); idempotent.
	DeleteUserAuthSessions(ctx context.Context, userID, except string) error

	// CreateResetToken stores a password-reset token; a taken hash is ErrAlreadyExists.
	CreateResetToken(ctx context.Context, t ugc.ResetToken) error
	// UseResetToken marks the token used, atomically, and returns it. A
	// missing token is ErrNotFound; a used or expired one (at now) is
	// ErrFailedPrecondition with code "token_used" or "token_expired".
	UseResetToken(ctx context.Context, tokenHash string, now time.Time) (*ugc.ResetToken, error)
}

// Jobs stores the progress of resumable multi-step operations (provisioning,
// account deletion), keyed by (Kind, ID).
//
// CreateJob and UpdateJob are conditional writes that let one run at a
// time own a job, as a lease: a run claims a job with CreateJob (or takes
// over a stale one with UpdateJob), and each of its later writes is an
// UpdateJob from the UpdatedAt it last wrote, so it learns it has lost the
// job as soon as another run wrote it. UpdatedAt is thus the job's version:
// every successful UpdateJob changes it, even on a coarse or frozen clock.
// Times are stored at millisecond precision and compared at it.
type Jobs interface {
	// PutJob creates or replaces the job unconditionally; it sets UpdatedAt
	// from j.UpdatedAt as given (CreatedAt is kept from the first write).
	PutJob(ctx context.Context, j *ugc.Job) error
	// CreateJob stores a new job as given. When a job with the same (Kind,
	// ID) exists it changes nothing and returns ErrAlreadyExists with field
	// "id" and code "job_exists". Of concurrent callers creating the same
	// job, exactly one succeeds.
	CreateJob(ctx context.Context, j *ugc.Job) error
	// UpdateJob replaces the stored job (keeping its CreatedAt) if the
	// stored UpdatedAt equals prevUpdatedAt; else it changes nothing and
	// returns ErrFailedPrecondition with code "job_changed". A missing job
	// is ErrNotFound. The new UpdatedAt is j.UpdatedAt when that is after
	// prevUpdatedAt, else prevUpdatedAt plus one millisecond; UpdateJob sets
	// j.UpdatedAt to it. Of concurrent callers updating from the same
	// prevUpdatedAt, exactly one succeeds.
	UpdateJob(ctx context.Context, j *ugc.Job, prevUpdatedAt time.Time) error
	// GetJob returns the job, or ErrNotFound.
	GetJob(ctx context.Context, kind, id string) (*ugc.Job, error)
	// DeleteJob removes the job; idempotent.
	DeleteJob(ctx context.Context, kind, id string) error
	// ListJobs returns the jobs of a kind last updated before
	// updatedBefore, oldest update first.
	ListJobs(ctx context.Context, kind string, updatedBefore time.Time, p Page) ([]*ugc.Job, string, error)
}

// Follows stores follows as separate records with exact follower counts.
type Follows interface {
	// Follow records that f.FollowerID follows f.ChannelUserID at
	// f.FollowedAt. It is idempotent: following again changes nothing and
	// reports created false. Following yourself is ErrInvalidArgument.
	// The follower count is incremented exactly once per created follow.
	Follow(ctx context.Context, f ugc.Follow) (created bool, err error)
	// Unfollow removes the follow; removed is false when there was none.
	Unfollow(ctx context.Context, followerID, channelUserID string) (removed bool, err error)
	// IsFollowing reports whether the follow exists.
	IsFollowing(ctx context.Context, followerID, channelUserID string) (bool, error)
	// FollowerCount returns the exact number of followers of the channel.
	FollowerCount(ctx context.Context, channelUserID string) (int64, error)
	// ListFollowing returns the channels followerID follows: live channels
	// first, most recent start first; then offline ones, most recently
	// followed first. Ties break by channel user ID. Live comes from the
	// live index (FollowedChannel.Live is the entry with the latest start).
	// A cursor taken while a channel changed between live and offline may
	// skip or repeat that channel, never others.
	ListFollowing(ctx context.Context, followerID string, p Page) ([]ugc.FollowedChannel, string, error)
	// DeleteFollowsOf removes every follow by or of the user, keeping the
	// other users' counts exact; idempotent.
	DeleteFollowsOf(ctx context.Context, userID string) error
}

// Live is the live index: for each (user, kind), the time the channel went
// live and the reference (stream or stage session ID) that made it live.
// It is the one definition of live for the directory, the following list
// and the channel page.
type Live interface {
	// SetLive creates or replaces the entry for (e.UserID, e.Kind) unless
	// the stored entry started later than e.Since (an out-of-order older
	// start is ignored). Kind must be valid.
	SetLive(ctx context.Context, e ugc.LiveEntry) error
	// ClearLive removes the entry for (userID, kind) if ref is "" or equals
	// the stored Ref; idempotent.
	ClearLive(ctx context.Context, userID string, kind ugc.LiveKind, ref string) error
	// GetLive returns the user's entries (0, 1 or 2), latest start first.
	GetLive(ctx context.Context, userID string) ([]ugc.LiveEntry, error)
	// ListLive returns the live channels, each user once (its entry with the
	// latest start), most recent start first, ties by user ID.
	ListLive(ctx context.Context, p Page) ([]ugc.LiveEntry, string, error)
}

// StreamSessions stores IVS stream sessions, their events and the metrics
// cache.
type StreamSessions interface {
	// GetStreamSession returns the session, or ErrNotFound.
	GetStreamSession(ctx context.Context, id string) (*ugc.StreamSession, error)
	// PutStreamSession writes the session if its stored version equals
	// version (0: it must not exist yet) and returns the new version. A
	// mismatch is ErrFailedPrecondition with code "version_conflict".
	PutStreamSession(ctx context.Context, s *ugc.StreamSession, version int64) (newVersion int64, err error)
	// GetStreamSessionVersion returns the session and its version.
	GetStreamSessionVersion(ctx context.Context, id string) (*ugc.StreamSession, int64, error)
	// ListStreamSessions returns the user's sessions that have a start time,
	// newest start first, ties by ID.
	ListStreamSessions(ctx context.Context, userID string, p Page) ([]*ugc.StreamSession, string, error)
	// AppendStreamEvent records an event of a session; recording the same
	// (SessionID, ID) again changes nothing and reports added false.
	AppendStreamEvent(ctx context.Context, ev ugc.StreamEvent) (added bool, err error)
	// ListStreamEvents returns a session's events, oldest first, ties by ID.
	ListStreamEvents(ctx context.Context, sessionID string, p Page) ([]ugc.StreamEvent, string, error)
	// GetMetricsCache returns the cached metrics of a session, or ErrNotFound.
	GetMetricsCache(ctx context.Context, sessionID string) (*ugc.MetricsCacheEntry, error)
	// PutMetricsCache stores e unless the stored entry is better (see
	// BetterMetrics); stored reports whether e was written. Data may be up
	// to MaxMetricsCacheLen bytes.
	PutMetricsCache(ctx context.Context, e ugc.MetricsCacheEntry) (stored bool, err error)
	// DeleteUserStreamSessions removes the user's sessions, their events
	// and caches; idempotent.
	DeleteUserStreamSessions(ctx context.Context, userID string) error
}

// BetterMetrics reports whether cand should replace old in the metrics
// cache: never when cand has no data; always when there is no old entry;
// otherwise when cand is complete and old is not, or both are equally
// complete and cand has a finer (smaller) period.
func BetterMetrics(old *ugc.MetricsCacheEntry, cand ugc.MetricsCacheEntry) bool {
	if len(cand.Data) == 0 {
		return false
	}
	if old == nil {
		return true
	}
	if cand.Complete != old.Complete {
		return cand.Complete
	}
	return cand.Period < old.Period
}

// Moderation stores chat bans, moderators and blocked terms per channel.
type Moderation interface {
	// PutBan creates or replaces the ban of b.UserID on b.ChannelUserID.
	PutBan(ctx context.Context, b ugc.Ban) error
	// GetBan returns the ban whether or not it has expired, or ErrNotFound.
	GetBan(ctx context.Context, channelUserID, userID string) (*ugc.Ban, error)
	// DeleteBan removes the ban; removed is false when there was none.
	DeleteBan(ctx context.Context, channelUserID, userID string) (removed bool, err error)
	// ListBans returns the channel's bans active at now, newest first, ties by user ID.
	ListBans(ctx context.Context, channelUserID string, now time.Time, p Page) ([]ugc.Ban, string, error)

	// PutModerator makes m.UserID a moderator of m.ChannelUserID; idempotent.
	PutModerator(ctx context.Context, m ugc.Moderator) error
	// IsModerator reports whether the user moderates the channel.
	IsModerator(ctx context.Context, channelUserID, userID string) (bool, error)
	// DeleteModerator revokes; removed is false when there was none.
	DeleteModerator(ctx context.Context, channelUserID, userID string) (removed bool, err error)
	// ListModerators returns the channel's moderators, oldest first, ties by user ID.
	ListModerators(ctx context.Context, channelUserID string, p Page) ([]ugc.Moderator, string, error)

	// PutBlockedTerms replaces the channel's blocked terms (at most 500).
	PutBlockedTerms(ctx context.Context, channelUserID string, terms []string) error
	// GetBlockedTerms returns them (empty, not an error, when none).
	GetBlockedTerms(ctx context.Context, channelUserID string) ([]string, error)

	// DeleteModerationOf removes every ban, moderator entry and blocked
	// term list naming the user, as channel or as subject; idempotent.
	DeleteModerationOf(ctx context.Context, userID string) error
}

// Actions stores the active overlay per channel, presets and rules.
type Actions interface {
	// PutActiveAction replaces the channel's active action.
	PutActiveAction(ctx context.Context, a *ugc.Action) error
	// GetActiveAction returns the stored action (expired or not), or ErrNotFound.
	GetActiveAction(ctx context.Context, channelUserID string) (*ugc.Action, error)
	// DeleteActiveAction removes the active action if id is "" or equals
	// its ID; removed is false otherwise.
	DeleteActiveAction(ctx context.Context, channelUserID, id string) (removed bool, err error)

	// PutPreset creates or replaces the user's preset of p.Type.
	PutPreset(ctx context.Context, p ugc.Preset) error
	// ListPresets returns the user's presets ordered by type.
	ListPresets(ctx context.Context, userID string) ([]ugc.Preset, error)

	// PutRule creates or replaces a rule (keyed by channel and ID).
	PutRule(ctx context.Context, r ugc.Rule) error
	// ListRules returns the channel's rules ordered by ID.
	ListRules(ctx context.Context, channelUserID string) ([]ugc.Rule, error)
	// DeleteRule removes a rule; removed is false when there was none.
	DeleteRule(ctx context.Context, channelUserID, id string) (removed bool, err error)

	// DeleteActionsOf removes the user's active action, presets and rules; idempotent.
	DeleteActionsOf(ctx context.Context, userID string) error
}

// Polls stores polls with exactly one vote per (poll, user) and exact tallies.
type Polls interface {
	// CreatePoll stores a new poll with zero counts. The channel must have
	// no poll open at now: else ErrFailedPrecondition with code
	// "poll_active". Options: 2..10 non-empty strings.
	CreatePoll(ctx context.Context, p *ugc.Poll, now time.Time) error
	// GetPoll returns the poll with its exact counts, or ErrNotFound.
	GetPoll(ctx context.Context, pollID string) (*ugc.Poll, error)
	// LatestPoll returns the channel's most recently started poll (open or
	// not), or ErrNotFound.
	LatestPoll(ctx context.Context, channelUserID string) (*ugc.Poll, error)
	// EndPoll sets EndedAt to at if the poll is open at at; ended is false
	// when it was already closed.
	EndPoll(ctx context.Context, pollID string, at time.Time) (ended bool, err error)
	// RecordVote records v and increments the option's count in one atomic
	// write. A missing poll is ErrNotFound; an option out of range
	// ErrInvalidArgument; a poll closed at now ErrFailedPrecondition with
	// code "poll_closed"; a second vote by the user ErrAlreadyExists with
	// code "already_voted" and changes nothing.
	RecordVote(ctx context.Context, v ugc.Vote, now time.Time) error
	// GetVote returns the user's vote, or ErrNotFound.
	GetVote(ctx context.Context, pollID, userID string) (*ugc.Vote, error)
	// DeletePollsOf removes the channel's polls and their votes; idempotent.
	DeletePollsOf(ctx context.Context, channelUserID string) error
}

// Stages stores collaborative stage sessions, publisher seats, join
// requests, invites and kicks.
type Stages interface {
	// CreateStageSession stores a new active session. A channel with an
	// active session is ErrAlreadyExists with code "session_active".
	CreateStageSession(ctx context.Context, s *ugc.StageSession) error
	// GetStageSession returns a session by ID, or ErrNotFound.
	GetStageSession(ctx context.Context, id string) (*ugc.StageSession, error)
	// ActiveStageSession returns the channel's active session, or ErrNotFound.
	ActiveStageSession(ctx context.Context, channelUserID string) (*ugc.StageSession, error)
	// UpdateStageSession replaces a stored session (matched by ID); a
	// missing one is ErrNotFound. An ended session is final: updating one
	// changes nothing and is ErrFailedPrecondition with code
	// "session_ended", so a write prepared from an older copy (a presence
	// event racing the end) cannot bring an ended session back.
	UpdateStageSession(ctx context.Context, s *ugc.StageSession) error
	// ListActiveStageSessions returns active sessions, oldest start first.
	ListActiveStageSessions(ctx context.Context, p Page) ([]*ugc.StageSession, string, error)

	// ReserveSeat reserves a seat for s.UserID in s.SessionID if fewer than
	// max seats are held at now (a seat is held if it has joined, i.e.
	// ExpiresAt is zero, or ExpiresAt is after now); expired reservations
	// are freed by this call. A full session is ErrFailedPrecondition with
	// code "stage_full"; a user who holds a seat already is ErrAlreadyExists
	// with code "seat_held". Atomic across concurrent callers.
	ReserveSeat(ctx context.Context, s ugc.Seat, max int, now time.Time) error
	// UpdateSeat replaces a held seat (e.g. to set ParticipantID or clear
	// ExpiresAt on join); a missing one is ErrNotFound.
	UpdateSeat(ctx context.Context, s ugc.Seat) error
	// ReleaseSeat frees the user's seat; released is false when none.
	ReleaseSeat(ctx context.Context, sessionID, userID string) (released bool, err error)
	// ListSeats returns the seats held at now, oldest reservation first.
	ListSeats(ctx context.Context, sessionID string, now time.Time) ([]ugc.Seat, error)

	// CreateJoinRequest stores a new request. A pending request by the same
	// user for the same channel is ErrAlreadyExists with code "request_pending".
	CreateJoinRequest(ctx context.Context, r *ugc.JoinRequest) error
	// GetJoinRequest returns a request by ID, or ErrNotFound.
	GetJoinRequest(ctx context.Context, id string) (*ugc.JoinRequest, error)
	// UpdateJoinRequest replaces the request if its stored Status is
	// fromStatus and its stored TokenUsed is false; else
	// ErrFailedPrecondition with code "request_state". A request whose
	// token was used is final, so of concurrent callers setting TokenUsed
	// exactly one succeeds: an accepted request mints one token.
	UpdateJoinRequest(ctx context.Context, r *ugc.JoinRequest, fromStatus string) error
	// LatestJoinRequest returns the user's most recent request to the
	// channel, or ErrNotFound.
	LatestJoinRequest(ctx context.Context, channelUserID, userID string) (*ugc.JoinRequest, error)
	// ListJoinRequests returns the channel's requests, newest first.
	ListJoinRequests(ctx context.Context, channelUserID string, p Page) ([]*ugc.JoinRequest, string, error)

	// PutInvite creates or replaces an invite.
	PutInvite(ctx context.Context, i ugc.Invite) error
	// GetInvite returns an invite, or ErrNotFound.
	GetInvite(ctx context.Context, id string) (*ugc.Invite, error)

	// PutKick creates or replaces a kick.
	PutKick(ctx context.Context, k ugc.Kick) error
	// GetKick returns the kick of the user from the channel, or ErrNotFound.
	GetKick(ctx context.Context, channelUserID, userID string) (*ugc.Kick, error)

	// DeleteStagesOf removes the user's stage sessions and seats, requests
	// by or to the user, invites and kicks naming the user; idempotent.
	DeleteStagesOf(ctx context.Context, userID string) error
}

// Notifications is a per-user, store-backed event stream, so any replica
// can serve a user's server-sent events.
type Notifications interface {
	// AppendNotification stores n for n.UserID and sets n.Seq to the next
	// sequence number of that user (strictly increasing, starting at 1).
	AppendNotification(ctx context.Context, n *ugc.Notification) error
	// ListNotifications returns the user's notifications with Seq > after,
	// oldest first, at most limit (0 means DefaultPageLimit).
	ListNotifications(ctx context.Context, userID string, after int64, limit int) ([]ugc.Notification, error)
	// DeleteNotificationsBefore removes notifications created before t
	// (retention); idempotent.
	DeleteNotificationsBefore(ctx context.Context, t time.Time) error
}
