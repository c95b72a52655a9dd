package chat_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// exampleSetup starts ivslocal and registers two users with channels.
func exampleSetup() (srv *ivslocal.Server, st *memstore.Store, chs *channels.Service, cleanup func()) {
	srv = ivslocal.NewServer()
	st = memstore.New()
	dir, err := os.MkdirTemp("", "chat-example")
	if err != nil {
		log.Fatal(err)
	}
	assets, err := channels.NewDirAssets(dir)
	if err != nil {
		log.Fatal(err)
	}
	cfg := srv.AWSConfig()
	chs, err = channels.New(channels.Options{
		Store: st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg), Stages: ivsrealtime.NewFromConfig(cfg),
		Assets: assets, ProjectTag: "example",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"streamer", "viewer"} {
		if _, err := chs.Register(context.Background(), channels.RegisterInput{Username: name, Email: name + "@example.com"}); err != nil {
			log.Fatal(err)
		}
	}
	return srv, st, chs, func() {
		_ = assets.Close()
		_ = os.RemoveAll(dir)
		_ = st.Close()
		_ = srv.Close()
	}
}

// Mint chat tokens: the capabilities follow the caller's role.
func Example() {
	srv, st, chs, cleanup := exampleSetup()
	defer cleanup()
	ctx := context.Background()

	svc, err := chat.New(chat.Options{
		Store:     st,
		Chat:      ivschat.NewFromConfig(srv.AWSConfig()),
		Endpoint:  srv.ChatEndpoint(), // chat.AWSEndpoint(region) on AWS
		AvatarURL: chs.AvatarURL,
	})
	if err != nil {
		log.Fatal(err)
	}
	streamer, _ := chs.GetByUsername(ctx, "streamer")
	viewer, _ := chs.GetByUsername(ctx, "viewer")
	for _, caller := range []string{"", viewer.ID, streamer.ID} {
		tok, err := svc.Token(ctx, "streamer", caller)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tok.Role, tok.Capabilities, tok.Token)
	}
	// Output:
	// anonymous [] REDACTED
	// viewer [SEND_MESSAGE] REDACTED
	// owner [SEND_MESSAGE DELETE_MESSAGE DISCONNECT_USER] REDACTED
}

// Ban a viewer for ten minutes: they are disconnected and get no token
// until the ban ends.
func ExampleService_Ban() {
	srv, st, chs, cleanup := exampleSetup()
	defer cleanup()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	svc, err := chat.New(chat.Options{Store: st, Chat: ivschat.NewFromConfig(srv.AWSConfig()), Endpoint: srv.ChatEndpoint(),
		Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	streamer, _ := chs.GetByUsername(ctx, "streamer")
	viewer, _ := chs.GetByUsername(ctx, "viewer")

	b, err := svc.Ban(ctx, streamer.ID, streamer.ID, chat.BanInput{Username: "viewer", Reason: "spam", Duration: 10 * time.Minute})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("banned until", b.ExpiresAt.Format(time.Kitchen))
	_, err = svc.Token(ctx, "streamer", viewer.ID)
	fmt.Println(err)

	now = now.Add(10 * time.Minute)
	_, err = svc.Token(ctx, "streamer", viewer.ID)
	fmt.Println("after ten minutes:", err)
	// Output:
	// banned until 12:10PM
	// chat.Token: you are banned from this chat until 2026-11-25T12:10:00Z
	// after ten minutes: <nil>
}

// Blocked terms match whole words, case-insensitively.
func ExampleCompileTerms() {
	m := chat.CompileTerms([]string{"spoiler", "buy now"})
	for _, msg := range []string{"no SPOILERS please", "SPOILER: he wins", "Buy... now!"} {
		masked, _ := m.Mask(msg)
		fmt.Printf("%-20q %-5v %q\n", msg, m.Match(msg), masked)
	}
	// Output:
	// "no SPOILERS please" false "no SPOILERS please"
	// "SPOILER: he wins"   true  "*******: he wins"
	// "Buy... now!"        true  "**********!"
}

// Review messages in ivslocal with the service's blocked terms, as the
// review Lambda does on AWS.
func ExampleService_Review() {
	srv, st, chs, cleanup := exampleSetup()
	defer cleanup()
	ctx := context.Background()
	svc, err := chat.New(chat.Options{Store: st, Chat: ivschat.NewFromConfig(srv.AWSConfig()), Endpoint: srv.ChatEndpoint(),
		ReviewHandlerURI: "arn:aws:lambda:us-east-1:123456789012:function:chat-review"})
	if err != nil {
		log.Fatal(err)
	}
	srv.SetMessageReviewHandler(func(ctx context.Context, r ivslocal.ReviewRequest) (ivslocal.ReviewResponse, error) {
		resp, err := svc.Review(ctx, chat.ReviewRequest{Content: r.Content, MessageID: r.MessageId, RoomArn: r.RoomArn,
			Attributes: r.Attributes, Sender: chat.ReviewSender{UserID: r.Sender.UserId, Attributes: r.Sender.Attributes, IP: r.Sender.Ip}})
		return ivslocal.ReviewResponse{ReviewResult: resp.ReviewResult, Content: resp.Content, Attributes: resp.Attributes, Reason: resp.Reason}, err
	})

	streamer, _ := chs.GetByUsername(ctx, "streamer")
	terms, err := svc.SetBlockedTerms(ctx, streamer.ID, []string{"Spoiler", " spoiler "})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(terms)
	resp, err := svc.Review(ctx, chat.ReviewRequest{RoomArn: streamer.Channel.ChatRoomArn, Content: "spoiler: he wins"})
	fmt.Println(resp.ReviewResult, resp.Reason, err)
	// Output:
	// [Spoiler]
	// DENY message contains a blocked term <nil>
}
