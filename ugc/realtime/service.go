package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// StageAPI is the part of the IVS Real-Time client the service calls.
type StageAPI interface {
	CreateParticipantToken(ctx context.Context, in *ivsrealtime.CreateParticipantTokenInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateParticipantTokenOutput, error)
	DisconnectParticipant(ctx context.Context, in *ivsrealtime.DisconnectParticipantInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DisconnectParticipantOutput, error)
	GetStage(ctx context.Context, in *ivsrealtime.GetStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageOutput, error)
	GetParticipant(ctx context.Context, in *ivsrealtime.GetParticipantInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetParticipantOutput, error)
	ListParticipants(ctx context.Context, in *ivsrealtime.ListParticipantsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantsOutput, error)
	ListStages(ctx context.Context, in *ivsrealtime.ListStagesInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStagesOutput, error)
	DeleteStage(ctx context.Context, in *ivsrealtime.DeleteStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteStageOutput, error)
}

var _ StageAPI = (*ivsrealtime.Client)(nil)

// Tag keys the channels package sets on every stage it provisions; the
// janitor reads them to find the project's stages and their owners.
const (
	TagProject   = "project"
	TagOwner     = "ugc:owner"
	TagCreatedAt = "ugc:createdAt"
)

// Limits of the service.
const (
	// MaxPublishers is IVS's limit of publishers on a stage.
	MaxPublishers = 12
	// GuestSeats is the number of publisher seats guests (and the host's
	// screen share) share: one of the 12 is kept for the host.
	GuestSeats = MaxPublishers - 1
	// MaxAttributesBytes is IVS's limit on a token's attributes (keys and
	// values together).
	MaxAttributesBytes = 1024
	// MaxInviteTTL is the longest validity of an invite code.
	MaxInviteTTL = 7 * 24 * time.Hour
	// MinInviteTTL is the shortest validity of an invite code.
	MinInviteTTL = time.Minute
)

// Options configure a Service.
type Options struct {
	// Store holds sessions, seats, requests, invites, kicks and
	// notifications. Required.
	Store store.Store
	// Stages is the IVS Real-Time client. Required.
	Stages StageAPI
	// InviteKey signs invite codes (HMAC-SHA256); at least 32 bytes.
	// Every replica must use the same key. Required.
	InviteKey []byte
	// ProjectTag is the value of the "project" tag on the project's
	// stages (the channels package's ProjectTag). Required: the janitor
	// only touches stages carrying it.
	ProjectTag string

	// AvatarURL returns the URL of a user's uploaded avatar, or "" (the
	// channels package's AvatarURL). Nil: tokens carry no avatar URL.
	AvatarURL func(*ugc.User) string

	// HostGrace is how long a session survives its host's absence before
	// the janitor ends it; default 3 minutes.
	HostGrace time.Duration
	// RequestTTL is how long a join request stays pending, and how long an
	// accepted one can be used; default 10 minutes.
	RequestTTL time.Duration
	// InviteTTL is the default validity of an invite code; default 1 hour.
	InviteTTL time.Duration
	// KickCooloff is how long a kicked user cannot request or join;
	// default 5 minutes.
	KickCooloff time.Duration
	// JoinWindow is how long a reserved seat waits for its participant to
	// join; the guest's token expires with it. Whole minutes, at least 1;
	// default 2 minutes.
	JoinWindow time.Duration
	// TokenDuration is the validity of host and spectator tokens; whole
	// minutes; default 12 hours.
	TokenDuration time.Duration
	// OrphanGrace is the age below which the janitor leaves an ownerless
	// stage alone (its provisioning may be running); default 1 hour.
	OrphanGrace time.Duration
	// NotificationRetention is how long notifications are kept; the
	// janitor deletes older ones. Default 24 hours.
	NotificationRetention time.Duration
	// PollInterval is how often Stream reads the store for notifications
	// appended by other replicas; default 1 second.
	PollInterval time.Duration
	// KeepAlive is the longest Stream stays silent: it calls send with an
	// empty batch at least this often. Default 15 seconds.
	KeepAlive time.Duration

	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// NewID returns IDs of sessions, requests and invites; 16 random bytes
	// in hex when nil.
	NewID func() string
	// Logger logs background failures; silent when nil.
	Logger *slog.Logger
}

