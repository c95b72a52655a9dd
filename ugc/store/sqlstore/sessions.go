package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

const sessionCols = `id, user_id, channel_arn, start_time, end_time, is_healthy, has_error_event, ingest_configuration, updated_at, version`

func scanSession(r scanner) (*ugc.StreamSession, int64, error) {
	var ss ugc.StreamSession
	var start, end, updated, version int64
	var cfg []byte
	if err := r.Scan(&ss.ID, &ss.UserID, &ss.ChannelArn, &start, &end, &ss.IsHealthy, &ss.HasErrorEvent, &cfg, &updated, &version); err != nil {
		return nil, 0, err
	}
	ss.StartTime, ss.EndTime, ss.UpdatedAt = tm(start), tm(end), tm(updated)
	if cfg != nil {
		ss.IngestConfiguration = cfg
	}
	return &ss, version, nil
}

// GetStreamSession returns the session, or ErrNotFound.
func (s *Store) GetStreamSession(ctx context.Context, id string) (_ *ugc.StreamSession, err error) {
	defer s.wrap(&err, "sqlstore.GetStreamSession")
	ss, _, err := s.getStreamSession(ctx, id)
	return ss, err
}

// GetStreamSessionVersion returns the session and its version.
func (s *Store) GetStreamSessionVersion(ctx context.Context, id string) (_ *ugc.StreamSession, _ int64, err error) {
	defer s.wrap(&err, "sqlstore.GetStreamSessionVersion")
	return s.getStreamSession(ctx, id)
}

func (s *Store) getStreamSession(ctx context.Context, id string) (*ugc.StreamSession, int64, error) {
	if err := store.CheckID("id", id); err != nil {
		return nil, 0, err
	}
	ss, v, err := scanSession(s.queryRow(ctx, `SELECT `+sessionCols+` FROM stream_sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, notFound("stream session")
	}
	return ss, v, err
}

// PutStreamSession writes the session if its stored version equals version
// (0: it must not exist yet) and returns the new version.
func (s *Store) PutStreamSession(ctx context.Context, ss *ugc.StreamSession, version int64) (_ int64, err error) {
	defer s.wrap(&err, "sqlstore.PutStreamSession")
	if err := store.CheckStreamSession(ss); err != nil {
		return 0, err
	}
	if version < 0 {
		return 0, ugc.InvalidField("version", "must not be negative")
	}
	var cfg any
	if ss.IngestConfiguration != nil {
		cfg = []byte(ss.IngestConfiguration)
	}
	conflict := ugc.WithCode(ugc.ErrFailedPrecondition, "version_conflict", "stream session version is not %d", version)
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		if version == 0 {
			_, err := tx.ExecContext(ctx, `INSERT INTO stream_sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
				ss.ID, ss.UserID, ss.ChannelArn, ms(ss.StartTime), ms(ss.EndTime), ss.IsHealthy, ss.HasErrorEvent, cfg, ms(ss.UpdatedAt))
			if isUnique(err) {
				return conflict
			}
			return err
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE stream_sessions SET user_id = ?, channel_arn = ?, start_time = ?, end_time = ?,
			is_healthy = ?, has_error_event = ?, ingest_configuration = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			ss.UserID, ss.ChannelArn, ms(ss.StartTime), ms(ss.EndTime), ss.IsHealthy, ss.HasErrorEvent, cfg, ms(ss.UpdatedAt),
			ss.ID, version))
		if err != nil {
			return err
		}
		if n == 0 {
			return conflict
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return version + 1, nil
}

type timeCursor struct {
	T  int64  `json:"t"`
	ID string `json:"i"`
}

