package chat

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// Room setting limits, IVS Chat's.
const (
	MaxMessageLength          = 500 // characters
	MaxSlowModeMessagesPerSec = 100
)

// RoomSettings are the settings of a channel's chat room.
type RoomSettings struct {
	// MaxMessageLength is the longest message accepted, in characters
	// (1 to 500).
	MaxMessageLength int
	// SlowModeMessagesPerSecond is how many messages the room accepts per
	// second, from all senders together (1 to 100).
	SlowModeMessagesPerSecond int
	// ReviewHandler reports whether the room's messages go through the
	// message review handler (the channel has blocked terms).
	ReviewHandler bool
}

// RoomSettingsUpdate changes room settings; nil fields are left unchanged.
type RoomSettingsUpdate struct {
	MaxMessageLength          *int
	SlowModeMessagesPerSecond *int
}

func settingsOf(maxLen, maxRate *int32, h *types.MessageReviewHandler) RoomSettings {
	return RoomSettings{
		MaxMessageLength:          int(aws.ToInt32(maxLen)),
		SlowModeMessagesPerSecond: int(aws.ToInt32(maxRate)),
		ReviewHandler:             h != nil && aws.ToString(h.Uri) != "",
	}
}

// RoomSettings returns the settings of the owner's chat room.
func (s *Service) RoomSettings(ctx context.Context, ownerID string) (_ *RoomSettings, err error) {
	defer ugc.Wrap(&err, "chat.RoomSettings")
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	out, err := s.opts.Chat.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: aws.String(owner.Channel.ChatRoomArn)})
	if err != nil {
		return nil, awserr.Map(err)
	}
	st := settingsOf(out.MaximumMessageLength, out.MaximumMessageRatePerSecond, out.MessageReviewHandler)
	return &st, nil
}

// UpdateRoomSettings changes the settings of the owner's chat room with
// UpdateRoom and returns them. Values out of range are ErrInvalidArgument
// naming "maxMessageLength" or "slowModeMessagesPerSecond".
func (s *Service) UpdateRoomSettings(ctx context.Context, ownerID string, in RoomSettingsUpdate) (_ *RoomSettings, err error) {
	defer ugc.Wrap(&err, "chat.UpdateRoomSettings")
	if v := in.MaxMessageLength; v != nil && (*v < 1 || *v > MaxMessageLength) {
		return nil, ugc.InvalidField("maxMessageLength", "must be from 1 to %d", MaxMessageLength)
	}
	if v := in.SlowModeMessagesPerSecond; v != nil && (*v < 1 || *v > MaxSlowModeMessagesPerSec) {
		return nil, ugc.InvalidField("slowModeMessagesPerSecond", "must be from 1 to %d", MaxSlowModeMessagesPerSec)
	}
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	up := &ivschat.UpdateRoomInput{Identifier: aws.String(owner.Channel.ChatRoomArn)}
	if v := in.MaxMessageLength; v != nil {
		up.MaximumMessageLength = aws.Int32(int32(*v))
	}
	if v := in.SlowModeMessagesPerSecond; v != nil {
		up.MaximumMessageRatePerSecond = aws.Int32(int32(*v))
	}
	out, err := s.opts.Chat.UpdateRoom(ctx, up)
	if err != nil {
		return nil, awserr.Map(err)
	}
	st := settingsOf(out.MaximumMessageLength, out.MaximumMessageRatePerSecond, out.MessageReviewHandler)
	return &st, nil
}

// BlockedTerms returns the owner's blocked terms (empty when none).
func (s *Service) BlockedTerms(ctx context.Context, ownerID string) (_ []string, err error) {
	defer ugc.Wrap(&err, "chat.BlockedTerms")
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	terms, err := s.store.GetBlockedTerms(ctx, owner.ID)
	if terms == nil && err == nil {
		terms = []string{}
	}
	return terms, err
}

// SetBlockedTerms replaces the owner's blocked terms and returns them as
// stored: trimmed, inner spaces collapsed, duplicates (compared
// case-insensitively) removed, in the order given. At most MaxTerms terms
// of at most MaxTermLen characters, each with at least one letter or
// digit; else ErrInvalidArgument naming "terms". Then the room's message
// review handler is set (terms present) or removed (none) with
// EnsureReviewHandler. Setting terms without Options.ReviewHandlerURI is
// ErrFailedPrecondition with code "review_handler_unconfigured".
func (s *Service) SetBlockedTerms(ctx context.Context, ownerID string, terms []string) (_ []string, err error) {
	defer ugc.Wrap(&err, "chat.SetBlockedTerms")
	clean, err := NormalizeTerms(terms)
	if err != nil {
		return nil, err
	}
	if len(clean) > 0 && s.opts.ReviewHandlerURI == "" {
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "review_handler_unconfigured",
			"blocked terms need a message review handler, and none is configured")
	}
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	if err := s.store.PutBlockedTerms(ctx, owner.ID, clean); err != nil {
		return nil, err
	}
	s.reviewer.Forget(owner.Channel.ChatRoomArn)
	if err := s.ensureReviewHandler(ctx, owner, len(clean) > 0); err != nil {
		return nil, err
	}
	return clean, nil
}

// EnsureReviewHandler makes the owner's chat room match its blocked
// terms: with terms, messageReviewHandler {uri: Options.ReviewHandlerURI,
// fallbackResult: ALLOW} is set on the room; without, it is removed. It
// calls UpdateRoom only when the room differs, so it is cheap to call
// again, e.g. for rooms made before the handler was configured.
func (s *Service) EnsureReviewHandler(ctx context.Context, ownerID string) (err error) {
	defer ugc.Wrap(&err, "chat.EnsureReviewHandler")
	owner, err := s.channel(ctx, ownerID)
	if err != nil {
		return err
	}
	terms, err := s.store.GetBlockedTerms(ctx, owner.ID)
	if err != nil {
		return err
	}
	return s.ensureReviewHandler(ctx, owner, len(terms) > 0)
}

func (s *Service) ensureReviewHandler(ctx context.Context, owner *ugc.User, want bool) error {
	uri := ""
	if want {
		uri = s.opts.ReviewHandlerURI
	}
	room := aws.String(owner.Channel.ChatRoomArn)
	out, err := s.opts.Chat.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: room})
	if err != nil {
		return awserr.Map(err)
	}
	have := ""
	fallback := types.FallbackResultAllow
	if h := out.MessageReviewHandler; h != nil {
		have, fallback = aws.ToString(h.Uri), h.FallbackResult
	}
	if have == uri && (uri == "" || fallback == types.FallbackResultAllow) {
		return nil
	}
	if uri == "" && have != "" && have != s.opts.ReviewHandlerURI {
		// Someone else's handler: leave it.
		return nil
	}
	_, err = s.opts.Chat.UpdateRoom(ctx, &ivschat.UpdateRoomInput{
		Identifier:           room,
		MessageReviewHandler: &types.MessageReviewHandler{Uri: aws.String(uri), FallbackResult: types.FallbackResultAllow},
	})
	return awserr.Map(err)
}

// Review decides on one message to a room, with the contract of an IVS
// Chat message review Lambda: see Reviewer.Review. Register it with
// ivslocal locally; on AWS, deploy ugc/chat/reviewlambda.
func (s *Service) Review(ctx context.Context, req ReviewRequest) (ReviewResponse, error) {
	return s.reviewer.Review(ctx, req)
}
