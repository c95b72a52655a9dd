package httpapi

import (
	"net/http"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
)

// realtimeRoutes are the routes of package realtime: the host's stage
// session, participants, join requests, invites, participant tokens and
// the per-user event stream.
func realtimeRoutes(svc *realtime.Service) []Route {
	h := realtimeHandlers{svc: svc}
	return []Route{
		{Method: "POST", Pattern: "/v1/me/stage/session", Auth: AuthRequired, Tag: "stage",
			Summary: "Start (or rejoin) a collaborative session on the caller's stage",
			Description: "Returns a host token (PUBLISH + SUBSCRIBE) and a screen-share token; calling again while the session " +
				"is live returns fresh tokens for it. The channel shows as live (real_time) until the session ends. A host who " +
				"leaves and does not return within the grace period (3 minutes) has the session ended.",
			Response: stageSessionResponse{}, Handler: h.startSession},
		{Method: "DELETE", Pattern: "/v1/me/stage/session", Auth: AuthRequired, Tag: "stage",
			Summary: "End the caller's stage session, disconnecting everyone (idempotent)", Handler: h.endSession},
		{Method: "GET", Pattern: "/v1/me/stage/participants", Auth: AuthRequired, Tag: "stage",
			Summary:  "The participants of the caller's live stage session, in join order (empty when offline)",
			Response: participantsResponse{}, Handler: h.participants},
		{Method: "DELETE", Pattern: "/v1/me/stage/participants/{participantId}", Auth: AuthRequired, Tag: "stage",
			Summary: "Kick a participant from the caller's stage",
			Description: "The user cannot request, join or publish on this stage for the cool-off (5 minutes) and is told through " +
				"their event stream. 400 for the host's own participant; 404 for an unknown participant.",
			Handler: h.kick},
		{Method: "POST", Pattern: "/v1/channels/{username}/stage/requests", Auth: AuthRequired, Tag: "stage",
			Summary: "Ask to join the channel's live stage as a publisher",
			Description: "The host is told through their event stream. The request is pending for 10 minutes. 409 request_pending " +
				"when one is pending already, stage_offline when no session is live; 403 for banned or kicked users.",
			Response: joinRequestResponse{}, Status: http.StatusCreated, Handler: h.request},
		{Method: "DELETE", Pattern: "/v1/channels/{username}/stage/requests/mine", Auth: AuthRequired, Tag: "stage",
			Summary:     "Withdraw the caller's request to join the channel's stage (idempotent)",
			Description: "404 when the caller never asked; 409 request_state for a rejected, expired or used request.",
			Handler:     h.revoke},
		{Method: "GET", Pattern: "/v1/me/stage/requests", Auth: AuthRequired, Tag: "stage",
			Summary:  "The join requests filed during the caller's live session, newest first (empty when offline)",
			Response: requestsResponse{}, Handler: h.requests},
		{Method: "POST", Pattern: "/v1/me/stage/requests/{id}/accept", Auth: AuthRequired, Tag: "stage",
			Summary:     "Accept a pending join request: the requester may mint one publish token within 10 minutes",
			Description: "404 for a request to another channel; 409 request_state when it is no longer pending.",
			Handler:     h.decide(true)},
		{Method: "POST", Pattern: "/v1/me/stage/requests/{id}/reject", Auth: AuthRequired, Tag: "stage",
			Summary:     "Reject a pending join request",
			Description: "404 for a request to another channel; 409 request_state when it is no longer pending.",
			Handler:     h.decide(false)},
		{Method: "POST", Pattern: "/v1/me/stage/invites", Auth: AuthRequired, Tag: "stage",
			Summary: "Create a signed invite code to the caller's stage",
			Description: "The body is optional; expiresInSeconds is 60 to 604800 (default 3600). A signed-in user presenting " +
				"the code while it is valid and the stage is live may mint publish tokens.",
			Request: inviteRequest{}, Response: inviteResponse{}, Status: http.StatusCreated, Handler: h.invite},
		{Method: "DELETE", Pattern: "/v1/me/stage/invites/{id}", Auth: AuthRequired, Tag: "stage",
			Summary: "Revoke one of the caller's invites: its code no longer mints publish tokens",
			Description: "Idempotent. 404 for an invite of another channel or an unknown ID. Tokens already minted " +
				"with the code are not affected (kick their participants).",
			Status: http.StatusNoContent, Handler: h.revokeInvite},
		{Method: "POST", Pattern: "/v1/channels/{username}/stage/participant-token", Auth: AuthRequired, Tag: "stage",
			Summary: "A publish token for the channel's live stage, for an accepted request or with a valid invite",
			Description: "The body is optional. Reserves one of the 11 guest seats until the participant leaves or, if it never " +
				"joins, until expiresAt. 403 (not_invited, invalid_invite, kicked, banned) otherwise; 409 stage_full, seat_held, " +
				"stage_offline.",
			Request: participantTokenRequest{}, Response: tokenResponse{}, Handler: h.publishToken},
		{Method: "POST", Pattern: "/v1/channels/{username}/stage/spectator-token", Auth: AuthOptional, Tag: "stage",
			Summary:     "A subscribe-only token for the channel's live stage (anonymous allowed)",
			Description: "409 stage_offline when no session is live; 403 for a viewer banned from the channel.",
			Response:    tokenResponse{}, Handler: h.spectatorToken},
		{Method: "GET", Pattern: "/v1/events", Auth: AuthRequired, Tag: "stage",
			Summary: "The caller's event stream (server-sent events)",
			Description: "A long-lived text/event-stream response. Each event has id (a per-user sequence number), event (e.g. " +
				"stage.request.created, stage.request.revoked, stage.request.accepted, stage.request.rejected, stage.kicked) " +
				"and JSON data. Send Last-Event-ID to resume after a reconnect; without it the stream starts with new events. " +
				"A comment line is sent every 15 seconds when idle.",
			ResponseMedia: []string{"text/event-stream"}, Handler: h.events},
	}
}

