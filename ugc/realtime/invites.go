package realtime

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// inviteVersion prefixes invite codes, so the format can change.
const inviteVersion = "i1"

// Invite is an invite code of a host's stage.
type Invite struct {
	ID        string
	Code      string // "i1.<payload>.<signature>"; share it as a link
	ExpiresAt time.Time
}

// CreateInvite creates a signed invite code to the host's stage, valid for
// ttl (0 means Options.InviteTTL; between MinInviteTTL and MaxInviteTTL).
// A signed-in user presenting it to PublishToken while it is valid and the
// stage is live gets a publish token (seats permitting). The code is an
// HMAC-SHA256 signature over its invite ID, channel and expiry; the invite
// is also stored so RevokeInvite can cancel it.
func (s *Service) CreateInvite(ctx context.Context, hostID string, ttl time.Duration) (_ *Invite, err error) {
	defer ugc.Wrap(&err, "realtime.CreateInvite")
	if err := store.CheckID("userId", hostID); err != nil {
		return nil, err
	}
	if ttl == 0 {
		ttl = s.opts.InviteTTL
	}
	if ttl < MinInviteTTL || ttl > MaxInviteTTL {
		return nil, ugc.InvalidField("expiresInSeconds", "must be between %d and %d", int(MinInviteTTL/time.Second), int(MaxInviteTTL/time.Second))
	}
	u, err := s.store.GetUser(ctx, hostID)
	if err != nil {
		return nil, err
	}
	if u.Channel.StageArn == "" {
		return nil, errNoStage()
	}
	now := s.now()
	inv := ugc.Invite{ID: s.opts.NewID(), ChannelUserID: hostID, CreatedAt: now, ExpiresAt: now.Add(ttl).Truncate(time.Second)}
	if err := s.store.PutInvite(ctx, inv); err != nil {
		return nil, err
	}
	return &Invite{ID: inv.ID, Code: s.signInvite(inv), ExpiresAt: inv.ExpiresAt}, nil
}

// RevokeInvite cancels one of the host's invites by ID; idempotent.
func (s *Service) RevokeInvite(ctx context.Context, hostID, inviteID string) (err error) {
	defer ugc.Wrap(&err, "realtime.RevokeInvite")
	if err := store.CheckIDs("userId", hostID, "id", inviteID); err != nil {
		return err
	}
	inv, err := s.store.GetInvite(ctx, inviteID)
	if err != nil {
		return err
	}
	if inv.ChannelUserID != hostID {
		return ugc.Errorf(ugc.ErrNotFound, "no such invite")
	}
	if !inv.RevokedAt.IsZero() {
		return nil
	}
	inv.RevokedAt = s.now()
	return s.store.PutInvite(ctx, *inv)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (s *Service) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.opts.InviteKey)
	m.Write([]byte(inviteVersion + "." + payload))
	return m.Sum(nil)
}

func (s *Service) signInvite(inv ugc.Invite) string {
	payload := b64([]byte(inv.ID + "\n" + inv.ChannelUserID + "\n" + strconv.FormatInt(inv.ExpiresAt.Unix(), 10)))
	return inviteVersion + "." + payload + "." + b64(s.mac(payload))
}

func errInvalidInvite(msg string) error {
	return &ugc.Error{Kind: ugc.ErrPermissionDenied, Code: "invalid_invite", Field: "invite", Message: msg}
}

// verifyInvite checks an invite code against the channel of hostID.
func (s *Service) verifyInvite(ctx context.Context, code, hostID string) error {
	if len(code) > 1024 {
		return errInvalidInvite("the invite code is malformed")
	}
	ver, rest, ok1 := strings.Cut(code, ".")
	payload, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || ver != inviteVersion {
		return errInvalidInvite("the invite code is malformed")
	}
	got, err := base64.RawURLEncoding.Strict().DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(payload)) {
		return errInvalidInvite("the invite code is not valid")
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return errInvalidInvite("the invite code is malformed")
	}
	parts := strings.Split(string(raw), "\n")
	if len(parts) != 3 {
		return errInvalidInvite("the invite code is malformed")
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return errInvalidInvite("the invite code is malformed")
	}
	if parts[1] != hostID {
		return errInvalidInvite("the invite code is for another channel")
	}
	if !s.now().Before(time.Unix(exp, 0)) {
		return errInvalidInvite("the invite code has expired")
	}
	inv, err := s.store.GetInvite(ctx, parts[0])
	if errors.Is(err, ugc.ErrNotFound) {
		return errInvalidInvite("the invite was revoked")
	}
	if err != nil {
		return err
	}
	if !inv.RevokedAt.IsZero() || inv.ChannelUserID != hostID {
		return errInvalidInvite("the invite was revoked")
	}
	return nil
}
