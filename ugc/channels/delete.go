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
// DeleteAccount again completes it. An unknown user with no deletion in
// progress is ErrNotFound.
func (s *Service) DeleteAccount(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "channels.DeleteAccount")
	if err := store.CheckID("userID", userID); err != nil {
		return err
	}
	job, err := s.store.GetJob(ctx, JobDelete, userID)
	if isNotFound(err) {
		u, err := s.store.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		now := s.now()
		job = &ugc.Job{Kind: JobDelete, ID: userID, Data: map[string]string{
			dataUsername:      u.Username,
			dataChannelArn:    u.Channel.Arn,
			dataRoomArn:       u.Channel.ChatRoomArn,
			dataStageArn:      u.Channel.StageArn,
			dataAvatarVersion: u.Assets.AvatarVersion,
			dataBannerVersion: u.Assets.BannerVersion,
		}, CreatedAt: now, UpdatedAt: now}
		if err := s.store.PutJob(ctx, job); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if job.Data == nil {
		job.Data = map[string]string{}
	}
	start := 0
	for i, st := range deleteSteps {
		if st.name == job.Step {
			start = i + 1
		}
	}
	for _, st := range deleteSteps[start:] {
		if err := st.run(ctx, s, userID, job.Data); err != nil {
			return &ugc.Error{Kind: ugc.KindOf(err), Message: "deleting " + st.name, Err: err}
		}
		job.Step = st.name
		job.UpdatedAt = s.now()
		if err := s.store.PutJob(ctx, job); err != nil {
			return err
		}
	}
	return s.store.DeleteJob(ctx, JobDelete, userID)
}

// ResumeDeletions completes the account deletions whose jobs were last
// updated before olderThan ago (crashed or abandoned ones), and reports how
// many it completed.
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
			if err := s.DeleteAccount(ctx, j.ID); err != nil {
				errs = append(errs, err)
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
