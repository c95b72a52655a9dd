package metrics

import (
	"context"
	"errors"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// maxVersionRetries bounds the optimistic-concurrency loop of a session
// update; two replicas racing on one session settle in a few rounds.
const maxVersionRetries = 20

// Result says what Ingest did with an event.
type Result struct {
	// Ignored is true when the event was acknowledged without effect: an
	// unknown kind, another source, or a resource we do not own.
	Ignored bool
	// Reason explains an ignored event.
	Reason string
}

// Ingest applies one EventBridge event (JSON as EventBridge delivers it).
//
// It is idempotent on redelivery (events are keyed by their EventBridge
// ID) and gives the same final state whatever the delivery order: a
// session's start is its earliest start event, its end its latest end
// event, its health the latest health event, and the live index is only
// set for a session that has not ended. Unknown kinds and events of
// resources no user owns are acknowledged and ignored (so EventBridge does
// not retry them forever); malformed input is ErrInvalidArgument.
func (s *Service) Ingest(ctx context.Context, raw []byte) (res Result, err error) {
	defer ugc.Wrap(&err, "metrics.Ingest")
	ev, d, err := ParseEvent(raw)
	if err != nil {
		return res, err
	}
	if ev.Source != "" && ev.Source != "aws.ivs" {
		return ignored("source " + ev.Source), nil
	}
	switch ev.DetailType {
	case StageUpdate:
		if s.opts.Stages == nil {
			return ignored("no stage handler"), nil
		}
		return res, s.opts.Stages.HandleStageEvent(ctx, stageEvent(ev, d))
	case StreamStateChange, StreamHealthChange, LimitBreach, RecordingStateChange:
		return s.ingestChannelEvent(ctx, ev, d)
	}
	return ignored("detail-type " + ev.DetailType), nil
}

func ignored(reason string) Result { return Result{Ignored: true, Reason: reason} }

func (s *Service) ingestChannelEvent(ctx context.Context, ev *Event, d *Detail) (Result, error) {
	arn := ev.ChannelArn()
	if arn == "" {
		return ignored("no channel resource"), nil
	}
	if err := store.CheckID("resources", arn); err != nil {
		return Result{}, err
	}
	owner, err := s.opts.Store.GetUserByResource(ctx, arn)
	if errors.Is(err, ugc.ErrNotFound) {
		s.opts.Logger.InfoContext(ctx, "ignoring event of an unknown channel", "channel", arn, "type", ev.DetailType)
		return ignored("unknown channel"), nil
	}
	if err != nil {
		return Result{}, err
	}
	sessionID := d.StreamID
	if sessionID == "" {
		sessionID, err = s.sessionAt(ctx, owner.ID, ev)
		if err != nil {
			return Result{}, err
		}
		if sessionID == "" {
			return ignored("no stream session at the event's time"), nil
		}
	}
	if err := store.CheckID("stream_id", sessionID); err != nil {
		return Result{}, err
	}
	se := ugc.StreamEvent{
		ID: ev.ID, SessionID: sessionID, Time: ev.Time, Type: ev.DetailType,
		Name: d.name(ev.DetailType), Code: d.Code, Reason: d.Reason,
	}
	added, err := s.opts.Store.AppendStreamEvent(ctx, se)
	if err != nil {
		return Result{}, err
	}
	// Apply the state change even for a repeated event: a previous delivery
	// may have failed after recording it. Every change is idempotent.
	sess, err := s.applyToSession(ctx, owner, arn, se)
	if err != nil {
		return Result{}, err
	}
	if err := s.updateLive(ctx, owner.ID, sess, se); err != nil {
		return Result{}, err
	}
	if added && s.opts.Listener != nil {
		s.opts.Listener.StreamEvent(ctx, owner.ID, se)
	}
	return Result{}, nil
}

// sessionAt finds the user's session running at the event's time, for
// events without a stream ID (limit breaches).
func (s *Service) sessionAt(ctx context.Context, userID string, ev *Event) (string, error) {
	sessions, _, err := s.opts.Store.ListStreamSessions(ctx, userID, store.Page{Limit: 10})
	if err != nil {
		return "", err
	}
	for _, ss := range sessions {
		if !ss.StartTime.After(ev.Time) {
			return ss.ID, nil
		}
	}
	return "", nil
}

func (s *Service) applyToSession(ctx context.Context, owner *ugc.User, arn string, se ugc.StreamEvent) (*ugc.StreamSession, error) {
	for range maxVersionRetries {
		sess, version, err := s.opts.Store.GetStreamSessionVersion(ctx, se.SessionID)
		switch {
		case errors.Is(err, ugc.ErrNotFound):
			sess, version = &ugc.StreamSession{ID: se.SessionID, UserID: owner.ID, ChannelArn: arn, IsHealthy: true}, 0
		case err != nil:
			return nil, err
		}
		if sess.UserID != owner.ID {
			// A stream ID is unique to its channel; a mismatch means a forged event.
			return nil, ugc.InvalidField("stream_id", "belongs to another channel")
		}
		changed := applyEvent(sess, se)
		if se.Type == StreamHealthChange {
			healthy, err := s.latestHealth(ctx, se.SessionID)
			if err != nil {
				return nil, err
			}
			changed = changed || healthy != sess.IsHealthy
			sess.IsHealthy = healthy
		}
		if !changed && version != 0 {
			return sess, nil
		}
		sess.UpdatedAt = s.opts.Now().UTC()
		_, err = s.opts.Store.PutStreamSession(ctx, sess, version)
		if ugc.CodeOf(err) == "version_conflict" {
			continue
		}
		if err != nil {
			return nil, err
		}
		return sess, nil
	}
	return nil, ugc.Errorf(ugc.ErrUnavailable, "session %s is updated too often; try again", se.SessionID)
}

// applyEvent folds one event into the session and reports a change. Each
// rule is order-independent: min for starts, max for ends, or for errors.
func applyEvent(sess *ugc.StreamSession, se ugc.StreamEvent) bool {
	changed := false
	switch {
	case se.Type == StreamStateChange && (se.Name == eventNameSessionStart || se.Name == eventNameStreamStart):
		if sess.StartTime.IsZero() || se.Time.Before(sess.StartTime) {
			sess.StartTime, changed = se.Time, true
		}
	case se.Type == StreamStateChange && (se.Name == eventNameStreamEnd || se.Name == eventNameSessionEnd):
		if se.Time.After(sess.EndTime) {
			sess.EndTime, changed = se.Time, true
		}
	}
	if se.Type == LimitBreach || se.Name == eventNameStreamFail {
		changed = changed || !sess.HasErrorEvent
		sess.HasErrorEvent = true
	}
	return changed
}

// latestHealth reads a session's events and returns whether the latest
// health event (by time, then ID) leaves it healthy. Health events are
// rare, so the scan runs seldom even for long sessions.
func (s *Service) latestHealth(ctx context.Context, sessionID string) (bool, error) {
	var latest *ugc.StreamEvent
	p := store.Page{Limit: store.MaxPageLimit}
	for {
		evs, next, err := s.opts.Store.ListStreamEvents(ctx, sessionID, p)
		if err != nil {
			return false, err
		}
		for i := range evs {
			e := &evs[i]
			if e.Type != StreamHealthChange {
				continue
			}
			if latest == nil || e.Time.After(latest.Time) || e.Time.Equal(latest.Time) && e.ID > latest.ID {
				c := *e
				latest = &c
			}
		}
		if next == "" {
			break
		}
		p.Cursor = next
	}
	return latest == nil || latest.Name != eventNameStarveStart, nil
}

// updateLive keeps the live index in step with the session: live from a
// Stream Start until the session ends.
func (s *Service) updateLive(ctx context.Context, userID string, sess *ugc.StreamSession, se ugc.StreamEvent) error {
	if !sess.EndTime.IsZero() {
		return s.opts.Store.ClearLive(ctx, userID, ugc.LiveLowLatency, sess.ID)
	}
	if se.Type == StreamStateChange && se.Name == eventNameStreamStart {
		return s.opts.Store.SetLive(ctx, ugc.LiveEntry{UserID: userID, Kind: ugc.LiveLowLatency, Since: se.Time, Ref: sess.ID})
	}
	return nil
}
