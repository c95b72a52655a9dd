package realtime

import (
	"context"
	"errors"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// RequestJoin files userID's request to join the live stage of the
// channel username and tells the host. It is pending for
// Options.RequestTTL, then expired. A user with a pending request gets
// ErrAlreadyExists "request_pending"; the host's own channel is
// ErrInvalidArgument; banned and kicked users are ErrPermissionDenied; an
// offline stage is "stage_offline".
func (s *Service) RequestJoin(ctx context.Context, userID, username string) (_ *ugc.JoinRequest, err error) {
	defer ugc.Wrap(&err, "realtime.RequestJoin")
	if err := store.CheckID("userId", userID); err != nil {
		return nil, err
	}
	host, err := s.hostByName(ctx, username)
	if err != nil {
		return nil, err
	}
	if host.ID == userID {
		return nil, ugc.InvalidField("username", "you cannot request to join your own stage")
	}
	if _, err := s.activeSession(ctx, host.ID); err != nil {
		return nil, err
	}
	if err := s.checkViewer(ctx, host.ID, userID, true); err != nil {
		return nil, err
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := &ugc.JoinRequest{ID: s.opts.NewID(), ChannelUserID: host.ID, UserID: userID, Status: ugc.RequestPending,
		CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(s.opts.RequestTTL)}
	err = s.store.CreateJoinRequest(ctx, r)
	if errors.Is(err, ugc.ErrAlreadyExists) {
		// A pending request that has expired but was not marked yet does
		// not count: mark it, then try once more.
		old, gerr := s.store.LatestJoinRequest(ctx, host.ID, userID)
		if gerr == nil && old.Status == ugc.RequestPending && !now.Before(old.ExpiresAt) {
			if s.expire(ctx, old) {
				err = s.store.CreateJoinRequest(ctx, r)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return r, s.notify(ctx, host.ID, EventRequestCreated, s.requestInfo(r, u))
}

// expire marks a pending request whose time is up as expired; it reports
// whether the request is no longer pending.
func (s *Service) expire(ctx context.Context, r *ugc.JoinRequest) bool {
	x := *r
	x.Status, x.UpdatedAt = ugc.RequestExpired, s.now()
	err := s.store.UpdateJoinRequest(ctx, &x, ugc.RequestPending)
	if err == nil {
		*r = x
		return true
	}
	return ugc.CodeOf(err) == "request_state"
}

// RevokeRequest withdraws userID's pending (or accepted, unused) request
// to the channel username and tells the host. Revoking a request already
// revoked is a no-op; without a request it is ErrNotFound; a request in
// another state is ErrFailedPrecondition "request_state".
func (s *Service) RevokeRequest(ctx context.Context, userID, username string) (err error) {
	defer ugc.Wrap(&err, "realtime.RevokeRequest")
	if err := store.CheckID("userId", userID); err != nil {
		return err
	}
	host, err := s.hostByName(ctx, username)
	if err != nil {
		return err
	}
	r, err := s.store.LatestJoinRequest(ctx, host.ID, userID)
	if err != nil {
		return err
	}
	if r.Status == ugc.RequestPending && !s.now().Before(r.ExpiresAt) {
		s.expire(ctx, r)
	}
	switch {
	case r.Status == ugc.RequestRevoked:
		return nil
	case (r.Status != ugc.RequestPending && r.Status != ugc.RequestAccepted) || r.TokenUsed:
		return ugc.WithCode(ugc.ErrFailedPrecondition, "request_state", "the request is %s", r.Status)
	}
	from := r.Status
	x := *r
	x.Status, x.UpdatedAt = ugc.RequestRevoked, s.now()
	if err := s.store.UpdateJoinRequest(ctx, &x, from); err != nil {
		return err
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	return s.notify(ctx, host.ID, EventRequestRevoked, s.requestInfo(&x, u))
}

func (s *Service) requestInfo(r *ugc.JoinRequest, u *ugc.User) RequestInfo {
	ri := RequestInfo{ID: r.ID, UserID: r.UserID, CreatedAt: r.CreatedAt.UTC(), Status: r.Status}
	if u != nil {
		ri.Username, ri.Color = u.Username, u.Color
		if s.opts.AvatarURL != nil {
			ri.AvatarURL = s.opts.AvatarURL(u)
		}
	}
	return ri
}

// Requests returns the join requests to the host's channel filed during
// its live session, newest first (at most store.MaxPageLimit); pending
// requests whose time is up are marked expired. Offline, it is empty.
func (s *Service) Requests(ctx context.Context, hostID string) (_ []RequestInfo, err error) {
	defer ugc.Wrap(&err, "realtime.Requests")
	if err := store.CheckID("userId", hostID); err != nil {
		return nil, err
	}
	ss, err := s.store.ActiveStageSession(ctx, hostID)
	if errors.Is(err, ugc.ErrNotFound) {
		return []RequestInfo{}, nil
	}
	if err != nil {
		return nil, err
	}
	rs, _, err := s.store.ListJoinRequests(ctx, hostID, store.Page{Limit: store.MaxPageLimit})
	if err != nil {
		return nil, err
	}
	now := s.now()
	var ids []string
	var keep []*ugc.JoinRequest
	for _, r := range rs {
		if r.CreatedAt.Before(ss.StartedAt) {
			continue
		}
		if r.Status == ugc.RequestPending && !now.Before(r.ExpiresAt) {
			s.expire(ctx, r)
		}
		keep = append(keep, r)
		ids = append(ids, r.UserID)
	}
	users := map[string]*ugc.User{}
	if len(ids) > 0 {
		if users, err = s.store.GetUsers(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]RequestInfo, 0, len(keep))
	for _, r := range keep {
		out = append(out, s.requestInfo(r, users[r.UserID]))
	}
	return out, nil
}

// AcceptRequest accepts a pending request to the host's live stage: the
// requester may mint one publish token within Options.RequestTTL and is
// told through their event stream.
func (s *Service) AcceptRequest(ctx context.Context, hostID, requestID string) (err error) {
	defer ugc.Wrap(&err, "realtime.AcceptRequest")
	return s.decide(ctx, hostID, requestID, ugc.RequestAccepted)
}

// RejectRequest rejects a pending request to the host's channel and tells
// the requester.
func (s *Service) RejectRequest(ctx context.Context, hostID, requestID string) (err error) {
	defer ugc.Wrap(&err, "realtime.RejectRequest")
	return s.decide(ctx, hostID, requestID, ugc.RequestRejected)
}

func (s *Service) decide(ctx context.Context, hostID, requestID, status string) error {
	if err := store.CheckIDs("userId", hostID, "id", requestID); err != nil {
		return err
	}
	r, err := s.store.GetJoinRequest(ctx, requestID)
	if err != nil {
		return err
	}
	if r.ChannelUserID != hostID {
		return ugc.Errorf(ugc.ErrNotFound, "no such request")
	}
	if status == ugc.RequestAccepted {
		if _, err := s.activeSession(ctx, hostID); err != nil {
			return err
		}
	}
	now := s.now()
	if r.Status == ugc.RequestPending && !now.Before(r.ExpiresAt) {
		s.expire(ctx, r)
	}
	if r.Status != ugc.RequestPending {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "request_state", "the request is %s", r.Status)
	}
	x := *r
	x.Status, x.UpdatedAt = status, now
	if status == ugc.RequestAccepted {
		x.ExpiresAt = now.Add(s.opts.RequestTTL)
	}
	if err := s.store.UpdateJoinRequest(ctx, &x, ugc.RequestPending); err != nil {
		return err
	}
	host, err := s.store.GetUser(ctx, hostID)
	if err != nil {
		return err
	}
	typ := EventRequestAccepted
	if status == ugc.RequestRejected {
		typ = EventRequestRejected
	}
	return s.notify(ctx, r.UserID, typ, RequestDecision{ID: r.ID, Channel: host.Username, Status: status})
}
