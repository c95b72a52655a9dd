package stagesvc

import (
	"fmt"
	"maps"
	"net/http"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Event names of the "IVS Stage Update" EventBridge event.
const (
	evJoined       = "Participant Joined"
	evLeft         = "Participant Left"
	evPublished    = "Participant Published"
	evUnpublished  = "Participant Unpublished"
	evPublishError = "Participant Publish Error"
	evSessionStart = "Session Created"
	evSessionEnd   = "Session Ended"
)

// Names of participant events (ListParticipantEvents).
const (
	peJoined         = "JOINED"
	peLeft           = "LEFT"
	pePublishStarted = "PUBLISH_STARTED"
	pePublishStopped = "PUBLISH_STOPPED"
	pePublishError   = "PUBLISH_ERROR"
)

// stageEvent builds an "IVS Stage Update" event. p may be nil for session
// events, which carry no participant keys.
func (s *Service) stageEvent(st *stage, sessionID, name string, t time.Time, p *participant, extra map[string]any) emu.Event {
	d := map[string]any{
		"session_id": sessionID,
		"event_name": name,
		"event_time": t.UTC().Format(time.RFC3339),
	}
	if p != nil {
		d["user_id"] = p.UserID
		d["participant_id"] = p.ID
	}
	maps.Copy(d, extra)
	return s.env.NewEvent(eventDetailTypeStage, []string{st.ARN}, d)
}

// Join connects a participant to the stage with ID stageID using a
// participant token from CreateParticipantToken or CreateStage, and returns
// the participant ID the token was minted for. The first participant to
// join starts a stage session. A token joins once; an unknown, expired or
// already used token, or one minted for another stage, is an error.
func (s *Service) Join(stageID, token string) (participantID string, err error) {
	s.mu.Lock()
	st := s.stages[stageID]
	if st == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("join %s: %w", stageID, ErrStageNotFound)
	}
	c, err := parseToken(s.key, token)
	switch {
	case err != nil:
		err = ErrInvalidToken
	case c.StageID != st.ID || c.StageARN != st.ARN:
		err = ErrTokenWrongStage
	case !s.env.Now().Before(time.Unix(c.Expires, 0)):
		err = ErrTokenExpired
	case st.Used[c.ParticipantID]:
		err = ErrTokenUsed
	case st.active != nil && connected(st.active) >= maxSubscribers:
		err = ErrStageFull
	}
	if err != nil {
		s.mu.Unlock()
		return "", fmt.Errorf("join %s: %w", stageID, err)
	}
	now := s.env.Now()
	var evs []emu.Event
	if st.active == nil {
		st.active = &session{ID: "st-" + emu.RandomID(sessionIDSuffixLen), Start: now}
		st.Sessions = append(st.Sessions, st.active)
		evs = append(evs, s.stageEvent(st, st.active.ID, evSessionStart, now, nil, nil))
	}
	p := &participant{
		ID:             c.ParticipantID,
		UserID:         c.UserID,
		Attributes:     c.Attributes,
		Capabilities:   c.Capabilities.list(),
		State:          stateConnected,
		FirstJoinTime:  now,
		RecordingState: "DISABLED",
		Events:         []participantEvt{{Name: peJoined, Time: now}},
		sessionID:      st.active.ID,
	}
	if st.AutoRec.recordingEnabled() {
		p.RecordingState = "STOPPED"
	}
	st.Used[p.ID] = true
	st.byPID[p.ID] = p
	st.active.Participants = append(st.active.Participants, p)
	evs = append(evs, s.stageEvent(st, st.active.ID, evJoined, now, p, nil))
	s.mu.Unlock()
	s.emit(evs)
	return p.ID, nil
}

func connected(se *session) int {
	n := 0
	for _, p := range se.Participants {
		if p.State == stateConnected {
			n++
		}
	}
	return n
}

// lookup returns the connected participant, or an error. s.mu must be held.
func (s *Service) lookup(stageID, participantID string) (*stage, *participant, error) {
	st := s.stages[stageID]
	if st == nil {
		return nil, nil, ErrStageNotFound
	}
	p := st.byPID[participantID]
	if p == nil {
		return nil, nil, ErrParticipantNotFound
	}
	if p.State != stateConnected {
		return nil, nil, ErrNotConnected
	}
	return st, p, nil
}

