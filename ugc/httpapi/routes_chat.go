package httpapi

import (
	"net/http"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

// chatRoutes are the routes of package chat: chat tokens, bans,
// moderators, moderation calls, room settings and blocked terms.
func chatRoutes(svc *chat.Service) []Route {
	h := chatHandlers{svc: svc}
	pageQuery := []Param{
		{Name: "limit", Type: "integer", Description: "page size, 1 to 100 (default 50)"},
		{Name: "cursor", Description: "nextCursor of the previous page"},
	}
	return []Route{
		{Method: "POST", Pattern: "/v1/channels/{username}/chat/token", Auth: AuthOptional, Tag: "chat",
			Summary: "A chat token for the channel's room (anonymous allowed)",
			Description: "Anonymous callers get a view-only token; signed-in viewers may send; the owner and moderators " +
				"may also delete messages and disconnect users. Connect to endpoint with the token as the WebSocket " +
				"subprotocol, once, before tokenExpirationTime. 403 (code banned) for a viewer banned from the channel.",
			Response: chatTokenResponse{}, Handler: h.token},

		{Method: "GET", Pattern: "/v1/me/chat/bans", Auth: AuthRequired, Tag: "chat",
			Summary: "The bans in force in the caller's chat, newest first", Query: pageQuery,
			Response: chatBansResponse{}, Handler: h.listBans},
		{Method: "PUT", Pattern: "/v1/me/chat/bans/{username}", Auth: AuthRequired, Tag: "chat",
			Summary: "Ban a user from the caller's chat, permanently or for durationSeconds",
			Description: "Disconnects the user at once and refuses them chat tokens, the playback URL and stage tokens " +
				"until the ban ends. The body is optional. Banning again replaces the ban; banning a moderator revokes them.",
			Request: chatBanRequest{}, Handler: h.ban(false)},
		{Method: "DELETE", Pattern: "/v1/me/chat/bans/{username}", Auth: AuthRequired, Tag: "chat",
			Summary: "Lift a ban from the caller's chat (idempotent)", Handler: h.unban(false)},
		{Method: "PUT", Pattern: "/v1/channels/{channel}/chat/bans/{username}", Auth: AuthRequired, Tag: "chat",
			Summary:     "Ban a user from a channel's chat, as its owner or a moderator",
			Description: "Moderators cannot ban the owner or other moderators (403). The body is optional.",
			Request:     chatBanRequest{}, Handler: h.ban(true)},
		{Method: "DELETE", Pattern: "/v1/channels/{channel}/chat/bans/{username}", Auth: AuthRequired, Tag: "chat",
			Summary: "Lift a ban from a channel's chat, as its owner or a moderator", Handler: h.unban(true)},

		{Method: "GET", Pattern: "/v1/me/chat/moderators", Auth: AuthRequired, Tag: "chat",
			Summary: "The moderators of the caller's chat, oldest first", Query: pageQuery,
			Response: chatModeratorsResponse{}, Handler: h.listModerators},
		{Method: "PUT", Pattern: "/v1/me/chat/moderators/{username}", Auth: AuthRequired, Tag: "chat",
			Summary:     "Make a user a moderator of the caller's chat (idempotent)",
			Description: "409 (code user_banned) for a user banned from the chat.",
			Handler:     h.addModerator},
		{Method: "DELETE", Pattern: "/v1/me/chat/moderators/{username}", Auth: AuthRequired, Tag: "chat",
			Summary: "Revoke a moderator of the caller's chat, disconnecting them (idempotent)", Handler: h.removeModerator},

		{Method: "DELETE", Pattern: "/v1/channels/{channel}/chat/messages/{messageId}", Auth: AuthRequired, Tag: "chat",
			Summary: "Delete a chat message, as the channel's owner or a moderator",
			Request: chatReasonRequest{}, Handler: h.deleteMessage},
		{Method: "POST", Pattern: "/v1/channels/{channel}/chat/kick", Auth: AuthRequired, Tag: "chat",
			Summary:     "Disconnect a user from a channel's chat without banning them, as its owner or a moderator",
			Description: "Moderators cannot kick the owner or other moderators (403).",
			Request:     chatKickRequest{}, Handler: h.kick},

		{Method: "GET", Pattern: "/v1/me/chat/settings", Auth: AuthRequired, Tag: "chat",
			Summary: "The settings of the caller's chat room", Response: chatSettings{}, Handler: h.getSettings},
		{Method: "PUT", Pattern: "/v1/me/chat/settings", Auth: AuthRequired, Tag: "chat",
			Summary:     "Change the settings of the caller's chat room",
			Description: "Absent or null fields are left unchanged.",
			Request:     chatSettingsRequest{}, Response: chatSettings{}, Handler: h.putSettings},
		{Method: "GET", Pattern: "/v1/me/chat/blocked-terms", Auth: AuthRequired, Tag: "chat",
			Summary: "The terms blocked in the caller's chat", Response: chatBlockedTerms{}, Handler: h.getTerms},
		{Method: "PUT", Pattern: "/v1/me/chat/blocked-terms", Auth: AuthRequired, Tag: "chat",
			Summary: "Replace the terms blocked in the caller's chat",
			Description: "At most 500 terms of at most 50 characters, matched case-insensitively as whole words. " +
				"Returns the terms as stored (trimmed, duplicates removed).",
			Request: chatBlockedTerms{}, Response: chatBlockedTerms{}, Handler: h.putTerms},
	}
}

type chatHandlers struct{ svc *chat.Service }

type chatTokenResponse struct {
	Token                 string    `json:"token" doc:"the secret chat token; offer it as the WebSocket subprotocol"`
	SessionExpirationTime time.Time `json:"sessionExpirationTime"`
	TokenExpirationTime   time.Time `json:"tokenExpirationTime"`
	Capabilities          []string  `json:"capabilities" doc:"SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER; empty for a view-only token"`
	Endpoint              string    `json:"endpoint" doc:"the chat messaging WebSocket URL"`
}

type chatBanRequest struct {
	Reason          *string `json:"reason,omitempty" doc:"at most 256 characters"`
	DurationSeconds *int64  `json:"durationSeconds,omitempty" doc:"1 to 1209600 (14 days); absent or null for a permanent ban"`
}

type chatBansResponse struct {
	Bans       []chatBan `json:"bans"`
	NextCursor *string   `json:"nextCursor" doc:"null on the last page"`
}

type chatBan struct {
	Username  string     `json:"username"`
	Reason    string     `json:"reason"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt" doc:"null for a permanent ban"`
	BannedBy  *string    `json:"bannedBy" doc:"username of the owner or moderator who banned; null if that account is gone"`
}

type chatModeratorsResponse struct {
	Moderators []chatModerator `json:"moderators"`
	NextCursor *string         `json:"nextCursor" doc:"null on the last page"`
}

type chatModerator struct {
	Username  string    `json:"username"`
	CreatedAt time.Time `json:"createdAt"`
}

type chatReasonRequest struct {
	Reason *string `json:"reason,omitempty" doc:"at most 256 characters"`
}

type chatKickRequest struct {
	Username string  `json:"username"`
	Reason   *string `json:"reason,omitempty" doc:"at most 256 characters"`
}

type chatSettings struct {
	MaxMessageLength          int `json:"maxMessageLength" doc:"1 to 500 characters"`
	SlowModeMessagesPerSecond int `json:"slowModeMessagesPerSecond" doc:"messages the room accepts per second, 1 to 100"`
}

type chatSettingsRequest struct {
	MaxMessageLength          *int `json:"maxMessageLength,omitempty" doc:"1 to 500 characters"`
	SlowModeMessagesPerSecond *int `json:"slowModeMessagesPerSecond,omitempty" doc:"1 to 100"`
}

type chatBlockedTerms struct {
	Terms []string `json:"terms"`
}

// decodeOptional decodes a JSON body into v when there is one.
func decodeOptional(r *http.Request, v any) error {
	if !hasBody(r) {
		return nil
	}
	return DecodeJSON(r, v)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// chatChannel returns the channel user ID a route acts on: the caller's
// own for /v1/me routes, else the owner of {channel}.
func (h chatHandlers) chatChannel(r *http.Request, byPath bool) (string, error) {
	if !byPath {
		return callerID(r), nil
	}
	u, err := h.svc.Channel(r.Context(), r.PathValue("channel"))
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

func (h chatHandlers) token(w http.ResponseWriter, r *http.Request) error {
	t, err := h.svc.Token(r.Context(), r.PathValue("username"), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, chatTokenResponse{
		Token: t.Token.Reveal(), SessionExpirationTime: t.SessionExpirationTime, TokenExpirationTime: t.TokenExpirationTime,
		Capabilities: t.Capabilities, Endpoint: t.Endpoint,
	})
	return nil
}

func (h chatHandlers) listBans(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	me := callerID(r)
	list, next, err := h.svc.Bans(r.Context(), me, me, p)
	if err != nil {
		return err
	}
	resp := chatBansResponse{Bans: make([]chatBan, 0, len(list)), NextCursor: orNull(next)}
	for _, b := range list {
		resp.Bans = append(resp.Bans, chatBan{
			Username: b.Username, Reason: b.Reason, CreatedAt: b.CreatedAt.UTC(),
			ExpiresAt: timeOrNull(b.ExpiresAt), BannedBy: orNull(b.BannedByUsername),
		})
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h chatHandlers) ban(byPath bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in chatBanRequest
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
		ban := chat.BanInput{Username: r.PathValue("username"), Reason: deref(in.Reason)}
		if d := in.DurationSeconds; d != nil {
			if *d < 1 || *d > int64(chat.MaxBanDuration/time.Second) {
				return ugc.InvalidField("durationSeconds", "must be from 1 to %d", int64(chat.MaxBanDuration/time.Second))
			}
			ban.Duration = time.Duration(*d) * time.Second
		}
		channel, err := h.chatChannel(r, byPath)
		if err != nil {
			return err
		}
		_, err = h.svc.Ban(r.Context(), callerID(r), channel, ban)
		return err
	}
}

func (h chatHandlers) unban(byPath bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		channel, err := h.chatChannel(r, byPath)
		if err != nil {
			return err
		}
		return h.svc.Unban(r.Context(), callerID(r), channel, r.PathValue("username"))
	}
}

func (h chatHandlers) listModerators(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, next, err := h.svc.Moderators(r.Context(), callerID(r), p)
	if err != nil {
		return err
	}
	resp := chatModeratorsResponse{Moderators: make([]chatModerator, 0, len(list)), NextCursor: orNull(next)}
	for _, m := range list {
		if m.Username == "" {
			continue // the account is gone
		}
		resp.Moderators = append(resp.Moderators, chatModerator{Username: m.Username, CreatedAt: m.CreatedAt.UTC()})
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h chatHandlers) addModerator(w http.ResponseWriter, r *http.Request) error {
	return h.svc.AddModerator(r.Context(), callerID(r), r.PathValue("username"))
}

func (h chatHandlers) removeModerator(w http.ResponseWriter, r *http.Request) error {
	return h.svc.RemoveModerator(r.Context(), callerID(r), r.PathValue("username"))
}

func (h chatHandlers) deleteMessage(w http.ResponseWriter, r *http.Request) error {
	var in chatReasonRequest
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	channel, err := h.chatChannel(r, true)
	if err != nil {
		return err
	}
	return h.svc.DeleteMessage(r.Context(), callerID(r), channel, r.PathValue("messageId"), deref(in.Reason))
}

func (h chatHandlers) kick(w http.ResponseWriter, r *http.Request) error {
	var in chatKickRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Username == "" {
		return ugc.InvalidField("username", "is required")
	}
	channel, err := h.chatChannel(r, true)
	if err != nil {
		return err
	}
	return h.svc.Kick(r.Context(), callerID(r), channel, in.Username, deref(in.Reason))
}

func (h chatHandlers) getSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := h.svc.RoomSettings(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, chatSettings{MaxMessageLength: st.MaxMessageLength, SlowModeMessagesPerSecond: st.SlowModeMessagesPerSecond})
	return nil
}

func (h chatHandlers) putSettings(w http.ResponseWriter, r *http.Request) error {
	var in chatSettingsRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	st, err := h.svc.UpdateRoomSettings(r.Context(), callerID(r), chat.RoomSettingsUpdate{
		MaxMessageLength: in.MaxMessageLength, SlowModeMessagesPerSecond: in.SlowModeMessagesPerSecond,
	})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, chatSettings{MaxMessageLength: st.MaxMessageLength, SlowModeMessagesPerSecond: st.SlowModeMessagesPerSecond})
	return nil
}

func (h chatHandlers) getTerms(w http.ResponseWriter, r *http.Request) error {
	terms, err := h.svc.BlockedTerms(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, chatBlockedTerms{Terms: terms})
	return nil
}

func (h chatHandlers) putTerms(w http.ResponseWriter, r *http.Request) error {
	var in chatBlockedTerms
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Terms == nil {
		return ugc.InvalidField("terms", "is required (an empty array clears the list)")
	}
	terms, err := h.svc.SetBlockedTerms(r.Context(), callerID(r), in.Terms)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, chatBlockedTerms{Terms: terms})
	return nil
}
