package channels

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// ChannelPage is what a viewer sees of a channel. It is built from store
// reads only.
type ChannelPage struct {
	// User is a public copy of the owner: no email, stream key, stream key
	// ARN or ingest endpoint.
	User                 *ugc.User
	AvatarURL, BannerURL string

	IsLive    bool
	LiveKind  ugc.LiveKind // the live entry with the latest start
	LiveSince time.Time

	PlaybackURL string // "" for a banned viewer

	StageActive bool   // the owner runs a stage session
	StageArn    string // "" for a banned viewer

	FollowerCount  int64
	IsFollowing    bool // the viewer follows the channel
	IsViewerBanned bool // the viewer is banned from the channel now
}

// publicUser returns a copy of u without its private fields.
func publicUser(u *ugc.User) *ugc.User {
	c := *u
	c.Email = ""
	c.Channel.StreamKey = ""
	c.Channel.StreamKeyArn = ""
	c.Channel.IngestEndpoint = ""
	return &c
}

// ChannelPage returns the channel of username as viewerID sees it
// (viewerID "" is an anonymous viewer). An unknown username is ErrNotFound.
// It reads the store only: liveness comes from the live index, the stage
// from the active stage session, the ban from the owner's ban list. With
// Options.PageCacheTTL set, those reads may be up to that old.
func (s *Service) ChannelPage(ctx context.Context, username, viewerID string) (_ *ChannelPage, err error) {
	defer ugc.Wrap(&err, "channels.ChannelPage")
	if username == "" || len(username) > store.MaxIDLen {
		return nil, ugc.Errorf(ugc.ErrNotFound, "no channel %q", username)
	}
	now := s.now()
	key := ugc.NormalizeUsername(username)
	o, ok := s.cache.owner(key, now)
	if !ok {
		if o, err = s.readOwner(ctx, username); err != nil {
			return nil, err
		}
		s.cache.putOwner(key, o, now)
	}
	u := o.user
	pg := &ChannelPage{User: publicUser(u), AvatarURL: s.AvatarURL(u), BannerURL: s.BannerURL(u), FollowerCount: o.followers}
	if len(o.live) > 0 {
		pg.IsLive, pg.LiveKind, pg.LiveSince = true, o.live[0].Kind, o.live[0].Since
	}
	pg.StageArn = u.Channel.StageArn
	if o.stage != nil {
		pg.StageActive = true
		if o.stage.StageArn != "" {
			pg.StageArn = o.stage.StageArn
		}
	}
	if viewerID != "" && viewerID != u.ID {
		vk := viewerKey{u.ID, viewerID}
		v, ok := s.cache.viewer(vk, now)
		if !ok {
			if v, err = s.readViewer(ctx, u.ID, viewerID); err != nil {
				return nil, err
			}
			s.cache.putViewer(vk, v, now)
		}
		pg.IsFollowing = v.following
		pg.IsViewerBanned = v.ban != nil && v.ban.Active(now)
	}
	if pg.IsViewerBanned {
		pg.User.Channel.PlaybackURL = ""
		pg.User.Channel.StageArn = ""
		pg.StageArn = ""
	} else {
		pg.PlaybackURL = u.Channel.PlaybackURL
	}
	return pg, nil
}

// readOwner reads the viewer-independent part of a channel page.
func (s *Service) readOwner(ctx context.Context, username string) (ownerEntry, error) {
	var o ownerEntry
	u, err := s.store.GetUserByUsername(ctx, username)
	if err != nil {
		return o, err
	}
	o.user = u
	if o.live, err = s.store.GetLive(ctx, u.ID); err != nil {
		return o, err
	}
	if ss, err := s.store.ActiveStageSession(ctx, u.ID); err == nil {
		o.stage = ss
	} else if !isNotFound(err) {
		return o, err
	}
	if o.followers, err = s.store.FollowerCount(ctx, u.ID); err != nil {
		return o, err
	}
	return o, nil
}

// readViewer reads whether the viewer follows the channel and the
// viewer's ban from it, if any.
func (s *Service) readViewer(ctx context.Context, ownerID, viewerID string) (viewerEntry, error) {
	var v viewerEntry
	var err error
	if v.following, err = s.store.IsFollowing(ctx, viewerID, ownerID); err != nil {
		return v, err
	}
	b, err := s.store.GetBan(ctx, ownerID, viewerID)
	switch {
	case err == nil:
		v.ban = b
	case !isNotFound(err):
		return v, err
	}
	return v, nil
}
