package chatsvc

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
)

func FuzzPageToken(f *testing.F) {
	for _, s := range []string{"", "abcDEF123456", "YWJj", "!!", "abc/def"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := decodePageToken(s); ok {
			if again, ok := decodePageToken(encodePageToken(id)); !ok || again != id {
				t.Fatalf("token %q names %q, but its re-encoding names %q (%v)", s, id, again, ok)
			}
		}
		if roomIDPattern.MatchString(s) {
			if id, ok := decodePageToken(encodePageToken(s)); !ok || id != s {
				t.Fatalf("round trip of %q gave %q (%v)", s, id, ok)
			}
		}
	})
}

// FuzzClientFrame feeds arbitrary client frames to a connection with every
// capability and checks that each one is answered with well-formed frames
// only: a JSON object of a known Type, with a 12-character Id and, for
// ERROR, a numeric ErrorCode.
func FuzzClientFrame(f *testing.F) {
	for _, s := range []string{
		`{"Action":"SEND_MESSAGE","RequestId":"r","Content":"hi","Attributes":{"a":"b"}}`,
		`{"Action":"DELETE_MESSAGE","RequestId":"r","Id":"abcdefABCDEF","Reason":"x"}`,
		`{"Action":"DISCONNECT_USER","RequestId":"r","UserId":"u"}`,
		`{"Action":"SEND_MESSAGE","Content":""}`,
		`{"Action":"NOPE"}`, `[]`, `null`, `"x"`, `{"Attributes":{"n":1}}`,
	} {
		f.Add([]byte(s))
	}
	fx := newFixture(f)
	arn := aws.ToString(fx.createRoom(f, &ivschat.CreateRoomInput{MaximumMessageRatePerSecond: aws.Int32(100)}).Arn)
	roomID := fx.svc.roomIDFromARN(arn)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := &conn{s: fx.svc, roomID: roomID, ip: "127.0.0.1",
			grant: &tokenGrant{roomID: roomID, userID: "fuzzer", caps: map[string]bool{capSendMessage: true, capDeleteMessage: true, capDisconnectUser: true}},
			send:  make(chan []byte, sendQueueSize), done: make(chan struct{}), ctx: ctx, cancel: cancel}
		fx.svc.mu.Lock()
		fx.svc.rooms[roomID].conns[c] = struct{}{}
		fx.svc.mu.Unlock()
		defer fx.svc.detach(c)

		fx.clock.Add(1e9) // a fresh second: the rate limit never applies
		fx.svc.handleFrame(c, data)
		if len(c.send) == 0 {
			t.Fatalf("no answer to %q", data)
		}
		for len(c.send) > 0 {
			b := <-c.send
			var fr map[string]any
			if err := json.Unmarshal(b, &fr); err != nil {
				t.Fatalf("answer %q is not a JSON object: %v", b, err)
			}
			id, _ := fr["Id"].(string)
			if !frameIDRe.MatchString(id) {
				t.Fatalf("answer %s has Id %q", b, id)
			}
			switch fr["Type"] {
			case typeMessage, typeEvent:
			case typeError:
				if _, ok := fr["ErrorCode"].(float64); !ok {
					t.Fatalf("ERROR %s has no numeric ErrorCode", b)
				}
			default:
				t.Fatalf("answer %s has an unknown Type", b)
			}
		}
	})
}
