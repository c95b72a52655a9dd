package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

const stageCols = `id, channel_user_id, stage_arn, host_participant_id, started_at, ended_at, host_left_at`

// activeStage is the condition that a stage_sessions row is active; it is
// spelled as in the partial indexes so SQLite can use them.
const activeStage = `ended_at = -62135596800000`

func scanStage(r scanner) (*ugc.StageSession, error) {
	var ss ugc.StageSession
	var started, ended, left int64
	if err := r.Scan(&ss.ID, &ss.ChannelUserID, &ss.StageArn, &ss.HostParticipantID, &started, &ended, &left); err != nil {
		return nil, err
	}
	ss.StartedAt, ss.EndedAt, ss.HostLeftAt = tm(started), tm(ended), tm(left)
	return &ss, nil
}

var errSessionActive = ugc.WithCode(ugc.ErrAlreadyExists, "session_active", "the channel has an active stage session")

// CreateStageSession stores a new active session; a channel with an active
// session is ErrAlreadyExists with code "session_active".
func (s *Store) CreateStageSession(ctx context.Context, ss *ugc.StageSession) (err error) {
	defer s.wrap(&err, "sqlstore.CreateStageSession")
	if err := store.CheckStageSession(ss); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stage_sessions (`+stageCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			ss.ID, ss.ChannelUserID, ss.StageArn, ss.HostParticipantID, ms(ss.StartedAt), ms(ss.EndedAt), ms(ss.HostLeftAt))
		if !isUnique(err) {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stage_sessions WHERE id = ?`, ss.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return exists("id", "stage session ID is taken")
		}
		return errSessionActive
	})
}

// GetStageSession returns a session by ID, or ErrNotFound.
func (s *Store) GetStageSession(ctx context.Context, id string) (_ *ugc.StageSession, err error) {
	defer s.wrap(&err, "sqlstore.GetStageSession")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	return s.getStage(ctx, `id = ?`, id)
}

// ActiveStageSession returns the channel's active session, or ErrNotFound.
func (s *Store) ActiveStageSession(ctx context.Context, channelUserID string) (_ *ugc.StageSession, err error) {
	defer s.wrap(&err, "sqlstore.ActiveStageSession")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	return s.getStage(ctx, `channel_user_id = ? AND `+activeStage, channelUserID)
}

