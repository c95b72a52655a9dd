package realtime

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/internal/periodic"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// JanitorReport counts what one janitor pass did.
type JanitorReport struct {
	Ended        int // sessions ended (host gone past the grace period, or owner gone)
	Disconnected int // stages whose leftover participants were disconnected
	Deleted      int // ownerless stages deleted
}

// RunJanitor makes one pass:
//
//   - it ends each active session whose host left (or never joined) more
//     than Options.HostGrace ago and is not connected now (checked with
//     IVS), or whose owner or stage is gone; for a session older than
//     the grace period whose host is present by the events, it checks
//     with IVS and starts the countdown if the host is in fact gone (an
//     event lost or delivered out of order);
//   - on each of the project's stages that has an IVS session but no
//     active session of ours (an end whose disconnects failed), it
//     disconnects the participants;
//   - it deletes the project's stages (tag "project" = Options.ProjectTag)
//     whose owner does not exist or uses another stage, once older than
//     Options.OrphanGrace;
//   - it deletes notifications older than Options.NotificationRetention.
//
// Failures do not stop the pass; they are returned joined, and the next
// pass retries them. Every step is idempotent, so every replica may run
// the janitor.
func (s *Service) RunJanitor(ctx context.Context) (rep JanitorReport, err error) {
	defer ugc.Wrap(&err, "realtime.RunJanitor")
	start := s.now()
	var errs []error
	ended, err := s.endAbandoned(ctx, start)
	rep.Ended = ended
	errs = append(errs, err)
	disc, del, err := s.sweepStages(ctx, start)
	rep.Disconnected, rep.Deleted = disc, del
	errs = append(errs, err)
	errs = append(errs, s.store.DeleteNotificationsBefore(ctx, start.Add(-s.opts.NotificationRetention)))
	return rep, errors.Join(errs...)
}

// Run runs RunJanitor at once and then every interval until ctx is done,
// logging failures, in the caller's goroutine. It returns ctx's error.
func (s *Service) Run(ctx context.Context, interval time.Duration) error {
	return periodic.Run(ctx, interval, func(ctx context.Context) error {
		_, err := s.RunJanitor(ctx)
		return err
	}, func(err error) {
		s.log.WarnContext(ctx, "realtime: janitor pass failed; the next pass retries", "err", err)
	})
}

func (s *Service) endAbandoned(ctx context.Context, now time.Time) (int, error) {
	var errs []error
	ended := 0
	p := store.Page{Limit: store.MaxPageLimit}
	for range maxListPages {
		list, next, err := s.store.ListActiveStageSessions(ctx, p)
		if err != nil {
			return ended, err
		}
		for _, ss := range list {
			done, err := s.checkSession(ctx, ss, now)
			if done {
				ended++
			}
			errs = append(errs, err)
		}
		if next == "" {
			break
		}
		p.Cursor = next
	}
	return ended, errors.Join(errs...)
}

// checkSession ends ss if its host is gone past the grace period or its
// owner or stage no longer exists.
func (s *Service) checkSession(ctx context.Context, ss *ugc.StageSession, now time.Time) (ended bool, _ error) {
	u, err := s.store.GetUser(ctx, ss.ChannelUserID)
	switch {
	case errors.Is(err, ugc.ErrNotFound):
		return true, s.endSession(ctx, ss)
	case err != nil:
		return false, err
	case u.Channel.StageArn != ss.StageArn:
		return true, s.endSession(ctx, ss)
	}
	if ss.HostLeftAt.IsZero() {
		// Events are best-effort and may arrive out of order or not at
		// all: once the session is older than the grace period, check
		// that the host really is there, and start the countdown if not.
		if now.Before(ss.StartedAt.Add(s.opts.HostGrace)) {
			return false, nil
		}
		present, err := s.hostConnected(ctx, ss)
		if err != nil || present {
			return false, err
		}
		return false, s.hostPresence(ctx, ss, false, now)
	}
	if now.Before(ss.HostLeftAt.Add(s.opts.HostGrace)) {
		return false, nil
	}
	present, err := s.hostConnected(ctx, ss)
	if err != nil {
		return false, err
	}
	if present { // a missed join event: record it
		return false, s.hostPresence(ctx, ss, true, now)
	}
	if err := s.endSession(ctx, ss); err != nil {
		return false, err
	}
	return true, s.disconnectAll(ctx, ss.StageArn, "The host left.")
}

// hostConnected asks IVS whether the host of ss is connected to its stage.
func (s *Service) hostConnected(ctx context.Context, ss *ugc.StageSession) (bool, error) {
	sid, err := s.stageSessionID(ctx, ss.StageArn)
	if awserr.IsNotFound(err) || (err == nil && sid == "") {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	hostID, err := ivsUserID(RoleHost, ss.ChannelUserID)
	if err != nil {
		return false, err
	}
	in := &ivsrealtime.ListParticipantsInput{StageArn: aws.String(ss.StageArn), SessionId: aws.String(sid),
		FilterByUserId: aws.String(hostID), MaxResults: aws.Int32(100)}
	for range maxListPages {
		out, err := s.opts.Stages.ListParticipants(ctx, in)
		if awserr.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, awserr.Map(err)
		}
		for _, p := range out.Participants {
			if p.State == types.ParticipantStateConnected {
				return true, nil
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	return false, nil
}

// sweepStages disconnects leftovers of ended sessions and deletes
// ownerless stages of the project.
func (s *Service) sweepStages(ctx context.Context, start time.Time) (disconnected, deleted int, _ error) {
	var errs []error
	owners := map[string]*ugc.User{} // nil: no such user
	in := &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(100)}
	for range maxListPages {
		out, err := s.opts.Stages.ListStages(ctx, in)
		if err != nil {
			return disconnected, deleted, errors.Join(append(errs, awserr.Map(err))...)
		}
		for _, st := range out.Stages {
			arn := aws.ToString(st.Arn)
			if st.Tags[TagProject] != s.opts.ProjectTag {
				continue
			}
			owner := st.Tags[TagOwner]
			u, seen := owners[owner]
			if !seen && owner != "" {
				got, err := s.store.GetUser(ctx, owner)
				switch {
				case err == nil:
					u = got
				case !errors.Is(err, ugc.ErrNotFound):
					errs = append(errs, err)
					continue
				}
				owners[owner] = u
			}
			if u != nil && u.Channel.StageArn == arn {
				if aws.ToString(st.ActiveSessionId) == "" {
					continue
				}
				if _, err := s.store.ActiveStageSession(ctx, u.ID); !errors.Is(err, ugc.ErrNotFound) {
					errs = append(errs, err) // nil when a session is active
					continue
				}
				// IVS clocks and ours differ, so leftovers are told from a
				// new session's participants by the store alone; the window
				// in which a session starting now loses its first joiner is
				// the length of this listing.
				if err := s.disconnectAll(ctx, arn, "The session has ended."); err != nil {
					errs = append(errs, err)
					continue
				}
				disconnected++
				continue
			}
			created, _ := time.Parse(time.RFC3339, st.Tags[TagCreatedAt]) // zero (old) when missing
			if created.After(start.Add(-s.opts.OrphanGrace)) {
				continue
			}
			_, err := s.opts.Stages.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: aws.String(arn)})
			switch {
			case err == nil:
				deleted++
			case !awserr.IsNotFound(err):
				errs = append(errs, awserr.Map(err))
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	return disconnected, deleted, errors.Join(errs...)
}
