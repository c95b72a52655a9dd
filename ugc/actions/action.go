package actions

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"sync"

	"github.com/ivs-ugc/ugc-go/ugc"
)

var (
	errStageLive = ugc.WithCode(ugc.ErrFailedPrecondition, "stage_live",
		"the channel's stage is live: only a poll can start")
	errOffline = ugc.WithCode(ugc.ErrFailedPrecondition, "channel_offline",
		"the channel is not broadcasting")
	errNotProvisioned = ugc.WithCode(ugc.ErrFailedPrecondition, "channel_not_provisioned",
		"the user has no channel yet")
)

// Start validates an overlay of type typ, makes it the channel's one
// active action (replacing any other) and sends it to viewers as timed
// metadata. It returns the stored action once IVS accepted the metadata.
//
// The channel must be broadcasting (else ErrFailedPrecondition with code
// "channel_offline") and its stage must not be live ("stage_live"). Data
// is validated field by field (ErrInvalidArgument naming "data.<field>");
// an encoded document over 1 KB is ugc.ErrTooLarge, before any AWS call.
// When a newer action for the channel replaces this one before it is
// sent, it is dropped and Start returns ErrFailedPrecondition with code
// "superseded".
func (s *Service) Start(ctx context.Context, userID, typ string, data json.RawMessage) (a *ugc.Action, err error) {
	defer ugc.Wrap(&err, "actions.Start")
	return s.start(ctx, userID, typ, data)
}

func (s *Service) start(ctx context.Context, userID, typ string, data json.RawMessage) (*ugc.Action, error) {
	canon, d, err := Validate(typ, data, s.opts.EnableAmazonProduct)
	if err != nil {
		return nil, err
	}
	u, err := s.st.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Channel.Arn == "" {
		return nil, errNotProvisioned
	}
	ll, rt, err := s.liveKinds(ctx, userID)
	switch {
	case err != nil:
		return nil, err
	case rt:
		return nil, errStageLive
	case !ll:
		return nil, errOffline
	}
	now := s.now()
	a := &ugc.Action{ID: s.opts.NewID(), ChannelUserID: userID, Type: typ, Data: canon, StartedAt: now}
	if d > 0 {
		a.ExpiresAt = now.Add(d)
	}
	payload, err := EncodeMetadata(a)
	if err != nil {
		return nil, err
	}
	// The store write and the enqueue happen under the channel's lock, so
	// on this replica the newest queued payload is the newest stored action
	// and "superseded" always means "replaced by a newer action".
	mu := s.chanLock(userID)
	mu.Lock()
	prev, err := s.st.GetActiveAction(ctx, userID)
	if err != nil && !errors.Is(err, ugc.ErrNotFound) {
		mu.Unlock()
		return nil, err
	}
	if err := s.st.PutActiveAction(ctx, a); err != nil {
		mu.Unlock()
		return nil, err
	}
	job, q, err := s.send.enqueue(ctx, u.Channel.Arn, payload, s.isCurrent(userID, a.ID))
	mu.Unlock()
	if err == nil {
		err = s.send.wait(ctx, q, job)
	}
	if err != nil {
		if !errors.Is(err, errSuperseded) {
			s.unstart(context.WithoutCancel(ctx), a, prev)
		}
		return nil, err
	}
	return a, nil
}

// chanLock returns the lock that orders a channel's active-action writes
// with their enqueueing on this replica (striped: channels share 64 locks).
func (s *Service) chanLock(userID string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(userID))
	return &s.chanLocks[h.Sum32()%uint32(len(s.chanLocks))]
}

// unstart undoes the store write of an action viewers never got: it is
// removed if it is still the stored one (a newer one stays), and the
// action it replaced, which viewers still see, is put back if it has not
// expired.
func (s *Service) unstart(ctx context.Context, a, prev *ugc.Action) {
	mu := s.chanLock(a.ChannelUserID)
	mu.Lock()
	defer mu.Unlock()
	removed, err := s.st.DeleteActiveAction(ctx, a.ChannelUserID, a.ID)
	if err == nil && removed && prev != nil && prev.ActiveAt(s.now()) {
		err = s.st.PutActiveAction(ctx, prev)
	}
	if err != nil {
		s.opts.Logger.WarnContext(ctx, "actions: undoing an unsent action", "action_id", a.ID, "error", err)
	}
}

// isCurrent reports, right before a send, whether the channel's stored
// action is still id ("" means none): the check that drops a superseded
// payload even when the newer one came through another replica.
func (s *Service) isCurrent(userID, id string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		a, err := s.st.GetActiveAction(ctx, userID)
		if errors.Is(err, ugc.ErrNotFound) {
			return id == "", nil
		}
		if err != nil {
			return false, err
		}
		return a.ID == id, nil
	}
}

// Stop ends the channel's active action: it is removed from the store and,
// when it was still showing and the channel is broadcasting, the clear
// document is sent. Stopping with no active action does nothing.
func (s *Service) Stop(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "actions.Stop")
	a, err := s.st.GetActiveAction(ctx, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	u, err := s.st.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	ll, _, err := s.liveKinds(ctx, userID)
	if err != nil {
		return err
	}
	mu := s.chanLock(userID)
	mu.Lock()
	removed, err := s.st.DeleteActiveAction(ctx, userID, a.ID)
	if err != nil || !removed || !a.ActiveAt(s.now()) || !ll || u.Channel.Arn == "" {
		mu.Unlock()
		return err
	}
	job, q, err := s.send.enqueue(ctx, u.Channel.Arn, ClearMetadata(a.ID), s.isCurrent(userID, ""))
	mu.Unlock()
	if err == nil {
		err = s.send.wait(ctx, q, job)
	}
	switch {
	case errors.Is(err, errSuperseded), ugc.CodeOf(err) == "channel_offline":
		// A newer action replaced the overlay, or nobody is watching.
		return nil
	}
	return err
}

// Active returns the action showing on the channel of username, or
// ErrNotFound when there is none (never started, stopped or expired).
func (s *Service) Active(ctx context.Context, username string) (a *ugc.Action, err error) {
	defer ugc.Wrap(&err, "actions.Active")
	u, err := s.owner(ctx, username)
	if err != nil {
		return nil, err
	}
	a, err = s.st.GetActiveAction(ctx, u.ID)
	if err != nil {
		if errors.Is(err, ugc.ErrNotFound) {
			return nil, ugc.Errorf(ugc.ErrNotFound, "no active action")
		}
		return nil, err
	}
	if !a.ActiveAt(s.now()) {
		return nil, ugc.Errorf(ugc.ErrNotFound, "no active action")
	}
	return a, nil
}