type realtimeHandlers struct{ svc *realtime.Service }

type stageSessionResponse struct {
	StageArn         string    `json:"stageArn"`
	SessionID        string    `json:"sessionId" doc:"our ID of the collaborative session"`
	ParticipantID    string    `json:"participantId"`
	Token            string    `json:"token" doc:"the host's participant token (PUBLISH + SUBSCRIBE)"`
	ScreenShareToken string    `json:"screenShareToken" doc:"a second token for the host's screen share"`
	ExpiresAt        time.Time `json:"expiresAt"`
	Role             string    `json:"role" enum:"host"`
}

type participantsResponse struct {
	Participants []participantEntry `json:"participants"`
}

type participantEntry struct {
	ParticipantID string  `json:"participantId"`
	Username      *string `json:"username" doc:"null for anonymous spectators"`
	Role          string  `json:"role" enum:"host,screenshare,guest,spectator,unknown"`
	State         string  `json:"state" enum:"CONNECTED,DISCONNECTED"`
	Published     bool    `json:"published"`
}

type joinRequestResponse struct {
	ID     string `json:"id"`
	Status string `json:"status" enum:"pending"`
}

type requestsResponse struct {
	Requests []requestEntry `json:"requests"`
}

type requestEntry struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Color     string    `json:"color"`
	AvatarURL *string   `json:"avatarUrl" doc:"null when the user has no uploaded avatar"`
	CreatedAt time.Time `json:"createdAt"`
	Status    string    `json:"status" enum:"pending,accepted,rejected,revoked,expired"`
}

type inviteRequest struct {
	ExpiresInSeconds *int64 `json:"expiresInSeconds,omitempty" doc:"60 to 604800; default 3600"`
}

