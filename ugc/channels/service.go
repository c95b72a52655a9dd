package channels

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// IVSAPI is the part of the Amazon IVS API the service calls. *ivs.Client
// satisfies it.
type IVSAPI interface {
	CreateChannel(ctx context.Context, in *ivs.CreateChannelInput, optFns ...func(*ivs.Options)) (*ivs.CreateChannelOutput, error)
	GetChannel(ctx context.Context, in *ivs.GetChannelInput, optFns ...func(*ivs.Options)) (*ivs.GetChannelOutput, error)
	UpdateChannel(ctx context.Context, in *ivs.UpdateChannelInput, optFns ...func(*ivs.Options)) (*ivs.UpdateChannelOutput, error)
	DeleteChannel(ctx context.Context, in *ivs.DeleteChannelInput, optFns ...func(*ivs.Options)) (*ivs.DeleteChannelOutput, error)
	ListChannels(ctx context.Context, in *ivs.ListChannelsInput, optFns ...func(*ivs.Options)) (*ivs.ListChannelsOutput, error)
	CreateStreamKey(ctx context.Context, in *ivs.CreateStreamKeyInput, optFns ...func(*ivs.Options)) (*ivs.CreateStreamKeyOutput, error)
	GetStreamKey(ctx context.Context, in *ivs.GetStreamKeyInput, optFns ...func(*ivs.Options)) (*ivs.GetStreamKeyOutput, error)
	ListStreamKeys(ctx context.Context, in *ivs.ListStreamKeysInput, optFns ...func(*ivs.Options)) (*ivs.ListStreamKeysOutput, error)
	DeleteStreamKey(ctx context.Context, in *ivs.DeleteStreamKeyInput, optFns ...func(*ivs.Options)) (*ivs.DeleteStreamKeyOutput, error)
	StopStream(ctx context.Context, in *ivs.StopStreamInput, optFns ...func(*ivs.Options)) (*ivs.StopStreamOutput, error)
}

// ChatRoomAPI is the part of the Amazon IVS Chat API the service calls.
// *ivschat.Client satisfies it.
type ChatRoomAPI interface {
	CreateRoom(ctx context.Context, in *ivschat.CreateRoomInput, optFns ...func(*ivschat.Options)) (*ivschat.CreateRoomOutput, error)
	DeleteRoom(ctx context.Context, in *ivschat.DeleteRoomInput, optFns ...func(*ivschat.Options)) (*ivschat.DeleteRoomOutput, error)
	ListRooms(ctx context.Context, in *ivschat.ListRoomsInput, optFns ...func(*ivschat.Options)) (*ivschat.ListRoomsOutput, error)
}

// StageAPI is the part of the Amazon IVS Real-Time API the service calls.
// *ivsrealtime.Client satisfies it. DeleteStage disconnects the stage's
// participants.
type StageAPI interface {
	CreateStage(ctx context.Context, in *ivsrealtime.CreateStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateStageOutput, error)
	DeleteStage(ctx context.Context, in *ivsrealtime.DeleteStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteStageOutput, error)
	ListStages(ctx context.Context, in *ivsrealtime.ListStagesInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStagesOutput, error)
}

var (
	_ IVSAPI      = (*ivs.Client)(nil)
	_ ChatRoomAPI = (*ivschat.Client)(nil)
	_ StageAPI    = (*ivsrealtime.Client)(nil)
)

// The channel types.
const (
	TypeBasic      = "BASIC"
	TypeStandard   = "STANDARD"
	TypeAdvancedSD = "ADVANCED_SD"
	TypeAdvancedHD = "ADVANCED_HD"
)

// MultitrackInput is the multitrack input configuration of new and
// reconciled channels. It needs a STANDARD channel.
type MultitrackInput struct {
	Enabled           bool
	MaximumResolution string // SD | HD | FULL_HD; "" means FULL_HD
	Policy            string // ALLOW | REQUIRE; "" means ALLOW
}

