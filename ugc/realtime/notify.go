package realtime

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Notification types of the per-user event stream.
const (
	// EventRequestCreated tells the host of a new join request (RequestInfo).
	EventRequestCreated = "stage.request.created"
	// EventRequestRevoked tells the host a requester withdrew (RequestInfo).
	EventRequestRevoked = "stage.request.revoked"
	// EventRequestAccepted tells the requester they may join (RequestDecision).
	EventRequestAccepted = "stage.request.accepted"
	// EventRequestRejected tells the requester they were turned down (RequestDecision).
	EventRequestRejected = "stage.request.rejected"
	// EventKicked tells a user the host removed them ({"channel","until"}).
	EventKicked = "stage.kicked"
)

// RequestInfo is the data of EventRequestCreated and EventRequestRevoked,
// and a row of Requests.
type RequestInfo struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	Username  string    `json:"username"`
	Color     string    `json:"color"`
	AvatarURL string    `json:"avatarUrl"`
	CreatedAt time.Time `json:"createdAt"`
	Status    string    `json:"status"`
}

// RequestDecision is the data of EventRequestAccepted and
// EventRequestRejected.
type RequestDecision struct {
	ID      string `json:"id"`
	Channel string `json:"channel"` // the host's username
	Status  string `json:"status"`
}

type kickedData struct {
	Channel string    `json:"channel"`
	Until   time.Time `json:"until"`
}

// notify appends a notification for userID and wakes its local streams.
func (s *Service) notify(ctx context.Context, userID, typ string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	n := &ugc.Notification{UserID: userID, Type: typ, Data: b, CreatedAt: s.now()}
	if err := s.store.AppendNotification(ctx, n); err != nil {
		return err
	}
	s.wake(userID)
	return nil
}

// watch registers a wake-up channel for userID's notifications.
func (s *Service) watch(userID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	m := s.watchers[userID]
	if m == nil {
		m = map[chan struct{}]struct{}{}
		s.watchers[userID] = m
	}
	m[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.watchers[userID], ch)
		if len(s.watchers[userID]) == 0 {
			delete(s.watchers, userID)
		}
		s.mu.Unlock()
	}
}

// wake signals every local stream of userID without blocking.
func (s *Service) wake(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.watchers[userID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Notifications returns userID's notifications with Seq > after, oldest
// first, at most store.MaxPageLimit.
func (s *Service) Notifications(ctx context.Context, userID string, after int64) (_ []ugc.Notification, err error) {
	defer ugc.Wrap(&err, "realtime.Notifications")
	if err := store.CheckID("userId", userID); err != nil {
		return nil, err
	}
	return s.store.ListNotifications(ctx, userID, after, store.MaxPageLimit)
}

// Stream delivers userID's notifications to send until ctx is done, in
// order, each once. With resume true it starts after Seq after (the
// Last-Event-ID of a reconnecting client); otherwise with the
// notifications created from now on. It reads the store every
// Options.PollInterval (so notifications appended by any replica arrive)
// and at once when this replica appends one; when nothing happens it
// calls send with an empty batch every Options.KeepAlive. It returns
// ctx's error, or the first error of send or of the store.
func (s *Service) Stream(ctx context.Context, userID string, after int64, resume bool, send func([]ugc.Notification) error) (err error) {
	defer ugc.Wrap(&err, "realtime.Stream")
	if err := store.CheckID("userId", userID); err != nil {
		return err
	}
	wake, stop := s.watch(userID)
	defer stop()
	var since time.Time
	if !resume {
		since, after = s.now(), 0
	}
	poll := time.NewTicker(s.opts.PollInterval)
	defer poll.Stop()
	lastSent := time.Now()
	for {
		var batch []ugc.Notification
		for {
			ns, err := s.store.ListNotifications(ctx, userID, after, store.MaxPageLimit)
			if err != nil {
				return err
			}
			for _, n := range ns {
				after = n.Seq
				if !since.IsZero() && n.CreatedAt.Before(since) {
					continue
				}
				batch = append(batch, n)
			}
			if len(ns) < store.MaxPageLimit {
				break
			}
		}
		since = time.Time{} // from here on, Seq alone decides
		if len(batch) > 0 || time.Since(lastSent) >= s.opts.KeepAlive {
			if err := send(batch); err != nil {
				return err
			}
			lastSent = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-poll.C:
		}
	}
}
