package ivslocal_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	chattypes "github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func TestEventURL(t *testing.T) {
	got := make(chan ivslocal.Event, 16)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev ivslocal.Event
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &ev) != nil {
			t.Errorf("event POST = %s %s %q", r.Method, r.Header.Get("Content-Type"), b)
		}
		got <- ev
	}))
	defer recv.Close()

	srv := newServer(t, ivslocal.WithEventURL(recv.URL), ivslocal.WithRegion("eu-west-1"), ivslocal.WithAccount("111122223333"))
	c := newClients(srv)
	ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("evt")})
	if err != nil {
		t.Fatal(err)
	}
	_, streamID, err := srv.StartStream(aws.ToString(ch.StreamKey.Value))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.EndStream(channelID(ch.Channel.Arn)); err != nil {
		t.Fatal(err)
	}

	var names []string
	for range 4 {
		select {
		case ev := <-got:
			if ev.Source != "aws.ivs" || ev.Region != "eu-west-1" || ev.Account != "111122223333" ||
				ev.Detail["stream_id"] != streamID || ev.Detail["channel_name"] != "evt" ||
				!cmp.Equal([]string{aws.ToString(ch.Channel.Arn)}, ev.Resources) {
				t.Errorf("delivered event = %+v", ev)
			}
			names = append(names, ev.DetailType+"/"+ev.Detail["event_name"].(string))
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d events delivered within 10s: %v", len(names), names)
		}
	}
	want := []string{
		"IVS Stream State Change/Session Created",
		"IVS Stream State Change/Stream Start",
		"IVS Stream State Change/Stream End",
		"IVS Stream State Change/Session Ended",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("delivered events mismatch (-want +got):\n%s", diff)
	}
}

func TestEventURLDown(t *testing.T) {
	// A target that refuses connections must not block the server or Close.
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	srv := newServer(t, ivslocal.WithEventURL(url))
	c := newClients(srv)
	ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, _, err := srv.StartStream(aws.ToString(ch.StreamKey.Value)); err != nil {
			t.Fatal(err)
		}
		if err := srv.EndStream(channelID(ch.Channel.Arn)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChatWebSocketAndReview(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	srv.SetMessageReviewHandler(func(ctx context.Context, req ivslocal.ReviewRequest) (ivslocal.ReviewResponse, error) {
		if strings.Contains(req.Content, "bad") {
			return ivslocal.ReviewResponse{ReviewResult: ivslocal.ReviewDeny, Reason: "language"}, nil
		}
		return ivslocal.ReviewResponse{ReviewResult: ivslocal.ReviewAllow, Content: strings.ToUpper(req.Content)}, nil
	})
	room, err := c.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{
		MessageReviewHandler: &chattypes.MessageReviewHandler{Uri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:review")},
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.chat.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{
		RoomIdentifier: room.Arn, UserId: aws.String("u1"), Capabilities: []chattypes.ChatTokenCapability{chattypes.ChatTokenCapabilitySendMessage},
	})
	if err != nil {
		t.Fatal(err)
	}

	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, resp, err := websocket.Dial(dctx, srv.ChatEndpoint(), &websocket.DialOptions{Subprotocols: []string{"bogus"}}); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("dial with a bogus token: resp %v, err %v; want HTTP 401", resp, err)
	}
	ws, _, err := websocket.Dial(dctx, srv.ChatEndpoint()+"/any/path", &websocket.DialOptions{Subprotocols: []string{aws.ToString(tok.Token)}})
	if err != nil {
		t.Fatalf("dial chat endpoint: %v", err)
	}
	defer ws.CloseNow()
	if ws.Subprotocol() != aws.ToString(tok.Token) {
		t.Errorf("subprotocol not echoed")
	}

	type frame struct {
		Type, Content, RequestId, ErrorMessage string
		ErrorCode                              int
	}
	send := func(id, content string) frame {
		t.Helper()
		msg := `{"Action":"SEND_MESSAGE","RequestId":"` + id + `","Content":"` + content + `"}`
		if err := ws.Write(dctx, websocket.MessageText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		_, b, err := ws.Read(dctx)
		if err != nil {
			t.Fatal(err)
		}
		var f frame
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		f.ErrorMessage = strings.SplitN(f.ErrorMessage, ":", 2)[0]
		return f
	}
	tests := []struct {
		content string
		want    frame
	}{
		{"bad word", frame{Type: "ERROR", RequestId: "r0", ErrorCode: 406, ErrorMessage: "Message rejected during message review"}},
		{"hello", frame{Type: "MESSAGE", RequestId: "r1", Content: "HELLO"}},
	}
	for i, tt := range tests {
		got := send("r"+string(rune('0'+i)), tt.content)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("frame for %q mismatch (-want +got):\n%s", tt.content, diff)
		}
	}
	ws.Close(websocket.StatusNormalClosure, "")
}
