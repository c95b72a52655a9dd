package ivslocal

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/ivssvc"
)

// registerControl installs the control API under /_ivslocal/.
func (s *Server) registerControl() {
	s.mux.HandleFunc("POST /_ivslocal/streams", s.ctlStartStream)
	s.mux.HandleFunc("DELETE /_ivslocal/streams/{channelId}", s.ctlEndStream)
	s.mux.HandleFunc("POST /_ivslocal/streams/{channelId}/starvation", s.ctlStarvation)
	s.mux.HandleFunc("POST /_ivslocal/streams/{channelId}/limit-breach", s.ctlLimitBreach)
	s.mux.HandleFunc("GET /_ivslocal/channels/{channelId}/metadata", s.ctlMetadata)
	s.mux.HandleFunc("GET /_ivslocal/faults", s.ctlListFaults)
	s.mux.HandleFunc("POST /_ivslocal/faults", s.ctlInjectFault)
	s.mux.HandleFunc("DELETE /_ivslocal/faults", s.ctlClearFaults)
	s.mux.HandleFunc("GET /_ivslocal/calls", s.ctlCalls)
	s.mux.HandleFunc("DELETE /_ivslocal/calls", s.ctlClearCalls)
	s.mux.HandleFunc("POST /_ivslocal/reset", s.ctlReset)
	s.mux.HandleFunc("/_ivslocal/", func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, emu.Errorf("ResourceNotFoundException", "no control route %s %s", r.Method, r.URL.Path))
	})
}

func writeControlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeControlError writes {"error","code"} with the status of the code.
func writeControlError(w http.ResponseWriter, err error) {
	var e *emu.Error
	if !errors.As(err, &e) {
		e = emu.Errorf("InternalServerException", "%v", err)
	}
	writeControlJSON(w, e.Status, controlError{Error: e.Message, Code: e.Code})
}

// decodeControl reads a JSON request body into v.
func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := emu.ReadBody(r)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		writeControlError(w, emu.Validation("invalid JSON body: %v", err))
		return false
	}
	return true
}

func (s *Server) ctlStartStream(w http.ResponseWriter, r *http.Request) {
	var in struct {
		StreamKey string `json:"streamKey"`
	}
	if !decodeControl(w, r, &in) {
		return
	}
	if in.StreamKey == "" {
		writeControlError(w, emu.Validation("streamKey is required"))
		return
	}
	arn, id, err := s.ivs.StartStream(in.StreamKey)
	if err != nil {
		writeControlError(w, err)
		return
	}
	writeControlJSON(w, http.StatusCreated, map[string]string{"channelArn": arn, "streamId": id})
}

func (s *Server) ctlEndStream(w http.ResponseWriter, r *http.Request) {
	if err := s.ivs.EndStream(r.PathValue("channelId")); err != nil {
		writeControlError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) ctlStarvation(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Active *bool `json:"active"`
	}
	if !decodeControl(w, r, &in) {
		return
	}
	if in.Active == nil {
		writeControlError(w, emu.Validation("active is required"))
		return
	}
	if err := s.ivs.SetStarvation(r.PathValue("channelId"), *in.Active); err != nil {
		writeControlError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) ctlLimitBreach(w http.ResponseWriter, r *http.Request) {
	var in struct {
		LimitName string `json:"limitName"`
	}
	if !decodeControl(w, r, &in) {
		return
	}
	if err := s.ivs.LimitBreach(r.PathValue("channelId"), in.LimitName); err != nil {
		writeControlError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) ctlMetadata(w http.ResponseWriter, r *http.Request) {
	entries, err := s.ivs.Metadata(r.PathValue("channelId"))
	if err != nil {
		writeControlError(w, err)
		return
	}
	if entries == nil {
		entries = []ivssvc.MetadataEntry{}
	}
	writeControlJSON(w, http.StatusOK, map[string]any{"metadata": entries})
}

func (s *Server) ctlListFaults(w http.ResponseWriter, r *http.Request) {
	writeControlJSON(w, http.StatusOK, map[string]any{"faults": s.env.Faults.List()})
}

func (s *Server) ctlInjectFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if !decodeControl(w, r, &f) {
		return
	}
	if f.Operation == "" || f.Error == "" {
		writeControlError(w, emu.Validation("operation and error are required"))
		return
	}
	if f.Count <= 0 {
		f.Count = 1
	}
	s.env.Faults.Add(f)
	writeControlJSON(w, http.StatusCreated, f)
}

func (s *Server) ctlClearFaults(w http.ResponseWriter, r *http.Request) {
	s.env.Faults.Clear()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) ctlCalls(w http.ResponseWriter, r *http.Request) {
	writeControlJSON(w, http.StatusOK, map[string]any{"calls": s.env.Calls.List()})
}

func (s *Server) ctlClearCalls(w http.ResponseWriter, r *http.Request) {
	s.env.Calls.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) ctlReset(w http.ResponseWriter, r *http.Request) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}
