package memstore

import (
	"context"
	"slices"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// pollRec is a stored poll and its votes by user.
type pollRec struct {
	p     ugc.Poll
	votes map[string]vote
}

// vote is a stored vote: kept small, as a poll may hold millions.
type vote struct {
	at     int64 // milliseconds since the epoch
	option int32
	zero   bool // At was the zero time
}

func copyPoll(p *ugc.Poll) *ugc.Poll {
	c := *p
	c.Options = slices.Clone(p.Options)
	c.Counts = slices.Clone(p.Counts)
	return &c
}

// CreatePoll stores a new poll with zero counts (it sets p.Counts too).
func (s *Store) CreatePoll(ctx context.Context, p *ugc.Poll, now time.Time) (err error) {
	defer ugc.Wrap(&err, "memstore.CreatePoll")
	if err := store.CheckPoll(p); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.polls[p.ID]; ok {
		return taken("id")
	}
	for id := range s.pollsByChan[p.ChannelUserID] {
		if !s.polls[id].p.Closed(now) {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_active", "the channel has a poll open")
		}
	}
	c := copyPoll(p)
	c.Counts = make([]int64, len(p.Options))
	c.StartedAt, c.EndsAt, c.EndedAt = tm(c.StartedAt), tm(c.EndsAt), tm(c.EndedAt)
	s.polls[p.ID] = &pollRec{p: *c, votes: map[string]vote{}}
	addTo(s.pollsByChan, p.ChannelUserID, p.ID)
	p.Counts = make([]int64, len(p.Options))
	return nil
}

// GetPoll returns the poll with its exact counts, or ErrNotFound.
func (s *Store) GetPoll(ctx context.Context, pollID string) (_ *ugc.Poll, err error) {
	defer ugc.Wrap(&err, "memstore.GetPoll")
	if err := store.CheckID("poll_id", pollID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	r, ok := s.polls[pollID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyPoll(&r.p), nil
}

// LatestPoll returns the channel's most recently started poll (ties: the
// greatest ID), open or not, or ErrNotFound.
func (s *Store) LatestPoll(ctx context.Context, channelUserID string) (_ *ugc.Poll, err error) {
	defer ugc.Wrap(&err, "memstore.LatestPoll")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var best *ugc.Poll
	for id := range s.pollsByChan[channelUserID] {
		p := &s.polls[id].p
		if best == nil || p.StartedAt.After(best.StartedAt) || p.StartedAt.Equal(best.StartedAt) && p.ID > best.ID {
			best = p
		}
	}
	if best == nil {
		return nil, ugc.ErrNotFound
	}
	return copyPoll(best), nil
}

// EndPoll sets EndedAt to at if the poll is open at at.
func (s *Store) EndPoll(ctx context.Context, pollID string, at time.Time) (ended bool, err error) {
	defer ugc.Wrap(&err, "memstore.EndPoll")
	if err := store.CheckID("poll_id", pollID); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	r, ok := s.polls[pollID]
	if !ok {
		return false, ugc.ErrNotFound
	}
	if r.p.Closed(at) {
		return false, nil
	}
	r.p.EndedAt = tm(at)
	return true, nil
}

// RecordVote records v and increments the option's count atomically. The
// checks run in this order: arguments, poll exists, option in range, poll
// open at now, first vote of the user.
func (s *Store) RecordVote(ctx context.Context, v ugc.Vote, now time.Time) (err error) {
	defer ugc.Wrap(&err, "memstore.RecordVote")
	if err := store.CheckVote(v); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	r, ok := s.polls[v.PollID]
	switch {
	case !ok:
		return ugc.ErrNotFound
	case v.Option >= len(r.p.Options):
		return ugc.InvalidField("option", "must be below %d", len(r.p.Options))
	case r.p.Closed(now):
		return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_closed", "the poll has ended")
	}
	if _, ok := r.votes[v.UserID]; ok {
		return &ugc.Error{Kind: ugc.ErrAlreadyExists, Code: "already_voted", Field: "user_id", Message: "the user has voted"}
	}
	r.votes[v.UserID] = vote{at: ms(v.At), option: int32(v.Option), zero: v.At.IsZero()}
	r.p.Counts[v.Option]++
	return nil
}

// GetVote returns the user's vote, or ErrNotFound.
func (s *Store) GetVote(ctx context.Context, pollID, userID string) (_ *ugc.Vote, err error) {
	defer ugc.Wrap(&err, "memstore.GetVote")
	if err := store.CheckIDs("poll_id", pollID, "user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	r, ok := s.polls[pollID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	vt, ok := r.votes[userID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	out := &ugc.Vote{PollID: pollID, UserID: userID, Option: int(vt.option)}
	if !vt.zero {
		out.At = time.UnixMilli(vt.at).UTC()
	}
	return out, nil
}

// DeletePollsOf removes the channel's polls and their votes; idempotent.
func (s *Store) DeletePollsOf(ctx context.Context, channelUserID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeletePollsOf")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for id := range s.pollsByChan[channelUserID] {
		delete(s.polls, id)
	}
	delete(s.pollsByChan, channelUserID)
	return nil
}
