package memstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// chanState is what follow records need to know of a channel: its
// followers and its live entries. Follow records point at it, so the
// following list tells live channels from offline ones without a lookup.
type chanState struct {
	id        string
	followers map[string]struct{}
	live      []ugc.LiveEntry // latest start first; empty when offline
}

// chanOf returns the state of the channel, making it when needed, with the
// lock held.
func (s *Store) chanOf(id string) *chanState {
	c := s.chans[id]
	if c == nil {
		c = &chanState{id: id, followers: map[string]struct{}{}}
		s.chans[id] = c
	}
	return c
}

// dropChan forgets the channel's state once it has no followers and is
// offline, with the lock held.
func (s *Store) dropChan(c *chanState) {
	if len(c.followers) == 0 && len(c.live) == 0 {
		delete(s.chans, c.id)
	}
}

// followRef orders a follower's channels by (FollowedAt desc, channel ID).
type followRef struct {
	at int64
	ch *chanState
}

func cmpFollowRef(a, b followRef) int {
	if c := cmpTimeDesc(a.at, b.at); c != 0 {
		return c
	}
	return strings.Compare(a.ch.id, b.ch.id)
}

// followList is the channels one user follows: a map for lookups and an
// ordered index for the following list.
type followList struct {
	at  map[string]time.Time // channel → FollowedAt
	idx *ordered[followRef]
}

// cmpLive orders live entries by (Since desc, UserID, Kind).
func cmpLive(a, b ugc.LiveEntry) int {
	if c := b.Since.Compare(a.Since); c != 0 {
		return c
	}
	if c := strings.Compare(a.UserID, b.UserID); c != 0 {
		return c
	}
	return strings.Compare(string(a.Kind), string(b.Kind))
}

// Follow records a follow; following again changes nothing.
func (s *Store) Follow(ctx context.Context, f ugc.Follow) (created bool, err error) {
	defer ugc.Wrap(&err, "memstore.Follow")
	if err := store.CheckFollow(f); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	fl := s.following[f.FollowerID]
	if fl == nil {
		fl = &followList{at: map[string]time.Time{}, idx: newOrdered(cmpFollowRef)}
		s.following[f.FollowerID] = fl
	}
	if _, ok := fl.at[f.ChannelUserID]; ok {
		return false, nil
	}
	at := tm(f.FollowedAt)
	c := s.chanOf(f.ChannelUserID)
	fl.at[f.ChannelUserID] = at
	fl.idx.Insert(followRef{ms(at), c})
	c.followers[f.FollowerID] = struct{}{}
	return true, nil
}

// unfollow removes one follow with the lock held.
func (s *Store) unfollow(followerID, channelUserID string) bool {
	fl := s.following[followerID]
	if fl == nil {
		return false
	}
	at, ok := fl.at[channelUserID]
	if !ok {
		return false
	}
	c := s.chans[channelUserID]
	delete(fl.at, channelUserID)
	fl.idx.Delete(followRef{ms(at), c})
	if len(fl.at) == 0 {
		delete(s.following, followerID)
	}
	delete(c.followers, followerID)
	s.dropChan(c)
	return true
}

// Unfollow removes the follow; removed is false when there was none.
func (s *Store) Unfollow(ctx context.Context, followerID, channelUserID string) (removed bool, err error) {
	defer ugc.Wrap(&err, "memstore.Unfollow")
	if err := store.CheckIDs("follower_id", followerID, "channel_user_id", channelUserID); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	return s.unfollow(followerID, channelUserID), nil
}

// IsFollowing reports whether the follow exists.
func (s *Store) IsFollowing(ctx context.Context, followerID, channelUserID string) (_ bool, err error) {
	defer ugc.Wrap(&err, "memstore.IsFollowing")
	if err := store.CheckIDs("follower_id", followerID, "channel_user_id", channelUserID); err != nil {
		return false, err
	}
	if err := s.rlock(); err != nil {
		return false, err
	}
	defer s.mu.RUnlock()
	fl := s.following[followerID]
	if fl == nil {
		return false, nil
	}
	_, ok := fl.at[channelUserID]
	return ok, nil
}

// FollowerCount returns the exact number of followers of the channel.
func (s *Store) FollowerCount(ctx context.Context, channelUserID string) (_ int64, err error) {
	defer ugc.Wrap(&err, "memstore.FollowerCount")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return 0, err
	}
	if err := s.rlock(); err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	if c := s.chans[channelUserID]; c != nil {
		return int64(len(c.followers)), nil
	}
	return 0, nil
}

