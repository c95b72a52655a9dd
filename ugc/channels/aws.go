package channels

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// maxListPages bounds a listing, against a service that never ends its pages.
const maxListPages = 10_000

// ownedChannels returns the ARNs of the channels named name ("" for any)
// that carry the project tag and userID as owner.
func (s *Service) ownedChannels(ctx context.Context, userID, name string) ([]string, error) {
	var arns []string
	err := s.eachChannel(ctx, name, func(c ivstypes.ChannelSummary) {
		if s.ownedBy(c.Tags, userID) {
			arns = append(arns, aws.ToString(c.Arn))
		}
	})
	slices.Sort(arns) // every run adopts the same one
	return arns, err
}

func (s *Service) eachChannel(ctx context.Context, name string, fn func(ivstypes.ChannelSummary)) error {
	in := &ivs.ListChannelsInput{MaxResults: aws.Int32(100)}
	if name != "" {
		in.FilterByName = aws.String(name)
	}
	for range maxListPages {
		out, err := s.opts.IVS.ListChannels(ctx, in)
		if err != nil {
			return awserr.Map(err)
		}
		for _, c := range out.Channels {
			fn(c)
		}
		if aws.ToString(out.NextToken) == "" {
			return nil
		}
		in.NextToken = out.NextToken
	}
	return nil
}

// ownedRooms is ownedChannels for chat rooms.
func (s *Service) ownedRooms(ctx context.Context, userID, name string) ([]string, error) {
	var arns []string
	err := s.eachRoom(ctx, name, func(arn string, tags map[string]string) {
		if s.ownedBy(tags, userID) {
			arns = append(arns, arn)
		}
	})
	slices.Sort(arns)
	return arns, err
}

func (s *Service) eachRoom(ctx context.Context, name string, fn func(arn string, tags map[string]string)) error {
	in := &ivschat.ListRoomsInput{MaxResults: aws.Int32(50)}
	if name != "" {
		in.Name = aws.String(name)
	}
	for range maxListPages {
		out, err := s.opts.Chat.ListRooms(ctx, in)
		if err != nil {
			return awserr.Map(err)
		}
		for _, r := range out.Rooms {
			fn(aws.ToString(r.Arn), r.Tags)
		}
		if aws.ToString(out.NextToken) == "" {
			return nil
		}
		in.NextToken = out.NextToken
	}
	return nil
}

// ownedStages is ownedChannels for stages (which cannot be listed by name).
func (s *Service) ownedStages(ctx context.Context, userID string) ([]string, error) {
	var arns []string
	err := s.eachStage(ctx, func(arn string, tags map[string]string) {
		if s.ownedBy(tags, userID) {
			arns = append(arns, arn)
		}
	})
	slices.Sort(arns)
	return arns, err
}

func (s *Service) eachStage(ctx context.Context, fn func(arn string, tags map[string]string)) error {
	in := &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(100)}
	for range maxListPages {
		out, err := s.opts.Stages.ListStages(ctx, in)
		if err != nil {
			return awserr.Map(err)
		}
		for _, st := range out.Stages {
			fn(aws.ToString(st.Arn), st.Tags)
		}
		if aws.ToString(out.NextToken) == "" {
			return nil
		}
		in.NextToken = out.NextToken
	}
	return nil
}

// stopStream stops the channel's stream; a channel that is not
// broadcasting, or gone, is fine.
func (s *Service) stopStream(ctx context.Context, arn string) error {
	if arn == "" {
		return nil
	}
	_, err := s.opts.IVS.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: aws.String(arn)})
	if err == nil || awserr.Code(err) == "ChannelNotBroadcasting" || awserr.IsNotFound(err) {
		return nil
	}
	return awserr.Map(err)
}

// deleteChannel stops the stream and deletes the channel (and with it its
// stream keys); a missing channel is done.
func (s *Service) deleteChannel(ctx context.Context, arn string) error {
	if arn == "" {
		return nil
	}
	_, err := s.opts.IVS.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: aws.String(arn)})
	if err != nil && errors.Is(awserr.Map(err), ugc.ErrFailedPrecondition) {
		// Live channels cannot be deleted: stop the stream, then retry once.
		if err := s.stopStream(ctx, arn); err != nil {
			return err
		}
		_, err = s.opts.IVS.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: aws.String(arn)})
	}
	if err == nil || awserr.IsNotFound(err) {
		return nil
	}
	return awserr.Map(err)
}

// deleteRoom deletes a chat room; a missing room is done.
func (s *Service) deleteRoom(ctx context.Context, arn string) error {
	if arn == "" {
		return nil
	}
	_, err := s.opts.Chat.DeleteRoom(ctx, &ivschat.DeleteRoomInput{Identifier: aws.String(arn)})
	if err == nil || awserr.IsNotFound(err) {
		return nil
	}
	return awserr.Map(err)
}

// deleteStage deletes a stage, which disconnects its participants; a
// missing stage is done.
func (s *Service) deleteStage(ctx context.Context, arn string) error {
	if arn == "" {
		return nil
	}
	_, err := s.opts.Stages.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: aws.String(arn)})
	if err == nil || awserr.IsNotFound(err) {
		return nil
	}
	return awserr.Map(err)
}

type streamKey struct {
	arn   string
	value ugc.StreamKey
}

// ensureOneKey leaves the channel with exactly one stream key and returns
// it. With fresh, every existing key is deleted and a new one made;
// otherwise the first existing key is kept and extra ones deleted.
func (s *Service) ensureOneKey(ctx context.Context, channelArn string, fresh bool) (streamKey, error) {
	ivsc := s.opts.IVS
	var arns []string
	in := &ivs.ListStreamKeysInput{ChannelArn: aws.String(channelArn)}
	for range maxListPages {
		out, err := ivsc.ListStreamKeys(ctx, in)
		if err != nil {
			return streamKey{}, awserr.Map(err)
		}
		for _, k := range out.StreamKeys {
			arns = append(arns, aws.ToString(k.Arn))
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	keepFirst := !fresh && len(arns) > 0
	for i, arn := range arns {
		if keepFirst && i == 0 {
			continue
		}
		_, err := ivsc.DeleteStreamKey(ctx, &ivs.DeleteStreamKeyInput{Arn: aws.String(arn)})
		if err != nil && !awserr.IsNotFound(err) {
			return streamKey{}, awserr.Map(err)
		}
	}
	if keepFirst {
		out, err := ivsc.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: aws.String(arns[0])})
		if err != nil {
			return streamKey{}, awserr.Map(err)
		}
		return streamKey{arn: arns[0], value: ugc.StreamKey(aws.ToString(out.StreamKey.Value))}, nil
	}
	out, err := ivsc.CreateStreamKey(ctx, &ivs.CreateStreamKeyInput{ChannelArn: aws.String(channelArn)})
	if err != nil {
		return streamKey{}, awserr.Map(err)
	}
	return streamKey{arn: aws.ToString(out.StreamKey.Arn), value: ugc.StreamKey(aws.ToString(out.StreamKey.Value))}, nil
}
