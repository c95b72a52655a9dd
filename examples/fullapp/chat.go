package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// newChat makes the chat service. Locally, tokens point at the emulator's
// chat WebSocket and the service itself reviews messages of rooms with
// blocked terms (under a made-up Lambda ARN the emulator routes to it); on
// AWS, -chat-review-arn names the deployed ugc/chat/reviewlambda function,
// and without it blocked terms cannot be set.
func (a *App) newChat(awsCfg aws.Config) (*chat.Service, error) {
	opts := chat.Options{
		Store:            a.store,
		Chat:             ivschat.NewFromConfig(awsCfg),
		Endpoint:         chat.AWSEndpoint(awsCfg.Region),
		ReviewHandlerURI: a.cfg.ChatReviewARN,
		AvatarURL:        a.channels.AvatarURL,
		OnBan:            a.onBan,
		Logger:           a.log,
	}
	if a.emulator != nil {
		opts.Endpoint = a.emulator.ChatEndpoint()
		opts.ReviewHandlerURI = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s-chat-review",
			a.emulator.Region(), a.emulator.Account(), ProjectTag)
	}
	svc, err := chat.New(opts)
	if err != nil {
		return nil, err
	}
	if a.emulator != nil {
		a.emulator.SetMessageReviewHandler(reviewHandler(svc))
	}
	return svc, nil
}

// reviewHandler adapts chat.Service.Review to the emulator's review hook.
func reviewHandler(svc *chat.Service) ivslocal.ReviewHandler {
	return func(ctx context.Context, r ivslocal.ReviewRequest) (ivslocal.ReviewResponse, error) {
		resp, err := svc.Review(ctx, chat.ReviewRequest{
			Content: r.Content, MessageID: r.MessageId, RoomArn: r.RoomArn, Attributes: r.Attributes,
			Sender: chat.ReviewSender{UserID: r.Sender.UserId, Attributes: r.Sender.Attributes, IP: r.Sender.Ip},
		})
		return ivslocal.ReviewResponse{ReviewResult: resp.ReviewResult, Content: resp.Content,
			Attributes: resp.Attributes, Reason: resp.Reason}, err
	}
}

// onBan carries a chat ban beyond chat: this replica's channel-page cache
// forgets the viewer's relation to the channel (so the playback URL is
// hidden at once), and the user is disconnected from the channel's live
// stage (realtime refuses them new tokens already).
func (a *App) onBan(ctx context.Context, b ugc.Ban) {
	a.channels.ForgetViewer(b.ChannelUserID, b.UserID)
	if a.realtime == nil {
		return
	}
	ps, err := a.realtime.Participants(ctx, b.ChannelUserID)
	if err != nil {
		a.log.Error("fullapp: listing stage participants after a ban", "channel", b.ChannelUserID, "err", err)
		return
	}
	for _, p := range ps {
		if p.UserID != b.UserID || p.State != "CONNECTED" {
			continue
		}
		if err := a.realtime.Kick(ctx, b.ChannelUserID, p.ParticipantID); err != nil {
			a.log.Error("fullapp: dropping a banned user from the stage", "channel", b.ChannelUserID, "user", b.UserID, "err", err)
		}
	}
}
