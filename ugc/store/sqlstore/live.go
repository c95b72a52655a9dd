package sqlstore

import (
	"context"
	"database/sql"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// SetLive creates or replaces the entry for (e.UserID, e.Kind) unless the
// stored entry started later than e.Since.
func (s *Store) SetLive(ctx context.Context, e ugc.LiveEntry) (err error) {
	defer s.wrap(&err, "sqlstore.SetLive")
	if err := store.CheckLiveEntry(e); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		if _, err := tx.ExecContext(ctx, sqlSetLive, e.UserID, string(e.Kind), ms(e.Since), e.Ref); err != nil {
			return err
		}
		return refreshLatest(ctx, tx, e.UserID)
	})
}

// The statements of SetLive and refreshLatest.
const (
	sqlSetLive = `INSERT INTO live (user_id, kind, since, ref) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, kind) DO UPDATE SET since = excluded.since, ref = excluded.ref
		WHERE excluded.since >= live.since`
	sqlDeleteLatest = `DELETE FROM live_latest WHERE user_id = ?`
	sqlInsertLatest = `INSERT INTO live_latest (user_id, kind, since, ref)
		SELECT user_id, kind, since, ref FROM live WHERE user_id = ? ORDER BY since DESC, kind LIMIT 1`
)

// refreshLatest recomputes the user's row of live_latest from live.
func refreshLatest(ctx context.Context, tx *wtx, userID string) error {
	if _, err := tx.ExecContext(ctx, sqlDeleteLatest, userID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, sqlInsertLatest, userID)
	return err
}

// ClearLive removes the entry for (userID, kind) if ref is "" or equals the
// stored Ref; idempotent.
func (s *Store) ClearLive(ctx context.Context, userID string, kind ugc.LiveKind, ref string) (err error) {
	defer s.wrap(&err, "sqlstore.ClearLive")
	if err := store.CheckLiveEntry(ugc.LiveEntry{UserID: userID, Kind: kind, Ref: ref}); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, `DELETE FROM live WHERE user_id = ? AND kind = ? AND (?3 = '' OR ref = ?3)`,
			userID, string(kind), ref))
		if err != nil || n == 0 {
			return err
		}
		return refreshLatest(ctx, tx, userID)
	})
}

// GetLive returns the user's entries, latest start first.
func (s *Store) GetLive(ctx context.Context, userID string) (_ []ugc.LiveEntry, err error) {
	defer s.wrap(&err, "sqlstore.GetLive")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT user_id, kind, since, ref FROM live WHERE user_id = ? ORDER BY since DESC, kind`, userID)
	if err != nil {
		return nil, err
	}
	return scanLive(rows)
}

// scanLive reads live rows and closes rows.
func scanLive(rows *sql.Rows) ([]ugc.LiveEntry, error) {
	defer rows.Close()
	var out []ugc.LiveEntry
	for rows.Next() {
		var e ugc.LiveEntry
		var since int64
		if err := rows.Scan(&e.UserID, &e.Kind, &since, &e.Ref); err != nil {
			return nil, err
		}
		e.Since = tm(since)
		out = append(out, e)
	}
	return out, rows.Err()
}

type liveCursor struct {
	T  int64  `json:"t"`
	ID string `json:"i"`
}

// ListLive returns the live channels, each user once, most recent start
// first, ties by user ID.
func (s *Store) ListLive(ctx context.Context, p store.Page) (_ []ugc.LiveEntry, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListLive")
	q := queryKey("live")
	var c liveCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT user_id, kind, since, ref FROM live_latest`
	var args []any
	if has {
		query += ` WHERE since <= ? AND (since < ? OR user_id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY since DESC, user_id LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := scanLive(rows)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = s.pages.Encode(q, liveCursor{T: ms(last.Since), ID: last.UserID})
	}
	return out, next, nil
}
