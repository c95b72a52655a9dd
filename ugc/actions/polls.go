package actions

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// Chat event names of polls, sent to the channel's room with SendEvent.
// Every event carries the attributes "pollId", "counts" (a JSON array of
// the votes per option), "totalVotes", "status" ("active" or "ended") and
// "endsAt" (RFC 3339); poll:start also carries "question" and "options" (a
// JSON array) when they fit in the event's 1 KB of attributes (else
// clients read the poll through the API); poll:end carries "winner" (an
// option index) or "tie" ("true").
const (
	EventPollStart  = "poll:start"
	EventPollUpdate = "poll:update"
	EventPollEnd    = "poll:end"
)

// maxEventAttributes is IVS Chat's limit on the attributes of one event.
const maxEventAttributes = 1024

// PollStatus values.
const (
	PollActive = "active"
	PollEnded  = "ended"
)

// PollView is a poll as a caller sees it at a moment.
type PollView struct {
	ugc.Poll
	// Status is PollActive or PollEnded, decided by the clock.
	Status string
	// ClosesAt is when the poll closes or closed: EndsAt, or EndedAt when
	// it was ended early.
	ClosesAt time.Time
	// Winner is the index of the option with the most votes once ended,
	// -1 when there is no single winner (a tie, or no votes: Tie is then
	// true) or while active.
	Winner int
	// Tie is true once ended when no single option has the most votes.
	Tie bool
	// MyVote is the option the caller voted for, -1 when anonymous or not
	// voted.
	MyVote int
}

func (s *Service) view(p *ugc.Poll, now time.Time) *PollView {
	v := &PollView{Poll: *p, Status: PollActive, ClosesAt: p.EndsAt, Winner: -1, MyVote: -1}
	if !p.EndedAt.IsZero() && p.EndedAt.Before(p.EndsAt) {
		v.ClosesAt = p.EndedAt
	}
	if p.Closed(now) {
		v.Status = PollEnded
		v.Winner, v.Tie = winner(p.Counts)
	}
	return v
}

// winner returns the index of the single option with the most votes, or
// -1 and true when the top is shared (every option at 0 included).
func winner(counts []int64) (int, bool) {
	best, n := -1, 0
	for i, c := range counts {
		switch {
		case best < 0 || c > counts[best]:
			best, n = i, 1
		case c == counts[best]:
			n++
		}
	}
	if best < 0 || n > 1 || counts[best] == 0 {
		return -1, true
	}
	return best, false
}

// StartPoll starts a poll on the user's channel and announces it in the
// chat room (poll:start). Input is validated field by field. A channel
// with an open poll is ErrFailedPrecondition with code "poll_active". The
// poll closes at its end time whether or not any process watches it, and
// poll:end goes out then: from this Service's timer or, when this Service
// is gone, from the next Sweep of any Service on the same store.
func (s *Service) StartPoll(ctx context.Context, userID string, in PollInput) (v *PollView, err error) {
	defer ugc.Wrap(&err, "actions.StartPoll")
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, err := s.st.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Channel.ChatRoomArn == "" {
		return nil, errNotProvisioned
	}
	now := s.now()
	p := &ugc.Poll{ID: s.opts.NewID(), ChannelUserID: userID, Question: in.Question,
		Options: append([]string(nil), in.Options...), Counts: make([]int64, len(in.Options)),
		StartedAt: now, EndsAt: now.Add(time.Duration(in.DurationSeconds) * time.Second)}
	// The poll:end job goes first, so every stored poll has one and some
	// replica announces its end even if this one dies.
	if err := s.st.CreateJob(ctx, pollEndJob(p, u.Channel.ChatRoomArn, now)); err != nil {
		return nil, err
	}
	if err := s.st.CreatePoll(ctx, p, now); err != nil {
		if derr := s.st.DeleteJob(context.WithoutCancel(ctx), jobPollEnd, p.ID); derr != nil {
			// A job without its poll is dropped by the next sweep.
			s.opts.Logger.WarnContext(ctx, "actions: dropping the poll:end job of an unsaved poll", "poll_id", p.ID, "error", derr)
		}
		return nil, err
	}
	_ = s.emit(ctx, u.Channel.ChatRoomArn, EventPollStart, s.view(p, now)) // logged; the poll is readable
	stop := s.timers.after(p.EndsAt.Sub(now), func(ctx context.Context) {
		s.forget(p.ID)
		s.announceEnd(ctx, p.ID)
	})
	s.mu.Lock()
	s.enders[p.ID] = stop
	s.mu.Unlock()
	return s.view(p, now), nil
}

