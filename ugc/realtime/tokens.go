package realtime

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Role is a participant's role on a stage; it is carried in the token's
// attributes ("role") and in its IVS user ID ("<role>:<user ID>").
type Role string

// The roles.
const (
	RoleHost        Role = "host"        // the channel owner
	RoleScreenShare Role = "screenshare" // the host's screen share
	RoleGuest       Role = "guest"       // a publisher let in by request or invite
	RoleSpectator   Role = "spectator"   // subscribe only
)

// maxIVSUserID is IVS's limit on a token's user ID.
const maxIVSUserID = 128

// ivsUserID is the IVS user ID of a participant: "<role>:<ugc user ID>"
// ("spectator:" for an anonymous spectator).
func ivsUserID(role Role, userID string) (string, error) {
	id := string(role) + ":" + userID
	if len(id) > maxIVSUserID {
		return "", ugc.InvalidField("userId", "is too long for an IVS participant token")
	}
	return id, nil
}

// parseIVSUserID splits an IVS user ID made by ivsUserID; ok is false
// for a user ID the service did not make.
func parseIVSUserID(id string) (role Role, userID string, ok bool) {
	r, u, found := strings.Cut(id, ":")
	if !found {
		return "", "", false
	}
	switch Role(r) {
	case RoleHost, RoleScreenShare, RoleGuest, RoleSpectator:
		return Role(r), u, true
	}
	return "", "", false
}

// Token is a participant token of a stage.
type Token struct {
	Token         ugc.Token // the secret the client joins with
	ParticipantID string
	ExpiresAt     time.Time // the token cannot join after this
	Role          Role
}

// Attributes returns the token attributes of a user in a role: username,
// color, avatar (stock name), avatarUrl and role, within IVS's 1 KB limit
// (a too long avatar URL is dropped). A nil user is an anonymous spectator.
func (s *Service) Attributes(u *ugc.User, role Role) map[string]string {
	a := map[string]string{"role": string(role)}
	if u == nil {
		return a
	}
	a["username"] = u.Username
	a["color"] = u.Color
	a["avatar"] = u.Avatar
	if s.opts.AvatarURL != nil {
		a["avatarUrl"] = s.opts.AvatarURL(u)
	}
	if attributesSize(a) > MaxAttributesBytes {
		delete(a, "avatarUrl")
	}
	if attributesSize(a) > MaxAttributesBytes { // unreachable with valid users
		a = map[string]string{"role": string(role)}
	}
	return a
}

func attributesSize(a map[string]string) int {
	n := 0
	for k, v := range a {
		n += len(k) + len(v)
	}
	return n
}

// mint creates one participant token.
func (s *Service) mint(ctx context.Context, stageArn string, u *ugc.User, userID string, role Role, d time.Duration) (*Token, error) {
	id, err := ivsUserID(role, userID)
	if err != nil {
		return nil, err
	}
	caps := []types.ParticipantTokenCapability{types.ParticipantTokenCapabilityPublish, types.ParticipantTokenCapabilitySubscribe}
	if role == RoleSpectator {
		caps = []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe}
	}
	out, err := s.opts.Stages.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{
		StageArn:     aws.String(stageArn),
		UserId:       aws.String(id),
		Capabilities: caps,
		Attributes:   s.Attributes(u, role),
		Duration:     aws.Int32(int32(d / time.Minute)),
	})
	if err != nil {
		return nil, awserr.Map(err)
	}
	pt := out.ParticipantToken
	if pt == nil || aws.ToString(pt.Token) == "" {
		return nil, ugc.Errorf(ugc.ErrUnavailable, "CreateParticipantToken returned no token")
	}
	exp := aws.ToTime(pt.ExpirationTime)
	if exp.IsZero() {
		exp = s.now().Add(d)
	}
	return &Token{Token: ugc.Token(aws.ToString(pt.Token)), ParticipantID: aws.ToString(pt.ParticipantId), ExpiresAt: exp.UTC(), Role: role}, nil
}

