package ivslocal_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
)

// TestConcurrentUse runs API calls, broadcasts and control calls from many
// goroutines at once; run it with -race.
func TestConcurrentUse(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	const workers, rounds = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*8)
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String(fmt.Sprintf("w%d-r%d", w, r))})
				if err != nil {
					errs <- err
					return
				}
				if _, _, err := srv.StartStream(aws.ToString(ch.StreamKey.Value)); err != nil {
					errs <- err
					return
				}
				if _, err := c.ivs.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: ch.Channel.Arn, Metadata: aws.String("m")}); err != nil {
					errs <- err
				}
				if _, err := c.ivs.ListStreams(ctx, &ivs.ListStreamsInput{}); err != nil {
					errs <- err
				}
				if _, err := c.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{}); err != nil {
					errs <- err
				}
				if err := srv.SetStarvation(channelID(ch.Channel.Arn), true); err != nil {
					errs <- err
				}
				if _, err := c.ivs.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: ch.Channel.Arn}); err != nil {
					errs <- err
				}
				if _, err := c.ivs.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: ch.Channel.Arn}); err != nil {
					errs <- err
				}
				_ = srv.Calls()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	out, err := c.ivs.ListChannels(ctx, &ivs.ListChannelsInput{})
	if err != nil || len(out.Channels) != 0 {
		t.Errorf("ListChannels after every worker deleted its channels = %v, %v", out, err)
	}
}

// TestResetEndsLiveStreams checks that Reset stops live streams and deletes
// everything.
func TestResetEndsLiveStreams(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.StartStream(aws.ToString(ch.StreamKey.Value)); err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	streams, err := c.ivs.ListStreams(ctx, &ivs.ListStreamsInput{})
	if err != nil || len(streams.Streams) != 0 {
		t.Errorf("ListStreams after Reset = %v, %v; want none", streams, err)
	}
	if _, err := c.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: ch.Channel.Arn}); err == nil {
		t.Errorf("GetChannel after Reset succeeded")
	}
	if _, _, err := srv.StartStream(aws.ToString(ch.StreamKey.Value)); err == nil {
		t.Errorf("StartStream with a key deleted by Reset succeeded")
	}
}
