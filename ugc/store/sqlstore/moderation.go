package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// PutBan creates or replaces the ban of b.UserID on b.ChannelUserID.
func (s *Store) PutBan(ctx context.Context, b ugc.Ban) (err error) {
	defer s.wrap(&err, "sqlstore.PutBan")
	if err := store.CheckBan(b); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO bans (channel_user_id, user_id, reason, banned_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel_user_id, user_id) DO UPDATE SET reason = excluded.reason, banned_by = excluded.banned_by,
		created_at = excluded.created_at, expires_at = excluded.expires_at`,
		b.ChannelUserID, b.UserID, b.Reason, b.BannedBy, ms(b.CreatedAt), ms(b.ExpiresAt))
}

const banCols = `channel_user_id, user_id, reason, banned_by, created_at, expires_at`

func scanBan(r scanner) (ugc.Ban, error) {
	var b ugc.Ban
	var created, expires int64
	err := r.Scan(&b.ChannelUserID, &b.UserID, &b.Reason, &b.BannedBy, &created, &expires)
	b.CreatedAt, b.ExpiresAt = tm(created), tm(expires)
	return b, err
}

// GetBan returns the ban whether or not it has expired, or ErrNotFound.
func (s *Store) GetBan(ctx context.Context, channelUserID, userID string) (_ *ugc.Ban, err error) {
	defer s.wrap(&err, "sqlstore.GetBan")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	b, err := scanBan(s.queryRow(ctx, `SELECT `+banCols+` FROM bans WHERE channel_user_id = ? AND user_id = ?`, channelUserID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("ban")
	}
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// DeleteBan removes the ban; removed is false when there was none.
func (s *Store) DeleteBan(ctx context.Context, channelUserID, userID string) (removed bool, err error) {
	defer s.wrap(&err, "sqlstore.DeleteBan")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	return s.deleteOne(ctx, `DELETE FROM bans WHERE channel_user_id = ? AND user_id = ?`, channelUserID, userID)
}

// deleteOne runs one DELETE and reports whether it removed a row.
func (s *Store) deleteOne(ctx context.Context, query string, args ...any) (removed bool, err error) {
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, query, args...))
		removed = n > 0
		return err
	})
	if err != nil {
		return false, err
	}
	return removed, nil
}

// ListBans returns the channel's bans active at now, newest first, ties by
// user ID.
func (s *Store) ListBans(ctx context.Context, channelUserID string, now time.Time, p store.Page) (_ []ugc.Ban, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListBans")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	q := queryKey("bans", channelUserID)
	var c timeCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT ` + banCols + ` FROM bans WHERE channel_user_id = ? AND (expires_at = ` + itoa(zeroMS) + ` OR expires_at > ?)`
	args := []any{channelUserID, ms(now)}
	if has {
		query += ` AND created_at <= ? AND (created_at < ? OR user_id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY created_at DESC, user_id LIMIT ?`
	args = append(args, limit+1)
	return keysetPage(ctx, s, q, query, args, limit, scanBan, func(last ugc.Ban) any { return timeCursor{T: ms(last.CreatedAt), ID: last.UserID} })
}

// PutModerator makes m.UserID a moderator of m.ChannelUserID; idempotent.
func (s *Store) PutModerator(ctx context.Context, m ugc.Moderator) (err error) {
	defer s.wrap(&err, "sqlstore.PutModerator")
	if err := store.CheckModerator(m); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO moderators (channel_user_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		m.ChannelUserID, m.UserID, ms(m.CreatedAt))
}

// IsModerator reports whether the user moderates the channel.
func (s *Store) IsModerator(ctx context.Context, channelUserID, userID string) (_ bool, err error) {
	defer s.wrap(&err, "sqlstore.IsModerator")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	var n int
	err = s.queryRow(ctx, `SELECT count(*) FROM moderators WHERE channel_user_id = ? AND user_id = ?`, channelUserID, userID).Scan(&n)
	return n > 0, err
}

// DeleteModerator revokes; removed is false when there was none.
func (s *Store) DeleteModerator(ctx context.Context, channelUserID, userID string) (removed bool, err error) {
	defer s.wrap(&err, "sqlstore.DeleteModerator")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	return s.deleteOne(ctx, `DELETE FROM moderators WHERE channel_user_id = ? AND user_id = ?`, channelUserID, userID)
}

// ListModerators returns the channel's moderators, oldest first, ties by
// user ID.
func (s *Store) ListModerators(ctx context.Context, channelUserID string, p store.Page) (_ []ugc.Moderator, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListModerators")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	q := queryKey("moderators", channelUserID)
	var c timeCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT channel_user_id, user_id, created_at FROM moderators WHERE channel_user_id = ?`
	args := []any{channelUserID}
	if has {
		query += ` AND created_at >= ? AND (created_at > ? OR user_id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY created_at, user_id LIMIT ?`
	args = append(args, limit+1)
	return keysetPage(ctx, s, q, query, args, limit, scanModerator,
		func(last ugc.Moderator) any { return timeCursor{T: ms(last.CreatedAt), ID: last.UserID} })
}

func scanModerator(r scanner) (ugc.Moderator, error) {
	var m ugc.Moderator
	var created int64
	err := r.Scan(&m.ChannelUserID, &m.UserID, &created)
	m.CreatedAt = tm(created)
	return m, err
}

// PutBlockedTerms replaces the channel's blocked terms (see
// store.CheckBlockedTerms).
func (s *Store) PutBlockedTerms(ctx context.Context, channelUserID string, terms []string) (err error) {
	defer s.wrap(&err, "sqlstore.PutBlockedTerms")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return err
	}
	if err := store.CheckBlockedTerms(terms); err != nil {
		return err
	}
	if terms == nil {
		terms = []string{}
	}
	data, err := json.Marshal(terms)
	if err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO blocked_terms (channel_user_id, terms) VALUES (?, ?)
		ON CONFLICT (channel_user_id) DO UPDATE SET terms = excluded.terms`, channelUserID, string(data))
}

// GetBlockedTerms returns the channel's blocked terms (empty, not an error,
// when none).
func (s *Store) GetBlockedTerms(ctx context.Context, channelUserID string) (_ []string, err error) {
	defer s.wrap(&err, "sqlstore.GetBlockedTerms")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	var data string
	err = s.queryRow(ctx, `SELECT terms FROM blocked_terms WHERE channel_user_id = ?`, channelUserID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	terms := []string{}
	if err := json.Unmarshal([]byte(data), &terms); err != nil {
		return nil, err
	}
	return terms, nil
}

// DeleteModerationOf removes every ban, moderator entry and blocked term
// list naming the user, as channel or as subject; idempotent.
func (s *Store) DeleteModerationOf(ctx context.Context, userID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteModerationOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.execAll(ctx, []string{
		`DELETE FROM bans WHERE channel_user_id = ?1 OR user_id = ?1`,
		`DELETE FROM moderators WHERE channel_user_id = ?1 OR user_id = ?1`,
		`DELETE FROM blocked_terms WHERE channel_user_id = ?1`,
	}, userID)
}

// execAll runs the statements, each with args, in one write transaction.
func (s *Store) execAll(ctx context.Context, queries []string, args ...any) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		for _, q := range queries {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
}
