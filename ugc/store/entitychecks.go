package store

import (
	"github.com/ivs-ugc/ugc-go/ugc"
)

// The argument rules of the contract's writes, one function per stored
// entity. Every driver calls them before it reads or writes anything, so
// the drivers refuse the same inputs with the same ugc.Error kind and
// field. Each returns nil or an error wrapping ErrInvalidArgument that names
// the first offending field; IDs are checked with CheckID, free text with
// CheckText and opaque data with CheckSize.

// required returns ErrInvalidArgument naming field when the pointer
// argument is nil.
func required[T any](field string, v *T) error {
	if v == nil {
		return ugc.InvalidField(field, "is required")
	}
	return nil
}

// checkTexts checks pairs of (field, value) with CheckText against max and
// returns the first error.
func checkTexts(max int, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckText(pairs[i], pairs[i+1], max); err != nil {
			return err
		}
	}
	return nil
}

// CheckUser refuses a nil user ("user"), a bad ID, Username or Email, and
// a profile or channel field (Color, Avatar, Assets.*, Channel.*) that is
// not valid UTF-8 of at most MaxTextLen bytes; the field is named with its
// path, e.g. "channel.stage_arn".
func CheckUser(u *ugc.User) error {
	if err := required("user", u); err != nil {
		return err
	}
	if err := CheckIDs("id", u.ID, "username", u.Username, "email", u.Email); err != nil {
		return err
	}
	c := u.Channel
	return checkTexts(MaxTextLen,
		"color", u.Color, "avatar", u.Avatar,
		"assets.avatar_version", u.Assets.AvatarVersion, "assets.banner_version", u.Assets.BannerVersion,
		"channel.arn", c.Arn, "channel.ingest_endpoint", c.IngestEndpoint, "channel.playback_url", c.PlaybackURL,
		"channel.stream_key_arn", c.StreamKeyArn, "channel.stream_key", c.StreamKey.Reveal(),
		"channel.type", c.Type, "channel.latency_mode", c.LatencyMode,
		"channel.chat_room_arn", c.ChatRoomArn, "channel.stage_arn", c.StageArn,
		"channel.tracking_id", c.TrackingID)
}

// CheckCredentials refuses a bad UserID and a PasswordHash that is empty
// or not valid UTF-8 of at most MaxTextLen bytes.
func CheckCredentials(c ugc.Credentials) error {
	if err := CheckID("user_id", c.UserID); err != nil {
		return err
	}
	if c.PasswordHash == "" {
		return ugc.InvalidField("password_hash", "is required")
	}
	return CheckText("password_hash", c.PasswordHash, MaxTextLen)
}

// CheckAuthSession refuses a bad TokenHash or UserID.
func CheckAuthSession(a ugc.AuthSession) error {
	return CheckIDs("token_hash", a.TokenHash, "user_id", a.UserID)
}

// CheckResetToken refuses a bad TokenHash or UserID.
func CheckResetToken(t ugc.ResetToken) error {
	return CheckIDs("token_hash", t.TokenHash, "user_id", t.UserID)
}

// CheckJob refuses a nil job ("job"), a bad Kind or ID, a Step that is not
// valid UTF-8 of at most MaxIDLen bytes, and Data ("data") with a key or
// value that is not valid UTF-8 or whose keys and values add up to more
// than MaxDataLen bytes.
func CheckJob(j *ugc.Job) error {
	if err := required("job", j); err != nil {
		return err
	}
	if err := CheckIDs("kind", j.Kind, "id", j.ID); err != nil {
		return err
	}
	if err := CheckText("step", j.Step, MaxIDLen); err != nil {
		return err
	}
	size := 0
	for k, v := range j.Data {
		size += len(k) + len(v)
		if err := checkTexts(MaxDataLen, "data", k, "data", v); err != nil {
			return err
		}
	}
	if size > MaxDataLen {
		return ugc.InvalidField("data", "must hold at most %d bytes", MaxDataLen)
	}
	return nil
}

// CheckFollow refuses a bad FollowerID or ChannelUserID, and a user
// following themselves ("channel_user_id").
func CheckFollow(f ugc.Follow) error {
	if err := CheckIDs("follower_id", f.FollowerID, "channel_user_id", f.ChannelUserID); err != nil {
		return err
	}
	if f.FollowerID == f.ChannelUserID {
		return ugc.InvalidField("channel_user_id", "a user cannot follow themselves")
	}
	return nil
}

// CheckLiveKind refuses a kind that is not ugc.LiveLowLatency or
// ugc.LiveRealTime ("kind").
func CheckLiveKind(k ugc.LiveKind) error {
	if !k.Valid() {
		return ugc.InvalidField("kind", "must be %q or %q", ugc.LiveLowLatency, ugc.LiveRealTime)
	}
	return nil
}

