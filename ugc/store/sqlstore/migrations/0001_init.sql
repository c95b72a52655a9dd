-- 0001_init: the whole schema of the first release.
-- Times are INTEGER Unix milliseconds (UTC); the zero time.Time is stored as
-- its own Unix milliseconds (-62135596800000), so every time column is NOT NULL.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
	id              TEXT PRIMARY KEY,
	username        TEXT NOT NULL,
	username_norm   TEXT NOT NULL, -- ugc.NormalizeUsername(username)
	email           TEXT NOT NULL,
	email_norm      TEXT NOT NULL, -- ugc.NormalizeEmail(email)
	color           TEXT NOT NULL,
	avatar          TEXT NOT NULL,
	avatar_version  TEXT NOT NULL,
	banner_version  TEXT NOT NULL,
	channel_arn     TEXT NOT NULL,
	ingest_endpoint TEXT NOT NULL,
	playback_url    TEXT NOT NULL,
	stream_key_arn  TEXT NOT NULL,
	stream_key      TEXT NOT NULL,
	channel_type    TEXT NOT NULL,
	latency_mode    TEXT NOT NULL,
	chat_room_arn   TEXT NOT NULL,
	stage_arn       TEXT NOT NULL,
	tracking_id     TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	version         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX users_username_norm ON users (username_norm);
CREATE UNIQUE INDEX users_email_norm ON users (email_norm);
CREATE INDEX users_channel_arn ON users (channel_arn) WHERE channel_arn <> '';
CREATE INDEX users_chat_room_arn ON users (chat_room_arn) WHERE chat_room_arn <> '';
CREATE INDEX users_stage_arn ON users (stage_arn) WHERE stage_arn <> '';