// Options configure a Service. Store, IVS, Chat, Stages, Assets and
// ProjectTag are required; the zero value of every other field has the
// default its comment gives.
type Options struct {
	Store  store.Store
	IVS    IVSAPI
	Chat   ChatRoomAPI
	Stages StageAPI
	Assets AssetStore

	// AssetBaseURL is the public URL prefix of assets, e.g.
	// "http://127.0.0.1:8080/assets"; an asset's URL is AssetBaseURL + "/" +
	// key, where the key embeds a version. Default "/assets".
	AssetBaseURL string

	// ChannelType is the IVS channel type: BASIC, STANDARD (default),
	// ADVANCED_SD or ADVANCED_HD.
	ChannelType string
	// LatencyMode is LOW (default) or NORMAL.
	LatencyMode string
	// TranscodePreset applies to ADVANCED channels only:
	// HIGHER_BANDWIDTH_DELIVERY (default) or CONSTRAINED_BANDWIDTH_DELIVERY.
	TranscodePreset string
	// Multitrack is the multitrack input configuration; nil or
	// Enabled=false turns it off.
	Multitrack *MultitrackInput

	// ProjectTag is the value of the "project" tag on every AWS resource
	// the service makes; the orphan reconciler looks only at resources
	// with this tag.
	ProjectTag string
	// SignupDomains, when not empty, are the only email domains that can
	// register (compared case-insensitively).
	SignupDomains []string
	// ProductLinkRegionCode, when set, suffixes the affiliate tracking ID.
	ProductLinkRegionCode string

	// PageCacheTTL, when positive, lets ChannelPage reuse its store reads
	// for that long within this replica (a stale view is at most that old;
	// the seed's UI polls every 5 s). Zero, the default, reads the store
	// every time. PageCacheEntries bounds the cache; default 10,000.
	PageCacheTTL     time.Duration
	PageCacheEntries int

	// JobLease is how long a run of Register or DeleteAccount owns its
	// store Job after each write of it. Another call for the same username
	// (or user) meanwhile is refused; once the lease has expired (the run
	// crashed or hangs), the next call takes the job over and resumes it,
	// and the old run, at its next write, finds it has lost the job and
	// stops without undoing anything. Every step renews the lease, so it
	// must exceed the longest step (an AWS call with the SDK's retries).
	// Default 1 minute.
	JobLease time.Duration

	// Now is the clock; default time.Now.
	Now func() time.Time
	// NewID returns a new user ID; default 16 random bytes in hex.
	NewID func() string
	// Logger receives diagnostics; default silent.
	Logger *slog.Logger
}

// Service manages users and their channels. It is safe for concurrent use
// and keeps no state of its own besides its options: every replica sharing
// the store and the AWS account behaves the same.
type Service struct {
	opts  Options
	store store.Store
	log   *slog.Logger
	cache *pageCache // nil when off
}

// Tag keys set on every resource the service makes.
const (
	TagProject   = "project"
	TagOwner     = "ugc:owner"     // the owner's user ID
	TagCreatedAt = "ugc:createdAt" // RFC 3339, UTC
)

// New returns a Service. It checks the required options and the channel
// configuration; it makes no network call.
func New(opts Options, optFns ...func(*Options)) (*Service, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	var missing []string
	if opts.Store == nil {
		missing = append(missing, "Store")
	}
	if opts.IVS == nil {
		missing = append(missing, "IVS")
	}
	if opts.Chat == nil {
		missing = append(missing, "Chat")
	}
	if opts.Stages == nil {
		missing = append(missing, "Stages")
	}
	if opts.Assets == nil {
		missing = append(missing, "Assets")
	}
	if opts.ProjectTag == "" {
		missing = append(missing, "ProjectTag")
	}
	if len(missing) > 0 {
		return nil, ugc.InvalidField(missing[0], "channels.New: required option(s) missing: %s", strings.Join(missing, ", "))
	}
	setDefaults(&opts)
	if err := checkConfig(&opts); err != nil {
		return nil, err
	}
	return &Service{opts: opts, store: opts.Store, log: opts.Logger, cache: newPageCache(opts.PageCacheTTL, opts.PageCacheEntries)}, nil
}