// CheckLiveEntry refuses a bad UserID, an invalid Kind (see CheckLiveKind)
// and a Ref that is not valid UTF-8 of at most MaxIDLen bytes; Ref may be
// empty. ClearLive's (userID, kind, ref) follow the same rules.
func CheckLiveEntry(e ugc.LiveEntry) error {
	if err := CheckID("user_id", e.UserID); err != nil {
		return err
	}
	if err := CheckLiveKind(e.Kind); err != nil {
		return err
	}
	return CheckText("ref", e.Ref, MaxIDLen)
}

// CheckStreamSession refuses a nil session ("session"), a bad ID or
// UserID, a ChannelArn that is not valid UTF-8 of at most MaxIDLen bytes
// and an IngestConfiguration longer than MaxDataLen bytes.
func CheckStreamSession(s *ugc.StreamSession) error {
	if err := required("session", s); err != nil {
		return err
	}
	if err := CheckIDs("id", s.ID, "user_id", s.UserID); err != nil {
		return err
	}
	if err := CheckText("channel_arn", s.ChannelArn, MaxIDLen); err != nil {
		return err
	}
	return CheckSize("ingest_configuration", s.IngestConfiguration, MaxDataLen)
}

// CheckStreamEvent refuses a bad ID or SessionID, a Type, Name or Code
// that is not valid UTF-8 of at most MaxIDLen bytes and a Reason that is
// not valid UTF-8 of at most MaxTextLen bytes.
func CheckStreamEvent(e ugc.StreamEvent) error {
	if err := CheckIDs("id", e.ID, "session_id", e.SessionID); err != nil {
		return err
	}
	if err := checkTexts(MaxIDLen, "type", e.Type, "name", e.Name, "code", e.Code); err != nil {
		return err
	}
	return CheckText("reason", e.Reason, MaxTextLen)
}

// CheckMetricsCacheEntry refuses a bad SessionID and Data longer than
// MaxMetricsCacheLen bytes.
func CheckMetricsCacheEntry(e ugc.MetricsCacheEntry) error {
	if err := CheckID("session_id", e.SessionID); err != nil {
		return err
	}
	return CheckSize("data", e.Data, MaxMetricsCacheLen)
}

// CheckBan refuses a bad ChannelUserID or UserID, a Reason that is not
// valid UTF-8 of at most MaxTextLen bytes and a BannedBy that is not valid
// UTF-8 of at most MaxIDLen bytes.
func CheckBan(b ugc.Ban) error {
	if err := CheckIDs("channel_user_id", b.ChannelUserID, "user_id", b.UserID); err != nil {
		return err
	}
	if err := CheckText("reason", b.Reason, MaxTextLen); err != nil {
		return err
	}
	return CheckText("banned_by", b.BannedBy, MaxIDLen)
}

// CheckModerator refuses a bad ChannelUserID or UserID.
func CheckModerator(m ugc.Moderator) error {
	return CheckIDs("channel_user_id", m.ChannelUserID, "user_id", m.UserID)
}

// CheckBlockedTerms refuses more than MaxBlockedTerms terms and a term that
// is empty or not valid UTF-8 of at most MaxTextLen bytes ("terms"). No
// terms at all is allowed.
func CheckBlockedTerms(terms []string) error {
	if len(terms) > MaxBlockedTerms {
		return ugc.InvalidField("terms", "must hold at most %d terms", MaxBlockedTerms)
	}
	for _, t := range terms {
		if t == "" {
			return ugc.InvalidField("terms", "must not hold an empty term")
		}
		if err := CheckText("terms", t, MaxTextLen); err != nil {
			return err
		}
	}
	return nil
}

// CheckActiveAction refuses a nil action ("action"), a bad ID,
// ChannelUserID or Type and Data longer than MaxDataLen bytes.
func CheckActiveAction(a *ugc.Action) error {
	if err := required("action", a); err != nil {
		return err
	}
	if err := CheckIDs("id", a.ID, "channel_user_id", a.ChannelUserID, "type", a.Type); err != nil {
		return err
	}
	return CheckSize("data", a.Data, MaxDataLen)
}

// CheckPreset refuses a bad UserID or Type and Data longer than MaxDataLen
// bytes.
func CheckPreset(p ugc.Preset) error {
	if err := CheckIDs("user_id", p.UserID, "type", p.Type); err != nil {
		return err
	}
	return CheckSize("data", p.Data, MaxDataLen)
}

// CheckRule refuses a bad ID or ChannelUserID, an EventName or PresetType
// that is not valid UTF-8 of at most MaxIDLen bytes and a negative Delay.
func CheckRule(r ugc.Rule) error {
	if err := CheckIDs("id", r.ID, "channel_user_id", r.ChannelUserID); err != nil {
		return err
	}
	if err := checkTexts(MaxIDLen, "event_name", r.EventName, "preset_type", r.PresetType); err != nil {
		return err
	}
	if r.Delay < 0 {
		return ugc.InvalidField("delay", "must not be negative")
	}
	return nil
}

