package memstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func storedStage(st *ugc.StageSession) *ugc.StageSession {
	c := *st
	c.StartedAt, c.EndedAt, c.HostLeftAt = tm(c.StartedAt), tm(c.EndedAt), tm(c.HostLeftAt)
	return &c
}

func copyStage(st *ugc.StageSession) *ugc.StageSession { c := *st; return &c }

func sessionActive() error {
	return ugc.WithCode(ugc.ErrAlreadyExists, "session_active", "the channel has an active stage session")
}

// indexStage adds a stored session to the indexes, with the lock held.
func (s *Store) indexStage(st *ugc.StageSession) {
	s.stages[st.ID] = st
	addTo(s.stagesByChan, st.ChannelUserID, st.ID)
	if st.Active() {
		s.activeStage[st.ChannelUserID] = st.ID
		s.activeIdx.Insert(timeRef{ms(st.StartedAt), st.ID})
	}
}

// unindexStage removes a stored session from the indexes, with the lock held.
func (s *Store) unindexStage(st *ugc.StageSession) {
	delete(s.stages, st.ID)
	removeFrom(s.stagesByChan, st.ChannelUserID, st.ID)
	if s.activeStage[st.ChannelUserID] == st.ID {
		delete(s.activeStage, st.ChannelUserID)
	}
	s.activeIdx.Delete(timeRef{ms(st.StartedAt), st.ID})
}

// CreateStageSession stores a new session.
func (s *Store) CreateStageSession(ctx context.Context, st *ugc.StageSession) (err error) {
	defer ugc.Wrap(&err, "memstore.CreateStageSession")
	if err := store.CheckStageSession(st); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.stages[st.ID]; ok {
		return taken("id")
	}
	if _, ok := s.activeStage[st.ChannelUserID]; ok && st.Active() {
		return sessionActive()
	}
	s.indexStage(storedStage(st))
	return nil
}

// GetStageSession returns a session by ID, or ErrNotFound.
func (s *Store) GetStageSession(ctx context.Context, id string) (_ *ugc.StageSession, err error) {
	defer ugc.Wrap(&err, "memstore.GetStageSession")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	st, ok := s.stages[id]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyStage(st), nil
}

// ActiveStageSession returns the channel's active session, or ErrNotFound.
func (s *Store) ActiveStageSession(ctx context.Context, channelUserID string) (_ *ugc.StageSession, err error) {
	defer ugc.Wrap(&err, "memstore.ActiveStageSession")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	id, ok := s.activeStage[channelUserID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyStage(s.stages[id]), nil
}

// UpdateStageSession replaces a stored session matched by ID. Making a
// session active while its channel has another active one is
// ErrAlreadyExists with code "session_active"; an ended session is final
// (code "session_ended").
func (s *Store) UpdateStageSession(ctx context.Context, st *ugc.StageSession) (err error) {
	defer ugc.Wrap(&err, "memstore.UpdateStageSession")
	if err := store.CheckStageSession(st); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.stages[st.ID]
	if !ok {
		return ugc.ErrNotFound
	}
	if !old.Active() {
		return store.ErrSessionEnded
	}
	if id, ok := s.activeStage[st.ChannelUserID]; ok && id != st.ID && st.Active() {
		return sessionActive()
	}
	s.unindexStage(old)
	s.indexStage(storedStage(st))
	return nil
}

// ListActiveStageSessions returns active sessions, oldest start first,
// ties by ID.
func (s *Store) ListActiveStageSessions(ctx context.Context, p store.Page) (_ []*ugc.StageSession, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListActiveStageSessions")
	return listPage(s, "ListActiveStageSessions", p,
		func() *ordered[timeRef] { return s.activeIdx },
		func(r timeRef) (*ugc.StageSession, pick) { return copyStage(s.stages[r.id]), take })
}

// seatHeld reports whether the seat is held at now.
func seatHeld(st ugc.Seat, now time.Time) bool {
	return st.ExpiresAt.IsZero() || st.ExpiresAt.After(now)
}

// releaseSeat frees a seat with the lock held.
func (s *Store) releaseSeat(sessionID, userID string) bool {
	m := s.seats[sessionID]
	if _, ok := m[userID]; !ok {
		return false
	}
	delete(m, userID)
	if len(m) == 0 {
		delete(s.seats, sessionID)
	}
	removeFrom(s.seatsByUser, userID, sessionID)
	return true
}

// ReserveSeat reserves a seat for st.UserID if fewer than max seats are
// held at now, freeing expired reservations. A user who holds a seat is
// "seat_held" even when the session is full.
func (s *Store) ReserveSeat(ctx context.Context, st ugc.Seat, max int, now time.Time) (err error) {
	defer ugc.Wrap(&err, "memstore.ReserveSeat")
	if err := store.CheckSeatReservation(st, max); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for uid, o := range s.seats[st.SessionID] {
		if !seatHeld(o, now) {
			s.releaseSeat(st.SessionID, uid)
		}
	}
	m := s.seats[st.SessionID]
	if _, ok := m[st.UserID]; ok {
		return ugc.WithCode(ugc.ErrAlreadyExists, "seat_held", "the user holds a seat")
	}
	if len(m) >= max {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "stage_full", "every seat is taken")
	}
	if m == nil {
		m = map[string]ugc.Seat{}
		s.seats[st.SessionID] = m
	}
	st.ReservedAt, st.ExpiresAt = tm(st.ReservedAt), tm(st.ExpiresAt)
	m[st.UserID] = st
	addTo(s.seatsByUser, st.UserID, st.SessionID)
	return nil
}