// ListFollowing returns the channels followerID follows: live ones first,
// most recent start first, then offline ones, most recently followed first;
// ties by channel user ID.
func (s *Store) ListFollowing(ctx context.Context, followerID string, p store.Page) (_ []ugc.FollowedChannel, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListFollowing")
	if err := store.CheckID("follower_id", followerID); err != nil {
		return nil, "", err
	}
	q := query("ListFollowing", followerID)
	limit, c, has, err := s.pageArgs(q, p)
	if err != nil {
		return nil, "", err
	}
	if err := s.rlock(); err != nil {
		return nil, "", err
	}
	defer s.mu.RUnlock()
	fl := s.following[followerID]
	if fl == nil {
		return nil, "", nil
	}
	out := make([]ugc.FollowedChannel, 0, min(limit, len(fl.at)))
	more := false
	if !has || c.L {
		// The live part: the followed channels that are live, ordered like
		// the live index.
		var live []*chanState
		fl.idx.Ascend(followRef{}, false, func(r followRef) bool {
			if len(r.ch.live) > 0 {
				live = append(live, r.ch)
			}
			return true
		})
		slices.SortFunc(live, func(a, b *chanState) int { return cmpLive(a.live[0], b.live[0]) })
		start := 0
		if has {
			since, id := time.UnixMilli(c.T), c.S
			start, _ = slices.BinarySearchFunc(live, since, func(e *chanState, since time.Time) int {
				if r := since.Compare(e.live[0].Since); r != 0 {
					return r
				}
				if r := strings.Compare(e.id, id); r != 0 {
					return r
				}
				return -1 // the cursor's channel itself precedes the position
			})
		}
		for _, ch := range live[start:] {
			if len(out) == limit {
				more = true
				break
			}
			e := ch.live[0]
			out = append(out, ugc.FollowedChannel{ChannelUserID: ch.id, FollowedAt: fl.at[ch.id], Live: &e})
		}
		has = false // the offline part starts at its beginning
	}
	if !more {
		after := followRef{at: c.T, ch: &chanState{id: c.S}}
		fl.idx.Ascend(after, has, func(r followRef) bool {
			if len(r.ch.live) > 0 {
				return true
			}
			if len(out) == limit {
				more = true
				return false
			}
			out = append(out, ugc.FollowedChannel{ChannelUserID: r.ch.id, FollowedAt: time.UnixMilli(r.at).UTC()})
			return true
		})
	}
	if more {
		last := out[len(out)-1]
		if last.Live != nil {
			next = s.encode(q, cursor{T: ms(last.Live.Since), S: last.ChannelUserID, L: true})
		} else {
			next = s.encode(q, cursor{T: ms(last.FollowedAt), S: last.ChannelUserID})
		}
	}
	return out, next, nil
}

// DeleteFollowsOf removes every follow by or of the user.
func (s *Store) DeleteFollowsOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteFollowsOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if fl := s.following[userID]; fl != nil {
		for ch := range fl.at {
			s.unfollow(userID, ch)
		}
	}
	if c := s.chans[userID]; c != nil {
		for f := range c.followers {
			s.unfollow(f, userID)
		}
	}
	return nil
}

// SetLive creates or replaces the entry for (e.UserID, e.Kind) unless the
// stored entry started later.
func (s *Store) SetLive(ctx context.Context, e ugc.LiveEntry) (err error) {
	defer ugc.Wrap(&err, "memstore.SetLive")
	if err := store.CheckLiveEntry(e); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	e.Since = tm(e.Since)
	c := s.chanOf(e.UserID)
	i := slices.IndexFunc(c.live, func(o ugc.LiveEntry) bool { return o.Kind == e.Kind })
	if i >= 0 && c.live[i].Since.After(e.Since) {
		return nil
	}
	var n []ugc.LiveEntry
	for _, o := range c.live {
		if o.Kind != e.Kind {
			n = append(n, o)
		}
	}
	n = append(n, e)
	s.setLiveEntries(c, n)
	return nil
}

// setLiveEntries replaces the channel's entries and re-indexes its latest
// one, with the lock held.
func (s *Store) setLiveEntries(c *chanState, es []ugc.LiveEntry) {
	if len(c.live) > 0 {
		s.liveIdx.Delete(c.live[0])
	}
	slices.SortFunc(es, func(a, b ugc.LiveEntry) int {
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
	c.live = es
	if len(es) > 0 {
		s.liveIdx.Insert(es[0])
	}
	s.dropChan(c)
}

// ClearLive removes the entry for (userID, kind) if ref is "" or equals the
// stored Ref; idempotent.
func (s *Store) ClearLive(ctx context.Context, userID string, kind ugc.LiveKind, ref string) (err error) {
	defer ugc.Wrap(&err, "memstore.ClearLive")
	if err := store.CheckLiveEntry(ugc.LiveEntry{UserID: userID, Kind: kind, Ref: ref}); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	c := s.chans[userID]
	if c == nil {
		return nil
	}
	i := slices.IndexFunc(c.live, func(o ugc.LiveEntry) bool { return o.Kind == kind })
	if i < 0 || ref != "" && c.live[i].Ref != ref {
		return nil
	}
	s.setLiveEntries(c, slices.Delete(slices.Clone(c.live), i, i+1))
	return nil
}

// GetLive returns the user's entries, latest start first (ties by kind).
func (s *Store) GetLive(ctx context.Context, userID string) (_ []ugc.LiveEntry, err error) {
	defer ugc.Wrap(&err, "memstore.GetLive")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	if c := s.chans[userID]; c != nil {
		return slices.Clone(c.live), nil
	}
	return nil, nil
}

// ListLive returns the live channels, each user once, most recent start
// first, ties by user ID.
func (s *Store) ListLive(ctx context.Context, p store.Page) (_ []ugc.LiveEntry, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListLive")
	const q = "ListLive"
	limit, c, has, err := s.pageArgs(q, p)
	if err != nil {
		return nil, "", err
	}
	if err := s.rlock(); err != nil {
		return nil, "", err
	}
	defer s.mu.RUnlock()
	out := make([]ugc.LiveEntry, 0, min(limit, s.liveIdx.Len()))
	more := false
	// The kind "~" sorts after both kinds, so the walk starts after every
	// entry of the cursor's user.
	after := ugc.LiveEntry{UserID: c.S, Since: time.UnixMilli(c.T).UTC(), Kind: "~"}
	s.liveIdx.Ascend(after, has, func(e ugc.LiveEntry) bool {
		if len(out) == limit {
			more = true
			return false
		}
		out = append(out, e)
		return true
	})
	if more {
		last := out[len(out)-1]
		next = s.encode(q, cursor{T: ms(last.Since), S: last.UserID})
	}
	return out, next, nil
}