func (s *Store) getStage(ctx context.Context, where string, args ...any) (*ugc.StageSession, error) {
	ss, err := scanStage(s.queryRow(ctx, `SELECT `+stageCols+` FROM stage_sessions WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("stage session")
	}
	return ss, err
}

// UpdateStageSession replaces a stored active session (matched by ID); a
// missing one is ErrNotFound, an ended one store.ErrSessionEnded.
func (s *Store) UpdateStageSession(ctx context.Context, ss *ugc.StageSession) (err error) {
	defer s.wrap(&err, "sqlstore.UpdateStageSession")
	if err := store.CheckStageSession(ss); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE stage_sessions SET channel_user_id = ?, stage_arn = ?, host_participant_id = ?,
			started_at = ?, ended_at = ?, host_left_at = ? WHERE id = ? AND `+activeStage,
			ss.ChannelUserID, ss.StageArn, ss.HostParticipantID, ms(ss.StartedAt), ms(ss.EndedAt), ms(ss.HostLeftAt), ss.ID))
		if isUnique(err) {
			return errSessionActive
		}
		if err != nil || n > 0 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM stage_sessions WHERE id = ?`, ss.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("stage session")
		}
		if err != nil {
			return err
		}
		return store.ErrSessionEnded
	})
}

// ListActiveStageSessions returns active sessions, oldest start first,
// ties by ID.
func (s *Store) ListActiveStageSessions(ctx context.Context, p store.Page) (_ []*ugc.StageSession, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListActiveStageSessions")
	q := queryKey("active_stage_sessions")
	var c timeCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT ` + stageCols + ` FROM stage_sessions WHERE ` + activeStage
	var args []any
	if has {
		query += ` AND started_at >= ? AND (started_at > ? OR id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY started_at, id LIMIT ?`
	args = append(args, limit+1)
	return keysetPage(ctx, s, q, query, args, limit, scanStage, func(last *ugc.StageSession) any { return timeCursor{T: ms(last.StartedAt), ID: last.ID} })
}

// seatHeld is the condition that a seats row is held at the named
// parameter :now.
const seatHeld = `(expires_at = -62135596800000 OR expires_at > :now)`

// ReserveSeat reserves a seat for st.UserID in st.SessionID if fewer than
// max seats are held at now, freeing expired reservations, atomically.
func (s *Store) ReserveSeat(ctx context.Context, st ugc.Seat, max int, now time.Time) (err error) {
	defer s.wrap(&err, "sqlstore.ReserveSeat")
	if err := store.CheckSeatReservation(st, max); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		nowArg := sql.Named("now", ms(now))
		if _, err := tx.ExecContext(ctx, `DELETE FROM seats WHERE session_id = :sid AND NOT `+seatHeld,
			sql.Named("sid", st.SessionID), nowArg); err != nil {
			return err
		}
		var held, mine int
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE user_id = :uid) FROM seats WHERE session_id = :sid`,
			sql.Named("sid", st.SessionID), sql.Named("uid", st.UserID)).Scan(&held, &mine); err != nil {
			return err
		}
		if mine > 0 {
			return ugc.WithCode(ugc.ErrAlreadyExists, "seat_held", "the user already holds a seat")
		}
		if held >= max {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "stage_full", "every seat is held")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO seats (session_id, user_id, participant_id, reserved_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			st.SessionID, st.UserID, st.ParticipantID, ms(st.ReservedAt), ms(st.ExpiresAt))
		return err
	})
}

// UpdateSeat replaces a held seat; a missing one is ErrNotFound.
func (s *Store) UpdateSeat(ctx context.Context, st ugc.Seat) (err error) {
	defer s.wrap(&err, "sqlstore.UpdateSeat")
	if err := store.CheckSeat(st); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE seats SET participant_id = ?, reserved_at = ?, expires_at = ?
			WHERE session_id = ? AND user_id = ?`, st.ParticipantID, ms(st.ReservedAt), ms(st.ExpiresAt), st.SessionID, st.UserID))
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("seat")
		}
		return nil
	})
}

// ReleaseSeat frees the user's seat; released is false when none.
func (s *Store) ReleaseSeat(ctx context.Context, sessionID, userID string) (released bool, err error) {
	defer s.wrap(&err, "sqlstore.ReleaseSeat")
	if err := store.CheckIDs("session_id", sessionID, "user_id", userID); err != nil {
		return false, err
	}
	return s.deleteOne(ctx, `DELETE FROM seats WHERE session_id = ? AND user_id = ?`, sessionID, userID)
}

