package channels

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// MaxPageLimit is the largest page Following and Directory return; larger
// limits are lowered to it.
const MaxPageLimit = 50

// ChannelSummary is one channel of a list: its owner (a public copy), the
// owner's avatar URL, its live entry (nil when offline) and, in a
// following list, when it was followed.
type ChannelSummary struct {
	User       *ugc.User
	AvatarURL  string
	Live       *ugc.LiveEntry
	FollowedAt time.Time
}

// target returns the user of username, or ErrNotFound naming "username".
func (s *Service) target(ctx context.Context, username string) (*ugc.User, error) {
	if username == "" || len(username) > store.MaxIDLen {
		return nil, &ugc.Error{Kind: ugc.ErrNotFound, Field: "username", Code: "user_not_found", Message: "no such user"}
	}
	u, err := s.store.GetUserByUsername(ctx, username)
	if isNotFound(err) {
		return nil, &ugc.Error{Kind: ugc.ErrNotFound, Field: "username", Code: "user_not_found", Message: "no such user", Err: err}
	}
	return u, err
}

// Follow makes userID follow the channel of username. Following again
// changes nothing. Following yourself is ErrInvalidArgument; an unknown
// username ErrNotFound.
func (s *Service) Follow(ctx context.Context, userID, username string) (err error) {
	defer ugc.Wrap(&err, "channels.Follow")
	t, err := s.target(ctx, username)
	if err != nil {
		return err
	}
	if t.ID == userID {
		return &ugc.Error{Kind: ugc.ErrInvalidArgument, Field: "username", Code: "self_follow", Message: "you cannot follow yourself"}
	}
	if _, err := s.store.GetUser(ctx, userID); err != nil {
		return err
	}
	_, err = s.store.Follow(ctx, ugc.Follow{FollowerID: userID, ChannelUserID: t.ID, FollowedAt: s.now()})
	s.cache.forget(t.Username, t.ID, userID)
	return err
}

// Unfollow stops userID following the channel of username; not following
// it is not an error. An unknown username is ErrNotFound.
func (s *Service) Unfollow(ctx context.Context, userID, username string) (err error) {
	defer ugc.Wrap(&err, "channels.Unfollow")
	t, err := s.target(ctx, username)
	if err != nil {
		return err
	}
	_, err = s.store.Unfollow(ctx, userID, t.ID)
	s.cache.forget(t.Username, t.ID, userID)
	return err
}

// pageLimit checks p and caps it at MaxPageLimit.
func pageLimit(p store.Page) (store.Page, error) {
	n, err := store.Limit(p)
	if err != nil {
		return p, err
	}
	p.Limit = min(n, MaxPageLimit)
	return p, nil
}

// Following returns a page of the channels userID follows: live ones
// first, most recent start first, then offline ones, most recently
// followed first; at most 50 a page. The cursor is "" on the last page.
func (s *Service) Following(ctx context.Context, userID string, p store.Page) (_ []ChannelSummary, next string, err error) {
	defer ugc.Wrap(&err, "channels.Following")
	if p, err = pageLimit(p); err != nil {
		return nil, "", err
	}
	fcs, next, err := s.store.ListFollowing(ctx, userID, p)
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, len(fcs))
	for i, fc := range fcs {
		ids[i] = fc.ChannelUserID
	}
	users, err := s.usersByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]ChannelSummary, 0, len(fcs))
	for _, fc := range fcs {
		u, ok := users[fc.ChannelUserID]
		if !ok {
			continue // deleted meanwhile
		}
		out = append(out, ChannelSummary{User: publicUser(u), AvatarURL: s.AvatarURL(u), Live: fc.Live, FollowedAt: fc.FollowedAt})
	}
	return out, next, nil
}

// Directory returns a page of the live channels, low-latency and
// real-time, each once, most recent start first; at most 50 a page. Each
// summary's Live says how the channel is live.
func (s *Service) Directory(ctx context.Context, p store.Page) (_ []ChannelSummary, next string, err error) {
	defer ugc.Wrap(&err, "channels.Directory")
	if p, err = pageLimit(p); err != nil {
		return nil, "", err
	}
	entries, next, err := s.store.ListLive(ctx, p)
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.UserID
	}
	users, err := s.usersByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]ChannelSummary, 0, len(entries))
	for _, e := range entries {
		u, ok := users[e.UserID]
		if !ok {
			continue
		}
		out = append(out, ChannelSummary{User: publicUser(u), AvatarURL: s.AvatarURL(u), Live: &e})
	}
	return out, next, nil
}

// usersByID reads users in batches of store.MaxBatch.
func (s *Service) usersByID(ctx context.Context, ids []string) (map[string]*ugc.User, error) {
	if len(ids) <= store.MaxBatch {
		return s.store.GetUsers(ctx, ids)
	}
	all := make(map[string]*ugc.User, len(ids))
	for i := 0; i < len(ids); i += store.MaxBatch {
		m, err := s.store.GetUsers(ctx, ids[i:min(i+store.MaxBatch, len(ids))])
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			all[k] = v
		}
	}
	return all, nil
}
