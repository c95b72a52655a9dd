package memstore

import (
	"context"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// sessionRec is a stored stream session and its version.
type sessionRec struct {
	s       ugc.StreamSession
	version int64
}

// eventLog is one session's events: a map for idempotency and an ordered
// index for listing.
type eventLog struct {
	byID map[string]ugc.StreamEvent
	idx  *ordered[timeRef]
}

func copySession(s *ugc.StreamSession) *ugc.StreamSession {
	c := *s
	c.IngestConfiguration = cloneRaw(s.IngestConfiguration)
	return &c
}

// GetStreamSession returns the session, or ErrNotFound.
func (s *Store) GetStreamSession(ctx context.Context, id string) (_ *ugc.StreamSession, err error) {
	defer ugc.Wrap(&err, "memstore.GetStreamSession")
	ss, _, err := s.getSession(id)
	return ss, err
}

// GetStreamSessionVersion returns the session and its version.
func (s *Store) GetStreamSessionVersion(ctx context.Context, id string) (_ *ugc.StreamSession, _ int64, err error) {
	defer ugc.Wrap(&err, "memstore.GetStreamSessionVersion")
	return s.getSession(id)
}

func (s *Store) getSession(id string) (*ugc.StreamSession, int64, error) {
	if err := store.CheckID("id", id); err != nil {
		return nil, 0, err
	}
	if err := s.rlock(); err != nil {
		return nil, 0, err
	}
	defer s.mu.RUnlock()
	r, ok := s.sessions[id]
	if !ok {
		return nil, 0, ugc.ErrNotFound
	}
	return copySession(&r.s), r.version, nil
}

// PutStreamSession writes the session if its stored version equals version
// (0: it must not exist yet) and returns the new version.
func (s *Store) PutStreamSession(ctx context.Context, ss *ugc.StreamSession, version int64) (_ int64, err error) {
	defer ugc.Wrap(&err, "memstore.PutStreamSession")
	if err := store.CheckStreamSession(ss); err != nil {
		return 0, err
	}
	if version < 0 {
		return 0, ugc.InvalidField("version", "must not be negative")
	}
	if err := s.lock(); err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	old, ok := s.sessions[ss.ID]
	var cur int64
	if ok {
		cur = old.version
	}
	if cur != version {
		return 0, ugc.WithCode(ugc.ErrFailedPrecondition, "version_conflict",
			"the session has version %d, not %d", cur, version)
	}
	if ok && !old.s.StartTime.IsZero() {
		idx := s.userSessIdx[old.s.UserID]
		idx.Delete(timeRef{ms(old.s.StartTime), old.s.ID})
		if idx.Len() == 0 {
			delete(s.userSessIdx, old.s.UserID)
		}
	}
	if ok && old.s.UserID != ss.UserID {
		removeFrom(s.sessByUser, old.s.UserID, ss.ID)
	}
	addTo(s.sessByUser, ss.UserID, ss.ID)
	c := copySession(ss)
	c.StartTime, c.EndTime, c.UpdatedAt = tm(c.StartTime), tm(c.EndTime), tm(c.UpdatedAt)
	s.sessions[ss.ID] = &sessionRec{s: *c, version: version + 1}
	if !c.StartTime.IsZero() {
		idx := s.userSessIdx[c.UserID]
		if idx == nil {
			idx = newOrdered(newestFirst)
			s.userSessIdx[c.UserID] = idx
		}
		idx.Insert(timeRef{ms(c.StartTime), c.ID})
	}
	return version + 1, nil
}

// ListStreamSessions returns the user's sessions that have a start time,
// newest start first, ties by ID.
func (s *Store) ListStreamSessions(ctx context.Context, userID string, p store.Page) (_ []*ugc.StreamSession, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListStreamSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, "", err
	}
	return listPage(s, query("ListStreamSessions", userID), p,
		func() *ordered[timeRef] { return s.userSessIdx[userID] },
		func(r timeRef) (*ugc.StreamSession, pick) { return copySession(&s.sessions[r.id].s), take })
}

// AppendStreamEvent records an event of a session; recording the same
// (SessionID, ID) again changes nothing and reports added false.
func (s *Store) AppendStreamEvent(ctx context.Context, ev ugc.StreamEvent) (added bool, err error) {
	defer ugc.Wrap(&err, "memstore.AppendStreamEvent")
	if err := store.CheckStreamEvent(ev); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	log := s.events[ev.SessionID]
	if log == nil {
		log = &eventLog{byID: map[string]ugc.StreamEvent{}, idx: newOrdered(oldestFirst)}
		s.events[ev.SessionID] = log
	}
	if _, ok := log.byID[ev.ID]; ok {
		return false, nil
	}
	ev.Time = tm(ev.Time)
	log.byID[ev.ID] = ev
	log.idx.Insert(timeRef{ms(ev.Time), ev.ID})
	return true, nil
}

// ListStreamEvents returns a session's events, oldest first, ties by ID.
func (s *Store) ListStreamEvents(ctx context.Context, sessionID string, p store.Page) (_ []ugc.StreamEvent, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListStreamEvents")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, "", err
	}
	return listPage(s, query("ListStreamEvents", sessionID), p,
		func() *ordered[timeRef] {
			if log := s.events[sessionID]; log != nil {
				return log.idx
			}
			return nil
		},
		func(r timeRef) (ugc.StreamEvent, pick) { return s.events[sessionID].byID[r.id], take })
}

// GetMetricsCache returns the cached metrics of a session, or ErrNotFound.
func (s *Store) GetMetricsCache(ctx context.Context, sessionID string) (_ *ugc.MetricsCacheEntry, err error) {
	defer ugc.Wrap(&err, "memstore.GetMetricsCache")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	e, ok := s.metricsCache[sessionID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	e.Data = cloneRaw(e.Data)
	return &e, nil
}

// PutMetricsCache stores e unless the stored entry is better.
func (s *Store) PutMetricsCache(ctx context.Context, e ugc.MetricsCacheEntry) (stored bool, err error) {
	defer ugc.Wrap(&err, "memstore.PutMetricsCache")
	if err := store.CheckMetricsCacheEntry(e); err != nil {
		return false, err
	}
	if err := s.lock(); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	var old *ugc.MetricsCacheEntry
	if o, ok := s.metricsCache[e.SessionID]; ok {
		old = &o
	}
	if !store.BetterMetrics(old, e) {
		return false, nil
	}
	e.Data = cloneRaw(e.Data)
	e.FetchedAt = tm(e.FetchedAt)
	s.metricsCache[e.SessionID] = e
	return true, nil
}

// DeleteUserStreamSessions removes the user's sessions, their events and
// caches; idempotent.
func (s *Store) DeleteUserStreamSessions(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteUserStreamSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for id := range s.sessByUser[userID] {
		delete(s.sessions, id)
		delete(s.events, id)
		delete(s.metricsCache, id)
	}
	delete(s.sessByUser, userID)
	delete(s.userSessIdx, userID)
	return nil
}
