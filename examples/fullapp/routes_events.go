package main

import (
	"crypto/subtle"
	"io"
	"net/http"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// EventsSecretHeader carries the shared secret of pushed IVS events. In
// AWS, an EventBridge API destination sends it through a connection with
// API-key authorization (header name EventsSecretHeader, value the secret).
const EventsSecretHeader = "X-Ugc-Events-Secret"

// ingestResponse says what the app did with a pushed event.
type ingestResponse struct {
	Ignored bool   `json:"ignored" doc:"true when the event was acknowledged without effect"`
	Reason  string `json:"reason" doc:"why it was ignored; empty otherwise"`
}

// eventRoutes accept IVS events pushed by EventBridge (aws.ivs source) when
// -events-secret is set; in local mode the emulator's events arrive
// in-process instead.
func (a *App) eventRoutes() []httpapi.Route {
	if a.cfg.EventsSecret == "" {
		return nil
	}
	return []httpapi.Route{{
		Method: "POST", Pattern: "/v1/stream-events", Tag: "events",
		Summary:      "Ingest one IVS EventBridge event (EventBridge API destination)",
		Description:  "Requires the " + EventsSecretHeader + " header to equal the -events-secret value. Redelivery is harmless.",
		RequestMedia: []string{"application/json"},
		Response:     ingestResponse{},
		Handler:      a.ingestEvent,
	}}
}

func (a *App) ingestEvent(w http.ResponseWriter, r *http.Request) error {
	got := []byte(r.Header.Get(EventsSecretHeader))
	if subtle.ConstantTimeCompare(got, []byte(a.cfg.EventsSecret)) != 1 {
		return &ugc.Error{Kind: ugc.ErrUnauthenticated, Code: "bad_events_secret",
			Message: "missing or wrong " + EventsSecretHeader}
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	res, err := a.metrics.Ingest(r.Context(), raw)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, ingestResponse{Ignored: res.Ignored, Reason: res.Reason})
	return nil
}