// Publish starts publishing for a connected participant. A participant whose
// token lacks PUBLISH, or a 13th publisher on the stage, is refused; the
// latter also produces a "Participant Publish Error" event. Publishing twice
// is a no-op.
func (s *Service) Publish(stageID, participantID string) error {
	s.mu.Lock()
	st, p, err := s.lookup(stageID, participantID)
	if err != nil {
		s.mu.Unlock()
		return fmt.Errorf("publish %s/%s: %w", stageID, participantID, err)
	}
	if p.Published {
		s.mu.Unlock()
		return nil
	}
	now := s.env.Now()
	var evs []emu.Event
	switch {
	case !p.can(capPublish):
		err = ErrNoPublishCapability
		p.Events = append(p.Events, participantEvt{Name: pePublishError, Time: now, ErrorCode: "INSUFFICIENT_CAPABILITIES"})
		evs = append(evs, s.stageEvent(st, p.sessionID, evPublishError, now, p, map[string]any{"reason": "INSUFFICIENT_CAPABILITIES"}))
	case publishers(st.active) >= maxPublishers:
		err = ErrPublisherLimit
		p.Events = append(p.Events, participantEvt{Name: pePublishError, Time: now, ErrorCode: "QUOTA_EXCEEDED"})
		evs = append(evs, s.stageEvent(st, p.sessionID, evPublishError, now, p, map[string]any{"reason": "QUOTA_EXCEEDED"}))
	default:
		p.Published = true
		if st.AutoRec.recordingEnabled() {
			p.RecordingState = "ACTIVE"
		}
		p.Events = append(p.Events, participantEvt{Name: pePublishStarted, Time: now})
		evs = append(evs, s.stageEvent(st, p.sessionID, evPublished, now, p, nil))
	}
	s.mu.Unlock()
	s.emit(evs)
	if err != nil {
		return fmt.Errorf("publish %s/%s: %w", stageID, participantID, err)
	}
	return nil
}

func publishers(se *session) int {
	n := 0
	for _, p := range se.Participants {
		if p.State == stateConnected && p.Published {
			n++
		}
	}
	return n
}

// Unpublish stops publishing for a connected participant; unpublishing a
// participant that does not publish is a no-op.
func (s *Service) Unpublish(stageID, participantID string) error {
	s.mu.Lock()
	st, p, err := s.lookup(stageID, participantID)
	if err != nil {
		s.mu.Unlock()
		return fmt.Errorf("unpublish %s/%s: %w", stageID, participantID, err)
	}
	var evs []emu.Event
	if p.Published {
		evs = s.unpublishLocked(st, p)
	}
	s.mu.Unlock()
	s.emit(evs)
	return nil
}

func (s *Service) unpublishLocked(st *stage, p *participant) []emu.Event {
	now := s.env.Now()
	p.Published = false
	if st.AutoRec.recordingEnabled() {
		p.RecordingState = "STOPPED"
	}
	p.Events = append(p.Events, participantEvt{Name: pePublishStopped, Time: now})
	return []emu.Event{s.stageEvent(st, p.sessionID, evUnpublished, now, p, nil)}
}

// Leave disconnects a participant from the stage, as if its client left.
// When the last participant leaves, the stage session ends.
func (s *Service) Leave(stageID, participantID string) error {
	s.mu.Lock()
	st, p, err := s.lookup(stageID, participantID)
	if err != nil {
		s.mu.Unlock()
		return fmt.Errorf("leave %s/%s: %w", stageID, participantID, err)
	}
	evs := s.leaveLocked(st, p, "")
	s.mu.Unlock()
	s.emit(evs)
	return nil
}

// leaveLocked disconnects p and ends the session when it was the last
// participant. s.mu must be held.
func (s *Service) leaveLocked(st *stage, p *participant, reason string) []emu.Event {
	var evs []emu.Event
	if p.Published {
		evs = append(evs, s.unpublishLocked(st, p)...)
	}
	now := s.env.Now()
	p.State = stateDisconnected
	p.Events = append(p.Events, participantEvt{Name: peLeft, Time: now})
	var extra map[string]any
	if reason != "" {
		extra = map[string]any{"reason": reason}
	}
	evs = append(evs, s.stageEvent(st, p.sessionID, evLeft, now, p, extra))
	if se := st.active; se != nil && se.ID == p.sessionID && connected(se) == 0 {
		se.End = &now
		st.active = nil
		evs = append(evs, s.stageEvent(st, se.ID, evSessionEnd, now, nil, nil))
	}
	return evs
}

