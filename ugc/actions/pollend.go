package actions

import (
	"context"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/internal/periodic"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// A poll's poll:end announcement is a stored job, so it survives the
// replica that started the poll. StartPoll stores the job (kind
// jobPollEnd, ID the poll's) due at the poll's end: its UpdatedAt is when
// it is due. Whoever finds it due first — the starting Service's timer,
// EndPoll, or any Service's Sweep — claims it with a compare-and-set
// UpdateJob that pushes its due time pollEndLease ahead, sends poll:end,
// and deletes it. A claimant that dies before deleting it leaves a job
// that falls due again when the lease passes, so poll:end is sent at
// least once (twice only when a claimant died between sending and
// deleting).
const (
	jobPollEnd = "poll_end"
	// pollEndLease is how long a claimant has to send poll:end before
	// another may.
	pollEndLease = 30 * time.Second
	// pollEndGiveUp is how long after a poll closed its poll:end is still
	// worth sending; an older job is dropped.
	pollEndGiveUp = 10 * time.Minute

	stepPollEndDue     = "due"
	stepPollEndClaimed = "claimed"
)

// pollEndJob is the poll:end job of a new poll.
func pollEndJob(p *ugc.Poll, room string, now time.Time) *ugc.Job {
	return &ugc.Job{Kind: jobPollEnd, ID: p.ID, Step: stepPollEndDue, Data: map[string]string{"room": room},
		CreatedAt: now, UpdatedAt: p.EndsAt}
}

// announceEnd sends the poll's poll:end if the poll is closed and nobody
// else holds its job, and logs failures; the job stays for a retry when
// sending failed.
func (s *Service) announceEnd(ctx context.Context, pollID string) {
	if _, err := s.claimAndAnnounce(ctx, pollID); err != nil {
		s.opts.Logger.WarnContext(ctx, "actions: poll end", "poll_id", pollID, "error", err)
	}
}

// claimAndAnnounce claims the poll's poll:end job and sends the event.
// sent is false when there was nothing to do: no job (already
// announced), another claimant's lease running, or the poll still open.
func (s *Service) claimAndAnnounce(ctx context.Context, pollID string) (sent bool, err error) {
	now := s.now()
	j, err := s.st.GetJob(ctx, jobPollEnd, pollID)
	if errors.Is(err, ugc.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if j.Step == stepPollEndClaimed && j.UpdatedAt.After(now) {
		return false, nil
	}
	p, err := s.st.GetPoll(ctx, pollID)
	if errors.Is(err, ugc.ErrNotFound) { // deleted with its channel
		return false, s.st.DeleteJob(ctx, jobPollEnd, pollID)
	}
	if err != nil {
		return false, err
	}
	if !p.Closed(now) {
		return false, nil
	}
	v := s.view(p, now)
	if now.Sub(v.ClosesAt) > pollEndGiveUp {
		s.opts.Logger.WarnContext(ctx, "actions: poll:end not sent in time; dropped", "poll_id", pollID, "closed_at", v.ClosesAt)
		return false, s.st.DeleteJob(ctx, jobPollEnd, pollID)
	}
	prev := j.UpdatedAt
	j.Step, j.UpdatedAt = stepPollEndClaimed, now.Add(pollEndLease)
	if err := s.st.UpdateJob(ctx, j, prev); err != nil {
		if ugc.CodeOf(err) == "job_changed" || errors.Is(err, ugc.ErrNotFound) {
			return false, nil // another Service claimed it first
		}
		return false, err
	}
	err = s.emit(ctx, j.Data["room"], EventPollEnd, v)
	if err != nil && !errors.Is(err, ugc.ErrNotFound) {
		return false, err // the job falls due again when the lease passes
	}
	// A room that no longer exists has nobody to tell.
	return err == nil, s.st.DeleteJob(ctx, jobPollEnd, pollID)
}

// Sweep sends the poll:end events that are due and that no running
// Service sent: those of polls started by a Service that closed or died
// before they ended, and retries of failed sends. It returns how many it
// sent. Services on one store may sweep concurrently: each event is
// claimed by one of them.
func (s *Service) Sweep(ctx context.Context) (sent int, err error) {
	defer ugc.Wrap(&err, "actions.Sweep")
	now := s.now()
	var errs []error
	p := store.Page{Limit: store.MaxPageLimit}
	for {
		jobs, next, err := s.st.ListJobs(ctx, jobPollEnd, now, p)
		if err != nil {
			return sent, err
		}
		for _, j := range jobs {
			ok, err := s.claimAndAnnounce(ctx, j.ID)
			if ok {
				sent++
			}
			errs = append(errs, err)
		}
		if next == "" || ctx.Err() != nil {
			break
		}
		p.Cursor = next
	}
	return sent, errors.Join(errs...)
}

// Run calls Sweep at once and then every interval until ctx is done,
// logging failures, in the caller's goroutine. It returns ctx's error.
// Every replica of an app runs it; a few seconds is a good interval.
func (s *Service) Run(ctx context.Context, interval time.Duration) error {
	return periodic.Run(ctx, interval, func(ctx context.Context) error {
		_, err := s.Sweep(ctx)
		return err
	}, func(err error) {
		s.opts.Logger.WarnContext(ctx, "actions: sweep failed; the next one retries", "error", err)
	})
}
