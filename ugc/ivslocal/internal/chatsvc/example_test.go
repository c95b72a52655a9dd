package chatsvc_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/coder/websocket"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/chatsvc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Example mounts the chat service the way the ivslocal root does, creates a
// room and a token with the AWS SDK, and sends a message over the
// WebSocket.
func Example() {
	svc := chatsvc.New(emu.NewEnv("us-east-1", "123456789012"))
	defer svc.Close()
	mux := http.NewServeMux()
	svc.Register(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			svc.ServeWebSocket(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx := context.Background()
	client := ivschat.New(ivschat.Options{
		BaseEndpoint: aws.String(srv.URL),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	room, err := client.CreateRoom(ctx, &ivschat.CreateRoomInput{Name: aws.String("lobby")})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{
		RoomIdentifier: room.Arn, UserId: aws.String("alice"),
		Capabilities: []types.ChatTokenCapability{types.ChatTokenCapabilitySendMessage},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The token is the WebSocket subprotocol.
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), &websocket.DialOptions{
		Subprotocols: []string{aws.ToString(tok.Token)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.CloseNow()
	conn.Write(ctx, websocket.MessageText, []byte(`{"Action":"SEND_MESSAGE","RequestId":"1","Content":"hi"}`))
	_, frame, err := conn.Read(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(string(frame), `"Type":"MESSAGE"`), strings.Contains(string(frame), `"Content":"hi"`))
	// Output: true true
}