// UpdateSeat replaces a stored seat; a missing one is ErrNotFound.
func (s *Store) UpdateSeat(ctx context.Context, st ugc.Seat) (err error) {
	defer ugc.Wrap(&err, "memstore.UpdateSeat")
	if err := store.CheckSeat(st); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	m := s.seats[st.SessionID]
	if _, ok := m[st.UserID]; !ok {
		return ugc.ErrNotFound
	}
	st.ReservedAt, st.ExpiresAt = tm(st.ReservedAt), tm(st.ExpiresAt)
	m[st.UserID] = st
	return nil
}

// ReleaseSeat frees the user's seat; released is false when none.
func (s *Store) ReleaseSeat(ctx context.Context, sessionID, userID string) (released bool, err error) {
	defer ugc.Wrap(&err, "memstore.ReleaseSeat")
	if err := store.CheckIDs("session_id", sessionID, "user_id", userID); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	return s.releaseSeat(sessionID, userID), nil
}

// ListSeats returns the seats held at now, oldest reservation first, ties
// by user ID.
func (s *Store) ListSeats(ctx context.Context, sessionID string, now time.Time) (_ []ugc.Seat, err error) {
	defer ugc.Wrap(&err, "memstore.ListSeats")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var out []ugc.Seat
	for _, st := range s.seats[sessionID] {
		if seatHeld(st, now) {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b ugc.Seat) int {
		if c := a.ReservedAt.Compare(b.ReservedAt); c != 0 {
			return c
		}
		return strings.Compare(a.UserID, b.UserID)
	})
	return out, nil
}

func storedRequest(r *ugc.JoinRequest) *ugc.JoinRequest {
	c := *r
	c.CreatedAt, c.UpdatedAt, c.ExpiresAt = tm(c.CreatedAt), tm(c.UpdatedAt), tm(c.ExpiresAt)
	return &c
}

func copyRequest(r *ugc.JoinRequest) *ugc.JoinRequest { c := *r; return &c }

func (s *Store) indexRequest(r *ugc.JoinRequest) {
	s.requests[r.ID] = r
	idx := s.reqByChan[r.ChannelUserID]
	if idx == nil {
		idx = newOrdered(newestFirst)
		s.reqByChan[r.ChannelUserID] = idx
	}
	idx.Insert(timeRef{ms(r.CreatedAt), r.ID})
	addTo(s.reqByUser, r.UserID, r.ID)
}

func (s *Store) unindexRequest(r *ugc.JoinRequest) {
	delete(s.requests, r.ID)
	if idx := s.reqByChan[r.ChannelUserID]; idx != nil {
		idx.Delete(timeRef{ms(r.CreatedAt), r.ID})
		if idx.Len() == 0 {
			delete(s.reqByChan, r.ChannelUserID)
		}
	}
	removeFrom(s.reqByUser, r.UserID, r.ID)
}

// CreateJoinRequest stores a new request. A taken ID is ErrAlreadyExists
// naming "id"; a pending request by the same user for the same channel is
// ErrAlreadyExists with code "request_pending".
func (s *Store) CreateJoinRequest(ctx context.Context, r *ugc.JoinRequest) (err error) {
	defer ugc.Wrap(&err, "memstore.CreateJoinRequest")
	if err := store.CheckJoinRequest(r); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.requests[r.ID]; ok {
		return taken("id")
	}
	for id := range s.reqByUser[r.UserID] {
		o := s.requests[id]
		if o.ChannelUserID == r.ChannelUserID && o.Status == ugc.RequestPending {
			return ugc.WithCode(ugc.ErrAlreadyExists, "request_pending", "the user has a pending request")
		}
	}
	s.indexRequest(storedRequest(r))
	return nil
}

// GetJoinRequest returns a request by ID, or ErrNotFound.
func (s *Store) GetJoinRequest(ctx context.Context, id string) (_ *ugc.JoinRequest, err error) {
	defer ugc.Wrap(&err, "memstore.GetJoinRequest")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	r, ok := s.requests[id]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyRequest(r), nil
}

// UpdateJoinRequest replaces the request if its stored Status is
// fromStatus and its stored TokenUsed is false: a used request is final.
// A missing request is ErrNotFound.
func (s *Store) UpdateJoinRequest(ctx context.Context, r *ugc.JoinRequest, fromStatus string) (err error) {
	defer ugc.Wrap(&err, "memstore.UpdateJoinRequest")
	if err := store.CheckJoinRequest(r); err != nil {
		return err
	}
	if err := store.CheckID("from_status", fromStatus); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.requests[r.ID]
	if !ok {
		return ugc.ErrNotFound
	}
	if old.Status != fromStatus || old.TokenUsed {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "request_state",
			"the request is %s (token used: %t)", old.Status, old.TokenUsed)
	}
	s.unindexRequest(old)
	s.indexRequest(storedRequest(r))
	return nil
}

