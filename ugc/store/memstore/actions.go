package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func copyAction(a *ugc.Action) *ugc.Action {
	c := *a
	c.Data = cloneRaw(a.Data)
	return &c
}

// PutActiveAction replaces the channel's active action.
func (s *Store) PutActiveAction(ctx context.Context, a *ugc.Action) (err error) {
	defer ugc.Wrap(&err, "memstore.PutActiveAction")
	if err := store.CheckActiveAction(a); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	c := copyAction(a)
	c.StartedAt, c.ExpiresAt = tm(c.StartedAt), tm(c.ExpiresAt)
	s.active[a.ChannelUserID] = c
	return nil
}

// GetActiveAction returns the stored action (expired or not), or
// ErrNotFound.
func (s *Store) GetActiveAction(ctx context.Context, channelUserID string) (_ *ugc.Action, err error) {
	defer ugc.Wrap(&err, "memstore.GetActiveAction")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	a, ok := s.active[channelUserID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyAction(a), nil
}

// DeleteActiveAction removes the active action if id is "" or equals its
// ID; removed is false otherwise.
func (s *Store) DeleteActiveAction(ctx context.Context, channelUserID, id string) (removed bool, err error) {
	defer ugc.Wrap(&err, "memstore.DeleteActiveAction")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return false, err
	}
	if err := store.CheckText("id", id, store.MaxIDLen); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	a, ok := s.active[channelUserID]
	if !ok || id != "" && a.ID != id {
		return false, nil
	}
	delete(s.active, channelUserID)
	return true, nil
}

// PutPreset creates or replaces the user's preset of p.Type.
func (s *Store) PutPreset(ctx context.Context, p ugc.Preset) (err error) {
	defer ugc.Wrap(&err, "memstore.PutPreset")
	if err := store.CheckPreset(p); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p.Data = cloneRaw(p.Data)
	p.UpdatedAt = tm(p.UpdatedAt)
	m := s.presets[p.UserID]
	if m == nil {
		m = map[string]ugc.Preset{}
		s.presets[p.UserID] = m
	}
	m[p.Type] = p
	return nil
}

// ListPresets returns the user's presets ordered by type.
func (s *Store) ListPresets(ctx context.Context, userID string) (_ []ugc.Preset, err error) {
	defer ugc.Wrap(&err, "memstore.ListPresets")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	m := s.presets[userID]
	out := make([]ugc.Preset, 0, len(m))
	for _, p := range m {
		p.Data = cloneRaw(p.Data)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b ugc.Preset) int { return strings.Compare(a.Type, b.Type) })
	return out, nil
}

// PutRule creates or replaces a rule, keyed by channel and ID.
func (s *Store) PutRule(ctx context.Context, r ugc.Rule) (err error) {
	defer ugc.Wrap(&err, "memstore.PutRule")
	if err := store.CheckRule(r); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	r.CreatedAt = tm(r.CreatedAt)
	m := s.rules[r.ChannelUserID]
	if m == nil {
		m = map[string]ugc.Rule{}
		s.rules[r.ChannelUserID] = m
	}
	m[r.ID] = r
	return nil
}

// ListRules returns the channel's rules ordered by ID.
func (s *Store) ListRules(ctx context.Context, channelUserID string) (_ []ugc.Rule, err error) {
	defer ugc.Wrap(&err, "memstore.ListRules")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	m := s.rules[channelUserID]
	out := make([]ugc.Rule, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b ugc.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteRule removes a rule; removed is false when there was none.
func (s *Store) DeleteRule(ctx context.Context, channelUserID, id string) (removed bool, err error) {
	defer ugc.Wrap(&err, "memstore.DeleteRule")
	if err := store.CheckIDs("channel_user_id", channelUserID, "id", id); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	m := s.rules[channelUserID]
	if _, ok := m[id]; !ok {
		return false, nil
	}
	delete(m, id)
	if len(m) == 0 {
		delete(s.rules, channelUserID)
	}
	return true, nil
}

// DeleteActionsOf removes the user's active action, presets and rules;
// idempotent.
func (s *Store) DeleteActionsOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteActionsOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	delete(s.active, userID)
	delete(s.presets, userID)
	delete(s.rules, userID)
	return nil
}
