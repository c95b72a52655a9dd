package httpapi

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
)

// EventsSecretHeader carries the shared secret of POST /v1/stream-events,
// set on the EventBridge API destination's connection.
const EventsSecretHeader = "X-Ugc-Events-Secret"

// maxEventBody is EventBridge's own limit on an event.
const maxEventBody = 256 << 10

// metricsRoutes are the routes of package metrics: event ingestion for an
// EventBridge API destination, live status and stream sessions.
func metricsRoutes(svc *metrics.Service, eventsSecret string) []Route {
	h := metricsHandlers{svc: svc, secret: []byte(eventsSecret)}
	rs := []Route{
		{Method: "GET", Pattern: "/v1/me/live-status", Auth: AuthRequired, Tag: "metrics",
			Summary:  "Whether the caller's channel is broadcasting and their stage is live",
			Response: liveStatusResponse{}, Handler: h.liveStatus},
		{Method: "GET", Pattern: "/v1/me/sessions", Auth: AuthRequired, Tag: "metrics",
			Summary: "The caller's stream sessions, newest first",
			Query: []Param{
				{Name: "limit", Type: "integer", Description: "page size, 1 to 100; default 50"},
				{Name: "cursor", Description: "nextCursor of the previous page"},
			},
			Response: sessionsResponse{}, Handler: h.sessions},
		{Method: "GET", Pattern: "/v1/me/sessions/{id}", Auth: AuthRequired, Tag: "metrics",
			Summary:     "One of the caller's stream sessions with its events, encoder configuration and metrics",
			Description: "Another user's session is 404. Metrics carry explicit timestamps; a live session's newest 30 s are omitted.",
			Response:    sessionDetailResponse{}, Handler: h.session},
	}
	if eventsSecret != "" {
		rs = append(rs, Route{Method: "POST", Pattern: "/v1/stream-events", Tag: "metrics",
			Summary: "Ingest one Amazon IVS EventBridge event (an EventBridge API destination target)",
			Description: "Requires the " + EventsSecretHeader + " header (401 when missing or wrong). " +
				"Events that are not ours or of an unknown kind are accepted and ignored (202); malformed events are 400.",
			RequestMedia: []string{"application/json"}, MaxBody: maxEventBody,
			Response: ingestResponse{}, Status: http.StatusAccepted, Handler: h.ingest})
	}
	return rs
}

type metricsHandlers struct {
	svc    *metrics.Service
	secret []byte
}

type liveStatusResponse struct {
	IsBroadcasting bool `json:"isBroadcasting"`
	IsStageActive  bool `json:"isStageActive"`
}

type sessionSummary struct {
	ID            string     `json:"id"`
	StartTime     time.Time  `json:"startTime"`
	EndTime       *time.Time `json:"endTime" doc:"null while live"`
	IsLive        bool       `json:"isLive"`
	IsHealthy     bool       `json:"isHealthy"`
	HasErrorEvent bool       `json:"hasErrorEvent"`
}

type sessionsResponse struct {
	Sessions   []sessionSummary `json:"sessions"`
	NextCursor *string          `json:"nextCursor" doc:"null on the last page"`
}

type sessionEvent struct {
	Time time.Time `json:"time"`
	Type string    `json:"type" doc:"the EventBridge detail-type"`
	Name string    `json:"name" doc:"the event name, or the limit name of a limit breach"`
}

type metricSeries struct {
	Name       string      `json:"name"`
	Period     int         `json:"period" doc:"seconds between points"`
	Timestamps []time.Time `json:"timestamps"`
	Values     []float64   `json:"values"`
	Average    *float64    `json:"average" doc:"null when there is no data"`
}

type sessionDetailResponse struct {
	sessionSummary
	Events              []sessionEvent  `json:"events"`
	IngestConfiguration json.RawMessage `json:"ingestConfiguration" doc:"the encoder configuration IVS reports ({audio, video}); null until known"`
	Metrics             []metricSeries  `json:"metrics"`
}

type ingestResponse struct {
	Ignored bool   `json:"ignored"`
	Reason  string `json:"reason,omitempty"`
}

func summarize(s *ugc.StreamSession) sessionSummary {
	return sessionSummary{
		ID: s.ID, StartTime: s.StartTime.UTC(), EndTime: timeOrNull(s.EndTime),
		IsLive: s.IsLive(), IsHealthy: s.IsHealthy, HasErrorEvent: s.HasErrorEvent,
	}
}

func (h metricsHandlers) liveStatus(w http.ResponseWriter, r *http.Request) error {
	st, err := h.svc.LiveStatus(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, liveStatusResponse{IsBroadcasting: st.IsBroadcasting, IsStageActive: st.IsStageActive})
	return nil
}

func (h metricsHandlers) sessions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, next, err := h.svc.Sessions(r.Context(), callerID(r), p)
	if err != nil {
		return err
	}
	resp := sessionsResponse{Sessions: make([]sessionSummary, 0, len(list)), NextCursor: orNull(next)}
	for _, s := range list {
		resp.Sessions = append(resp.Sessions, summarize(s))
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h metricsHandlers) session(w http.ResponseWriter, r *http.Request) error {
	d, err := h.svc.Session(r.Context(), callerID(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	resp := sessionDetailResponse{
		sessionSummary:      summarize(d.Session),
		Events:              make([]sessionEvent, 0, len(d.Events)),
		IngestConfiguration: d.IngestConfiguration,
		Metrics:             make([]metricSeries, 0, len(d.Metrics)),
	}
	if len(resp.IngestConfiguration) == 0 {
		resp.IngestConfiguration = json.RawMessage("null")
	}
	for _, e := range d.Events {
		resp.Events = append(resp.Events, sessionEvent{Time: e.Time.UTC(), Type: e.Type, Name: e.Name})
	}
	for _, m := range d.Metrics {
		resp.Metrics = append(resp.Metrics, metricSeries(m))
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h metricsHandlers) ingest(w http.ResponseWriter, r *http.Request) error {
	got := []byte(r.Header.Get(EventsSecretHeader))
	if len(got) == 0 || subtle.ConstantTimeCompare(got, h.secret) != 1 {
		return ugc.Errorf(ugc.ErrUnauthenticated, "missing or wrong %s header", EventsSecretHeader)
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	res, err := h.svc.Ingest(r.Context(), raw)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusAccepted, ingestResponse{Ignored: res.Ignored, Reason: res.Reason})
	return nil
}
