package channels

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// channelConfig is the part of a channel's configuration the service
// manages, in normalized form: the comparison of two configurations is ==.
type channelConfig struct {
	Type, LatencyMode, Preset, ContainerFormat string
	Multitrack                                 bool
	MaxResolution, Policy                      string // "" when Multitrack is off
}

// wantConfig is the configuration Options ask for.
func (s *Service) wantConfig() channelConfig {
	o := s.opts
	c := channelConfig{Type: o.ChannelType, LatencyMode: o.LatencyMode, Preset: o.TranscodePreset, ContainerFormat: "TS"}
	if m := o.Multitrack; m != nil && m.Enabled {
		c.Multitrack, c.MaxResolution, c.Policy = true, m.MaximumResolution, m.Policy
		c.ContainerFormat = "FRAGMENTED_MP4"
	}
	return c
}

// normalize returns the managed configuration of a channel as IVS reports
// it, with IVS's defaults filled in and irrelevant fields cleared.
func normalize(ch *ivstypes.Channel) channelConfig {
	c := channelConfig{
		Type: string(ch.Type), LatencyMode: string(ch.LatencyMode),
		Preset: string(ch.Preset), ContainerFormat: string(ch.ContainerFormat),
	}
	if c.Type == "" {
		c.Type = TypeStandard
	}
	if c.LatencyMode == "" {
		c.LatencyMode = "LOW"
	}
	switch {
	case !isAdvanced(c.Type):
		c.Preset = ""
	case c.Preset == "":
		c.Preset = "HIGHER_BANDWIDTH_DELIVERY"
	}
	if c.ContainerFormat == "" {
		c.ContainerFormat = "TS"
	}
	if m := ch.MultitrackInputConfiguration; m != nil && m.Enabled {
		c.Multitrack, c.MaxResolution, c.Policy = true, string(m.MaximumResolution), string(m.Policy)
		if c.MaxResolution == "" {
			c.MaxResolution = "FULL_HD"
		}
		if c.Policy == "" {
			c.Policy = "ALLOW"
		}
	}
	return c
}

// channelInput is the configuration part of CreateChannel and
// UpdateChannel inputs.
type channelInput struct {
	Type                         ivstypes.ChannelType
	LatencyMode                  ivstypes.ChannelLatencyMode
	Preset                       ivstypes.TranscodePreset
	ContainerFormat              ivstypes.ContainerFormat
	MultitrackInputConfiguration *ivstypes.MultitrackInputConfiguration
}

// channelConfigInput returns the configuration to send. Multitrack input
// is sent when enabled, and, with explicitOff, sent disabled (so a channel
// that has it loses it).
func (s *Service) channelConfigInput(explicitOff bool) channelInput {
	c := s.wantConfig()
	in := channelInput{
		Type:            ivstypes.ChannelType(c.Type),
		LatencyMode:     ivstypes.ChannelLatencyMode(c.LatencyMode),
		Preset:          ivstypes.TranscodePreset(c.Preset),
		ContainerFormat: ivstypes.ContainerFormat(c.ContainerFormat),
	}
	switch {
	case c.Multitrack:
		in.MultitrackInputConfiguration = &ivstypes.MultitrackInputConfiguration{
			Enabled:           true,
			MaximumResolution: ivstypes.MultitrackMaximumResolution(c.MaxResolution),
			Policy:            ivstypes.MultitrackPolicy(c.Policy),
		}
	case explicitOff:
		// The SDK omits a false Enabled; an object without it is "off".
		in.MultitrackInputConfiguration = &ivstypes.MultitrackInputConfiguration{Enabled: false}
	}
	return in
}

