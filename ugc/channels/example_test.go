package channels_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// newService returns a Service over an emulator and an in-memory store,
// and a function that releases them.
func newService() (*channels.Service, store.Store, func()) {
	srv := ivslocal.NewServer()
	cfg := srv.AWSConfig()
	st := memstore.New()
	dir, err := os.MkdirTemp("", "assets")
	if err != nil {
		log.Fatal(err)
	}
	assets, err := channels.NewDirAssets(dir)
	if err != nil {
		log.Fatal(err)
	}
	svc, err := channels.New(channels.Options{
		Store:      st,
		IVS:        ivs.NewFromConfig(cfg),
		Chat:       ivschat.NewFromConfig(cfg),
		Stages:     ivsrealtime.NewFromConfig(cfg),
		Assets:     assets,
		ProjectTag: "example",
	})
	if err != nil {
		log.Fatal(err)
	}
	return svc, st, func() {
		assets.Close()
		os.RemoveAll(dir)
		st.Close()
		srv.Close()
	}
}

func ExampleService_Register() {
	svc, _, done := newService()
	defer done()
	ctx := context.Background()

	u, err := svc.Register(ctx, channels.RegisterInput{Username: "Alice", Email: "alice@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Username, u.Channel.Arn != "", u.Channel.ChatRoomArn != "", u.Channel.StageArn != "")
	fmt.Println(u.Channel.StreamKey) // secrets print as REDACTED

	_, err = svc.Register(ctx, channels.RegisterInput{Username: "alice", Email: "other@example.com"})
	fmt.Println(ugc.CodeOf(err), ugc.FieldOf(err))
	// Output:
	// Alice true true true
	// REDACTED
	// username_taken username
}

func ExampleService_ChannelPage() {
	svc, st, done := newService()
	defer done()
	ctx := context.Background()

	owner, _ := svc.Register(ctx, channels.RegisterInput{Username: "streamer", Email: "s@example.com"})
	fan, _ := svc.Register(ctx, channels.RegisterInput{Username: "viewer", Email: "v@example.com"})
	if err := svc.Follow(ctx, fan.ID, "streamer"); err != nil {
		log.Fatal(err)
	}
	// Stream events (ugc/metrics) keep the live index; set it by hand here.
	if err := st.SetLive(ctx, ugc.LiveEntry{UserID: owner.ID, Kind: ugc.LiveLowLatency, Since: owner.CreatedAt, Ref: "st-1"}); err != nil {
		log.Fatal(err)
	}

	pg, err := svc.ChannelPage(ctx, "Streamer", fan.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pg.IsLive, pg.LiveKind, pg.FollowerCount, pg.IsFollowing, pg.PlaybackURL == owner.Channel.PlaybackURL)
	// Output: true low_latency 1 true true
}

func ExampleService_Directory() {
	svc, st, done := newService()
	defer done()
	ctx := context.Background()
	for i, name := range []string{"first", "second"} {
		u, err := svc.Register(ctx, channels.RegisterInput{Username: name + "_ch", Email: name + "@example.com"})
		if err != nil {
			log.Fatal(err)
		}
		kind := []ugc.LiveKind{ugc.LiveLowLatency, ugc.LiveRealTime}[i]
		st.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: kind, Since: u.CreatedAt.Add(time.Duration(i) * time.Minute), Ref: name})
	}
	list, next, err := svc.Directory(ctx, store.Page{})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range list {
		fmt.Println(c.User.Username, c.Live.Kind)
	}
	fmt.Printf("next=%q\n", next)
	// Output:
	// second_ch real_time
	// first_ch low_latency
	// next=""
}

func ExampleService_DeleteAccount() {
	svc, _, done := newService()
	defer done()
	ctx := context.Background()
	u, _ := svc.Register(ctx, channels.RegisterInput{Username: "leaving", Email: "l@example.com"})
	if err := svc.DeleteAccount(ctx, u.ID); err != nil {
		log.Fatal(err)
	}
	// The name is free again.
	again, err := svc.Register(ctx, channels.RegisterInput{Username: "leaving", Email: "l@example.com"})
	fmt.Println(err == nil, again.ID != u.ID)
	// Output: true true
}

func ExampleService_Following() {
	svc, st, done := newService()
	defer done()
	ctx := context.Background()
	fan, _ := svc.Register(ctx, channels.RegisterInput{Username: "fan_1", Email: "fan@example.com"})
	for _, name := range []string{"quiet", "onair"} {
		if _, err := svc.Register(ctx, channels.RegisterInput{Username: name, Email: name + "@example.com"}); err != nil {
			log.Fatal(err)
		}
		if err := svc.Follow(ctx, fan.ID, name); err != nil {
			log.Fatal(err)
		}
	}
	onair, _ := svc.GetByUsername(ctx, "onair")
	st.SetLive(ctx, ugc.LiveEntry{UserID: onair.ID, Kind: ugc.LiveRealTime, Since: time.Now(), Ref: "stage-session-1"})

	list, _, err := svc.Following(ctx, fan.ID, store.Page{Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range list {
		fmt.Println(c.User.Username, c.Live != nil)
	}
	// Output:
	// onair true
	// quiet false
}

func ExampleService_ResetStreamKey() {
	svc, _, done := newService()
	defer done()
	ctx := context.Background()
	u, _ := svc.Register(ctx, channels.RegisterInput{Username: "broadcaster", Email: "b@example.com"})

	key, err := svc.ResetStreamKey(ctx, u.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key, key.Reveal() != u.Channel.StreamKey.Reveal())
	// Output: REDACTED true
}

func ExampleService_UpdateProfile() {
	svc, _, done := newService()
	defer done()
	ctx := context.Background()
	u, _ := svc.Register(ctx, channels.RegisterInput{Username: "oldname", Email: "o@example.com"})

	name, color := "NewName", "purple"
	u, err := svc.UpdateProfile(ctx, u.ID, channels.ProfileUpdate{Username: &name, Color: &color})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Username, u.Color)

	reserved := "settings"
	_, err = svc.UpdateProfile(ctx, u.ID, channels.ProfileUpdate{Username: &reserved})
	fmt.Println(ugc.CodeOf(err), ugc.FieldOf(err))
	// Output:
	// NewName purple
	// reserved_username username
}
