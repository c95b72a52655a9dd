package stagesvc

import (
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func (s *Service) stageJSON(st *stage) stageOut {
	tags, _ := s.env.Tags.Get(st.ARN)
	if tags == nil {
		tags = map[string]string{}
	}
	o := stageOut{
		Arn:                                   st.ARN,
		Name:                                  st.Name,
		Endpoints:                             &st.Endpoints,
		Tags:                                  tags,
		AutoParticipantRecordingConfiguration: st.AutoRec,
	}
	if st.active != nil {
		o.ActiveSessionID = st.active.ID
	}
	return o
}

func newEndpoints() stageEndpoints {
	b := make([]byte, 6)
	copy(b, emu.RandomID(6))
	h := strings.ToLower(hex.EncodeToString(b))
	r := strings.ToLower(emu.RandomID(12))
	return stageEndpoints{
		Events: "wss://global.events.live-video.net",
		Whip:   "https://" + h + ".global-bm.whip.live-video.net",
		Rtmp:   "rtmp://" + r + ".global-contribute.live-video.net/app/",
		Rtmps:  "rtmps://" + r + ".global-contribute.live-video.net:443/app/",
	}
}

func (s *Service) createStage(r *http.Request) (int, any, error) {
	var in struct {
		Name                                  string               `json:"name"`
		ParticipantTokenConfigurations        []tokenConfig        `json:"participantTokenConfigurations"`
		Tags                                  map[string]string    `json:"tags"`
		AutoParticipantRecordingConfiguration *autoRecordingConfig `json:"autoParticipantRecordingConfiguration"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkName(in.Name); err != nil {
		return 0, nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return 0, nil, err
	}
	if len(in.ParticipantTokenConfigurations) > maxTokenConfigs {
		return 0, nil, emu.Validation("participantTokenConfigurations takes at most %d items", maxTokenConfigs)
	}
	for i := range in.ParticipantTokenConfigurations {
		if err := in.ParticipantTokenConfigurations[i].validate(); err != nil {
			return 0, nil, err
		}
	}
	if err := validateAutoRec(in.AutoParticipantRecordingConfiguration); err != nil {
		return 0, nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	id := emu.RandomID(stageIDLen)
	for s.stages[id] != nil {
		id = emu.RandomID(stageIDLen)
	}
	st := &stage{
		ID:        id,
		ARN:       s.env.ARN("ivs", "stage/"+id),
		Name:      in.Name,
		AutoRec:   in.AutoParticipantRecordingConfiguration,
		Endpoints: newEndpoints(),
		Created:   s.env.Now(),
		Used:      map[string]bool{},
		byPID:     map[string]*participant{},
	}
	s.stages[id] = st
	s.env.Tags.Register(st.ARN, in.Tags)

	out := struct {
		Stage             stageOut   `json:"stage"`
		ParticipantTokens []tokenOut `json:"participantTokens"`
	}{Stage: s.stageJSON(st), ParticipantTokens: []tokenOut{}}
	for _, c := range in.ParticipantTokenConfigurations {
		t, err := s.mintToken(st, c)
		if err != nil {
			return 0, nil, err
		}
		out.ParticipantTokens = append(out.ParticipantTokens, t)
	}
	return http.StatusOK, out, nil
}

func (s *Service) getStage(r *http.Request) (int, any, error) {
	var in struct {
		Arn string `json:"arn"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("arn", in.Arn); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byARN(in.Arn)
	if st == nil {
		return 0, nil, emu.NotFound(in.Arn)
	}
	return http.StatusOK, map[string]any{"stage": s.stageJSON(st)}, nil
}

func (s *Service) updateStage(r *http.Request) (int, any, error) {
	var in struct {
		Arn                                   string               `json:"arn"`
		Name                                  *string              `json:"name"`
		AutoParticipantRecordingConfiguration *autoRecordingConfig `json:"autoParticipantRecordingConfiguration"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("arn", in.Arn); err != nil {
		return 0, nil, err
	}
	if in.Name != nil {
		if err := checkName(*in.Name); err != nil {
			return 0, nil, err
		}
	}
	if err := validateAutoRec(in.AutoParticipantRecordingConfiguration); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byARN(in.Arn)
	if st == nil {
		return 0, nil, emu.NotFound(in.Arn)
	}
	if in.AutoParticipantRecordingConfiguration != nil && st.active != nil &&
		in.AutoParticipantRecordingConfiguration.recordingEnabled() != st.AutoRec.recordingEnabled() {
		return 0, nil, emu.Conflict("cannot change participant recording of stage %s while a session is active", in.Arn)
	}
	if in.Name != nil {
		st.Name = *in.Name
	}
	if in.AutoParticipantRecordingConfiguration != nil {
		st.AutoRec = in.AutoParticipantRecordingConfiguration
	}
	return http.StatusOK, map[string]any{"stage": s.stageJSON(st)}, nil
}

func (s *Service) deleteStage(r *http.Request) (int, any, error) {
	var in struct {
		Arn string `json:"arn"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("arn", in.Arn); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	st := s.byARN(in.Arn)
	if st == nil {
		s.mu.Unlock()
		return 0, nil, emu.NotFound(in.Arn)
	}
	var evs []emu.Event
	if st.active != nil {
		for _, p := range st.active.Participants {
			if p.State == stateConnected {
				evs = append(evs, s.leaveLocked(st, p, "stage deleted")...)
			}
		}
	}
	delete(s.stages, st.ID)
	s.env.Tags.Forget(st.ARN)
	s.mu.Unlock()
	s.emit(evs)
	return http.StatusOK, struct{}{}, nil
}

func (s *Service) listStages(r *http.Request) (int, any, error) {
	var in struct {
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	size, err := checkMaxResults(in.MaxResults)
	if err != nil {
		return 0, nil, err
	}
	off, err := parsePageToken("stages", in.NextToken)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.sortedStages()
	lo, hi, next := page("stages", len(all), off, size)
	out := struct {
		Stages    []stageSummaryOut `json:"stages"`
		NextToken string            `json:"nextToken,omitempty"`
	}{Stages: []stageSummaryOut{}, NextToken: next}
	for _, st := range all[lo:hi] {
		o := s.stageJSON(st)
		out.Stages = append(out.Stages, stageSummaryOut{Arn: o.Arn, Name: o.Name, ActiveSessionID: o.ActiveSessionID, Tags: o.Tags})
	}
	return http.StatusOK, out, nil
}

// mintToken issues a participant token for st. s.mu must be held.
func (s *Service) mintToken(st *stage, c tokenConfig) (tokenOut, error) {
	now := s.env.Now()
	exp := now.Add(time.Duration(*c.Duration) * time.Minute)
	pid := emu.RandomID(participantIDLen)
	for st.Used[pid] || st.byPID[pid] != nil {
		pid = emu.RandomID(participantIDLen)
	}
	claims := tokenClaims{
		StageARN:      st.ARN,
		StageID:       st.ID,
		ParticipantID: pid,
		UserID:        c.UserID,
		Attributes:    c.Attributes,
		IssuedAt:      now.Unix(),
		Expires:       exp.Unix(),
		WhipURL:       st.Endpoints.Whip,
		EventsURL:     st.Endpoints.Events,
	}
	for _, cp := range c.Capabilities {
		switch cp {
		case capPublish:
			claims.Capabilities.Publish = true
		case capSubscribe:
			claims.Capabilities.Subscribe = true
		}
	}
	tok, err := signToken(s.key, claims)
	if err != nil {
		return tokenOut{}, err
	}
	return tokenOut{
		ParticipantID:  pid,
		Token:          tok,
		UserID:         c.UserID,
		Attributes:     c.Attributes,
		Capabilities:   claims.Capabilities.list(),
		Duration:       *c.Duration,
		ExpirationTime: iso(time.Unix(exp.Unix(), 0)),
	}, nil
}

func (s *Service) createParticipantToken(r *http.Request) (int, any, error) {
	var in struct {
		StageArn string `json:"stageArn"`
		tokenConfig
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkStageARN("stageArn", in.StageArn); err != nil {
		return 0, nil, err
	}
	if err := in.tokenConfig.validate(); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byARN(in.StageArn)
	if st == nil {
		return 0, nil, emu.NotFound(in.StageArn)
	}
	t, err := s.mintToken(st, in.tokenConfig)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"participantToken": t}, nil
}