// setDefaults fills in the defaults of unset options, in one place.
func (o *Options) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.HostGrace, 3*time.Minute)
	def(&o.RequestTTL, 10*time.Minute)
	def(&o.InviteTTL, time.Hour)
	def(&o.KickCooloff, 5*time.Minute)
	def(&o.JoinWindow, 2*time.Minute)
	def(&o.TokenDuration, 12*time.Hour)
	def(&o.OrphanGrace, time.Hour)
	def(&o.NotificationRetention, 24*time.Hour)
	def(&o.PollInterval, time.Second)
	def(&o.KeepAlive, 15*time.Second)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewID == nil {
		o.NewID = randomID
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Service runs collaborative stage sessions: host and guest tokens,
// publisher seats, join requests, invites, kicks, spectators, the
// per-user notification stream and the janitor. It keeps no state of its
// own beyond wake-up channels, so any number of replicas share one store.
type Service struct {
	opts  Options
	store store.Store
	log   *slog.Logger

	mu       sync.Mutex
	watchers map[string]map[chan struct{}]struct{} // userID → wake-up channels
}

// New returns a Service. It checks the required options; it makes no
// network call.
func New(opts Options, optFns ...func(*Options)) (*Service, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	var errs []error
	if opts.Store == nil {
		errs = append(errs, ugc.InvalidField("Store", "is required"))
	}
	if opts.Stages == nil {
		errs = append(errs, ugc.InvalidField("Stages", "is required"))
	}
	if len(opts.InviteKey) < 32 {
		errs = append(errs, ugc.InvalidField("InviteKey", "must be at least 32 bytes"))
	}
	if opts.ProjectTag == "" {
		errs = append(errs, ugc.InvalidField("ProjectTag", "is required"))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"JoinWindow", opts.JoinWindow}, {"TokenDuration", opts.TokenDuration}} {
		if d.v%time.Minute != 0 {
			errs = append(errs, ugc.InvalidField(d.name, "must be whole minutes"))
		}
	}
	if opts.TokenDuration > 14*24*time.Hour {
		errs = append(errs, ugc.InvalidField("TokenDuration", "must be at most 14 days (IVS's limit)"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	opts.setDefaults()
	return &Service{opts: opts, store: opts.Store, log: opts.Logger, watchers: map[string]map[chan struct{}]struct{}{}}, nil
}

func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// Errors with codes of their own.
var (
	errOffline = func() error {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "stage_offline", "the channel's stage is not live")
	}
	errBanned = func() error {
		return ugc.WithCode(ugc.ErrPermissionDenied, "banned", "you are banned from this channel")
	}
	errKicked = func() error {
		return ugc.WithCode(ugc.ErrPermissionDenied, "kicked", "you were removed from this stage; try again later")
	}
	errNoStage = func() error {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "no_stage", "the channel has no stage yet")
	}
	errNotInvited = func() error {
		return ugc.WithCode(ugc.ErrPermissionDenied, "not_invited", "an accepted join request or a valid invite is required")
	}
)

// host returns the channel owner by username.
func (s *Service) hostByName(ctx context.Context, username string) (*ugc.User, error) {
	if username == "" {
		return nil, ugc.InvalidField("username", "is required")
	}
	if err := store.CheckID("username", username); err != nil {
		return nil, err
	}
	return s.store.GetUserByUsername(ctx, username)
}

// activeSession returns the host's active session, or stage_offline.
func (s *Service) activeSession(ctx context.Context, hostID string) (*ugc.StageSession, error) {
	ss, err := s.store.ActiveStageSession(ctx, hostID)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil, errOffline()
	}
	return ss, err
}

// banned reports whether userID has an active ban on the channel.
func (s *Service) banned(ctx context.Context, hostID, userID string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	b, err := s.store.GetBan(ctx, hostID, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return b.Active(s.now()), nil
}

// kicked reports whether userID is in a kick cool-off on the channel.
func (s *Service) kicked(ctx context.Context, hostID, userID string) (bool, error) {
	k, err := s.store.GetKick(ctx, hostID, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.now().Before(k.Until), nil
}

// checkViewer refuses banned users and, with publish, kicked ones.
func (s *Service) checkViewer(ctx context.Context, hostID, userID string, publish bool) error {
	if b, err := s.banned(ctx, hostID, userID); err != nil {
		return err
	} else if b {
		return errBanned()
	}
	if !publish || userID == "" {
		return nil
	}
	if k, err := s.kicked(ctx, hostID, userID); err != nil {
		return err
	} else if k {
		return errKicked()
	}
	return nil
}