func setDefaults(o *Options) {
	if o.AssetBaseURL == "" {
		o.AssetBaseURL = "/assets"
	}
	o.AssetBaseURL = strings.TrimRight(o.AssetBaseURL, "/")
	if o.ChannelType == "" {
		o.ChannelType = TypeStandard
	}
	if o.LatencyMode == "" {
		o.LatencyMode = "LOW"
	}
	if isAdvanced(o.ChannelType) && o.TranscodePreset == "" {
		o.TranscodePreset = "HIGHER_BANDWIDTH_DELIVERY"
	}
	if m := o.Multitrack; m != nil {
		c := *m
		if c.MaximumResolution == "" {
			c.MaximumResolution = "FULL_HD"
		}
		if c.Policy == "" {
			c.Policy = "ALLOW"
		}
		o.Multitrack = &c
	}
	if o.PageCacheEntries <= 0 {
		o.PageCacheEntries = 10_000
	}
	if o.JobLease <= 0 {
		o.JobLease = time.Minute
	}
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

func checkConfig(o *Options) error {
	if !slices.Contains([]string{TypeBasic, TypeStandard, TypeAdvancedSD, TypeAdvancedHD}, o.ChannelType) {
		return ugc.InvalidField("ChannelType", "must be BASIC, STANDARD, ADVANCED_SD or ADVANCED_HD")
	}
	if o.LatencyMode != "LOW" && o.LatencyMode != "NORMAL" {
		return ugc.InvalidField("LatencyMode", "must be LOW or NORMAL")
	}
	switch {
	case !isAdvanced(o.ChannelType) && o.TranscodePreset != "":
		return ugc.InvalidField("TranscodePreset", "applies only to ADVANCED_SD and ADVANCED_HD channels")
	case isAdvanced(o.ChannelType) && o.TranscodePreset != "HIGHER_BANDWIDTH_DELIVERY" && o.TranscodePreset != "CONSTRAINED_BANDWIDTH_DELIVERY":
		return ugc.InvalidField("TranscodePreset", "must be HIGHER_BANDWIDTH_DELIVERY or CONSTRAINED_BANDWIDTH_DELIVERY")
	}
	if m := o.Multitrack; m != nil {
		if !slices.Contains([]string{"SD", "HD", "FULL_HD"}, m.MaximumResolution) {
			return ugc.InvalidField("Multitrack.MaximumResolution", "must be SD, HD or FULL_HD")
		}
		if m.Policy != "ALLOW" && m.Policy != "REQUIRE" {
			return ugc.InvalidField("Multitrack.Policy", "must be ALLOW or REQUIRE")
		}
		if m.Enabled && o.ChannelType != TypeStandard {
			return ugc.InvalidField("Multitrack", "multitrack input needs a STANDARD channel")
		}
	}
	return nil
}

func isAdvanced(t string) bool { return t == TypeAdvancedSD || t == TypeAdvancedHD }

func randomID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// tags returns the tags of a new resource owned by userID.
func (s *Service) tags(userID string) map[string]string {
	return map[string]string{
		TagProject:   s.opts.ProjectTag,
		TagOwner:     userID,
		TagCreatedAt: s.now().Format(time.RFC3339),
	}
}

// ownedBy reports whether tags mark a resource of this project owned by userID.
func (s *Service) ownedBy(tags map[string]string, userID string) bool {
	return tags[TagProject] == s.opts.ProjectTag && tags[TagOwner] == userID
}

// isNotFound reports whether err means the thing is already gone.
func isNotFound(err error) bool { return errors.Is(err, ugc.ErrNotFound) }
