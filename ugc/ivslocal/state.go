package ivslocal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// stateVersion is the version of the state file format.
const stateVersion = 1

// stateFile is the JSON document WithStateFile keeps.
type stateFile struct {
	Version  int                          `json:"version"`
	Saved    time.Time                    `json:"saved"`
	Services map[string]json.RawMessage   `json:"services"`
	Tags     map[string]map[string]string `json:"tags"`
}

// loadState reads the state file, if it exists, into the services.
func (s *Server) loadState() error {
	b, err := os.ReadFile(s.cfg.stateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read state file: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("state file %s: %w", s.cfg.stateFile, err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("state file %s: version %d, want %d", s.cfg.stateFile, st.Version, stateVersion)
	}
	for _, p := range s.persisted {
		raw, ok := st.Services[p.name]
		if !ok {
			continue
		}
		if err := p.st.UnmarshalState(raw); err != nil {
			return fmt.Errorf("state file %s: %s: %w", s.cfg.stateFile, p.name, err)
		}
	}
	// Services register their resources; restore tags only for those.
	for arn, tags := range st.Tags {
		s.env.Tags.Set(arn, tags)
	}
	return nil
}

// saveState writes the state file atomically: a temporary file in the same
// directory, then a rename.
func (s *Server) saveState() error {
	st := stateFile{
		Version:  stateVersion,
		Saved:    s.env.Now().UTC(),
		Services: map[string]json.RawMessage{},
		Tags:     s.env.Tags.Snapshot(),
	}
	for _, p := range s.persisted {
		b, err := p.st.MarshalState()
		if err != nil {
			return fmt.Errorf("save state: %s: %w", p.name, err)
		}
		st.Services[p.name] = b
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	path := s.cfg.stateFile
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}

// saveDelay is how long the saver waits after a change before writing, so a
// burst of changes makes one write.
const saveDelay = 200 * time.Millisecond

// saver writes the state file shortly after changes, from one goroutine.
type saver struct {
	save func() error
	log  *slog.Logger
	kick chan struct{}
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

func newSaver(save func() error, log *slog.Logger) *saver {
	sv := &saver{save: save, log: log, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go sv.run()
	return sv
}

// dirty schedules a write.
func (sv *saver) dirty() {
	select {
	case sv.kick <- struct{}{}:
	default:
	}
}

func (sv *saver) run() {
	defer close(sv.done)
	for {
		select {
		case <-sv.quit:
			return
		case <-sv.kick:
		}
		t := time.NewTimer(saveDelay)
		select {
		case <-sv.quit:
			t.Stop()
			return
		case <-t.C:
		}
		if err := sv.save(); err != nil {
			sv.log.Error("ivslocal: cannot write state file", "err", err)
		}
	}
}

// stop stops the goroutine; the caller writes the final state.
func (sv *saver) stop() {
	sv.once.Do(func() { close(sv.quit) })
	<-sv.done
}