func (s *Service) disconnectParticipant(r *http.Request) (int, any, error) {
	var in struct {
		StageArn      string `json:"stageArn"`
		ParticipantID string `json:"participantId"`
		Reason        string `json:"reason"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	if err := checkParticipantID(in.ParticipantID); err != nil {
		return 0, nil, err
	}
	if len(in.Reason) > maxReasonLen {
		return 0, nil, emu.Validation("reason must be at most %d characters", maxReasonLen)
	}
	s.mu.Lock()
	st := s.byARN(in.StageArn)
	if st == nil {
		s.mu.Unlock()
		return 0, nil, emu.NotFound(in.StageArn)
	}
	p := st.byPID[in.ParticipantID]
	if p == nil || p.State != stateConnected {
		s.mu.Unlock()
		return 0, nil, emu.NotFound(in.ParticipantID)
	}
	reason := in.Reason
	if reason == "" {
		reason = "disconnected by API"
	}
	evs := s.leaveLocked(st, p, reason)
	s.mu.Unlock()
	s.emit(evs)
	return http.StatusOK, struct{}{}, nil
}

// sessionOf returns the stage and session named by a request. s.mu must be
// held.
func (s *Service) sessionOf(stageARN, sessionID string) (*stage, *session, *emu.Error) {
	st := s.byARN(stageARN)
	if st == nil {
		return nil, nil, emu.NotFound(stageARN)
	}
	for _, se := range st.Sessions {
		if se.ID == sessionID {
			return st, se, nil
		}
	}
	return nil, nil, emu.NotFound(sessionID)
}

func (s *Service) listParticipants(r *http.Request) (int, any, error) {
	var in struct {
		StageArn               string  `json:"stageArn"`
		SessionID              string  `json:"sessionId"`
		FilterByUserID         *string `json:"filterByUserId"`
		FilterByPublished      *bool   `json:"filterByPublished"`
		FilterByState          *string `json:"filterByState"`
		FilterByRecordingState *string `json:"filterByRecordingState"`
		MaxResults             *int    `json:"maxResults"`
		NextToken              string  `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	if err := checkSessionID(in.SessionID); err != nil {
		return 0, nil, err
	}
	filters := 0
	for _, set := range []bool{in.FilterByUserID != nil, in.FilterByPublished != nil, in.FilterByState != nil, in.FilterByRecordingState != nil} {
		if set {
			filters++
		}
	}
	if filters > 1 {
		return 0, nil, emu.Validation("only one of filterByUserId, filterByPublished, filterByState and filterByRecordingState may be given")
	}
	if in.FilterByState != nil && *in.FilterByState != stateConnected && *in.FilterByState != stateDisconnected {
		return 0, nil, emu.Validation("filterByState must be CONNECTED or DISCONNECTED")
	}
	if in.FilterByRecordingState != nil && !recordingStates[*in.FilterByRecordingState] {
		return 0, nil, emu.Validation("filterByRecordingState: unknown value %q", *in.FilterByRecordingState)
	}
	if in.FilterByUserID != nil && len(*in.FilterByUserID) > maxUserIDLen {
		return 0, nil, emu.Validation("filterByUserId must be at most %d characters", maxUserIDLen)
	}
	size, err := checkMaxResults(in.MaxResults)
	if err != nil {
		return 0, nil, err
	}
	scope := "participants/" + in.SessionID
	off, err := parsePageToken(scope, in.NextToken)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, se, err := s.sessionOf(in.StageArn, in.SessionID)
	if err != nil {
		return 0, nil, err
	}
	var match []*participant
	for _, p := range se.Participants {
		switch {
		case in.FilterByUserID != nil && p.UserID != *in.FilterByUserID,
			in.FilterByPublished != nil && p.Published != *in.FilterByPublished,
			in.FilterByState != nil && p.State != *in.FilterByState,
			in.FilterByRecordingState != nil && p.RecordingState != *in.FilterByRecordingState:
			continue
		}
		match = append(match, p)
	}
	lo, hi, next := page(scope, len(match), off, size)
	out := struct {
		Participants []participantSummaryOut `json:"participants"`
		NextToken    string                  `json:"nextToken,omitempty"`
	}{Participants: []participantSummaryOut{}, NextToken: next}
	for _, p := range match[lo:hi] {
		out.Participants = append(out.Participants, participantSummaryOut{
			ParticipantID:  p.ID,
			UserID:         p.UserID,
			State:          p.State,
			FirstJoinTime:  iso(p.FirstJoinTime),
			Published:      p.Published,
			RecordingState: p.RecordingState,
		})
	}
	return http.StatusOK, out, nil
}

func (s *Service) getParticipant(r *http.Request) (int, any, error) {
	var in struct {
		StageArn      string `json:"stageArn"`
		SessionID     string `json:"sessionId"`
		ParticipantID string `json:"participantId"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	if err := checkSessionID(in.SessionID); err != nil {
		return 0, nil, err
	}
	if err := checkParticipantID(in.ParticipantID); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, _, err := s.sessionOf(in.StageArn, in.SessionID)
	if err != nil {
		return 0, nil, err
	}
	p := st.byPID[in.ParticipantID]
	if p == nil || p.sessionID != in.SessionID {
		return 0, nil, emu.NotFound(in.ParticipantID)
	}
	return http.StatusOK, map[string]any{"participant": participantJSON(p)}, nil
}

func (s *Service) listParticipantEvents(r *http.Request) (int, any, error) {
	var in struct {
		StageArn      string `json:"stageArn"`
		SessionID     string `json:"sessionId"`
		ParticipantID string `json:"participantId"`
		MaxResults    *int   `json:"maxResults"`
		NextToken     string `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	if err := checkSessionID(in.SessionID); err != nil {
		return 0, nil, err
	}
	if err := checkParticipantID(in.ParticipantID); err != nil {
		return 0, nil, err
	}
	size, err := checkMaxResults(in.MaxResults)
	if err != nil {
		return 0, nil, err
	}
	scope := "events/" + in.ParticipantID
	off, err := parsePageToken(scope, in.NextToken)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, _, err := s.sessionOf(in.StageArn, in.SessionID)
	if err != nil {
		return 0, nil, err
	}
	p := st.byPID[in.ParticipantID]
	if p == nil || p.sessionID != in.SessionID {
		return 0, nil, emu.NotFound(in.ParticipantID)
	}
	lo, hi, next := page(scope, len(p.Events), off, size)
	out := struct {
		Events    []eventOut `json:"events"`
		NextToken string     `json:"nextToken,omitempty"`
	}{Events: []eventOut{}, NextToken: next}
	for _, e := range p.Events[lo:hi] {
		out.Events = append(out.Events, eventOut{Name: e.Name, ParticipantID: p.ID, EventTime: iso(e.Time), ErrorCode: e.ErrorCode})
	}
	return http.StatusOK, out, nil
}

func (s *Service) listStageSessions(r *http.Request) (int, any, error) {
	var in struct {
		StageArn   string `json:"stageArn"`
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	size, err := checkMaxResults(in.MaxResults)
	if err != nil {
		return 0, nil, err
	}
	off, err := parsePageToken("sessions", in.NextToken)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byARN(in.StageArn)
	if st == nil {
		return 0, nil, emu.NotFound(in.StageArn)
	}
	// Newest first.
	n := len(st.Sessions)
	lo, hi, next := page("sessions", n, off, size)
	out := struct {
		StageSessions []sessionOut `json:"stageSessions"`
		NextToken     string       `json:"nextToken,omitempty"`
	}{StageSessions: []sessionOut{}, NextToken: next}
	for i := lo; i < hi; i++ {
		out.StageSessions = append(out.StageSessions, sessionJSON(st.Sessions[n-1-i]))
	}
	return http.StatusOK, out, nil
}

func (s *Service) getStageSession(r *http.Request) (int, any, error) {
	var in struct {
		StageArn  string `json:"stageArn"`
		SessionID string `json:"sessionId"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	if err := checkSessionID(in.SessionID); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, se, err := s.sessionOf(in.StageArn, in.SessionID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"stageSession": sessionJSON(se)}, nil
}