// ListSeats returns the seats held at now, oldest reservation first, ties
// by user ID.
func (s *Store) ListSeats(ctx context.Context, sessionID string, now time.Time) (_ []ugc.Seat, err error) {
	defer s.wrap(&err, "sqlstore.ListSeats")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT session_id, user_id, participant_id, reserved_at, expires_at FROM seats
		WHERE session_id = :sid AND `+seatHeld+` ORDER BY reserved_at, user_id`, sql.Named("sid", sessionID), sql.Named("now", ms(now)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ugc.Seat
	for rows.Next() {
		var st ugc.Seat
		var reserved, expires int64
		if err := rows.Scan(&st.SessionID, &st.UserID, &st.ParticipantID, &reserved, &expires); err != nil {
			return nil, err
		}
		st.ReservedAt, st.ExpiresAt = tm(reserved), tm(expires)
		out = append(out, st)
	}
	return out, rows.Err()
}

const requestCols = `id, channel_user_id, user_id, status, created_at, updated_at, expires_at, token_used`

func scanRequest(r scanner) (*ugc.JoinRequest, error) {
	var jr ugc.JoinRequest
	var created, updated, expires int64
	if err := r.Scan(&jr.ID, &jr.ChannelUserID, &jr.UserID, &jr.Status, &created, &updated, &expires, &jr.TokenUsed); err != nil {
		return nil, err
	}
	jr.CreatedAt, jr.UpdatedAt, jr.ExpiresAt = tm(created), tm(updated), tm(expires)
	return &jr, nil
}

var errRequestPending = ugc.WithCode(ugc.ErrAlreadyExists, "request_pending", "the user has a pending request to this channel")

// CreateJoinRequest stores a new request; a pending request by the same
// user for the same channel is ErrAlreadyExists with code "request_pending".
func (s *Store) CreateJoinRequest(ctx context.Context, r *ugc.JoinRequest) (err error) {
	defer s.wrap(&err, "sqlstore.CreateJoinRequest")
	if err := store.CheckJoinRequest(r); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO join_requests (`+requestCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.ChannelUserID, r.UserID, r.Status, ms(r.CreatedAt), ms(r.UpdatedAt), ms(r.ExpiresAt), r.TokenUsed)
		if !isUnique(err) {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM join_requests WHERE id = ?`, r.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return exists("id", "join request ID is taken")
		}
		return errRequestPending
	})
}

// GetJoinRequest returns a request by ID, or ErrNotFound.
func (s *Store) GetJoinRequest(ctx context.Context, id string) (_ *ugc.JoinRequest, err error) {
	defer s.wrap(&err, "sqlstore.GetJoinRequest")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	return s.getRequest(ctx, `id = ?`, id)
}

func (s *Store) getRequest(ctx context.Context, where string, args ...any) (*ugc.JoinRequest, error) {
	r, err := scanRequest(s.queryRow(ctx, `SELECT `+requestCols+` FROM join_requests WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("join request")
	}
	return r, err
}

// UpdateJoinRequest replaces the request if its stored Status is
// fromStatus and its stored TokenUsed is false; else ErrFailedPrecondition
// with code "request_state". A request whose token was used is final.
func (s *Store) UpdateJoinRequest(ctx context.Context, r *ugc.JoinRequest, fromStatus string) (err error) {
	defer s.wrap(&err, "sqlstore.UpdateJoinRequest")
	if err := store.CheckJoinRequest(r); err != nil {
		return err
	}
	if err := store.CheckID("from_status", fromStatus); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		var status string
		var used bool
		if err := scanOne(tx.QueryRowContext(ctx, `SELECT status, token_used FROM join_requests WHERE id = ?`, r.ID),
			"join request", &status, &used); err != nil {
			return err
		}
		if status != fromStatus || used {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "request_state", "the join request is %s", status)
		}
		_, err := tx.ExecContext(ctx, `UPDATE join_requests SET channel_user_id = ?, user_id = ?, status = ?, created_at = ?,
			updated_at = ?, expires_at = ?, token_used = ? WHERE id = ?`,
			r.ChannelUserID, r.UserID, r.Status, ms(r.CreatedAt), ms(r.UpdatedAt), ms(r.ExpiresAt), r.TokenUsed, r.ID)
		if isUnique(err) {
			return errRequestPending
		}
		return err
	})
}

