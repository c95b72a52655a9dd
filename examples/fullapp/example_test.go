package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// Example_quickstart is the README's quickstart: provision a user's
// channel, chat room and stage against the emulator, with no AWS account.
func Example_quickstart() {
	ctx := context.Background()
	srv := ivslocal.NewServer() // IVS, IVS Chat, IVS Real-Time and CloudWatch on 127.0.0.1
	defer srv.Close()
	aws := srv.AWSConfig()
	dir, _ := os.MkdirTemp("", "assets")
	defer os.RemoveAll(dir)
	assets, _ := channels.NewDirAssets(dir)
	svc, _ := channels.New(channels.Options{Store: memstore.New(), Assets: assets, ProjectTag: "quickstart",
		IVS: ivs.NewFromConfig(aws), Chat: ivschat.NewFromConfig(aws), Stages: ivsrealtime.NewFromConfig(aws)})
	u, err := svc.Register(ctx, channels.RegisterInput{Username: "alice", Email: "alice@example.com"})
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Username, strings.HasPrefix(svc.IngestServer(u), "rtmps://"), u.Channel.ChatRoomArn != "", u.Channel.StageArn != "")
	// Output: alice true true true
}

// Example_app starts the whole reference app on a free port, the way
// main does, and stops it.
func Example_app() {
	dir, _ := os.MkdirTemp("", "ugc-data")
	defer os.RemoveAll(dir)
	app := NewApp(Config{Addr: "127.0.0.1:0", DataDir: dir, Store: StoreSQLite, ChannelType: "STANDARD"})
	if err := app.Run(context.Background()); err != nil {
		panic(err)
	}
	defer app.Close()
	fmt.Println(strings.HasPrefix(app.URL(), "http://127.0.0.1:"), app.EmulatorURL() != "")
	// Output: true true
}
