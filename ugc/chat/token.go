package chat

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// Role is what a caller may do in a channel's chat. The zero Role is
// RoleAnonymous.
type Role int

// The roles, from least to most able.
const (
	// RoleAnonymous: not signed in; may read the chat.
	RoleAnonymous Role = iota
	// RoleBanned: signed in and banned from the channel now; gets no token.
	RoleBanned
	// RoleViewer: signed in; may read and send messages.
	RoleViewer
	// RoleModerator: delegated by the owner; may also delete messages,
	// kick and ban viewers.
	RoleModerator
	// RoleOwner: the channel's owner; may do everything, including ban
	// moderators and manage the channel's chat settings.
	RoleOwner
)

// String returns "anonymous", "banned", "viewer", "moderator" or "owner".
func (r Role) String() string {
	switch r {
	case RoleAnonymous:
		return "anonymous"
	case RoleBanned:
		return "banned"
	case RoleViewer:
		return "viewer"
	case RoleModerator:
		return "moderator"
	case RoleOwner:
		return "owner"
	}
	return "Role(?)"
}

// moderates reports whether the role may moderate the chat.
func (r Role) moderates() bool { return r >= RoleModerator }

// The IVS Chat capabilities a token may carry.
const (
	CapSendMessage    = string(types.ChatTokenCapabilitySendMessage)
	CapDeleteMessage  = string(types.ChatTokenCapabilityDeleteMessage)
	CapDisconnectUser = string(types.ChatTokenCapabilityDisconnectUser)
)

// Capabilities returns the IVS Chat capabilities a token for the role
// carries: none for anonymous and banned callers, SEND_MESSAGE for
// viewers, and also DELETE_MESSAGE and DISCONNECT_USER for moderators and
// the owner.
func (r Role) Capabilities() []string {
	switch {
	case r.moderates():
		return []string{CapSendMessage, CapDeleteMessage, CapDisconnectUser}
	case r == RoleViewer:
		return []string{CapSendMessage}
	}
	return []string{}
}

// Role returns the role of userID ("" for anonymous) in the chat of the
// channel owned by channelUserID at the service's now.
func (s *Service) Role(ctx context.Context, channelUserID, userID string) (_ Role, err error) {
	defer ugc.Wrap(&err, "chat.Role")
	role, _, err := s.role(ctx, channelUserID, userID)
	return role, err
}

// role returns the role of userID and, for RoleBanned, the ban.
func (s *Service) role(ctx context.Context, channelUserID, userID string) (Role, *ugc.Ban, error) {
	switch {
	case userID == "":
		return RoleAnonymous, nil, nil
	case userID == channelUserID:
		return RoleOwner, nil, nil
	}
	b, err := s.store.GetBan(ctx, channelUserID, userID)
	switch {
	case err == nil && b.Active(s.now()):
		return RoleBanned, b, nil
	case err != nil && !isNotFound(err):
		return 0, nil, err
	}
	mod, err := s.store.IsModerator(ctx, channelUserID, userID)
	if err != nil {
		return 0, nil, err
	}
	if mod {
		return RoleModerator, nil, nil
	}
	return RoleViewer, nil, nil
}

// Token is a chat token for one connection to a channel's room.
type Token struct {
	// Token is the secret the client presents to the messaging WebSocket
	// (as its subprotocol); it connects once, before TokenExpirationTime.
	Token ugc.Token
	// UserID is the chat user ID of the connection: the ugc user ID (see
	// ChatUserID), or a random "anon-..." ID for an anonymous viewer.
	UserID string
	// Role is the caller's role in the channel.
	Role Role
	// Capabilities are the IVS Chat capabilities granted.
	Capabilities []string
	// Attributes are the token's attributes, seen by every client as the
	// sender's: displayName, color, avatar, avatarUrl (dropped when the
	// attributes would exceed 1 KB) and userId. None for anonymous viewers.
	Attributes map[string]string
	// TokenExpirationTime is when the unused token expires;
	// SessionExpirationTime when the connection it opens is closed.
	TokenExpirationTime   time.Time
	SessionExpirationTime time.Time
	// Endpoint is the messaging WebSocket URL to connect to.
	Endpoint string
}

