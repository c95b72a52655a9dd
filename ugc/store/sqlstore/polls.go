package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// pollOpenAt is the condition that a polls row is open at the named
// parameter :now.
const pollOpenAt = `(ended_at = -62135596800000 OR ended_at > :now) AND ends_at > :now`

// CreatePoll stores a new poll with zero counts; the channel must have no
// poll open at now.
func (s *Store) CreatePoll(ctx context.Context, p *ugc.Poll, now time.Time) (err error) {
	defer s.wrap(&err, "sqlstore.CreatePoll")
	if err := store.CheckPoll(p); err != nil {
		return err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		var taken, open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM polls WHERE id = ?`, p.ID).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return exists("id", "poll ID is taken")
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM polls WHERE channel_user_id = :ch AND `+pollOpenAt,
			sql.Named("ch", p.ChannelUserID), sql.Named("now", ms(now))).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_active", "the channel has an open poll")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO polls (id, channel_user_id, question, started_at, ends_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.ChannelUserID, p.Question, ms(p.StartedAt), ms(p.EndsAt), ms(p.EndedAt))
		if isUnique(err) {
			return exists("id", "poll ID is taken")
		}
		if err != nil {
			return err
		}
		for i, o := range p.Options {
			if _, err := tx.ExecContext(ctx, `INSERT INTO poll_options (poll_id, idx, text, count) VALUES (?, ?, ?, 0)`, p.ID, i, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.Counts = make([]int64, len(p.Options))
	return nil
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadPoll reads the poll whose row matches where, with its options and
// counts.
func loadPoll(ctx context.Context, q rowQuerier, where string, args ...any) (*ugc.Poll, error) {
	var p ugc.Poll
	var started, ends, ended int64
	if err := scanOne(q.QueryRowContext(ctx, `SELECT id, channel_user_id, question, started_at, ends_at, ended_at FROM polls WHERE `+where, args...),
		"poll", &p.ID, &p.ChannelUserID, &p.Question, &started, &ends, &ended); err != nil {
		return nil, err
	}
	p.StartedAt, p.EndsAt, p.EndedAt = tm(started), tm(ends), tm(ended)
	rows, err := q.QueryContext(ctx, `SELECT text, count FROM poll_options WHERE poll_id = ? ORDER BY idx`, p.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p.Options, p.Counts = []string{}, []int64{}
	for rows.Next() {
		var text string
		var n int64
		if err := rows.Scan(&text, &n); err != nil {
			return nil, err
		}
		p.Options = append(p.Options, text)
		p.Counts = append(p.Counts, n)
	}
	return &p, rows.Err()
}

// GetPoll returns the poll with its exact counts, or ErrNotFound.
func (s *Store) GetPoll(ctx context.Context, pollID string) (p *ugc.Poll, err error) {
	defer s.wrap(&err, "sqlstore.GetPoll")
	if err := store.CheckID("poll_id", pollID); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(tx *sql.Tx) (err error) {
		p, err = loadPoll(ctx, tx, `id = ?`, pollID)
		return err
	})
	return p, err
}

// LatestPoll returns the channel's most recently started poll, or
// ErrNotFound.
func (s *Store) LatestPoll(ctx context.Context, channelUserID string) (p *ugc.Poll, err error) {
	defer s.wrap(&err, "sqlstore.LatestPoll")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(tx *sql.Tx) (err error) {
		p, err = loadPoll(ctx, tx, `channel_user_id = ? ORDER BY started_at DESC, id DESC LIMIT 1`, channelUserID)
		return err
	})
	return p, err
}

// EndPoll sets EndedAt to at if the poll is open at at; ended is false
// when it was already closed.
func (s *Store) EndPoll(ctx context.Context, pollID string, at time.Time) (ended bool, err error) {
	defer s.wrap(&err, "sqlstore.EndPoll")
	if err := store.CheckID("poll_id", pollID); err != nil {
		return false, err
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE polls SET ended_at = :now WHERE id = :id AND `+pollOpenAt,
			sql.Named("id", pollID), sql.Named("now", ms(at))))
		if err != nil {
			return err
		}
		if n > 0 {
			ended = true
			return nil
		}
		var one int
		return scanOne(tx.QueryRowContext(ctx, `SELECT 1 FROM polls WHERE id = ?`, pollID), "poll", &one)
	})
	if err != nil {
		return false, err
	}
	return ended, nil
}

// RecordVote records v and increments the option's count in one
// transaction.
func (s *Store) RecordVote(ctx context.Context, v ugc.Vote, now time.Time) (err error) {
	defer s.wrap(&err, "sqlstore.RecordVote")
	if err := store.CheckVote(v); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		return recordVote(ctx, tx, v, now)
	})
}

func recordVote(ctx context.Context, tx *wtx, v ugc.Vote, now time.Time) error {
	var ends, ended int64
	var options int
	if err := scanOne(tx.QueryRowContext(ctx, sqlPollForVote, v.PollID), "poll", &ends, &ended, &options); err != nil {
		return err
	}
	if v.Option >= options {
		return ugc.InvalidField("option", "is out of range")
	}
	p := ugc.Poll{EndsAt: tm(ends), EndedAt: tm(ended)}
	if p.Closed(now) {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_closed", "the poll is closed")
	}
	_, err := tx.ExecContext(ctx, sqlInsertVote, v.PollID, v.UserID, v.Option, ms(v.At))
	if isUnique(err) {
		return &ugc.Error{Kind: ugc.ErrAlreadyExists, Code: "already_voted", Field: "user_id", Message: "the user has already voted"}
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, sqlCountVote, v.PollID, v.Option)
	return err
}

// The statements of RecordVote.
const (
	sqlPollForVote = `SELECT ends_at, ended_at, (SELECT count(*) FROM poll_options WHERE poll_id = polls.id)
		FROM polls WHERE id = ?`
	sqlInsertVote = `INSERT INTO votes (poll_id, user_id, option, at) VALUES (?, ?, ?, ?)`
	sqlCountVote  = `UPDATE poll_options SET count = count + 1 WHERE poll_id = ? AND idx = ?`
)

// GetVote returns the user's vote, or ErrNotFound.
func (s *Store) GetVote(ctx context.Context, pollID, userID string) (_ *ugc.Vote, err error) {
	defer s.wrap(&err, "sqlstore.GetVote")
	if err := store.CheckIDs("poll_id", pollID, "user_id", userID); err != nil {
		return nil, err
	}
	v := ugc.Vote{PollID: pollID, UserID: userID}
	var at int64
	if err := scanOne(s.queryRow(ctx, `SELECT option, at FROM votes WHERE poll_id = ? AND user_id = ?`, pollID, userID),
		"vote", &v.Option, &at); err != nil {
		return nil, err
	}
	v.At = tm(at)
	return &v, nil
}

// DeletePollsOf removes the channel's polls and their votes; idempotent.
func (s *Store) DeletePollsOf(ctx context.Context, channelUserID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeletePollsOf")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return err
	}
	// Options and votes go with their polls (ON DELETE CASCADE).
	return s.exec(ctx, `DELETE FROM polls WHERE channel_user_id = ?`, channelUserID)
}