// ReconcileChannelConfig brings the user's channel to the configuration
// Options ask for (type, latency mode, transcode preset, multitrack input).
// It compares normalized values and calls UpdateChannel only when they
// differ; changed reports whether it did.
func (s *Service) ReconcileChannelConfig(ctx context.Context, userID string) (changed bool, err error) {
	defer ugc.Wrap(&err, "channels.ReconcileChannelConfig")
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return false, err
	}
	if u.Channel.Arn == "" {
		return false, ugc.WithCode(ugc.ErrFailedPrecondition, "not_provisioned", "the user has no channel")
	}
	out, err := s.opts.IVS.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(u.Channel.Arn)})
	if err != nil {
		return false, awserr.Map(err)
	}
	have := normalize(out.Channel)
	if have == s.wantConfig() {
		return false, s.syncStoredConfig(ctx, u, out.Channel)
	}
	in := s.channelConfigInput(have.Multitrack)
	up, err := s.opts.IVS.UpdateChannel(ctx, &ivs.UpdateChannelInput{
		Arn:                          aws.String(u.Channel.Arn),
		Type:                         in.Type,
		LatencyMode:                  in.LatencyMode,
		Preset:                       in.Preset,
		ContainerFormat:              in.ContainerFormat,
		MultitrackInputConfiguration: in.MultitrackInputConfiguration,
	})
	if err != nil {
		return false, awserr.Map(err)
	}
	return true, s.syncStoredConfig(ctx, u, up.Channel)
}

// syncStoredConfig records the channel's type and latency mode on the user
// when they differ from what is stored.
func (s *Service) syncStoredConfig(ctx context.Context, u *ugc.User, ch *ivstypes.Channel) error {
	if ch == nil || (u.Channel.Type == string(ch.Type) && u.Channel.LatencyMode == string(ch.LatencyMode)) {
		return nil
	}
	_, err := s.updateUser(ctx, u.ID, func(u *ugc.User) error {
		u.Channel.Type, u.Channel.LatencyMode = string(ch.Type), string(ch.LatencyMode)
		return nil
	})
	return err
}

// ResetStreamKey stops the user's stream if it is live, deletes the
// channel's stream keys and makes a new one, and stores it. A retry after
// any failure ends with exactly one valid key, the stored one. When another
// reset of the same key ran at the same time, it reports
// ErrFailedPrecondition with code "concurrent_reset": retry.
func (s *Service) ResetStreamKey(ctx context.Context, userID string) (_ ugc.StreamKey, err error) {
	defer ugc.Wrap(&err, "channels.ResetStreamKey")
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return "", err
	}
	if u.Channel.Arn == "" {
		return "", ugc.WithCode(ugc.ErrFailedPrecondition, "not_provisioned", "the user has no channel")
	}
	if err := s.stopStream(ctx, u.Channel.Arn); err != nil {
		return "", err
	}
	k, err := s.ensureOneKey(ctx, u.Channel.Arn, true)
	if err != nil {
		return "", err
	}
	if _, err := s.updateUser(ctx, userID, func(u *ugc.User) error {
		u.Channel.StreamKeyArn, u.Channel.StreamKey = k.arn, k.value
		return nil
	}); err != nil {
		return "", err
	}
	// A concurrent reset may have replaced the key between our create and
	// our write: then the stored key is not the channel's, and the caller
	// must retry.
	out, err := s.opts.IVS.ListStreamKeys(ctx, &ivs.ListStreamKeysInput{ChannelArn: aws.String(u.Channel.Arn)})
	if err != nil {
		return "", awserr.Map(err)
	}
	if len(out.StreamKeys) != 1 || aws.ToString(out.StreamKeys[0].Arn) != k.arn {
		return "", ugc.WithCode(ugc.ErrFailedPrecondition, "concurrent_reset", "the stream key was reset concurrently; retry")
	}
	return k.value, nil
}

// maxUpdateAttempts bounds the optimistic-concurrency retries of updateUser.
const maxUpdateAttempts = 8

// updateUser applies fn to the stored user and writes it, retrying on a
// version conflict. fn may be called several times.
func (s *Service) updateUser(ctx context.Context, id string, fn func(*ugc.User) error) (*ugc.User, error) {
	for attempt := 0; ; attempt++ {
		u, err := s.store.GetUser(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := fn(u); err != nil {
			return nil, err
		}
		u.UpdatedAt = s.now()
		err = s.store.UpdateUser(ctx, u)
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, ugc.ErrFailedPrecondition) || ugc.CodeOf(err) != "version_conflict" || attempt+1 >= maxUpdateAttempts {
			return nil, err
		}
	}
}
