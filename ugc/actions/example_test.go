package actions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// exampleChannel makes a user with a live IVS channel and a chat room on
// the emulator.
func exampleChannel(ctx context.Context, srv *ivslocal.Server, st *memstore.Store) *ugc.User {
	cfg := srv.AWSConfig()
	ch, _ := ivs.NewFromConfig(cfg).CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("alice")})
	room, _ := ivschat.NewFromConfig(cfg).CreateRoom(ctx, &ivschat.CreateRoomInput{})
	u := &ugc.User{ID: "u-alice", Username: "alice", Email: "alice@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: aws.ToString(ch.Channel.Arn), ChatRoomArn: aws.ToString(room.Arn)}}
	_ = st.CreateUser(ctx, u)
	_, streamID, _ := srv.StartStream(aws.ToString(ch.StreamKey.Value))
	_ = st.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: time.Now(), Ref: streamID})
	return u
}

func ExampleService_Start() {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	st := memstore.New()
	defer st.Close()
	u := exampleChannel(ctx, srv, st)

	cfg := srv.AWSConfig()
	svc, err := actions.New(actions.Options{Store: st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg),
		NewID: func() string { return "a1" }})
	if err != nil {
		panic(err)
	}
	defer svc.Close()

	a, err := svc.Start(ctx, u.ID, ugc.ActionNotice, json.RawMessage(`{"title":"Hello","message":"Welcome to the stream"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Type, a.ExpiresAt.Sub(a.StartedAt))
	if err := svc.Stop(ctx, u.ID); err != nil {
		panic(err)
	}
	got, _ := srv.Metadata(ugc.ChannelID(u.Channel.Arn))
	for _, payload := range got {
		m, _ := actions.DecodeMetadata(payload)
		fmt.Println(m.Type, m.ID, string(m.Data))
	}
	// Output:
	// notice 15s
	// notice a1 {"title":"Hello","message":"Welcome to the stream","duration":15}
	// clear a1
}

func ExampleService_Vote() {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	st := memstore.New()
	defer st.Close()
	u := exampleChannel(ctx, srv, st)

	cfg := srv.AWSConfig()
	svc, err := actions.New(actions.Options{Store: st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg)})
	if err != nil {
		panic(err)
	}
	defer svc.Close()

	p, err := svc.StartPoll(ctx, u.ID, actions.PollInput{Question: "Next game?", Options: []string{"chess", "go"}, DurationSeconds: 60})
	if err != nil {
		panic(err)
	}
	fmt.Println(svc.Vote(ctx, "alice", p.ID, "viewer-1", 1))
	fmt.Println(ugc.CodeOf(svc.Vote(ctx, "alice", p.ID, "viewer-1", 0)))
	fmt.Println(ugc.CodeOf(svc.Vote(ctx, "alice", p.ID, "", 0)))
	_ = svc.EndPoll(ctx, u.ID)
	v, _ := svc.Poll(ctx, "alice", p.ID, "viewer-1")
	fmt.Println(v.Status, v.Counts, "winner", v.Options[v.Winner], "my vote", v.MyVote)
	// Output:
	// <nil>
	// already_voted
	// unauthenticated
	// ended [0 1] winner go my vote 1
}

// A replica that started a poll stops before the poll ends; another
// replica's sweep sends the poll:end it owed.
func ExampleService_Sweep() {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	st := memstore.New()
	defer st.Close()
	u := exampleChannel(ctx, srv, st)
	cfg := srv.AWSConfig()
	now := time.Now()
	opts := actions.Options{Store: st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg),
		Now: func() time.Time { return now }}

	first, err := actions.New(opts)
	if err != nil {
		panic(err)
	}
	if _, err := first.StartPoll(ctx, u.ID, actions.PollInput{Question: "Encore?", Options: []string{"yes", "no"}, DurationSeconds: 10}); err != nil {
		panic(err)
	}
	first.Close() // the replica is gone before the poll ends

	now = now.Add(11 * time.Second)
	other, err := actions.New(opts)
	if err != nil {
		panic(err)
	}
	defer other.Close()
	fmt.Println(other.Sweep(ctx)) // sends poll:end; run it periodically with other.Run
	fmt.Println(other.Sweep(ctx)) // nothing is left to send
	// Output:
	// 1 <nil>
	// 0 <nil>
}

func ExampleEncodeMetadata() {
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	data, d, err := actions.Validate(ugc.ActionCelebration, nil, false)
	if err != nil {
		panic(err)
	}
	payload, _ := actions.EncodeMetadata(&ugc.Action{ID: "a1", Type: ugc.ActionCelebration, Data: data, StartedAt: start, ExpiresAt: start.Add(d)})
	fmt.Println(payload)
	fmt.Println(actions.ClearMetadata("a1"))
	// Output:
	// {"v":1,"id":"a1","type":"celebration","data":{"duration":10},"startedAt":"2026-11-25T12:00:00Z","expiresAt":"2026-11-25T12:00:10Z"}
	// {"v":1,"id":"a1","type":"clear","expiresAt":null}
}