// LatestJoinRequest returns the user's most recent request to the channel,
// or ErrNotFound.
func (s *Store) LatestJoinRequest(ctx context.Context, channelUserID, userID string) (_ *ugc.JoinRequest, err error) {
	defer s.wrap(&err, "sqlstore.LatestJoinRequest")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	return s.getRequest(ctx, `user_id = ? AND channel_user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, userID, channelUserID)
}

// ListJoinRequests returns the channel's requests, newest first, ties by ID.
func (s *Store) ListJoinRequests(ctx context.Context, channelUserID string, p store.Page) (_ []*ugc.JoinRequest, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListJoinRequests")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	q := queryKey("join_requests", channelUserID)
	var c timeCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT ` + requestCols + ` FROM join_requests WHERE channel_user_id = ?`
	args := []any{channelUserID}
	if has {
		query += ` AND created_at <= ? AND (created_at < ? OR id > ?)`
		args = append(args, c.T, c.T, c.ID)
	}
	query += ` ORDER BY created_at DESC, id LIMIT ?`
	args = append(args, limit+1)
	return keysetPage(ctx, s, q, query, args, limit, scanRequest, func(last *ugc.JoinRequest) any { return timeCursor{T: ms(last.CreatedAt), ID: last.ID} })
}

// PutInvite creates or replaces an invite.
func (s *Store) PutInvite(ctx context.Context, i ugc.Invite) (err error) {
	defer s.wrap(&err, "sqlstore.PutInvite")
	if err := store.CheckInvite(i); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO invites (id, channel_user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET channel_user_id = excluded.channel_user_id, created_at = excluded.created_at,
		expires_at = excluded.expires_at, revoked_at = excluded.revoked_at`,
		i.ID, i.ChannelUserID, ms(i.CreatedAt), ms(i.ExpiresAt), ms(i.RevokedAt))
}

// GetInvite returns an invite, or ErrNotFound.
func (s *Store) GetInvite(ctx context.Context, id string) (_ *ugc.Invite, err error) {
	defer s.wrap(&err, "sqlstore.GetInvite")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	i := ugc.Invite{ID: id}
	var created, expires, revoked int64
	if err := scanOne(s.queryRow(ctx, `SELECT channel_user_id, created_at, expires_at, revoked_at FROM invites WHERE id = ?`, id),
		"invite", &i.ChannelUserID, &created, &expires, &revoked); err != nil {
		return nil, err
	}
	i.CreatedAt, i.ExpiresAt, i.RevokedAt = tm(created), tm(expires), tm(revoked)
	return &i, nil
}

// PutKick creates or replaces a kick.
func (s *Store) PutKick(ctx context.Context, k ugc.Kick) (err error) {
	defer s.wrap(&err, "sqlstore.PutKick")
	if err := store.CheckKick(k); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO kicks (channel_user_id, user_id, until) VALUES (?, ?, ?)
		ON CONFLICT (channel_user_id, user_id) DO UPDATE SET until = excluded.until`, k.ChannelUserID, k.UserID, ms(k.Until))
}

// GetKick returns the kick of the user from the channel, or ErrNotFound.
func (s *Store) GetKick(ctx context.Context, channelUserID, userID string) (_ *ugc.Kick, err error) {
	defer s.wrap(&err, "sqlstore.GetKick")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	k := ugc.Kick{ChannelUserID: channelUserID, UserID: userID}
	var until int64
	if err := scanOne(s.queryRow(ctx, `SELECT until FROM kicks WHERE channel_user_id = ? AND user_id = ?`, channelUserID, userID),
		"kick", &until); err != nil {
		return nil, err
	}
	k.Until = tm(until)
	return &k, nil
}

// DeleteStagesOf removes the user's stage sessions and seats, requests by
// or to the user, invites and kicks naming the user; idempotent.
func (s *Store) DeleteStagesOf(ctx context.Context, userID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteStagesOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.execAll(ctx, []string{
		`DELETE FROM seats WHERE user_id = ?1 OR session_id IN (SELECT id FROM stage_sessions WHERE channel_user_id = ?1)`,
		`DELETE FROM stage_sessions WHERE channel_user_id = ?1`,
		`DELETE FROM join_requests WHERE channel_user_id = ?1 OR user_id = ?1`,
		`DELETE FROM invites WHERE channel_user_id = ?1`,
		`DELETE FROM kicks WHERE channel_user_id = ?1 OR user_id = ?1`,
	}, userID)
}
