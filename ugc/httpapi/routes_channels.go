package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Request body limits of image uploads: one byte over the service's
// limits, so the service reports an image too large by itself (naming the
// field) and a larger Content-Length is refused before anything is read.
const (
	maxAvatarBody = channels.MaxAvatarBytes + 1
	maxBannerBody = channels.MaxBannerBytes + 1
)

// imageMedia are the accepted Content-Types of an image upload; the
// service decides by the bytes (JPEG or PNG).
var imageMedia = []string{"image/jpeg", "image/png", "application/octet-stream"}

// channelRoutes are the routes of package channels: the caller's own
// profile and channel, images, the channel page, the directory and follows.
func channelRoutes(svc *channels.Service) []Route {
	h := channelHandlers{svc: svc}
	return []Route{
		{Method: "GET", Pattern: "/v1/me", Auth: AuthRequired, Tag: "me",
			Summary:     "The caller's profile and channel, including the stream key",
			Description: "ingestServer is rtmps://<ingestEndpoint>:443/app/.",
			Response:    meResponse{}, Handler: h.getMe},
		{Method: "PATCH", Pattern: "/v1/me", Auth: AuthRequired, Tag: "me",
			Summary:     "Change the caller's username, color or avatar",
			Description: "Absent or null fields are left unchanged. A taken username is 409 already_exists.",
			Request:     patchMeRequest{}, Response: meResponse{}, Handler: h.patchMe},
		{Method: "DELETE", Pattern: "/v1/me", Auth: AuthRequired, Tag: "me",
			Summary: "Delete the caller's account, channel, chat room, stage and data", Handler: h.deleteMe},
		{Method: "POST", Pattern: "/v1/me/stream-key/reset", Auth: AuthRequired, Tag: "me",
			Summary:  "Replace the caller's stream key, ending any live stream",
			Response: streamKeyResponse{}, Handler: h.resetStreamKey},
		{Method: "PUT", Pattern: "/v1/me/avatar", Auth: AuthRequired, Tag: "me",
			Summary:      "Upload the caller's avatar image (JPEG or PNG, at most 1 MB)",
			RequestMedia: imageMedia, MaxBody: maxAvatarBody, Response: imageResponse{},
			Handler: h.putImage(channels.ImageAvatar)},
		{Method: "DELETE", Pattern: "/v1/me/avatar", Auth: AuthRequired, Tag: "me",
			Summary: "Remove the caller's avatar image", Handler: h.deleteImage(channels.ImageAvatar)},
		{Method: "PUT", Pattern: "/v1/me/banner", Auth: AuthRequired, Tag: "me",
			Summary:      "Upload the caller's banner image (JPEG or PNG, at most 5 MB)",
			RequestMedia: imageMedia, MaxBody: maxBannerBody, Response: imageResponse{},
			Handler: h.putImage(channels.ImageBanner)},
		{Method: "DELETE", Pattern: "/v1/me/banner", Auth: AuthRequired, Tag: "me",
			Summary: "Remove the caller's banner image", Handler: h.deleteImage(channels.ImageBanner)},
		{Method: "GET", Pattern: "/assets/{key...}", Tag: "channels",
			Summary:       "An uploaded image; its URL embeds a version, so it is cached for good",
			ResponseMedia: []string{"image/jpeg", "image/png"}, Handler: h.getAsset},
		{Method: "GET", Pattern: "/v1/channels/{username}", Auth: AuthOptional, Tag: "channels",
			Summary:     "A channel's page as seen by the caller (anonymous allowed)",
			Description: "playbackUrl is null for a viewer banned from the channel; liveKind and liveSince are null when offline.",
			Response:    channelPageResponse{}, Handler: h.getChannel},
		{Method: "GET", Pattern: "/v1/channels", Tag: "channels",
			Summary: "The directory of live channels",
			Query: []Param{
				{Name: "live", Type: "boolean", Description: "only true is supported: the directory lists live channels"},
				{Name: "limit", Type: "integer", Description: "page size, 1 to 100; the service returns at most 50"},
				{Name: "cursor", Description: "nextCursor of the previous page"},
			},
			Response: directoryResponse{}, Handler: h.listChannels},
		{Method: "GET", Pattern: "/v1/me/following", Auth: AuthRequired, Tag: "me",
			Summary: "The channels the caller follows",
			Query: []Param{
				{Name: "limit", Type: "integer", Description: "page size, 1 to 100; the service returns at most 50"},
				{Name: "cursor", Description: "nextCursor of the previous page"},
			},
			Response: followingResponse{}, Handler: h.listFollowing},
		{Method: "PUT", Pattern: "/v1/me/following/{username}", Auth: AuthRequired, Tag: "me",
			Summary:     "Follow a channel (idempotent)",
			Description: "404 for an unknown user, 400 for the caller's own channel.",
			Handler:     h.follow},
		{Method: "DELETE", Pattern: "/v1/me/following/{username}", Auth: AuthRequired, Tag: "me",
			Summary: "Unfollow a channel (idempotent)", Description: "404 for an unknown user.",
			Handler: h.unfollow},
	}
}

type channelHandlers struct{ svc *channels.Service }