// CheckPoll refuses a nil poll ("poll"), a bad ID or ChannelUserID, a
// Question that is not valid UTF-8 of at most MaxTextLen bytes, fewer than
// MinPollOptions or more than MaxPollOptions options, and an option that is
// empty or not valid UTF-8 of at most MaxTextLen bytes ("options").
func CheckPoll(p *ugc.Poll) error {
	if err := required("poll", p); err != nil {
		return err
	}
	if err := CheckIDs("id", p.ID, "channel_user_id", p.ChannelUserID); err != nil {
		return err
	}
	if err := CheckText("question", p.Question, MaxTextLen); err != nil {
		return err
	}
	if n := len(p.Options); n < MinPollOptions || n > MaxPollOptions {
		return ugc.InvalidField("options", "must hold %d to %d options", MinPollOptions, MaxPollOptions)
	}
	for _, o := range p.Options {
		if o == "" {
			return ugc.InvalidField("options", "must not hold an empty option")
		}
		if err := CheckText("options", o, MaxTextLen); err != nil {
			return err
		}
	}
	return nil
}

// CheckVote refuses a bad PollID or UserID and a negative Option. Whether
// Option is below the poll's number of options only the stored poll tells.
func CheckVote(v ugc.Vote) error {
	if err := CheckIDs("poll_id", v.PollID, "user_id", v.UserID); err != nil {
		return err
	}
	if v.Option < 0 {
		return ugc.InvalidField("option", "must not be negative")
	}
	return nil
}

// CheckStageSession refuses a nil session ("session"), a bad ID or
// ChannelUserID and a StageArn or HostParticipantID that is not valid
// UTF-8 of at most MaxIDLen bytes.
func CheckStageSession(s *ugc.StageSession) error {
	if err := required("session", s); err != nil {
		return err
	}
	if err := CheckIDs("id", s.ID, "channel_user_id", s.ChannelUserID); err != nil {
		return err
	}
	return checkTexts(MaxIDLen, "stage_arn", s.StageArn, "host_participant_id", s.HostParticipantID)
}

// CheckSeat refuses a bad SessionID or UserID and a ParticipantID that is
// not valid UTF-8 of at most MaxIDLen bytes.
func CheckSeat(s ugc.Seat) error {
	if err := CheckIDs("session_id", s.SessionID, "user_id", s.UserID); err != nil {
		return err
	}
	return CheckText("participant_id", s.ParticipantID, MaxIDLen)
}

// CheckSeatReservation checks ReserveSeat's arguments: the seat as
// CheckSeat does, and a max below 1 ("max").
func CheckSeatReservation(s ugc.Seat, max int) error {
	if err := CheckSeat(s); err != nil {
		return err
	}
	if max < 1 {
		return ugc.InvalidField("max", "must be at least 1")
	}
	return nil
}

// CheckJoinRequest refuses a nil request ("request"), a bad ID,
// ChannelUserID or UserID and a Status that is not valid UTF-8 of at most
// MaxIDLen bytes.
func CheckJoinRequest(r *ugc.JoinRequest) error {
	if err := required("request", r); err != nil {
		return err
	}
	if err := CheckIDs("id", r.ID, "channel_user_id", r.ChannelUserID, "user_id", r.UserID); err != nil {
		return err
	}
	return CheckText("status", r.Status, MaxIDLen)
}

// CheckInvite refuses a bad ID or ChannelUserID.
func CheckInvite(i ugc.Invite) error {
	return CheckIDs("id", i.ID, "channel_user_id", i.ChannelUserID)
}

// CheckKick refuses a bad ChannelUserID or UserID.
func CheckKick(k ugc.Kick) error {
	return CheckIDs("channel_user_id", k.ChannelUserID, "user_id", k.UserID)
}

// CheckNotification refuses a nil notification ("notification"), a bad
// UserID or Type and Data longer than MaxDataLen bytes.
func CheckNotification(n *ugc.Notification) error {
	if err := required("notification", n); err != nil {
		return err
	}
	if err := CheckIDs("user_id", n.UserID, "type", n.Type); err != nil {
		return err
	}
	return CheckSize("data", n.Data, MaxDataLen)
}

// CheckNotificationsQuery checks ListNotifications' arguments and returns
// the effective limit: it refuses a bad userID ("user_id"), a negative
// after ("after") and a limit outside 0..MaxPageLimit ("limit"); a limit of
// 0 is DefaultPageLimit.
func CheckNotificationsQuery(userID string, after int64, limit int) (int, error) {
	if err := CheckID("user_id", userID); err != nil {
		return 0, err
	}
	if after < 0 {
		return 0, ugc.InvalidField("after", "must not be negative")
	}
	return Limit(Page{Limit: limit})
}
