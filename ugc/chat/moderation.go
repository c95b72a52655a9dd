package chat

import (
	"context"
	"log/slog"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// BanInput describes a ban.
type BanInput struct {
	// Username is the user to ban. Required.
	Username string
	// Reason is shown to the banned user and in the ban list; at most
	// MaxReasonLen characters; optional.
	Reason string
	// Duration is how long the ban lasts, from MinBanDuration to
	// MaxBanDuration; zero means permanent.
	Duration time.Duration
}

func checkReason(reason string) error {
	if utf8.RuneCountInString(reason) > MaxReasonLen || !utf8.ValidString(reason) {
		return ugc.InvalidField("reason", "must be valid UTF-8 of at most %d characters", MaxReasonLen)
	}
	return nil
}

// moderator returns the channel and checks that actorID may moderate it;
// anyone else is ErrPermissionDenied.
func (s *Service) moderator(ctx context.Context, actorID, channelUserID string) (*ugc.User, Role, error) {
	owner, err := s.channel(ctx, channelUserID)
	if err != nil {
		return nil, 0, err
	}
	role, _, err := s.role(ctx, owner.ID, actorID)
	if err != nil {
		return nil, 0, err
	}
	if !role.moderates() {
		return nil, 0, ugc.WithCode(ugc.ErrPermissionDenied, "not_moderator", "only the channel's owner and moderators may do this")
	}
	return owner, role, nil
}

// target returns the user an actor with role may ban or kick: not the
// actor, not the owner and, for a moderator, not another moderator.
func (s *Service) target(ctx context.Context, owner *ugc.User, actorID string, role Role, username string) (_ *ugc.User, targetIsMod bool, _ error) {
	u, err := s.userByName(ctx, "username", username)
	if err != nil {
		return nil, false, err
	}
	switch {
	case u.ID == actorID:
		return nil, false, &ugc.Error{Kind: ugc.ErrInvalidArgument, Field: "username", Code: "self_moderation", Message: "you cannot do this to yourself"}
	case u.ID == owner.ID:
		return nil, false, ugc.WithCode(ugc.ErrPermissionDenied, "target_is_owner", "the channel's owner cannot be banned or kicked")
	}
	mod, err := s.store.IsModerator(ctx, owner.ID, u.ID)
	if err != nil {
		return nil, false, err
	}
	if mod && role != RoleOwner {
		return nil, false, ugc.WithCode(ugc.ErrPermissionDenied, "target_is_moderator", "only the owner can ban or kick a moderator")
	}
	return u, mod, nil
}

// disconnect closes every connection of userID to the channel's room.
func (s *Service) disconnect(ctx context.Context, owner *ugc.User, userID, reason string) error {
	in := &ivschat.DisconnectUserInput{RoomIdentifier: aws.String(owner.Channel.ChatRoomArn), UserId: aws.String(ChatUserID(userID))}
	if reason != "" {
		in.Reason = aws.String(reason)
	}
	_, err := s.opts.Chat.DisconnectUser(ctx, in)
	return awserr.Map(err)
}

// Ban bans in.Username from the chat of the channel owned by channelUserID,
// on behalf of actorID (the owner or a moderator), and returns the ban.
//
// The ban is stored first, so from then on the user gets no chat token
// (ErrPermissionDenied, code "banned"), no playback URL on the channel page
// and no stage token for the channel; then every live chat connection of
// the user to the room is closed with DisconnectUser, and Options.OnBan
// is called. A timed ban ends by itself at ExpiresAt: the clock decides,
// no job runs. Banning again replaces the ban.
//
// Moderators cannot ban the owner or other moderators
// (ErrPermissionDenied); the owner banning a moderator also revokes the
// moderator. Banning yourself is ErrInvalidArgument. An AWS failure of the
// disconnect is returned (the ban stays stored; calling Ban again is safe).
func (s *Service) Ban(ctx context.Context, actorID, channelUserID string, in BanInput) (_ *ugc.Ban, err error) {
	defer ugc.Wrap(&err, "chat.Ban")
	if err := checkReason(in.Reason); err != nil {
		return nil, err
	}
	if in.Duration != 0 && (in.Duration < MinBanDuration || in.Duration > MaxBanDuration) {
		return nil, ugc.InvalidField("durationSeconds", "must be from %d to %d seconds, or absent for a permanent ban",
			int(MinBanDuration/time.Second), int(MaxBanDuration/time.Second))
	}
	owner, role, err := s.moderator(ctx, actorID, channelUserID)
	if err != nil {
		return nil, err
	}
	u, isMod, err := s.target(ctx, owner, actorID, role, in.Username)
	if err != nil {
		return nil, err
	}
	now := s.now()
	b := ugc.Ban{ChannelUserID: owner.ID, UserID: u.ID, Reason: in.Reason, BannedBy: actorID, CreatedAt: now}
	if in.Duration > 0 {
		b.ExpiresAt = now.Add(in.Duration)
	}
	if isMod {
		if _, err := s.store.DeleteModerator(ctx, owner.ID, u.ID); err != nil {
			return nil, err
		}
	}
	if err := s.store.PutBan(ctx, b); err != nil {
		return nil, err
	}
	reason := in.Reason
	if reason == "" {
		reason = "banned"
	}
	if err := s.disconnect(ctx, owner, u.ID, reason); err != nil {
		s.log.WarnContext(ctx, "chat: ban stored but the user's connections were not closed",
			slog.String("channel_user_id", owner.ID), slog.String("user_id", u.ID), slog.Any("error", err))
		return &b, err
	}
	if s.opts.OnBan != nil {
		s.opts.OnBan(ctx, b)
	}
	return &b, nil
}

// Unban lifts the ban of username from the channel owned by channelUserID
// on behalf of actorID (the owner or a moderator). Lifting a ban that does
// not exist (or has expired) is not an error.
func (s *Service) Unban(ctx context.Context, actorID, channelUserID, username string) (err error) {
	defer ugc.Wrap(&err, "chat.Unban")
	owner, _, err := s.moderator(ctx, actorID, channelUserID)
	if err != nil {
		return err
	}
	u, err := s.userByName(ctx, "username", username)
	if err != nil {
		return err
	}
	_, err = s.store.DeleteBan(ctx, owner.ID, u.ID)
	return err
}

// BanEntry is one ban of a ban list, with the usernames of the banned
// user and of who banned them ("" when that user no longer exists).
type BanEntry struct {
	ugc.Ban
	Username         string
	BannedByUsername string
}

// Bans returns the bans of the channel owned by channelUserID in force
// now, newest first, for actorID (the owner or a moderator), and the
// cursor of the next page ("" on the last).
func (s *Service) Bans(ctx context.Context, actorID, channelUserID string, p store.Page) (_ []BanEntry, next string, err error) {
	defer ugc.Wrap(&err, "chat.Bans")
	owner, _, err := s.moderator(ctx, actorID, channelUserID)
	if err != nil {
		return nil, "", err
	}
	bans, next, err := s.store.ListBans(ctx, owner.ID, s.now(), p)
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, 0, 2*len(bans))
	for _, b := range bans {
		ids = append(ids, b.UserID, b.BannedBy)
	}
	users, err := s.usersByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]BanEntry, len(bans))
	for i, b := range bans {
		out[i] = BanEntry{Ban: b}
		if u := users[b.UserID]; u != nil {
			out[i].Username = u.Username
		}
		if u := users[b.BannedBy]; u != nil {
			out[i].BannedByUsername = u.Username
		}
	}
	return out, next, nil
}

