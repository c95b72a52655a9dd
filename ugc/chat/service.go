package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// ChatAPI is the part of the Amazon IVS Chat API the service calls.
// *ivschat.Client satisfies it.
type ChatAPI interface {
	CreateChatToken(ctx context.Context, in *ivschat.CreateChatTokenInput, optFns ...func(*ivschat.Options)) (*ivschat.CreateChatTokenOutput, error)
	DeleteMessage(ctx context.Context, in *ivschat.DeleteMessageInput, optFns ...func(*ivschat.Options)) (*ivschat.DeleteMessageOutput, error)
	DisconnectUser(ctx context.Context, in *ivschat.DisconnectUserInput, optFns ...func(*ivschat.Options)) (*ivschat.DisconnectUserOutput, error)
	GetRoom(ctx context.Context, in *ivschat.GetRoomInput, optFns ...func(*ivschat.Options)) (*ivschat.GetRoomOutput, error)
	UpdateRoom(ctx context.Context, in *ivschat.UpdateRoomInput, optFns ...func(*ivschat.Options)) (*ivschat.UpdateRoomOutput, error)
}

var _ ChatAPI = (*ivschat.Client)(nil)

// Limits of the service.
const (
	// DefaultSessionDuration is the chat session length when
	// Options.SessionDuration is zero.
	DefaultSessionDuration = 60 * time.Minute
	// MaxSessionDuration is the longest session IVS Chat allows.
	MaxSessionDuration = 180 * time.Minute
	// MaxAttributesBytes is IVS Chat's limit on a token's attributes: the
	// UTF-8 bytes of every key and value together.
	MaxAttributesBytes = 1024
	// MinBanDuration and MaxBanDuration bound a timed ban.
	MinBanDuration = time.Second
	MaxBanDuration = 14 * 24 * time.Hour
	// MaxReasonLen is the longest reason (ban, kick, message deletion) in
	// characters, IVS Chat's limit on a DisconnectUser or DeleteMessage
	// reason.
	MaxReasonLen = 256
	// MaxChatUserIDLen is IVS Chat's limit on a chat user ID; longer ugc
	// user IDs are hashed (see ChatUserID).
	MaxChatUserIDLen = 128
)

// AWSEndpoint returns the IVS Chat messaging WebSocket URL of an AWS
// region, e.g. "wss://edge.ivschat.us-east-1.amazonaws.com", for
// Options.Endpoint.
func AWSEndpoint(region string) string {
	return "wss://edge.ivschat." + region + ".amazonaws.com"
}

// Options configure a Service. Store, Chat and Endpoint are required; the
// zero value of every other field has the default its comment gives.
type Options struct {
	// Store holds users, bans, moderators and blocked terms.
	Store store.Store
	// Chat is the IVS Chat API (an *ivschat.Client).
	Chat ChatAPI
	// Endpoint is the chat messaging WebSocket URL returned with every
	// token: AWSEndpoint(region) on AWS, ivslocal's ChatEndpoint() locally.
	Endpoint string

	// SessionDuration is how long a chat connection may last: whole
	// minutes from 1 to 180; default 60.
	SessionDuration time.Duration
	// ReviewHandlerURI is the Lambda ARN set as the messageReviewHandler of
	// rooms whose channel has blocked terms (locally any Lambda-ARN-shaped
	// string: ivslocal runs the Go handler registered with it). Empty
	// means blocked terms cannot be set (ErrFailedPrecondition).
	ReviewHandlerURI string
	// AvatarURL returns the URL of a user's uploaded avatar ("" for none),
	// put in chat token attributes; nil means no avatar URL. Wire it to
	// channels.Service.AvatarURL.
	AvatarURL func(u *ugc.User) string
	// MaskBlockedTerms makes the review handler replace blocked terms with
	// asterisks and deliver the message instead of denying it.
	MaskBlockedTerms bool
	// TermsCacheTTL is how long the review handler reuses a channel's
	// compiled blocked terms in this process before reading the store
	// again; default 10 s; negative reads the store for every message.
	// Changes made through this Service apply at once in this process.
	TermsCacheTTL time.Duration

	// OnBan, when set, is called after a ban is stored and the user's chat
	// connections are closed, e.g. to drop the user from the channel's
	// stage or to forget a cached channel page. It runs on the caller's
	// goroutine; its failures are its own to report.
	OnBan func(ctx context.Context, b ugc.Ban)

	// Now is the clock; default time.Now.
	Now func() time.Time
	// NewAnonymousID returns the chat user ID of an anonymous viewer;
	// default "anon-" and 16 random bytes in hex.
	NewAnonymousID func() string
	// Logger receives diagnostics; default silent.
	Logger *slog.Logger
}

