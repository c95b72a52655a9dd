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
// from the active stage session, the ban from the owner's ban list.
func (s *Service) ChannelPage(ctx context.Context, username, viewerID string) (_ *ChannelPage, err error) {
	defer ugc.Wrap(&err, "channels.ChannelPage")
	if username == "" || len(username) > store.MaxIDLen {
		return nil, ugc.Errorf(ugc.ErrNotFound, "no channel %q", username)
	}
	u, err := s.store.GetUserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	pg := &ChannelPage{User: publicUser(u), AvatarURL: s.AvatarURL(u), BannerURL: s.BannerURL(u)}
	live, err := s.store.GetLive(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(live) > 0 {
		pg.IsLive, pg.LiveKind, pg.LiveSince = true, live[0].Kind, live[0].Since
	}
	if ss, err := s.store.ActiveStageSession(ctx, u.ID); err == nil {
		pg.StageActive = true
		pg.StageArn = ss.StageArn
	} else if !isNotFound(err) {
		return nil, err
	}
	if pg.StageArn == "" {
		pg.StageArn = u.Channel.StageArn
	}
	if pg.FollowerCount, err = s.store.FollowerCount(ctx, u.ID); err != nil {
		return nil, err
	}
	if viewerID != "" && viewerID != u.ID {
		if pg.IsFollowing, err = s.store.IsFollowing(ctx, viewerID, u.ID); err != nil {
			return nil, err
		}
		b, err := s.store.GetBan(ctx, u.ID, viewerID)
		switch {
		case err == nil:
			pg.IsViewerBanned = b.Active(s.now())
		case !isNotFound(err):
			return nil, err
		}
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