CREATE TABLE credentials (
	user_id       TEXT PRIMARY KEY,
	password_hash TEXT NOT NULL,
	updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE auth_sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE reset_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX reset_tokens_user ON reset_tokens (user_id);

CREATE TABLE jobs (
	kind       TEXT NOT NULL,
	id         TEXT NOT NULL,
	step       TEXT NOT NULL,
	data       TEXT NOT NULL, -- JSON object of strings
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX jobs_kind_updated ON jobs (kind, updated_at, id);

CREATE TABLE follows (
	follower_id     TEXT NOT NULL,
	channel_user_id TEXT NOT NULL,
	followed_at     INTEGER NOT NULL,
	PRIMARY KEY (follower_id, channel_user_id)
) WITHOUT ROWID;
CREATE INDEX follows_channel ON follows (channel_user_id, follower_id);
CREATE INDEX follows_recent ON follows (follower_id, followed_at DESC, channel_user_id);

CREATE TABLE follower_counts (
	channel_user_id TEXT PRIMARY KEY,
	count           INTEGER NOT NULL CHECK (count >= 0)
) WITHOUT ROWID;

CREATE TABLE live (
	user_id TEXT NOT NULL,
	kind    TEXT NOT NULL,
	since   INTEGER NOT NULL,
	ref     TEXT NOT NULL,
	PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;
CREATE INDEX live_since ON live (since DESC, user_id);

CREATE TABLE stream_sessions (
	id                   TEXT PRIMARY KEY,
	user_id              TEXT NOT NULL,
	channel_arn          TEXT NOT NULL,
	start_time           INTEGER NOT NULL,
	end_time             INTEGER NOT NULL,
	is_healthy           INTEGER NOT NULL,
	has_error_event      INTEGER NOT NULL,
	ingest_configuration BLOB,
	updated_at           INTEGER NOT NULL,
	version              INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX stream_sessions_user_start ON stream_sessions (user_id, start_time DESC, id);

CREATE TABLE stream_events (
	session_id TEXT NOT NULL,
	id         TEXT NOT NULL,
	time       INTEGER NOT NULL,
	type       TEXT NOT NULL,
	name       TEXT NOT NULL,
	code       TEXT NOT NULL,
	reason     TEXT NOT NULL,
	PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
CREATE INDEX stream_events_time ON stream_events (session_id, time, id);

CREATE TABLE metrics_cache (
	session_id TEXT PRIMARY KEY,
	period     INTEGER NOT NULL,
	complete   INTEGER NOT NULL,
	data       BLOB NOT NULL,
	fetched_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE bans (
	channel_user_id TEXT NOT NULL,
	user_id         TEXT NOT NULL,
	reason          TEXT NOT NULL,
	banned_by       TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	PRIMARY KEY (channel_user_id, user_id)
) WITHOUT ROWID;
CREATE INDEX bans_newest ON bans (channel_user_id, created_at DESC, user_id);
CREATE INDEX bans_user ON bans (user_id);

CREATE TABLE moderators (
	channel_user_id TEXT NOT NULL,
	user_id         TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (channel_user_id, user_id)
) WITHOUT ROWID;
CREATE INDEX moderators_oldest ON moderators (channel_user_id, created_at, user_id);
CREATE INDEX moderators_user ON moderators (user_id);

CREATE TABLE blocked_terms (
	channel_user_id TEXT PRIMARY KEY,
	terms           TEXT NOT NULL -- JSON array of strings
) WITHOUT ROWID;

CREATE TABLE active_actions (
	channel_user_id TEXT PRIMARY KEY,
	id              TEXT NOT NULL,
	type            TEXT NOT NULL,
	data            BLOB,
	started_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE presets (
	user_id    TEXT NOT NULL,
	type       TEXT NOT NULL,
	data       BLOB,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, type)
) WITHOUT ROWID;

CREATE TABLE rules (
	channel_user_id TEXT NOT NULL,
	id              TEXT NOT NULL,
	event_name      TEXT NOT NULL,
	preset_type     TEXT NOT NULL,
	delay_ns        INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (channel_user_id, id)
) WITHOUT ROWID;

CREATE TABLE polls (
	id              TEXT PRIMARY KEY,
	channel_user_id TEXT NOT NULL,
	question        TEXT NOT NULL,
	started_at      INTEGER NOT NULL,
	ends_at         INTEGER NOT NULL,
	ended_at        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX polls_latest ON polls (channel_user_id, started_at DESC, id DESC);

CREATE TABLE poll_options (
	poll_id TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
	idx     INTEGER NOT NULL,
	text    TEXT NOT NULL,
	count   INTEGER NOT NULL CHECK (count >= 0),
	PRIMARY KEY (poll_id, idx)
) WITHOUT ROWID;

CREATE TABLE votes (
	poll_id TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL,
	option  INTEGER NOT NULL,
	at      INTEGER NOT NULL,
	PRIMARY KEY (poll_id, user_id)
) WITHOUT ROWID;

CREATE TABLE stage_sessions (
	id                  TEXT PRIMARY KEY,
	channel_user_id     TEXT NOT NULL,
	stage_arn           TEXT NOT NULL,
	host_participant_id TEXT NOT NULL,
	started_at          INTEGER NOT NULL,
	ended_at            INTEGER NOT NULL,
	host_left_at        INTEGER NOT NULL
) WITHOUT ROWID;
-- One active session per channel, enforced by the database.
CREATE UNIQUE INDEX stage_sessions_one_active ON stage_sessions (channel_user_id) WHERE ended_at = -62135596800000;
CREATE INDEX stage_sessions_active_start ON stage_sessions (started_at, id) WHERE ended_at = -62135596800000;
CREATE INDEX stage_sessions_channel ON stage_sessions (channel_user_id);

CREATE TABLE seats (
	session_id     TEXT NOT NULL,
	user_id        TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	reserved_at    INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;
CREATE INDEX seats_user ON seats (user_id);

CREATE TABLE join_requests (
	id              TEXT PRIMARY KEY,
	channel_user_id TEXT NOT NULL,
	user_id         TEXT NOT NULL,
	status          TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	token_used      INTEGER NOT NULL
) WITHOUT ROWID;
-- One pending request per (channel, user), enforced by the database.
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (channel_user_id, user_id) WHERE status = 'pending';
CREATE INDEX join_requests_newest ON join_requests (channel_user_id, created_at DESC, id);
CREATE INDEX join_requests_user ON join_requests (user_id, channel_user_id, created_at DESC);

CREATE TABLE invites (
	id              TEXT PRIMARY KEY,
	channel_user_id TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	revoked_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX invites_channel ON invites (channel_user_id);

CREATE TABLE kicks (
	channel_user_id TEXT NOT NULL,
	user_id         TEXT NOT NULL,
	until           INTEGER NOT NULL,
	PRIMARY KEY (channel_user_id, user_id)
) WITHOUT ROWID;
CREATE INDEX kicks_user ON kicks (user_id);

CREATE TABLE notification_seqs (
	user_id TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE notifications (
	user_id    TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	type       TEXT NOT NULL,
	data       BLOB,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, seq)
) WITHOUT ROWID;
CREATE INDEX notifications_created ON notifications (created_at);
