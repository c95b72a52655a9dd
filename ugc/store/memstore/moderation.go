package memstore

import (
	"context"
	"slices"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// PutBan creates or replaces the ban of b.UserID on b.ChannelUserID.
func (s *Store) PutBan(ctx context.Context, b ugc.Ban) (err error) {
	defer ugc.Wrap(&err, "memstore.PutBan")
	if err := store.CheckBan(b); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.deleteBan(b.ChannelUserID, b.UserID)
	b.CreatedAt, b.ExpiresAt = tm(b.CreatedAt), tm(b.ExpiresAt)
	s.bans[pairKey{b.ChannelUserID, b.UserID}] = b
	idx := s.bansByChan[b.ChannelUserID]
	if idx == nil {
		idx = newOrdered(newestFirst)
		s.bansByChan[b.ChannelUserID] = idx
	}
	idx.Insert(timeRef{ms(b.CreatedAt), b.UserID})
	addTo(s.bansByUser, b.UserID, b.ChannelUserID)
	return nil
}

// deleteBan removes a ban with the lock held.
func (s *Store) deleteBan(channelUserID, userID string) bool {
	k := pairKey{channelUserID, userID}
	b, ok := s.bans[k]
	if !ok {
		return false
	}
	delete(s.bans, k)
	idx := s.bansByChan[channelUserID]
	idx.Delete(timeRef{ms(b.CreatedAt), userID})
	if idx.Len() == 0 {
		delete(s.bansByChan, channelUserID)
	}
	removeFrom(s.bansByUser, userID, channelUserID)
	return true
}

// GetBan returns the ban whether or not it has expired, or ErrNotFound.
func (s *Store) GetBan(ctx context.Context, channelUserID, userID string) (_ *ugc.Ban, err error) {
	defer ugc.Wrap(&err, "memstore.GetBan")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	b, ok := s.bans[pairKey{channelUserID, userID}]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return &b, nil
}

// DeleteBan removes the ban; removed is false when there was none.
func (s *Store) DeleteBan(ctx context.Context, channelUserID, userID string) (removed bool, err error) {
	defer ugc.Wrap(&err, "memstore.DeleteBan")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	return s.deleteBan(channelUserID, userID), nil
}

// ListBans returns the channel's bans active at now, newest first, ties by
// user ID.
func (s *Store) ListBans(ctx context.Context, channelUserID string, now time.Time, p store.Page) (_ []ugc.Ban, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListBans")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	return listPage(s, query("ListBans", channelUserID), p,
		func() *ordered[timeRef] { return s.bansByChan[channelUserID] },
		func(r timeRef) (ugc.Ban, pick) {
			b := s.bans[pairKey{channelUserID, r.id}]
			if !b.Active(now) {
				return b, skip
			}
			return b, take
		})
}

// PutModerator makes m.UserID a moderator of m.ChannelUserID; idempotent:
// an existing moderator keeps its CreatedAt.
func (s *Store) PutModerator(ctx context.Context, m ugc.Moderator) (err error) {
	defer ugc.Wrap(&err, "memstore.PutModerator")
	if err := store.CheckModerator(m); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k := pairKey{m.ChannelUserID, m.UserID}
	if _, ok := s.mods[k]; ok {
		return nil
	}
	m.CreatedAt = tm(m.CreatedAt)
	s.mods[k] = m
	idx := s.modsByChan[m.ChannelUserID]
	if idx == nil {
		idx = newOrdered(oldestFirst)
		s.modsByChan[m.ChannelUserID] = idx
	}
	idx.Insert(timeRef{ms(m.CreatedAt), m.UserID})
	addTo(s.modsByUser, m.UserID, m.ChannelUserID)
	return nil
}

// IsModerator reports whether the user moderates the channel.
func (s *Store) IsModerator(ctx context.Context, channelUserID, userID string) (_ bool, err error) {
	defer ugc.Wrap(&err, "memstore.IsModerator")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	if err := s.rlock(); err != nil {
		return false, err
	}
	defer s.mu.RUnlock()
	_, ok := s.mods[pairKey{channelUserID, userID}]
	return ok, nil
}

// deleteModerator revokes with the lock held.
func (s *Store) deleteModerator(channelUserID, userID string) bool {
	k := pairKey{channelUserID, userID}
	m, ok := s.mods[k]
	if !ok {
		return false
	}
	delete(s.mods, k)
	idx := s.modsByChan[channelUserID]
	idx.Delete(timeRef{ms(m.CreatedAt), userID})
	if idx.Len() == 0 {
		delete(s.modsByChan, channelUserID)
	}
	removeFrom(s.modsByUser, userID, channelUserID)
	return true
}

// DeleteModerator revokes; removed is false when there was none.
func (s *Store) DeleteModerator(ctx context.Context, channelUserID, userID string) (removed bool, err error) {
	defer ugc.Wrap(&err, "memstore.DeleteModerator")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	return s.deleteModerator(channelUserID, userID), nil
}

// ListModerators returns the channel's moderators, oldest first, ties by
// user ID.
func (s *Store) ListModerators(ctx context.Context, channelUserID string, p store.Page) (_ []ugc.Moderator, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListModerators")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	return listPage(s, query("ListModerators", channelUserID), p,
		func() *ordered[timeRef] { return s.modsByChan[channelUserID] },
		func(r timeRef) (ugc.Moderator, pick) { return s.mods[pairKey{channelUserID, r.id}], take })
}

// PutBlockedTerms replaces the channel's blocked terms (see
// store.CheckBlockedTerms).
func (s *Store) PutBlockedTerms(ctx context.Context, channelUserID string, terms []string) (err error) {
	defer ugc.Wrap(&err, "memstore.PutBlockedTerms")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return err
	}
	if err := store.CheckBlockedTerms(terms); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if len(terms) == 0 {
		delete(s.blocked, channelUserID)
		return nil
	}
	s.blocked[channelUserID] = slices.Clone(terms)
	return nil
}

// GetBlockedTerms returns the channel's blocked terms, in the order given.
func (s *Store) GetBlockedTerms(ctx context.Context, channelUserID string) (_ []string, err error) {
	defer ugc.Wrap(&err, "memstore.GetBlockedTerms")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return slices.Clone(s.blocked[channelUserID]), nil
}

// DeleteModerationOf removes every ban, moderator entry and blocked term
// list naming the user, as channel or as subject; idempotent.
func (s *Store) DeleteModerationOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteModerationOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if idx := s.bansByChan[userID]; idx != nil {
		var users []string
		idx.Ascend(timeRef{}, false, func(r timeRef) bool { users = append(users, r.id); return true })
		for _, u := range users {
			s.deleteBan(userID, u)
		}
	}
	for ch := range s.bansByUser[userID] {
		s.deleteBan(ch, userID)
	}
	if idx := s.modsByChan[userID]; idx != nil {
		var users []string
		idx.Ascend(timeRef{}, false, func(r timeRef) bool { users = append(users, r.id); return true })
		for _, u := range users {
			s.deleteModerator(userID, u)
		}
	}
	for ch := range s.modsByUser[userID] {
		s.deleteModerator(ch, userID)
	}
	delete(s.blocked, userID)
	return nil
}
