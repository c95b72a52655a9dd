package ivslocal_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	rttypes "github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func TestStateFileRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")

	srv1 := ivslocal.NewServer(ivslocal.WithStateFile(path))
	c1 := newClients(srv1)
	ch, err := c1.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("kept"), Type: ivstypes.ChannelTypeBasicChannelType, Tags: map[string]string{"owner": "u1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c1.ivs.TagResource(ctx, &ivs.TagResourceInput{ResourceArn: ch.Channel.Arn, Tags: map[string]string{"later": "yes"}}); err != nil {
		t.Fatal(err)
	}
	room, err := c1.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{Name: aws.String("lobby"), Tags: map[string]string{"owner": "u1"}})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := c1.stage.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("stage"), Tags: map[string]string{"owner": "u1"}})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := c1.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("gone")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c1.ivs.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: gone.Channel.Arn}); err != nil {
		t.Fatal(err)
	}
	// Live streams are not kept, but a live channel is.
	if _, _, err := srv1.StartStream(aws.ToString(ch.StreamKey.Value)); err != nil {
		t.Fatal(err)
	}
	if err := srv1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	srv2 := newServer(t, ivslocal.WithStateFile(path))
	c2 := newClients(srv2)
	gotCh, err := c2.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: ch.Channel.Arn})
	if err != nil {
		t.Fatalf("GetChannel after restart: %v", err)
	}
	wantCh := *ch.Channel
	wantCh.Tags = map[string]string{"owner": "u1", "later": "yes"}
	ignore := cmpopts.IgnoreUnexported(ivstypes.Channel{}, ivstypes.MultitrackInputConfiguration{}, ivstypes.Srt{}, ivstypes.StreamKey{})
	if diff := cmp.Diff(&wantCh, gotCh.Channel, ignore); diff != "" {
		t.Errorf("channel after restart mismatch (-want +got):\n%s", diff)
	}
	gotKey, err := c2.ivs.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: ch.StreamKey.Arn})
	if err != nil {
		t.Fatalf("GetStreamKey after restart: %v", err)
	}
	if diff := cmp.Diff(ch.StreamKey, gotKey.StreamKey, ignore); diff != "" {
		t.Errorf("stream key after restart mismatch (-want +got):\n%s", diff)
	}
	if _, err := c2.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: gone.Channel.Arn}); !as[*ivstypes.ResourceNotFoundException]()(err) {
		t.Errorf("deleted channel after restart: error = %v, want ResourceNotFoundException", err)
	}
	if _, err := c2.ivs.GetStream(ctx, &ivs.GetStreamInput{ChannelArn: ch.Channel.Arn}); !as[*ivstypes.ChannelNotBroadcasting]()(err) {
		t.Errorf("GetStream after restart: error = %v, want ChannelNotBroadcasting", err)
	}
	if _, _, err := srv2.StartStream(aws.ToString(ch.StreamKey.Value)); err != nil {
		t.Errorf("StartStream with the kept key: %v", err)
	}

	gotRoom, err := c2.chat.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: room.Arn})
	if err != nil {
		t.Fatalf("GetRoom after restart: %v", err)
	}
	if aws.ToString(gotRoom.Name) != "lobby" || !cmp.Equal(map[string]string{"owner": "u1"}, gotRoom.Tags) {
		t.Errorf("room after restart = %q %v", aws.ToString(gotRoom.Name), gotRoom.Tags)
	}
	gotStage, err := c2.stage.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: stage.Stage.Arn})
	if err != nil {
		t.Fatalf("GetStage after restart: %v", err)
	}
	if diff := cmp.Diff(stage.Stage, gotStage.Stage, cmpopts.IgnoreUnexported(rttypes.Stage{}, rttypes.StageEndpoints{}, rttypes.AutoParticipantRecordingConfiguration{}, rttypes.ParticipantThumbnailConfiguration{}, rttypes.ParticipantRecordingHlsConfiguration{})); diff != "" {
		t.Errorf("stage after restart mismatch (-want +got):\n%s", diff)
	}
}

func TestStateFileSavedWithoutClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	srv := newServer(t, ivslocal.WithStateFile(path))
	c := newClients(srv)
	ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	// The write is debounced; poll for it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(aws.ToString(ch.Channel.Arn))) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("state file does not contain the new channel within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("state dir holds %d files, want only the state file (no temp leftovers)", len(entries))
	}
}

func TestStateFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content string
	}{
		{"not json", "{"},
		{"wrong version", `{"version":99}`},
		{"bad service state", `{"version":1,"services":{"ivs":"not an object"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			srv, err := ivslocal.Start(ivslocal.WithStateFile(path))
			if err == nil {
				srv.Close()
				t.Fatalf("Start with %s state file succeeded", tt.name)
			}
		})
	}
}
