package channels

import (
	"context"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Keys of a deletion job's Data.
const (
	dataAvatarVersion = "avatarVersion"
	dataBannerVersion = "bannerVersion"
)

// deleteStep is one idempotent step of the account-deletion cascade.
type deleteStep struct {
	name string
	run  func(ctx context.Context, s *Service, id string, data map[string]string) error
}

// deleteSteps is the cascade, in order. Every step treats "not found" as
// done, so a step can run again after a crash.
var deleteSteps = []deleteStep{
	{"stream", func(ctx context.Context, s *Service, _ string, d map[string]string) error {
		return s.stopStream(ctx, d[dataChannelArn])
	}},
	{"channel", func(ctx context.Context, s *Service, _ string, d map[string]string) error {
		return s.deleteChannel(ctx, d[dataChannelArn])
	}},
	{"room", func(ctx context.Context, s *Service, _ string, d map[string]string) error {
		return s.deleteRoom(ctx, d[dataRoomArn])
	}},
	{"stage", func(ctx context.Context, s *Service, _ string, d map[string]string) error {
		return s.deleteStage(ctx, d[dataStageArn])
	}},
	{"assets", func(ctx context.Context, s *Service, id string, d map[string]string) error {
		if v := d[dataAvatarVersion]; v != "" {
			if err := s.opts.Assets.Delete(ctx, assetKey(id, ImageAvatar, v)); err != nil {
				return err
			}
		}
		if v := d[dataBannerVersion]; v != "" {
			return s.opts.Assets.Delete(ctx, assetKey(id, ImageBanner, v))
		}
		return nil
	}},
	{"live", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		if err := s.store.ClearLive(ctx, id, ugc.LiveLowLatency, ""); err != nil {
			return err
		}
		return s.store.ClearLive(ctx, id, ugc.LiveRealTime, "")
	}},
	{"sessions", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		return s.store.DeleteUserStreamSessions(ctx, id)
	}},
	{"follows", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		return s.store.DeleteFollowsOf(ctx, id)
	}},
	{"moderation", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		return s.store.DeleteModerationOf(ctx, id)
	}},
	{"actions", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		return s.store.DeleteActionsOf(ctx, id)
	}},
	{"polls", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		return s.store.DeletePollsOf(ctx, id)
	}},
	{"stages", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		return s.store.DeleteStagesOf(ctx, id)
	}},
	{"credentials", func(ctx context.Context, s *Service, id string, _ map[string]string) error {
		if err := s.store.DeleteCredentials(ctx, id); err != nil {
			return err
		}
		return s.store.DeleteUserAuthSessions(ctx, id, "")
	}},
	{"user", func(ctx context.Context, s *Service, id string, d map[string]string) error {
		// A provisioning job left by a crash after the user was stored
		// must not hand this user ID to the next owner of the username.
		if name := d[dataUsername]; name != "" {
			key := ugc.NormalizeUsername(name)
			j, err := s.store.GetJob(ctx, JobProvision, key)
			switch {
			case err == nil && j.Data[dataUserID] == id:
				if err := s.store.DeleteJob(ctx, JobProvision, key); err != nil {
					return err
				}
			case err != nil && !isNotFound(err):
				return err
			}
		}
		if err := s.store.DeleteUser(ctx, id); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	}},
}

// DeleteAccount deletes the user and everything of theirs: it stops the
// stream and deletes the channel, chat room and stage (disconnecting its
// participants), the uploaded images, the live entries, stream sessions,
// follows both ways, bans and moderator entries naming the user, overlay
// actions and presets, polls, stage records, credentials and sign-in
// sessions, then the user, so the username and email are free again.
//
// Progress is stored (a Job of kind "delete" keyed by the user ID) and
// every step is idempotent: after a failure or a crash, calling
// DeleteAccount again completes it. One call at a time runs a deletion: it
// owns the job under a lease (Options.JobLease) renewed at every step; a
// call while another holds a live lease is ErrFailedPrecondition with code
// "deletion_in_progress", and a call after the lease expired (a crash)
// takes the job over. An unknown user with no deletion in progress is
// ErrNotFound.
func (s *Service) DeleteAccount(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "channels.DeleteAccount")
	if err := store.CheckID("userID", userID); err != nil {
		return err
	}
	fresh := func() (*ugc.Job, error) {
		u, err := s.store.GetUser(ctx, userID)
		if err != nil {
			return nil, err
		}
		return &ugc.Job{Kind: JobDelete, ID: userID, Data: map[string]string{
			dataUsername:      u.Username,
			dataChannelArn:    u.Channel.Arn,
			dataRoomArn:       u.Channel.ChatRoomArn,
			dataStageArn:      u.Channel.StageArn,
			dataAvatarVersion: u.Assets.AvatarVersion,
			dataBannerVersion: u.Assets.BannerVersion,
		}, CreatedAt: s.now()}, nil
	}
	job, _, err := s.claim(ctx, JobDelete, userID, fresh, nil)
	if err != nil {
		if errors.Is(err, errJobBusy) {
			return deletionInProgress(err)
		}
		return err
	}
	start := 0
	for i, st := range deleteSteps {
		if st.name == job.Step {
			start = i + 1
		}
	}
	for _, st := range deleteSteps[start:] {
		if err := st.run(ctx, s, userID, job.Data); err != nil {
			// Release the job, so that a retry resumes it at once.
			if rerr := s.writeJob(context.WithoutCancel(ctx), job, true); rerr != nil && !errors.Is(rerr, errLeaseLost) {
				s.log.WarnContext(ctx, "channels: cannot release deletion job", "userId", userID, "err", rerr)
			}
			return &ugc.Error{Kind: ugc.KindOf(err), Message: "deleting " + st.name, Err: err}
		}
		job.Step = st.name
		if err := s.writeJob(ctx, job, false); err != nil {
			if errors.Is(err, errLeaseLost) {
				// Another call took the deletion over (this one was
				// presumed dead) and carries it on.
				return deletionInProgress(err)
			}
			return err
		}
	}
	return s.store.DeleteJob(ctx, JobDelete, userID)
}

// deletionInProgress is the error of a DeleteAccount while another call
// runs the same deletion.
func deletionInProgress(cause error) error {
	return &ugc.Error{Kind: ugc.ErrFailedPrecondition, Code: "deletion_in_progress",
		Message: "the account is being deleted; try again shortly", Err: cause}
}

// ResumeDeletions completes the account deletions whose jobs were last
// updated before olderThan ago (crashed or abandoned ones), and reports how
// many it completed. Jobs whose lease is live (their call is still running)
// are left to it.
func (s *Service) ResumeDeletions(ctx context.Context, olderThan time.Duration) (done int, err error) {
	defer ugc.Wrap(&err, "channels.ResumeDeletions")
	var errs []error
	cursor := ""
	for {
		jobs, next, err := s.store.ListJobs(ctx, JobDelete, s.now().Add(-olderThan), store.Page{Limit: store.MaxPageLimit, Cursor: cursor})
		if err != nil {
			return done, err
		}
		for _, j := range jobs {
			if s.leased(j) {
				continue // its run is alive: not abandoned
			}
			if err := s.DeleteAccount(ctx, j.ID); err != nil {
				if ugc.CodeOf(err) != "deletion_in_progress" {
					errs = append(errs, err)
				}
				continue
			}
			done++
		}
		if next == "" {
			return done, errors.Join(errs...)
		}
		cursor = next
	}
}
