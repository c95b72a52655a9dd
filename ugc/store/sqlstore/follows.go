package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Follow records a follow and increments the follower count, once.
func (s *Store) Follow(ctx context.Context, f ugc.Follow) (created bool, err error) {
	defer s.wrap(&err, "sqlstore.Follow")
	if err := store.CheckFollow(f); err != nil {
		return false, err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, sqlInsertFollow, f.FollowerID, f.ChannelUserID, ms(f.FollowedAt)))
		if err != nil || n == 0 {
			return err
		}
		created = true
		_, err = tx.ExecContext(ctx, sqlIncFollowers, f.ChannelUserID)
		return err
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// The statements of Follow.
const (
	sqlInsertFollow = `INSERT INTO follows (follower_id, channel_user_id, followed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	sqlIncFollowers = `INSERT INTO follower_counts (channel_user_id, count) VALUES (?, 1)
		ON CONFLICT (channel_user_id) DO UPDATE SET count = count + 1`
)

// Unfollow removes the follow and decrements the follower count.
func (s *Store) Unfollow(ctx context.Context, followerID, channelUserID string) (removed bool, err error) {
	defer s.wrap(&err, "sqlstore.Unfollow")
	if err := store.CheckIDs("follower_id", followerID, "channel_user_id", channelUserID); err != nil {
		return false, err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, `DELETE FROM follows WHERE follower_id = ? AND channel_user_id = ?`, followerID, channelUserID))
		if err != nil || n == 0 {
			return err
		}
		removed = true
		_, err = tx.ExecContext(ctx, `UPDATE follower_counts SET count = count - 1 WHERE channel_user_id = ?`, channelUserID)
		return err
	})
	if err != nil {
		return false, err
	}
	return removed, nil
}

// IsFollowing reports whether the follow exists.
func (s *Store) IsFollowing(ctx context.Context, followerID, channelUserID string) (_ bool, err error) {
	defer s.wrap(&err, "sqlstore.IsFollowing")
	if err := store.CheckIDs("follower_id", followerID, "channel_user_id", channelUserID); err != nil {
		return false, err
	}
	var n int
	err = s.queryRow(ctx, `SELECT count(*) FROM follows WHERE follower_id = ? AND channel_user_id = ?`,
		followerID, channelUserID).Scan(&n)
	return n > 0, err
}

// FollowerCount returns the exact number of followers of the channel.
func (s *Store) FollowerCount(ctx context.Context, channelUserID string) (_ int64, err error) {
	defer s.wrap(&err, "sqlstore.FollowerCount")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return 0, err
	}
	var n int64
	err = s.queryRow(ctx, `SELECT count FROM follower_counts WHERE channel_user_id = ?`, channelUserID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// followCursor is the position in a following list: Off is false in the
// live part (T is the start) and true in the offline part (T is the follow
// time).
type followCursor struct {
	Off bool   `json:"o,omitempty"`
	T   int64  `json:"t"`
	ID  string `json:"i"`
}

// ListFollowing returns the channels followerID follows: live ones first
// (most recent start first), then offline ones (most recently followed
// first), ties by channel user ID.
func (s *Store) ListFollowing(ctx context.Context, followerID string, p store.Page) (_ []ugc.FollowedChannel, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListFollowing")
	if err := store.CheckID("follower_id", followerID); err != nil {
		return nil, "", err
	}
	q := queryKey("following", followerID)
	var c followCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	var out []ugc.FollowedChannel
	next := ""
	err = s.read(ctx, func(tx *sql.Tx) error {
		if !c.Off {
			// CROSS JOIN keeps follows as the outer loop: a user follows
			// far fewer channels than are live.
			query := `SELECT f.channel_user_id, f.followed_at, l.kind, l.since, l.ref
				FROM follows f CROSS JOIN live_latest l ON l.user_id = f.channel_user_id
				WHERE f.follower_id = ?`
			args := []any{followerID}
			if has {
				query += ` AND l.since <= ? AND (l.since < ? OR f.channel_user_id > ?)`
				args = append(args, c.T, c.T, c.ID)
			}
			query += ` ORDER BY l.since DESC, f.channel_user_id LIMIT ?`
			args = append(args, limit+1)
			rows, err := tx.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var fc ugc.FollowedChannel
				var e ugc.LiveEntry
				var followed, since int64
				if err := rows.Scan(&fc.ChannelUserID, &followed, &e.Kind, &since, &e.Ref); err != nil {
					return err
				}
				e.UserID, e.Since = fc.ChannelUserID, tm(since)
				fc.FollowedAt, fc.Live = tm(followed), &e
				out = append(out, fc)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if len(out) > limit {
				out = out[:limit]
				last := out[limit-1]
				next = s.pages.Encode(q, followCursor{T: ms(last.Live.Since), ID: last.ChannelUserID})
				return nil
			}
			has = false
		}
		remaining := limit - len(out)
		query := `SELECT f.channel_user_id, f.followed_at FROM follows f
			WHERE f.follower_id = ? AND NOT EXISTS (SELECT 1 FROM live_latest l WHERE l.user_id = f.channel_user_id)`
		args := []any{followerID}
		if has {
			query += ` AND f.followed_at <= ? AND (f.followed_at < ? OR f.channel_user_id > ?)`
			args = append(args, c.T, c.T, c.ID)
		}
		query += ` ORDER BY f.followed_at DESC, f.channel_user_id LIMIT ?`
		args = append(args, remaining+1)
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
			if n > remaining {
				break
			}
			var fc ugc.FollowedChannel
			var followed int64
			if err := rows.Scan(&fc.ChannelUserID, &followed); err != nil {
				return err
			}
			fc.FollowedAt = tm(followed)
			out = append(out, fc)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n > remaining {
			last := out[len(out)-1]
			if last.Live != nil {
				// The page ended with the last live channel: resume at the
				// start of the offline part.
				next = s.pages.Encode(q, followCursor{T: ms(last.Live.Since), ID: last.ChannelUserID})
			} else {
				next = s.pages.Encode(q, followCursor{Off: true, T: ms(last.FollowedAt), ID: last.ChannelUserID})
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// DeleteFollowsOf removes every follow by or of the user, keeping the other
// users' counts exact; idempotent.
func (s *Store) DeleteFollowsOf(ctx context.Context, userID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteFollowsOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		for _, q := range []string{
			`UPDATE follower_counts SET count = count - 1
				WHERE channel_user_id IN (SELECT channel_user_id FROM follows WHERE follower_id = ?1)`,
			`DELETE FROM follows WHERE follower_id = ?1 OR channel_user_id = ?1`,
			`DELETE FROM follower_counts WHERE channel_user_id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		return nil
	})
}