// forget drops the in-process state of a poll.
func (s *Service) forget(pollID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.enders, pollID)
	if u := s.updates[pollID]; u != nil && u.stop != nil {
		u.stop()
	}
	delete(s.updates, pollID)
}

// EndPoll ends the user's open poll now and announces the result
// (poll:end). With no open poll it does nothing.
func (s *Service) EndPoll(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "actions.EndPoll")
	p, err := s.st.LatestPoll(ctx, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.now()
	ended, err := s.st.EndPoll(ctx, p.ID, now)
	if err != nil || !ended {
		return err
	}
	s.mu.Lock()
	stop := s.enders[p.ID]
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
	s.forget(p.ID)
	s.announceEnd(ctx, p.ID)
	return nil
}

// ActivePoll returns the open poll of the channel of username, or
// ErrNotFound. viewerID, when not empty, fills MyVote.
func (s *Service) ActivePoll(ctx context.Context, username, viewerID string) (v *PollView, err error) {
	defer ugc.Wrap(&err, "actions.ActivePoll")
	u, err := s.owner(ctx, username)
	if err != nil {
		return nil, err
	}
	p, err := s.st.LatestPoll(ctx, u.ID)
	now := s.now()
	if errors.Is(err, ugc.ErrNotFound) || err == nil && p.Closed(now) {
		return nil, ugc.Errorf(ugc.ErrNotFound, "no active poll")
	}
	if err != nil {
		return nil, err
	}
	return s.withMyVote(ctx, s.view(p, now), viewerID)
}

// Poll returns one poll of the channel of username with its exact
// tallies, open or ended; a poll of another channel is ErrNotFound.
// viewerID, when not empty, fills MyVote.
func (s *Service) Poll(ctx context.Context, username, pollID, viewerID string) (v *PollView, err error) {
	defer ugc.Wrap(&err, "actions.Poll")
	_, p, err := s.pollOf(ctx, username, pollID)
	if err != nil {
		return nil, err
	}
	return s.withMyVote(ctx, s.view(p, s.now()), viewerID)
}

func (s *Service) pollOf(ctx context.Context, username, pollID string) (*ugc.User, *ugc.Poll, error) {
	u, err := s.owner(ctx, username)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.st.GetPoll(ctx, pollID)
	if err == nil && p.ChannelUserID != u.ID {
		err = ugc.ErrNotFound
	}
	if errors.Is(err, ugc.ErrNotFound) {
		return nil, nil, ugc.Errorf(ugc.ErrNotFound, "no poll %q on this channel", pollID)
	}
	return u, p, err
}