// PublishToken mints a PUBLISH + SUBSCRIBE token for userID on the stage
// of the channel username. The caller needs an accepted, unused join
// request of the current session (it is used up) or a valid invite code
// of the channel (reusable while valid). A seat is reserved first, with a
// conditional store write: a full stage is ErrFailedPrecondition
// "stage_full"; a caller who holds a seat already, "seat_held". The seat
// is held until the participant leaves or, if it never joins, until the
// token's join window (Options.JoinWindow) passes.
//
// Errors: stage_offline (no live session), banned, kicked (cool-off),
// not_invited (403), invalid_invite (403), is_host (the host joins with
// StartSession's token).
func (s *Service) PublishToken(ctx context.Context, userID, username, invite string) (_ *Token, err error) {
	defer ugc.Wrap(&err, "realtime.PublishToken")
	if err := store.CheckID("userId", userID); err != nil {
		return nil, err
	}
	host, err := s.hostByName(ctx, username)
	if err != nil {
		return nil, err
	}
	if host.ID == userID {
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "is_host", "the host joins with the host token of POST /v1/me/stage/session")
	}
	ss, err := s.activeSession(ctx, host.ID)
	if err != nil {
		return nil, err
	}
	if err := s.checkViewer(ctx, host.ID, userID, true); err != nil {
		return nil, err
	}
	var req *ugc.JoinRequest
	if invite != "" {
		if err := s.verifyInvite(ctx, invite, host.ID); err != nil {
			return nil, err
		}
	} else {
		req, err = s.usableRequest(ctx, host.ID, userID, ss)
		if err != nil {
			return nil, err
		}
	}
	guest, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	seat := ugc.Seat{SessionID: ss.ID, UserID: userID, ReservedAt: now, ExpiresAt: now.Add(s.opts.JoinWindow)}
	if err := s.store.ReserveSeat(ctx, seat, GuestSeats, now); err != nil {
		return nil, err
	}
	release := func() {
		if _, err := s.store.ReleaseSeat(context.WithoutCancel(ctx), ss.ID, userID); err != nil {
			s.log.WarnContext(ctx, "realtime: releasing a seat failed; it frees itself after the join window", "session", ss.ID, "err", err)
		}
	}
	tok, err := s.mint(ctx, ss.StageArn, guest, userID, RoleGuest, s.opts.JoinWindow)
	if err != nil {
		release()
		return nil, err
	}
	if req != nil {
		used := *req
		used.TokenUsed, used.UpdatedAt = true, now
		if err := s.store.UpdateJoinRequest(ctx, &used, ugc.RequestAccepted); err != nil {
			// Another call used the request first. The minted token is
			// never handed out; were it used, the join event finds no
			// seat for it and disconnects it.
			release()
			return nil, err
		}
	}
	seat.ParticipantID = tok.ParticipantID
	if err := s.store.UpdateSeat(ctx, seat); err != nil {
		release()
		return nil, err
	}
	return tok, nil
}

// SpectatorToken mints a SUBSCRIBE-only token for the live stage of the
// channel username. userID may be "" (anonymous). A banned user is
// ErrPermissionDenied "banned"; an offline stage "stage_offline".
func (s *Service) SpectatorToken(ctx context.Context, userID, username string) (_ *Token, err error) {
	defer ugc.Wrap(&err, "realtime.SpectatorToken")
	host, err := s.hostByName(ctx, username)
	if err != nil {
		return nil, err
	}
	ss, err := s.activeSession(ctx, host.ID)
	if err != nil {
		return nil, err
	}
	if err := s.checkViewer(ctx, host.ID, userID, false); err != nil {
		return nil, err
	}
	var u *ugc.User
	if userID != "" {
		if u, err = s.store.GetUser(ctx, userID); err != nil {
			return nil, err
		}
	}
	return s.mint(ctx, ss.StageArn, u, userID, RoleSpectator, s.opts.TokenDuration)
}

// usableRequest returns the user's accepted, unused join request of the
// session ss, or not_invited.
func (s *Service) usableRequest(ctx context.Context, hostID, userID string, ss *ugc.StageSession) (*ugc.JoinRequest, error) {
	r, err := s.store.LatestJoinRequest(ctx, hostID, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil, errNotInvited()
	}
	if err != nil {
		return nil, err
	}
	if r.Status != ugc.RequestAccepted || r.TokenUsed || !s.now().Before(r.ExpiresAt) || r.UpdatedAt.Before(ss.StartedAt) {
		return nil, errNotInvited()
	}
	return r, nil
}