// ListStreamSessions returns the user's sessions that have a start time,
// newest start first, ties by ID.
func (s *Store) ListStreamSessions(ctx context.Context, userID string, p store.Page) (_ []*ugc.StreamSession, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListStreamSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, "", err
	}
	q := queryKey("stream_sessions", userID)
	var c timeCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT ` + sessionCols + ` FROM stream_sessions WHERE user_id = ? AND start_time <> ` + itoa(zeroMS)
	args := []any{userID}
	if has {
		query += ` AND start_time <= ? AND (start_time < ? OR id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY start_time DESC, id LIMIT ?`
	args = append(args, limit+1)
	return keysetPage(ctx, s, q, query, args, limit, func(r scanner) (*ugc.StreamSession, error) {
		ss, _, err := scanSession(r)
		return ss, err
	}, func(last *ugc.StreamSession) any { return timeCursor{T: ms(last.StartTime), ID: last.ID} })
}

// AppendStreamEvent records an event of a session; the same (SessionID,
// ID) again changes nothing and reports added false.
func (s *Store) AppendStreamEvent(ctx context.Context, ev ugc.StreamEvent) (added bool, err error) {
	defer s.wrap(&err, "sqlstore.AppendStreamEvent")
	if err := store.CheckStreamEvent(ev); err != nil {
		return false, err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, sqlInsertEvent, ev.SessionID, ev.ID, ms(ev.Time), ev.Type, ev.Name, ev.Code, ev.Reason))
		added = n == 1
		return err
	})
	if err != nil {
		return false, err
	}
	return added, nil
}

const sqlInsertEvent = `INSERT INTO stream_events (session_id, id, time, type, name, code, reason)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

// ListStreamEvents returns a session's events, oldest first, ties by ID.
func (s *Store) ListStreamEvents(ctx context.Context, sessionID string, p store.Page) (_ []ugc.StreamEvent, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListStreamEvents")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, "", err
	}
	q := queryKey("stream_events", sessionID)
	var c timeCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT id, session_id, time, type, name, code, reason FROM stream_events WHERE session_id = ?`
	args := []any{sessionID}
	if has {
		query += ` AND time >= ? AND (time > ? OR id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY time, id LIMIT ?`
	args = append(args, limit+1)
	return keysetPage(ctx, s, q, query, args, limit, scanStreamEvent,
		func(last ugc.StreamEvent) any { return timeCursor{T: ms(last.Time), ID: last.ID} })
}

func scanStreamEvent(r scanner) (ugc.StreamEvent, error) {
	var ev ugc.StreamEvent
	var t int64
	err := r.Scan(&ev.ID, &ev.SessionID, &t, &ev.Type, &ev.Name, &ev.Code, &ev.Reason)
	ev.Time = tm(t)
	return ev, err
}

func getMetrics(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, sessionID string) (*ugc.MetricsCacheEntry, error) {
	e := ugc.MetricsCacheEntry{SessionID: sessionID}
	var fetched int64
	var data []byte
	if err := scanOne(q.QueryRowContext(ctx, `SELECT period, complete, data, fetched_at FROM metrics_cache WHERE session_id = ?`, sessionID),
		"metrics cache entry", &e.Period, &e.Complete, &data, &fetched); err != nil {
		return nil, err
	}
	e.Data, e.FetchedAt = data, tm(fetched)
	return &e, nil
}

// GetMetricsCache returns the cached metrics of a session, or ErrNotFound.
func (s *Store) GetMetricsCache(ctx context.Context, sessionID string) (_ *ugc.MetricsCacheEntry, err error) {
	defer s.wrap(&err, "sqlstore.GetMetricsCache")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, err
	}
	return getMetrics(ctx, reader{s}, sessionID)
}

// PutMetricsCache stores e unless the stored entry is better (see
// store.BetterMetrics); stored reports whether e was written.
func (s *Store) PutMetricsCache(ctx context.Context, e ugc.MetricsCacheEntry) (stored bool, err error) {
	defer s.wrap(&err, "sqlstore.PutMetricsCache")
	if err := store.CheckMetricsCacheEntry(e); err != nil {
		return false, err
	}
	if len(e.Data) == 0 {
		return false, nil
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		old, err := getMetrics(ctx, tx, e.SessionID)
		if err != nil && !errors.Is(err, ugc.ErrNotFound) {
			return err
		}
		if !store.BetterMetrics(old, e) {
			return nil
		}
		stored = true
		_, err = tx.ExecContext(ctx, `INSERT INTO metrics_cache (session_id, period, complete, data, fetched_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET period = excluded.period, complete = excluded.complete,
			data = excluded.data, fetched_at = excluded.fetched_at`,
			e.SessionID, e.Period, e.Complete, []byte(e.Data), ms(e.FetchedAt))
		return err
	})
	if err != nil {
		return false, err
	}
	return stored, nil
}

// DeleteUserStreamSessions removes the user's sessions, their events and
// caches; idempotent.
func (s *Store) DeleteUserStreamSessions(ctx context.Context, userID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteUserStreamSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		for _, q := range []string{
			`DELETE FROM stream_events WHERE session_id IN (SELECT id FROM stream_sessions WHERE user_id = ?1)`,
			`DELETE FROM metrics_cache WHERE session_id IN (SELECT id FROM stream_sessions WHERE user_id = ?1)`,
			`DELETE FROM stream_sessions WHERE user_id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		return nil
	})
}