// meResponse is the body of GET and PATCH /v1/me.
type meResponse struct {
	User        meUser    `json:"user"`
	Channel     meChannel `json:"channel"`
	ChatRoomArn string    `json:"chatRoomArn"`
	StageArn    string    `json:"stageArn"`
}

type meUser struct {
	ID        string  `json:"id"`
	Username  string  `json:"username"`
	Email     string  `json:"email"`
	Color     string  `json:"color"`
	Avatar    string  `json:"avatar" doc:"a stock avatar name, or \"custom\" when an image was uploaded"`
	AvatarURL *string `json:"avatarUrl" doc:"URL of the uploaded avatar image; null when none"`
	BannerURL *string `json:"bannerUrl" doc:"URL of the uploaded banner image; null when none"`
}

type meChannel struct {
	Arn            string `json:"arn"`
	PlaybackURL    string `json:"playbackUrl"`
	IngestEndpoint string `json:"ingestEndpoint"`
	IngestServer   string `json:"ingestServer" doc:"rtmps://<ingestEndpoint>:443/app/"`
	StreamKey      string `json:"streamKey" doc:"the secret stream key; show with care"`
	Type           string `json:"type" enum:"BASIC,STANDARD,ADVANCED_SD,ADVANCED_HD"`
	LatencyMode    string `json:"latencyMode" enum:"LOW,NORMAL"`
}

// patchMeRequest is the body of PATCH /v1/me; absent or null fields are
// left unchanged.
type patchMeRequest struct {
	Username *string `json:"username,omitempty"`
	Color    *string `json:"color,omitempty"`
	Avatar   *string `json:"avatar,omitempty" doc:"a stock avatar name; upload an image with PUT /v1/me/avatar"`
}

type streamKeyResponse struct {
	StreamKey string `json:"streamKey"`
}

type imageResponse struct {
	URL string `json:"url"`
}

type channelPageResponse struct {
	Username       string        `json:"username"`
	Color          string        `json:"color"`
	Avatar         string        `json:"avatar"`
	AvatarURL      *string       `json:"avatarUrl"`
	BannerURL      *string       `json:"bannerUrl"`
	IsLive         bool          `json:"isLive"`
	LiveKind       *ugc.LiveKind `json:"liveKind" enum:"low_latency,real_time"`
	LiveSince      *time.Time    `json:"liveSince"`
	PlaybackURL    *string       `json:"playbackUrl" doc:"null for a viewer banned from the channel"`
	Stage          stageInfo     `json:"stage"`
	FollowerCount  int64         `json:"followerCount"`
	IsFollowing    bool          `json:"isFollowing" doc:"false for an anonymous caller"`
	IsViewerBanned bool          `json:"isViewerBanned" doc:"false for an anonymous caller"`
}

type stageInfo struct {
	Active bool    `json:"active" doc:"a real-time stage session is running"`
	Arn    *string `json:"arn"`
}

type directoryResponse struct {
	Channels   []directoryEntry `json:"channels"`
	NextCursor *string          `json:"nextCursor" doc:"null on the last page"`
}

type directoryEntry struct {
	Username  string        `json:"username"`
	Color     string        `json:"color"`
	Avatar    string        `json:"avatar"`
	AvatarURL *string       `json:"avatarUrl"`
	LiveKind  *ugc.LiveKind `json:"liveKind" enum:"low_latency,real_time"`
	LiveSince *time.Time    `json:"liveSince"`
}

type followingResponse struct {
	Channels   []followingEntry `json:"channels"`
	NextCursor *string          `json:"nextCursor" doc:"null on the last page"`
}

type followingEntry struct {
	Username   string        `json:"username"`
	Color      string        `json:"color"`
	Avatar     string        `json:"avatar"`
	AvatarURL  *string       `json:"avatarUrl"`
	IsLive     bool          `json:"isLive"`
	LiveKind   *ugc.LiveKind `json:"liveKind" enum:"low_latency,real_time"`
	LiveSince  *time.Time    `json:"liveSince"`
	FollowedAt time.Time     `json:"followedAt"`
}

// orNull returns nil for "" and &s otherwise: the API's null convention.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func kindOrNull(k ugc.LiveKind) *ugc.LiveKind {
	if k == "" {
		return nil
	}
	return &k
}

func (h channelHandlers) me(u *ugc.User) meResponse {
	return meResponse{
		User: meUser{
			ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color, Avatar: u.Avatar,
			AvatarURL: orNull(h.svc.AvatarURL(u)), BannerURL: orNull(h.svc.BannerURL(u)),
		},
		Channel: meChannel{
			Arn:            u.Channel.Arn,
			PlaybackURL:    u.Channel.PlaybackURL,
			IngestEndpoint: u.Channel.IngestEndpoint,
			IngestServer:   h.svc.IngestServer(u),
			StreamKey:      u.Channel.StreamKey.Reveal(),
			Type:           u.Channel.Type,
			LatencyMode:    u.Channel.LatencyMode,
		},
		ChatRoomArn: u.Channel.ChatRoomArn,
		StageArn:    u.Channel.StageArn,
	}
}