// usersByID reads users in batches of store.MaxBatch, ignoring duplicates
// and empty IDs.
func (s *Service) usersByID(ctx context.Context, ids []string) (map[string]*ugc.User, error) {
	seen := map[string]bool{}
	uniq := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	out := make(map[string]*ugc.User, len(uniq))
	for len(uniq) > 0 {
		n := min(len(uniq), store.MaxBatch)
		m, err := s.store.GetUsers(ctx, uniq[:n])
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
		uniq = uniq[n:]
	}
	return out, nil
}

// Kick closes every chat connection of username to the channel owned by
// channelUserID, on behalf of actorID (the owner or a moderator), without
// banning: the user may get a new token and come back. The rules on who
// may be kicked are Ban's.
func (s *Service) Kick(ctx context.Context, actorID, channelUserID, username, reason string) (err error) {
	defer ugc.Wrap(&err, "chat.Kick")
	if err := checkReason(reason); err != nil {
		return err
	}
	owner, role, err := s.moderator(ctx, actorID, channelUserID)
	if err != nil {
		return err
	}
	u, _, err := s.target(ctx, owner, actorID, role, username)
	if err != nil {
		return err
	}
	if reason == "" {
		reason = "kicked"
	}
	return s.disconnect(ctx, owner, u.ID, reason)
}

