package stagesvc

import (
	"encoding/json"
	"fmt"
)

// stateVersion is the version of the MarshalState format.
const stateVersion = 1

type stateFile struct {
	Version int      `json:"version"`
	Key     []byte   `json:"key"`
	Stages  []*stage `json:"stages"`
}

// MarshalState returns the service's stages, their sessions and
// participants, and the token signing key, as JSON for the state file.
func (s *Service) MarshalState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return json.Marshal(stateFile{Version: stateVersion, Key: s.key, Stages: s.sortedStages()})
}

// UnmarshalState replaces the service's state with one from MarshalState.
// Nobody is connected after a restart: active sessions end and connected
// participants become DISCONNECTED, at the current time and without
// events. Stages missing from env.Tags are registered with no tags (the
// root package restores tags itself). Tokens minted before the restart
// still join, once.
func (s *Service) UnmarshalState(b []byte) error {
	var f stateFile
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("stagesvc: decode state: %w", err)
	}
	if f.Version != stateVersion {
		return fmt.Errorf("stagesvc: state version %d, want %d", f.Version, stateVersion)
	}
	if len(f.Key) < 16 {
		return fmt.Errorf("stagesvc: state has no token key")
	}
	now := s.env.Now()
	stages := make(map[string]*stage, len(f.Stages))
	for _, st := range f.Stages {
		if st == nil || len(st.ID) != stageIDLen {
			return fmt.Errorf("stagesvc: state has a stage with a bad ID")
		}
		if st.Used == nil {
			st.Used = map[string]bool{}
		}
		st.byPID = map[string]*participant{}
		for _, se := range st.Sessions {
			for _, p := range se.Participants {
				p.sessionID = se.ID
				st.byPID[p.ID] = p
				if p.State == stateConnected {
					p.State = stateDisconnected
					if p.Published {
						p.Published = false
						p.Events = append(p.Events, participantEvt{Name: pePublishStopped, Time: now})
					}
					if p.RecordingState == "ACTIVE" {
						p.RecordingState = "STOPPED"
					}
					p.Events = append(p.Events, participantEvt{Name: peLeft, Time: now})
				}
			}
			if se.End == nil {
				end := now
				se.End = &end
			}
		}
		stages[st.ID] = st
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key = f.Key
	s.stages = stages
	for _, st := range stages {
		if _, ok := s.env.Tags.Get(st.ARN); !ok {
			s.env.Tags.Register(st.ARN, nil)
		}
	}
	return nil
}