func (s *Service) withMyVote(ctx context.Context, v *PollView, viewerID string) (*PollView, error) {
	if viewerID == "" {
		return v, nil
	}
	vote, err := s.st.GetVote(ctx, v.ID, viewerID)
	switch {
	case errors.Is(err, ugc.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		v.MyVote = vote.Option
	}
	return v, nil
}

var (
	errVoteAnonymous = ugc.Errorf(ugc.ErrUnauthenticated, "sign in to vote")
	errVoteBanned    = ugc.WithCode(ugc.ErrPermissionDenied, "banned", "you are banned from this channel")
	errPollClosed    = ugc.WithCode(ugc.ErrFailedPrecondition, "poll_closed", "the poll has ended")
	errAlreadyVoted  = ugc.WithCode(ugc.ErrAlreadyExists, "already_voted", "you already voted in this poll")
)

// Vote records userID's vote for option (an index) in a poll of the
// channel of username: one atomic store write keyed (poll, user). An
// anonymous caller is ErrUnauthenticated; a viewer banned from the channel
// ErrPermissionDenied (code "banned"); a second vote ErrAlreadyExists
// (code "already_voted", nothing changes); a vote after the end
// ErrFailedPrecondition (code "poll_closed"). Accepted votes are pushed to
// the room as poll:update, at most twice a second per poll.
func (s *Service) Vote(ctx context.Context, username, pollID, userID string, option int) (err error) {
	defer ugc.Wrap(&err, "actions.Vote")
	if userID == "" {
		return errVoteAnonymous
	}
	u, p, err := s.pollOf(ctx, username, pollID)
	if err != nil {
		return err
	}
	if option < 0 || option >= len(p.Options) {
		return ugc.InvalidField("option", "must be an option index from 0 to %d", len(p.Options)-1)
	}
	now := s.now()
	if p.Closed(now) {
		return errPollClosed
	}
	ban, err := s.st.GetBan(ctx, u.ID, userID)
	switch {
	case errors.Is(err, ugc.ErrNotFound):
	case err != nil:
		return err
	case ban.Active(now):
		return errVoteBanned
	}
	if err := s.st.RecordVote(ctx, ugc.Vote{PollID: p.ID, UserID: userID, Option: option, At: now}, now); err != nil {
		switch ugc.CodeOf(err) {
		case "already_voted":
			return errAlreadyVoted
		case "poll_closed":
			return errPollClosed
		}
		return err
	}
	s.scheduleUpdate(u.Channel.ChatRoomArn, p.ID)
	return nil
}

// pollUpdates throttles the poll:update events of one poll.
type pollUpdates struct {
	last    time.Time   // when the last update was sent
	pending bool        // an update is scheduled
	stop    func() bool // stops the scheduled update
}

// scheduleUpdate makes sure a poll:update goes out no sooner than
// PollUpdateInterval after the previous one and reflects every vote
// recorded before it is sent (it reads the tallies when it runs).
func (s *Service) scheduleUpdate(room, pollID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return
	}
	u := s.updates[pollID]
	if u == nil {
		u = &pollUpdates{}
		s.updates[pollID] = u
	}
	if u.pending {
		return
	}
	u.pending = true
	wait := max(0, u.last.Add(s.opts.PollUpdateInterval).Sub(s.now()))
	u.stop = s.timers.after(wait, func(ctx context.Context) {
		s.mu.Lock()
		u.pending, u.stop, u.last = false, nil, s.now()
		s.mu.Unlock()
		p, err := s.st.GetPoll(ctx, pollID)
		if err != nil {
			s.opts.Logger.WarnContext(ctx, "actions: poll update: reading the poll", "poll_id", pollID, "error", err)
			return
		}
		now := s.now()
		if p.Closed(now) {
			s.mu.Lock()
			delete(s.updates, pollID)
			s.mu.Unlock()
			return // poll:end carries the final tallies
		}
		_ = s.emit(ctx, room, EventPollUpdate, s.view(p, now)) // logged; the next update or poll:end carries it
	})
}

// pollAttributes returns the chat event attributes of a poll event.
func pollAttributes(name string, v *PollView) map[string]string {
	counts, _ := json.Marshal(v.Counts)
	attrs := map[string]string{
		"pollId":     v.ID,
		"counts":     string(counts),
		"totalVotes": strconv.FormatInt(v.Total(), 10),
		"status":     v.Status,
		"endsAt":     v.ClosesAt.UTC().Format(time.RFC3339Nano),
	}
	if name == EventPollEnd {
		if v.Tie {
			attrs["tie"] = "true"
		} else if v.Winner >= 0 {
			attrs["winner"] = strconv.Itoa(v.Winner)
		}
	}
	if name == EventPollStart {
		opts, _ := json.Marshal(v.Options)
		if attributesSize(attrs)+len("question")+len(v.Question)+len("options")+len(opts) <= maxEventAttributes {
			attrs["question"] = v.Question
			attrs["options"] = string(opts)
		}
	}
	return attrs
}

func attributesSize(m map[string]string) int {
	n := 0
	for k, v := range m {
		n += len(k) + len(v)
	}
	return n
}

// emit sends a poll event to the room; failures are logged, the poll
// itself being readable through the API.
func (s *Service) emit(ctx context.Context, room, name string, v *PollView) error {
	_, err := s.opts.Chat.SendEvent(ctx, &ivschat.SendEventInput{RoomIdentifier: aws.String(room),
		EventName: aws.String(name), Attributes: pollAttributes(name, v)})
	if err != nil {
		err = awserr.Map(err)
		s.opts.Logger.WarnContext(ctx, "actions: sending a poll event", "event", name, "poll_id", v.ID, "error", err)
	}
	return err
}