func callerID(r *http.Request) string { return IdentityFrom(r.Context()).UserID }

func (h channelHandlers) getMe(w http.ResponseWriter, r *http.Request) error {
	u, err := h.svc.Get(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, h.me(u))
	return nil
}

func (h channelHandlers) patchMe(w http.ResponseWriter, r *http.Request) error {
	var in patchMeRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	u, err := h.svc.UpdateProfile(r.Context(), callerID(r), channels.ProfileUpdate{
		Username: in.Username, Color: in.Color, Avatar: in.Avatar,
	})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, h.me(u))
	return nil
}

func (h channelHandlers) deleteMe(w http.ResponseWriter, r *http.Request) error {
	return h.svc.DeleteAccount(r.Context(), callerID(r))
}

func (h channelHandlers) resetStreamKey(w http.ResponseWriter, r *http.Request) error {
	k, err := h.svc.ResetStreamKey(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, streamKeyResponse{StreamKey: k.Reveal()})
	return nil
}

func (h channelHandlers) putImage(kind channels.ImageKind) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		url, err := h.svc.PutImage(r.Context(), callerID(r), kind, r.Body)
		if err != nil {
			return err
		}
		WriteJSON(w, http.StatusOK, imageResponse{URL: url})
		return nil
	}
}

func (h channelHandlers) deleteImage(kind channels.ImageKind) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return h.svc.DeleteImage(r.Context(), callerID(r), kind)
	}
}

func (h channelHandlers) getAsset(w http.ResponseWriter, r *http.Request) error {
	rc, contentType, err := h.svc.OpenAsset(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	defer rc.Close()
	hdr := w.Header()
	hdr.Set("Content-Type", contentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	// Opened on its own, an upload is inert.
	hdr.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	_, err = io.Copy(w, rc)
	return err
}

func (h channelHandlers) getChannel(w http.ResponseWriter, r *http.Request) error {
	p, err := h.svc.ChannelPage(r.Context(), r.PathValue("username"), callerID(r))
	if err != nil {
		return err
	}
	resp := channelPageResponse{
		Username:       p.User.Username,
		Color:          p.User.Color,
		Avatar:         p.User.Avatar,
		AvatarURL:      orNull(p.AvatarURL),
		BannerURL:      orNull(p.BannerURL),
		IsLive:         p.IsLive,
		PlaybackURL:    orNull(p.PlaybackURL),
		Stage:          stageInfo{Active: p.StageActive, Arn: orNull(p.StageArn)},
		FollowerCount:  p.FollowerCount,
		IsFollowing:    p.IsFollowing,
		IsViewerBanned: p.IsViewerBanned,
	}
	if p.IsLive {
		resp.LiveKind, resp.LiveSince = kindOrNull(p.LiveKind), timeOrNull(p.LiveSince)
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

// pageOf reads the limit and cursor query parameters.
func pageOf(r *http.Request) (store.Page, error) {
	q := r.URL.Query()
	p := store.Page{Cursor: q.Get("cursor")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > store.MaxPageLimit {
			return p, ugc.InvalidField("limit", "must be an integer between 1 and %d", store.MaxPageLimit)
		}
		p.Limit = n
	}
	return p, nil
}

func (h channelHandlers) listChannels(w http.ResponseWriter, r *http.Request) error {
	if live := r.URL.Query().Get("live"); live != "" && live != "true" {
		return ugc.InvalidField("live", "only live=true is supported")
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, next, err := h.svc.Directory(r.Context(), p)
	if err != nil {
		return err
	}
	resp := directoryResponse{Channels: make([]directoryEntry, 0, len(list)), NextCursor: orNull(next)}
	for _, c := range list {
		e := directoryEntry{Username: c.User.Username, Color: c.User.Color, Avatar: c.User.Avatar, AvatarURL: orNull(c.AvatarURL)}
		if c.Live != nil {
			e.LiveKind, e.LiveSince = kindOrNull(c.Live.Kind), timeOrNull(c.Live.Since)
		}
		resp.Channels = append(resp.Channels, e)
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h channelHandlers) listFollowing(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, next, err := h.svc.Following(r.Context(), callerID(r), p)
	if err != nil {
		return err
	}
	resp := followingResponse{Channels: make([]followingEntry, 0, len(list)), NextCursor: orNull(next)}
	for _, c := range list {
		e := followingEntry{Username: c.User.Username, Color: c.User.Color, Avatar: c.User.Avatar,
			AvatarURL: orNull(c.AvatarURL), FollowedAt: c.FollowedAt.UTC()}
		if c.Live != nil {
			e.IsLive = true
			e.LiveKind, e.LiveSince = kindOrNull(c.Live.Kind), timeOrNull(c.Live.Since)
		}
		resp.Channels = append(resp.Channels, e)
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h channelHandlers) follow(w http.ResponseWriter, r *http.Request) error {
	return h.svc.Follow(r.Context(), callerID(r), r.PathValue("username"))
}

func (h channelHandlers) unfollow(w http.ResponseWriter, r *http.Request) error {
	return h.svc.Unfollow(r.Context(), callerID(r), r.PathValue("username"))
}
