package memstore

import (
	"bytes"
	"context"
	"sort"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// AppendNotification stores n and sets n.Seq to the user's next sequence
// number. Sequence numbers are never reused, even after retention removed
// every earlier notification.
func (s *Store) AppendNotification(ctx context.Context, n *ugc.Notification) (err error) {
	defer ugc.Wrap(&err, "memstore.AppendNotification")
	if err := store.CheckNotification(n); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	seq := s.noteSeq[n.UserID] + 1
	s.noteSeq[n.UserID] = seq
	c := *n
	c.Seq = seq
	c.Data = bytes.Clone(n.Data)
	c.CreatedAt = tm(n.CreatedAt)
	s.notes[n.UserID] = append(s.notes[n.UserID], c)
	n.Seq = seq
	return nil
}

// ListNotifications returns the user's notifications with Seq > after,
// oldest first, at most limit (0 means store.DefaultPageLimit).
func (s *Store) ListNotifications(ctx context.Context, userID string, after int64, limit int) (_ []ugc.Notification, err error) {
	defer ugc.Wrap(&err, "memstore.ListNotifications")
	limit, err = store.CheckNotificationsQuery(userID, after, limit)
	if err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	ns := s.notes[userID]
	i := sort.Search(len(ns), func(i int) bool { return ns[i].Seq > after })
	ns = ns[i:min(i+limit, len(ns))]
	out := make([]ugc.Notification, len(ns))
	for i, n := range ns {
		n.Data = bytes.Clone(n.Data)
		out[i] = n
	}
	return out, nil
}

// DeleteNotificationsBefore removes notifications created before t;
// idempotent.
func (s *Store) DeleteNotificationsBefore(ctx context.Context, t time.Time) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteNotificationsBefore")
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for uid, ns := range s.notes {
		kept := ns[:0]
		for _, n := range ns {
			if !n.CreatedAt.Before(t) {
				kept = append(kept, n)
			}
		}
		clear(ns[len(kept):])
		if len(kept) == 0 {
			delete(s.notes, uid)
		} else {
			s.notes[uid] = kept
		}
	}
	return nil
}