type inviteResponse struct {
	ID        string    `json:"id" doc:"the invite's ID, to revoke it"`
	Code      string    `json:"code" doc:"the signed invite code; pass it as invite to participant-token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

type participantTokenRequest struct {
	Invite *string `json:"invite,omitempty" doc:"an invite code of the channel; without it an accepted request is needed"`
}

type tokenResponse struct {
	Token         string    `json:"token"`
	ParticipantID string    `json:"participantId"`
	ExpiresAt     time.Time `json:"expiresAt" doc:"the token cannot join after this"`
}

func (h realtimeHandlers) startSession(w http.ResponseWriter, r *http.Request) error {
	hs, err := h.svc.StartSession(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, stageSessionResponse{
		StageArn: hs.Session.StageArn, SessionID: hs.Session.ID, ParticipantID: hs.Host.ParticipantID,
		Token: hs.Host.Token.Reveal(), ScreenShareToken: hs.ScreenShare.Token.Reveal(),
		ExpiresAt: hs.Host.ExpiresAt.UTC(), Role: string(realtime.RoleHost),
	})
	return nil
}

func (h realtimeHandlers) endSession(w http.ResponseWriter, r *http.Request) error {
	return h.svc.EndSession(r.Context(), callerID(r))
}

func (h realtimeHandlers) participants(w http.ResponseWriter, r *http.Request) error {
	ps, err := h.svc.Participants(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	resp := participantsResponse{Participants: make([]participantEntry, 0, len(ps))}
	for _, p := range ps {
		role := string(p.Role)
		if role == "" {
			role = "unknown"
		}
		resp.Participants = append(resp.Participants, participantEntry{
			ParticipantID: p.ParticipantID, Username: orNull(p.Username), Role: role, State: p.State, Published: p.Published,
		})
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h realtimeHandlers) kick(w http.ResponseWriter, r *http.Request) error {
	return h.svc.Kick(r.Context(), callerID(r), r.PathValue("participantId"))
}

func (h realtimeHandlers) request(w http.ResponseWriter, r *http.Request) error {
	jr, err := h.svc.RequestJoin(r.Context(), callerID(r), r.PathValue("username"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, joinRequestResponse{ID: jr.ID, Status: jr.Status})
	return nil
}

func (h realtimeHandlers) revoke(w http.ResponseWriter, r *http.Request) error {
	return h.svc.RevokeRequest(r.Context(), callerID(r), r.PathValue("username"))
}

func (h realtimeHandlers) requests(w http.ResponseWriter, r *http.Request) error {
	rs, err := h.svc.Requests(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	resp := requestsResponse{Requests: make([]requestEntry, 0, len(rs))}
	for _, q := range rs {
		resp.Requests = append(resp.Requests, requestEntry{
			ID: q.ID, Username: q.Username, Color: q.Color, AvatarURL: orNull(q.AvatarURL),
			CreatedAt: q.CreatedAt.UTC(), Status: q.Status,
		})
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h realtimeHandlers) decide(accept bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var err error
		if accept {
			err = h.svc.AcceptRequest(r.Context(), callerID(r), r.PathValue("id"))
		} else {
			err = h.svc.RejectRequest(r.Context(), callerID(r), r.PathValue("id"))
		}
		return err
	}
}

func (h realtimeHandlers) invite(w http.ResponseWriter, r *http.Request) error {
	var in inviteRequest
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	var ttl time.Duration
	if in.ExpiresInSeconds != nil {
		n := *in.ExpiresInSeconds
		if n < int64(realtime.MinInviteTTL/time.Second) || n > int64(realtime.MaxInviteTTL/time.Second) {
			return ugc.InvalidField("expiresInSeconds", "must be between %d and %d",
				int64(realtime.MinInviteTTL/time.Second), int64(realtime.MaxInviteTTL/time.Second))
		}
		ttl = time.Duration(n) * time.Second
	}
	inv, err := h.svc.CreateInvite(r.Context(), callerID(r), ttl)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, inviteResponse{ID: inv.ID, Code: inv.Code, ExpiresAt: inv.ExpiresAt.UTC()})
	return nil
}

func (h realtimeHandlers) revokeInvite(w http.ResponseWriter, r *http.Request) error {
	return h.svc.RevokeInvite(r.Context(), callerID(r), r.PathValue("id"))
}

func (h realtimeHandlers) publishToken(w http.ResponseWriter, r *http.Request) error {
	var in participantTokenRequest
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	tok, err := h.svc.PublishToken(r.Context(), callerID(r), r.PathValue("username"), deref(in.Invite))
	if err != nil {
		return err
	}
	writeToken(w, tok)
	return nil
}

func (h realtimeHandlers) spectatorToken(w http.ResponseWriter, r *http.Request) error {
	tok, err := h.svc.SpectatorToken(r.Context(), callerID(r), r.PathValue("username"))
	if err != nil {
		return err
	}
	writeToken(w, tok)
	return nil
}

func writeToken(w http.ResponseWriter, tok *realtime.Token) {
	WriteJSON(w, http.StatusOK, tokenResponse{Token: tok.Token.Reveal(), ParticipantID: tok.ParticipantID, ExpiresAt: tok.ExpiresAt.UTC()})
}
