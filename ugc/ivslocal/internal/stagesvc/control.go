package stagesvc

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// The control routes let tests and the reference app act as stage clients:
// join with a participant token, publish, unpublish and leave.

func (s *Service) ctlJoin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token string `json:"token"`
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err == nil {
		err = json.Unmarshal(b, &in)
	}
	if err != nil {
		ctlError(w, http.StatusBadRequest, "request body must be JSON {\"token\":\"...\"}")
		return
	}
	if in.Token == "" {
		ctlError(w, http.StatusBadRequest, "token is required")
		return
	}
	pid, err := s.Join(r.PathValue("stageId"), in.Token)
	if err != nil {
		ctlError(w, ctlStatus(err), err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]string{"participantId": pid})
}

func (s *Service) ctlPublish(w http.ResponseWriter, r *http.Request) {
	ctlDone(w, s.Publish(r.PathValue("stageId"), r.PathValue("participantId")))
}

func (s *Service) ctlUnpublish(w http.ResponseWriter, r *http.Request) {
	ctlDone(w, s.Unpublish(r.PathValue("stageId"), r.PathValue("participantId")))
}

func (s *Service) ctlLeave(w http.ResponseWriter, r *http.Request) {
	ctlDone(w, s.Leave(r.PathValue("stageId"), r.PathValue("participantId")))
}

func ctlDone(w http.ResponseWriter, err error) {
	if err != nil {
		ctlError(w, ctlStatus(err), err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ctlStatus maps the errors of Join, Publish, Unpublish and Leave to HTTP
// statuses.
func ctlStatus(err error) int {
	switch {
	case errors.Is(err, ErrStageNotFound), errors.Is(err, ErrParticipantNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrTokenUsed), errors.Is(err, ErrNotConnected),
		errors.Is(err, ErrPublisherLimit), errors.Is(err, ErrStageFull):
		return http.StatusConflict
	default:
		return http.StatusBadRequest
	}
}

func ctlError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
