package main

import (
	"context"
	"errors"
	"net/http"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// starvationRequest is the body of POST .../stream/starvation.
type starvationRequest struct {
	Active *bool `json:"active" doc:"true starts input starvation, false ends it"`
}

// limitBreachRequest is the body of POST .../stream/limit-breach.
type limitBreachRequest struct {
	LimitName string `json:"limitName" doc:"Ingest Bitrate (default), Ingest Resolution, Concurrent Broadcasts or Concurrent Viewers"`
}

// streamStarted is the answer to POST .../stream/start.
type streamStarted struct {
	ChannelArn string `json:"channelArn"`
	StreamID   string `json:"streamId"`
}

// metadataResponse lists the timed metadata a channel received.
type metadataResponse struct {
	Payloads []string `json:"payloads" doc:"PutMetadata payloads, oldest first"`
}

// outboxResponse lists the mail the app sent.
type outboxResponse struct {
	Messages []accounts.Message `json:"messages"`
}

// devRoutes are the local-mode controls of the embedded emulator, by
// username: they stand in for a broadcaster's encoder. They exist only
// when the app runs its own emulator, never with -aws.
func (a *App) devRoutes() []httpapi.Route {
	const tag = "dev"
	rs := []httpapi.Route{
		{Method: "POST", Pattern: "/_dev/channels/{username}/stream/start", Tag: tag,
			Summary:  "Simulate the user's encoder connecting with their stream key (the channel goes live)",
			Response: streamStarted{}, Status: http.StatusCreated, Handler: a.devStart},
		{Method: "POST", Pattern: "/_dev/channels/{username}/stream/stop", Tag: tag,
			Summary: "Simulate the user's encoder disconnecting", Handler: a.devStop},
		{Method: "POST", Pattern: "/_dev/channels/{username}/stream/starvation", Tag: tag,
			Summary: "Start or end input starvation on the user's live stream",
			Request: starvationRequest{}, Handler: a.devStarvation},
		{Method: "POST", Pattern: "/_dev/channels/{username}/stream/limit-breach", Tag: tag,
			Summary: "Emit an IVS Limit Breach event for the user's live stream",
			Request: limitBreachRequest{}, Handler: a.devLimitBreach},
		{Method: "GET", Pattern: "/_dev/channels/{username}/metadata", Tag: tag,
			Summary:  "The timed metadata the user's channel received",
			Response: metadataResponse{}, Handler: a.devMetadata},
	}
	if a.outbox != nil {
		rs = append(rs, httpapi.Route{Method: "GET", Pattern: "/_dev/outbox", Tag: tag,
			Summary:  "The mail the app sent (password resets), oldest first",
			Response: outboxResponse{}, Handler: a.devOutbox})
	}
	return rs
}

// devChannel returns the user's channel ID and stream key.
func (a *App) devChannel(ctx context.Context, username string) (*ugc.User, string, error) {
	u, err := a.store.GetUserByUsername(ctx, username)
	if err != nil {
		return nil, "", err
	}
	id := ugc.ChannelID(u.Channel.Arn)
	if id == "" {
		return nil, "", ugc.WithCode(ugc.ErrFailedPrecondition, "not_provisioned", "user %q has no channel", username)
	}
	return u, id, nil
}

// emulatorError maps the emulator's control errors to ugc kinds.
func emulatorError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ivslocal.ErrNotFound):
		return &ugc.Error{Kind: ugc.ErrNotFound, Message: "the emulator does not know this channel or stream key", Err: err}
	case errors.Is(err, ivslocal.ErrConflict):
		return &ugc.Error{Kind: ugc.ErrFailedPrecondition, Code: "already_live", Message: "the channel is already live", Err: err}
	case errors.Is(err, ivslocal.ErrNotBroadcasting):
		return &ugc.Error{Kind: ugc.ErrFailedPrecondition, Code: "not_broadcasting", Message: "the channel is not live", Err: err}
	case errors.Is(err, ivslocal.ErrInvalid):
		return &ugc.Error{Kind: ugc.ErrInvalidArgument, Message: "the emulator refused the request", Err: err}
	case errors.Is(err, ivslocal.ErrClosed):
		return &ugc.Error{Kind: ugc.ErrUnavailable, Message: "the emulator is closed", Err: err}
	}
	return err
}

func (a *App) devStart(w http.ResponseWriter, r *http.Request) error {
	u, _, err := a.devChannel(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	arn, streamID, err := a.emulator.StartStream(u.Channel.StreamKey.Reveal())
	if err != nil {
		return emulatorError(err)
	}
	httpapi.WriteJSON(w, http.StatusCreated, streamStarted{ChannelArn: arn, StreamID: streamID})
	return nil
}

func (a *App) devStop(w http.ResponseWriter, r *http.Request) error {
	_, id, err := a.devChannel(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	if err := a.emulator.EndStream(id); err != nil {
		return emulatorError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *App) devStarvation(w http.ResponseWriter, r *http.Request) error {
	var in starvationRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Active == nil {
		return ugc.InvalidField("active", "is required")
	}
	_, id, err := a.devChannel(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	if err := a.emulator.SetStarvation(id, *in.Active); err != nil {
		return emulatorError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *App) devLimitBreach(w http.ResponseWriter, r *http.Request) error {
	var in limitBreachRequest
	if r.ContentLength != 0 {
		if err := httpapi.DecodeJSON(r, &in); err != nil {
			return err
		}
	}
	if in.LimitName == "" {
		in.LimitName = "Ingest Bitrate"
	}
	_, id, err := a.devChannel(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	if err := a.emulator.LimitBreach(id, in.LimitName); err != nil {
		return emulatorError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *App) devMetadata(w http.ResponseWriter, r *http.Request) error {
	_, id, err := a.devChannel(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	p, err := a.emulator.Metadata(id)
	if err != nil {
		return emulatorError(err)
	}
	if p == nil {
		p = []string{}
	}
	httpapi.WriteJSON(w, http.StatusOK, metadataResponse{Payloads: p})
	return nil
}

func (a *App) devOutbox(w http.ResponseWriter, r *http.Request) error {
	msgs := a.outbox.Messages()
	if msgs == nil {
		msgs = []accounts.Message{}
	}
	httpapi.WriteJSON(w, http.StatusOK, outboxResponse{Messages: msgs})
	return nil
}
