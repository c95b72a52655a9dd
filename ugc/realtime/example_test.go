package realtime_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// A host starts a session, a viewer asks to join, the host accepts, and
// the viewer mints their one publish token.
func Example() {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	cfg := srv.AWSConfig()
	st := memstore.New()
	defer st.Close()
	dir, _ := os.MkdirTemp("", "assets")
	defer os.RemoveAll(dir)
	assets, _ := channels.NewDirAssets(filepath.Join(dir, "a"))
	defer assets.Close()
	stages := ivsrealtime.NewFromConfig(cfg)
	ch, err := channels.New(channels.Options{Store: st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg),
		Stages: stages, Assets: assets, AssetBaseURL: "/assets", ProjectTag: "example"})
	if err != nil {
		panic(err)
	}
	host, _ := ch.Register(ctx, channels.RegisterInput{Username: "hostess", Email: "hostess@example.com"})
	viewer, _ := ch.Register(ctx, channels.RegisterInput{Username: "viewer", Email: "viewer@example.com"})

	svc, err := realtime.New(realtime.Options{
		Store: st, Stages: stages, ProjectTag: "example",
		InviteKey: []byte("an example key of at least 32 bytes"),
	})
	if err != nil {
		panic(err)
	}
	hs, err := svc.StartSession(ctx, host.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println("host role:", hs.Host.Role, "screen share role:", hs.ScreenShare.Role)

	req, _ := svc.RequestJoin(ctx, viewer.ID, "hostess")
	if err := svc.AcceptRequest(ctx, host.ID, req.ID); err != nil {
		panic(err)
	}
	tok, err := svc.PublishToken(ctx, viewer.ID, "hostess", "")
	fmt.Println("guest token:", tok.Role, err)
	_, err = svc.SpectatorToken(ctx, "", "hostess")
	fmt.Println("anonymous spectator:", err)
	_, err = svc.PublishToken(ctx, viewer.ID, "hostess", "")
	fmt.Println("second token:", ugc.CodeOf(err))
	fmt.Println("end:", svc.EndSession(ctx, host.ID))
	_, err = svc.SpectatorToken(ctx, "", "hostess")
	fmt.Println("after the end:", ugc.CodeOf(err))
	// Output:
	// host role: host screen share role: screenshare
	// guest token: guest <nil>
	// anonymous spectator: <nil>
	// second token: not_invited
	// end: <nil>
	// after the end: stage_offline
}

// The janitor deletes the project's stages that no user owns.
func ExampleService_RunJanitor() {
	ctx := context.Background()
	srv := ivslocal.NewServer()
	defer srv.Close()
	st := memstore.New()
	defer st.Close()
	stages := ivsrealtime.NewFromConfig(srv.AWSConfig())
	// A stage left behind by a deleted account.
	_, err := stages.CreateStage(ctx, &ivsrealtime.CreateStageInput{Tags: map[string]string{
		realtime.TagProject: "example", realtime.TagOwner: "deleted-user", realtime.TagCreatedAt: "2020-01-01T00:00:00Z",
	}})
	if err != nil {
		panic(err)
	}
	svc, err := realtime.New(realtime.Options{
		Store: st, Stages: stages, ProjectTag: "example",
		InviteKey: []byte("an example key of at least 32 bytes"),
	})
	if err != nil {
		panic(err)
	}
	rep, err := svc.RunJanitor(ctx)
	fmt.Printf("%+v %v\n", rep, err)
	rep, err = svc.RunJanitor(ctx)
	fmt.Printf("%+v %v\n", rep, err)
	// Output:
	// {Ended:0 Disconnected:0 Deleted:1} <nil>
	// {Ended:0 Disconnected:0 Deleted:0} <nil>
}