// errBanned is the error of a banned viewer asking for a token.
func errBanned(b *ugc.Ban) error {
	msg := "you are banned from this chat"
	if !b.ExpiresAt.IsZero() {
		msg += " until " + b.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return ugc.WithCode(ugc.ErrPermissionDenied, "banned", "%s", msg)
}

// Token issues a chat token for the room of the channel of channelUsername
// to viewerID ("" for an anonymous viewer).
//
// Anonymous viewers get a view-only token (no capabilities) under a random
// chat user ID; signed-in viewers SEND_MESSAGE; the owner and the owner's
// moderators also DELETE_MESSAGE and DISCONNECT_USER. A viewer banned from
// the channel now gets ErrPermissionDenied with code "banned"; an unknown
// channel is ErrNotFound naming "username"; a viewerID that names no user
// is ErrUnauthenticated.
func (s *Service) Token(ctx context.Context, channelUsername, viewerID string) (_ *Token, err error) {
	defer ugc.Wrap(&err, "chat.Token")
	owner, err := s.userByName(ctx, "username", channelUsername)
	if err != nil {
		return nil, err
	}
	if owner.Channel.ChatRoomArn == "" {
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "no_chat_room", "the channel has no chat room")
	}
	role, ban, err := s.role(ctx, owner.ID, viewerID)
	if err != nil {
		return nil, err
	}
	if role == RoleBanned {
		return nil, errBanned(ban)
	}
	t := &Token{Role: role, Capabilities: role.Capabilities(), Endpoint: s.opts.Endpoint}
	if role == RoleAnonymous {
		t.UserID = s.opts.NewAnonymousID()
	} else {
		viewer := owner
		if role != RoleOwner {
			viewer, err = s.store.GetUser(ctx, viewerID)
			if isNotFound(err) {
				return nil, &ugc.Error{Kind: ugc.ErrUnauthenticated, Message: "the signed-in user no longer exists"}
			}
			if err != nil {
				return nil, err
			}
		}
		t.UserID = ChatUserID(viewer.ID)
		t.Attributes = s.Attributes(viewer)
	}
	caps := make([]types.ChatTokenCapability, len(t.Capabilities))
	for i, c := range t.Capabilities {
		caps[i] = types.ChatTokenCapability(c)
	}
	out, err := s.opts.Chat.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{
		RoomIdentifier:           aws.String(owner.Channel.ChatRoomArn),
		UserId:                   aws.String(t.UserID),
		Capabilities:             caps,
		Attributes:               t.Attributes,
		SessionDurationInMinutes: aws.Int32(int32(s.opts.SessionDuration / time.Minute)),
	})
	if err != nil {
		return nil, awserr.Map(err)
	}
	t.Token = ugc.Token(aws.ToString(out.Token))
	t.TokenExpirationTime = aws.ToTime(out.TokenExpirationTime).UTC()
	t.SessionExpirationTime = aws.ToTime(out.SessionExpirationTime).UTC()
	return t, nil
}

// Attribute keys of a chat token.
const (
	AttrDisplayName = "displayName"
	AttrColor       = "color"
	AttrAvatar      = "avatar"
	AttrAvatarURL   = "avatarUrl"
	AttrUserID      = "userId"
)

// Attributes returns the chat token attributes of u: display name, color,
// stock avatar, avatar URL and user ID, kept within MaxAttributesBytes.
// When they would exceed it the avatar URL is dropped first, then the
// stock avatar, then the display name is shortened; the user ID stays.
func (s *Service) Attributes(u *ugc.User) map[string]string {
	a := map[string]string{
		AttrDisplayName: u.Username,
		AttrColor:       u.Color,
		AttrAvatar:      u.Avatar,
		AttrAvatarURL:   s.opts.AvatarURL(u),
		AttrUserID:      ChatUserID(u.ID),
	}
	for k, v := range a {
		if v == "" {
			delete(a, k)
		}
	}
	for _, k := range []string{AttrAvatarURL, AttrAvatar} {
		if attributesSize(a) <= MaxAttributesBytes {
			return a
		}
		delete(a, k)
	}
	if over := attributesSize(a) - MaxAttributesBytes; over > 0 {
		name := a[AttrDisplayName]
		keep := len(name) - over
		for keep > 0 && !utf8.RuneStart(name[keep]) {
			keep--
		}
		if keep <= 0 {
			delete(a, AttrDisplayName)
		} else {
			a[AttrDisplayName] = name[:keep]
		}
	}
	if attributesSize(a) > MaxAttributesBytes {
		delete(a, AttrColor)
	}
	return a
}

// attributesSize is the size IVS counts: the bytes of every key and value.
func attributesSize(a map[string]string) int {
	n := 0
	for k, v := range a {
		n += len(k) + len(v)
	}
	return n
}