// Service issues chat tokens and moderates the chat rooms of channels:
// bans (permanent or timed), moderators, message deletion, kicks, room
// settings and blocked terms. It is safe for concurrent use and keeps no
// state besides its options and a bounded cache of compiled blocked terms:
// every replica sharing the store and the AWS account behaves the same.
// The zero Service is not usable; call New.
type Service struct {
	opts     Options
	store    store.Store
	log      *slog.Logger
	reviewer *Reviewer
}

// New returns a Service. It checks the options; it makes no network call.
func New(opts Options, optFns ...func(*Options)) (*Service, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	var missing []string
	if opts.Store == nil {
		missing = append(missing, "Store")
	}
	if opts.Chat == nil {
		missing = append(missing, "Chat")
	}
	if opts.Endpoint == "" {
		missing = append(missing, "Endpoint")
	}
	if len(missing) > 0 {
		return nil, ugc.InvalidField(missing[0], "chat.New: required option(s) missing: %s", strings.Join(missing, ", "))
	}
	setDefaults(&opts)
	if d := opts.SessionDuration; d < time.Minute || d > MaxSessionDuration || d%time.Minute != 0 {
		return nil, ugc.InvalidField("SessionDuration", "chat.New: must be whole minutes from 1 to 180, not %v", d)
	}
	if opts.ReviewHandlerURI != "" && !strings.HasPrefix(opts.ReviewHandlerURI, "arn:") {
		return nil, ugc.InvalidField("ReviewHandlerURI", "chat.New: must be a Lambda function ARN")
	}
	r, err := NewReviewer(ReviewerOptions{
		Store: opts.Store, Mask: opts.MaskBlockedTerms, CacheTTL: opts.TermsCacheTTL, Now: opts.Now,
	})
	if err != nil {
		return nil, err
	}
	return &Service{opts: opts, store: opts.Store, log: opts.Logger, reviewer: r}, nil
}

// setDefaults fills in the defaults of unset options, in one place.
func setDefaults(o *Options) {
	if o.SessionDuration == 0 {
		o.SessionDuration = DefaultSessionDuration
	}
	if o.AvatarURL == nil {
		o.AvatarURL = func(*ugc.User) string { return "" }
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewAnonymousID == nil {
		o.NewAnonymousID = randomAnonymousID
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

func randomAnonymousID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "anon-" + hex.EncodeToString(b[:])
}

func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// Endpoint returns the chat messaging WebSocket URL clients connect to.
func (s *Service) Endpoint() string { return s.opts.Endpoint }

// ChatUserID returns the IVS Chat user ID of a ugc user: the user ID
// itself, or, for an ID longer than IVS's 128 characters, "h-" and the
// SHA-256 of the ID in hex. Tokens, bans and kicks all use it, so
// moderation by user reaches every connection of that user.
func ChatUserID(userID string) string {
	if len(userID) <= MaxChatUserIDLen {
		return userID
	}
	sum := sha256.Sum256([]byte(userID))
	return "h-" + hex.EncodeToString(sum[:])
}

// notFoundUser is the error for an unknown username.
func notFoundUser(field string, err error) error {
	return &ugc.Error{Kind: ugc.ErrNotFound, Field: field, Code: "user_not_found", Message: "no such user", Err: err}
}

// userByName returns the user of username, or ErrNotFound naming field.
func (s *Service) userByName(ctx context.Context, field, username string) (*ugc.User, error) {
	if username == "" || len(username) > store.MaxIDLen {
		return nil, notFoundUser(field, nil)
	}
	u, err := s.store.GetUserByUsername(ctx, username)
	if isNotFound(err) {
		return nil, notFoundUser(field, err)
	}
	return u, err
}

// channel returns the owner of a channel by user ID; the channel must have
// a chat room.
func (s *Service) channel(ctx context.Context, channelUserID string) (*ugc.User, error) {
	if channelUserID == "" || len(channelUserID) > store.MaxIDLen {
		return nil, &ugc.Error{Kind: ugc.ErrNotFound, Code: "channel_not_found", Message: "no such channel"}
	}
	u, err := s.store.GetUser(ctx, channelUserID)
	if isNotFound(err) {
		return nil, &ugc.Error{Kind: ugc.ErrNotFound, Code: "channel_not_found", Message: "no such channel", Err: err}
	}
	if err != nil {
		return nil, err
	}
	if u.Channel.ChatRoomArn == "" {
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "no_chat_room", "the channel has no chat room")
	}
	return u, nil
}

// Channel returns the owner of the channel of username, for the methods
// that take a channel user ID. An unknown username is ErrNotFound naming
// "channel".
func (s *Service) Channel(ctx context.Context, username string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "chat.Channel")
	return s.userByName(ctx, "channel", username)
}

func isNotFound(err error) bool { return err != nil && ugc.KindOf(err) == ugc.ErrNotFound }
