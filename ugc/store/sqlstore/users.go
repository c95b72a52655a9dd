package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

const userCols = `id, username, email, color, avatar, avatar_version, banner_version,
	channel_arn, ingest_endpoint, playback_url, stream_key_arn, stream_key, channel_type,
	latency_mode, chat_room_arn, stage_arn, tracking_id, created_at, updated_at, version`

type scanner interface{ Scan(dest ...any) error }

func scanUser(r scanner) (*ugc.User, error) {
	var u ugc.User
	var key string
	var created, updated int64
	err := r.Scan(&u.ID, &u.Username, &u.Email, &u.Color, &u.Avatar, &u.Assets.AvatarVersion, &u.Assets.BannerVersion,
		&u.Channel.Arn, &u.Channel.IngestEndpoint, &u.Channel.PlaybackURL, &u.Channel.StreamKeyArn, &key, &u.Channel.Type,
		&u.Channel.LatencyMode, &u.Channel.ChatRoomArn, &u.Channel.StageArn, &u.Channel.TrackingID, &created, &updated, &u.Version)
	if err != nil {
		return nil, err
	}
	u.Channel.StreamKey = ugc.StreamKey(key)
	u.CreatedAt, u.UpdatedAt = tm(created), tm(updated)
	return &u, nil
}

func userArgs(u *ugc.User) []any {
	c := u.Channel
	return []any{u.ID, u.Username, ugc.NormalizeUsername(u.Username), u.Email, ugc.NormalizeEmail(u.Email),
		u.Color, u.Avatar, u.Assets.AvatarVersion, u.Assets.BannerVersion,
		c.Arn, c.IngestEndpoint, c.PlaybackURL, c.StreamKeyArn, c.StreamKey.Reveal(), c.Type,
		c.LatencyMode, c.ChatRoomArn, c.StageArn, c.TrackingID, ms(u.CreatedAt), ms(u.UpdatedAt)}
}

// conflictField finds which unique field of u another user (not u.ID when
// update) holds, after the database reported a violation.
func conflictField(ctx context.Context, tx *wtx, u *ugc.User, update bool) error {
	var n int
	if !update {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = ?`, u.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return exists("id", "user ID is taken")
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username_norm = ? AND id <> ?`,
		ugc.NormalizeUsername(u.Username), u.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return exists("username", "username is taken")
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_norm = ? AND id <> ?`,
		ugc.NormalizeEmail(u.Email), u.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return exists("email", "email is taken")
	}
	return errors.New("unique constraint failed on an unknown column")
}

// CreateUser stores a new user and sets u.Version to 1.
func (s *Store) CreateUser(ctx context.Context, u *ugc.User) (err error) {
	defer s.wrap(&err, "sqlstore.CreateUser")
	if err := store.CheckUser(u); err != nil {
		return err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, username_norm, email, email_norm,
			color, avatar, avatar_version, banner_version, channel_arn, ingest_endpoint, playback_url,
			stream_key_arn, stream_key, channel_type, latency_mode, chat_room_arn, stage_arn, tracking_id,
			created_at, updated_at, version) VALUES (`+strings.Repeat("?, ", 21)+`1)`, userArgs(u)...)
		if isUnique(err) {
			return conflictField(ctx, tx, u, false)
		}
		return err
	})
	if err != nil {
		return err
	}
	u.Version = 1
	return nil
}

// GetUser returns the user with the ID, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (_ *ugc.User, err error) {
	defer s.wrap(&err, "sqlstore.GetUser")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	return s.getUserWhere(ctx, `id = ?`, id)
}

// GetUserByUsername looks the username up case-insensitively.
func (s *Store) GetUserByUsername(ctx context.Context, username string) (_ *ugc.User, err error) {
	defer s.wrap(&err, "sqlstore.GetUserByUsername")
	if err := store.CheckID("username", username); err != nil {
		return nil, err
	}
	return s.getUserWhere(ctx, `username_norm = ?`, ugc.NormalizeUsername(username))
}

// GetUserByEmail looks the email up with its domain case-insensitive.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (_ *ugc.User, err error) {
	defer s.wrap(&err, "sqlstore.GetUserByEmail")
	if err := store.CheckID("email", email); err != nil {
		return nil, err
	}
	return s.getUserWhere(ctx, `email_norm = ?`, ugc.NormalizeEmail(email))
}

func (s *Store) getUserWhere(ctx context.Context, where string, arg any) (*ugc.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	return u, err
}

// GetUserByResource returns the user whose channel resources include the
// ARN (Channel.Arn, ChatRoomArn or StageArn), or ErrNotFound. Were two users
// to name the same ARN, the one with the smallest ID is returned.
func (s *Store) GetUserByResource(ctx context.Context, arn string) (_ *ugc.User, err error) {
	defer s.wrap(&err, "sqlstore.GetUserByResource")
	if err := store.CheckID("arn", arn); err != nil {
		return nil, err
	}
	// One indexed lookup per column, so each partial index is used.
	return s.getUserWhere(ctx, `id = (SELECT min(id) FROM (
		SELECT id FROM users WHERE channel_arn = ?1 AND channel_arn <> ''
		UNION ALL SELECT id FROM users WHERE chat_room_arn = ?1 AND chat_room_arn <> ''
		UNION ALL SELECT id FROM users WHERE stage_arn = ?1 AND stage_arn <> ''))`, arn)
}

// GetUsers returns the users that exist among ids, keyed by ID.
func (s *Store) GetUsers(ctx context.Context, ids []string) (_ map[string]*ugc.User, err error) {
	defer s.wrap(&err, "sqlstore.GetUsers")
	if err := store.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	out := make(map[string]*ugc.User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, `SELECT `+userCols+` FROM users WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out[u.ID] = u
	}
	return out, rows.Err()
}

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// UpdateUser replaces the stored user if its Version equals u.Version, then
// increments u.Version.
func (s *Store) UpdateUser(ctx context.Context, u *ugc.User) (err error) {
	defer s.wrap(&err, "sqlstore.UpdateUser")
	if err := store.CheckUser(u); err != nil {
		return err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		var version int64
		if err := scanOne(tx.QueryRowContext(ctx, `SELECT version FROM users WHERE id = ?`, u.ID), "user", &version); err != nil {
			return err
		}
		if version != u.Version {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "version_conflict",
				"user version is %d, not %d", version, u.Version)
		}
		args := userArgs(u)[1:]
		args = append(args, u.ID)
		_, err := tx.ExecContext(ctx, `UPDATE users SET username = ?, username_norm = ?, email = ?, email_norm = ?,
			color = ?, avatar = ?, avatar_version = ?, banner_version = ?, channel_arn = ?, ingest_endpoint = ?,
			playback_url = ?, stream_key_arn = ?, stream_key = ?, channel_type = ?, latency_mode = ?,
			chat_room_arn = ?, stage_arn = ?, tracking_id = ?, created_at = ?, updated_at = ?, version = version + 1
			WHERE id = ?`, args...)
		if isUnique(err) {
			return conflictField(ctx, tx, u, true)
		}
		return err
	})
	if err != nil {
		return err
	}
	u.Version++
	return nil
}

// DeleteUser removes the user and frees its username and email.
func (s *Store) DeleteUser(ctx context.Context, id string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteUser")
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("user")
		}
		return nil
	})
}