// messageIDPattern is the shape of an IVS Chat message ID.
var messageIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{12}$`)

// DeleteMessage deletes the message messageID from the chat of the channel
// owned by channelUserID on behalf of actorID (the owner or a moderator):
// every client is sent an aws:DELETE_MESSAGE event and hides it. A
// malformed ID is ErrInvalidArgument naming "messageId".
func (s *Service) DeleteMessage(ctx context.Context, actorID, channelUserID, messageID, reason string) (err error) {
	defer ugc.Wrap(&err, "chat.DeleteMessage")
	if !messageIDPattern.MatchString(messageID) {
		return ugc.InvalidField("messageId", "must be a chat message ID (12 letters and digits)")
	}
	if err := checkReason(reason); err != nil {
		return err
	}
	owner, _, err := s.moderator(ctx, actorID, channelUserID)
	if err != nil {
		return err
	}
	in := &ivschat.DeleteMessageInput{RoomIdentifier: aws.String(owner.Channel.ChatRoomArn), Id: aws.String(messageID)}
	if reason != "" {
		in.Reason = aws.String(reason)
	}
	_, err = s.opts.Chat.DeleteMessage(ctx, in)
	return awserr.Map(err)
}

// AddModerator makes username a moderator of the owner's channel;
// idempotent. The owner cannot moderate their own channel
// (ErrInvalidArgument); a user banned from it must be unbanned first
// (ErrFailedPrecondition, code "user_banned"). The new capabilities apply
// to the moderator's next chat token.
func (s *Service) AddModerator(ctx context.Context, ownerID, username string) (err error) {
	defer ugc.Wrap(&err, "chat.AddModerator")
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return err
	}
	u, err := s.userByName(ctx, "username", username)
	if err != nil {
		return err
	}
	if u.ID == owner.ID {
		return &ugc.Error{Kind: ugc.ErrInvalidArgument, Field: "username", Code: "self_moderation", Message: "the owner already moderates the channel"}
	}
	b, err := s.store.GetBan(ctx, owner.ID, u.ID)
	if err == nil && b.Active(s.now()) {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "user_banned", "the user is banned from the channel; unban them first")
	}
	if err != nil && !isNotFound(err) {
		return err
	}
	return s.store.PutModerator(ctx, ugc.Moderator{ChannelUserID: owner.ID, UserID: u.ID, CreatedAt: s.now()})
}

// RemoveModerator revokes username's moderation of the owner's channel
// and closes the user's chat connections to it, whose tokens still carry
// moderator capabilities (clients reconnect with a viewer token). Revoking
// a user who is not a moderator is not an error.
func (s *Service) RemoveModerator(ctx context.Context, ownerID, username string) (err error) {
	defer ugc.Wrap(&err, "chat.RemoveModerator")
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return err
	}
	u, err := s.userByName(ctx, "username", username)
	if err != nil {
		return err
	}
	removed, err := s.store.DeleteModerator(ctx, owner.ID, u.ID)
	if err != nil || !removed {
		return err
	}
	return s.disconnect(ctx, owner, u.ID, "moderator role revoked")
}

// ModeratorEntry is one moderator of a list, with the username ("" when
// the user no longer exists).
type ModeratorEntry struct {
	ugc.Moderator
	Username string
}

// Moderators returns the moderators of the owner's channel, oldest first,
// and the cursor of the next page ("" on the last).
func (s *Service) Moderators(ctx context.Context, ownerID string, p store.Page) (_ []ModeratorEntry, next string, err error) {
	defer ugc.Wrap(&err, "chat.Moderators")
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return nil, "", err
	}
	mods, next, err := s.store.ListModerators(ctx, owner.ID, p)
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, len(mods))
	for i, m := range mods {
		ids[i] = m.UserID
	}
	users, err := s.usersByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]ModeratorEntry, len(mods))
	for i, m := range mods {
		out[i] = ModeratorEntry{Moderator: m}
		if u := users[m.UserID]; u != nil {
			out[i].Username = u.Username
		}
	}
	return out, next, nil
}