// LatestJoinRequest returns the user's most recent request to the channel
// (latest CreatedAt, ties: the greatest ID), or ErrNotFound.
func (s *Store) LatestJoinRequest(ctx context.Context, channelUserID, userID string) (_ *ugc.JoinRequest, err error) {
	defer ugc.Wrap(&err, "memstore.LatestJoinRequest")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var best *ugc.JoinRequest
	for id := range s.reqByUser[userID] {
		r := s.requests[id]
		if r.ChannelUserID != channelUserID {
			continue
		}
		if best == nil || r.CreatedAt.After(best.CreatedAt) || r.CreatedAt.Equal(best.CreatedAt) && r.ID > best.ID {
			best = r
		}
	}
	if best == nil {
		return nil, ugc.ErrNotFound
	}
	return copyRequest(best), nil
}

// ListJoinRequests returns the channel's requests, newest first, ties by ID.
func (s *Store) ListJoinRequests(ctx context.Context, channelUserID string, p store.Page) (_ []*ugc.JoinRequest, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListJoinRequests")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	return listPage(s, query("ListJoinRequests", channelUserID), p,
		func() *ordered[timeRef] { return s.reqByChan[channelUserID] },
		func(r timeRef) (*ugc.JoinRequest, pick) { return copyRequest(s.requests[r.id]), take })
}

// PutInvite creates or replaces an invite.
func (s *Store) PutInvite(ctx context.Context, i ugc.Invite) (err error) {
	defer ugc.Wrap(&err, "memstore.PutInvite")
	if err := store.CheckInvite(i); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if old, ok := s.invites[i.ID]; ok {
		removeFrom(s.invByChan, old.ChannelUserID, i.ID)
	}
	i.CreatedAt, i.ExpiresAt, i.RevokedAt = tm(i.CreatedAt), tm(i.ExpiresAt), tm(i.RevokedAt)
	s.invites[i.ID] = i
	addTo(s.invByChan, i.ChannelUserID, i.ID)
	return nil
}

// GetInvite returns an invite, or ErrNotFound.
func (s *Store) GetInvite(ctx context.Context, id string) (_ *ugc.Invite, err error) {
	defer ugc.Wrap(&err, "memstore.GetInvite")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	i, ok := s.invites[id]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return &i, nil
}

// PutKick creates or replaces a kick.
func (s *Store) PutKick(ctx context.Context, k ugc.Kick) (err error) {
	defer ugc.Wrap(&err, "memstore.PutKick")
	if err := store.CheckKick(k); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k.Until = tm(k.Until)
	s.kicks[pairKey{k.ChannelUserID, k.UserID}] = k
	addTo(s.kicksByUser, k.UserID, k.ChannelUserID)
	addTo(s.kicksByChan, k.ChannelUserID, k.UserID)
	return nil
}

// GetKick returns the kick of the user from the channel, or ErrNotFound.
func (s *Store) GetKick(ctx context.Context, channelUserID, userID string) (_ *ugc.Kick, err error) {
	defer ugc.Wrap(&err, "memstore.GetKick")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	k, ok := s.kicks[pairKey{channelUserID, userID}]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return &k, nil
}

func (s *Store) deleteKick(channelUserID, userID string) {
	delete(s.kicks, pairKey{channelUserID, userID})
	removeFrom(s.kicksByUser, userID, channelUserID)
	removeFrom(s.kicksByChan, channelUserID, userID)
}

// DeleteStagesOf removes the user's stage sessions and their seats, the
// seats the user holds, requests by or to the user, the user's invites and
// kicks naming the user; idempotent.
func (s *Store) DeleteStagesOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteStagesOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for id := range s.stagesByChan[userID] {
		for uid := range s.seats[id] {
			s.releaseSeat(id, uid)
		}
		s.unindexStage(s.stages[id])
	}
	for sid := range s.seatsByUser[userID] {
		s.releaseSeat(sid, userID)
	}
	for id := range s.reqByUser[userID] {
		s.unindexRequest(s.requests[id])
	}
	if idx := s.reqByChan[userID]; idx != nil {
		var ids []string
		idx.Ascend(timeRef{}, false, func(r timeRef) bool { ids = append(ids, r.id); return true })
		for _, id := range ids {
			s.unindexRequest(s.requests[id])
		}
	}
	for id := range s.invByChan[userID] {
		delete(s.invites, id)
	}
	delete(s.invByChan, userID)
	for ch := range s.kicksByUser[userID] {
		s.deleteKick(ch, userID)
	}
	for u := range s.kicksByChan[userID] {
		s.deleteKick(userID, u)
	}
	return nil
}
