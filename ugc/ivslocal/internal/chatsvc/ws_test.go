package chatsvc

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var (
	ignoreFrameID = cmpopts.IgnoreFields(frame{}, "Id", "SendTime")
	frameIDRe     = regexp.MustCompile(`^[a-zA-Z0-9]{12}$`)
)

const (
	capSend       = types.ChatTokenCapabilitySendMessage
	capDelete     = types.ChatTokenCapabilityDeleteMessage
	capDisconnect = types.ChatTokenCapabilityDisconnectUser
)

// checkFrame compares a frame with want, ignoring Id and SendTime, which
// must be well formed.
func checkFrame(t *testing.T, who string, want, got frame) {
	t.Helper()
	if diff := cmp.Diff(want, got, ignoreFrameID); diff != "" {
		t.Errorf("%s: frame mismatch (-want +got):\n%s", who, diff)
	}
	if !frameIDRe.MatchString(got.Id) {
		t.Errorf("%s: frame Id %q is not 12 alphanumerics", who, got.Id)
	}
	if _, err := time.Parse(time.RFC3339, got.SendTime); got.Type != typeError && err != nil {
		t.Errorf("%s: SendTime %q: %v", who, got.SendTime, err)
	}
}

func TestSendMessage(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	alice := f.dial(t, f.token(t, arn, "alice", map[string]string{"name": "Alice"}, capSend))
	bob := f.dial(t, f.token(t, arn, "bob", nil))

	alice.send(map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r1", "Content": "hello", "Attributes": map[string]string{"color": "red"}})
	want := frame{Type: "MESSAGE", RequestId: "r1", Content: "hello", Attributes: map[string]string{"color": "red"},
		Sender: &sender{UserId: "alice", Attributes: map[string]string{"name": "Alice"}}}
	a, b := alice.next(), bob.next()
	checkFrame(t, "sender", want, a)
	checkFrame(t, "other", want, b)
	if a.Id != b.Id {
		t.Errorf("message ids differ: %q and %q", a.Id, b.Id)
	}
	if want := isoTime(f.clock.Now()); a.SendTime != want {
		t.Errorf("SendTime = %q, want %q", a.SendTime, want)
	}
}

func TestMessagingErrors(t *testing.T) {
	tests := []struct {
		name     string
		maxLen   int32
		caps     []types.ChatTokenCapability
		frame    any
		want     frame
		rawFrame string
	}{
		{name: "send without capability", frame: map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r", "Content": "x"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 403, ErrorMessage: "Forbidden: the connection's token lacks the SEND_MESSAGE capability"}},
		{name: "delete without capability", caps: []types.ChatTokenCapability{capSend}, frame: map[string]any{"Action": "DELETE_MESSAGE", "RequestId": "r", "Id": "abcdefABCDEF"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 403, ErrorMessage: "Forbidden: the connection's token lacks the DELETE_MESSAGE capability"}},
		{name: "disconnect without capability", caps: []types.ChatTokenCapability{capSend, capDelete}, frame: map[string]any{"Action": "DISCONNECT_USER", "RequestId": "r", "UserId": "bob"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 403, ErrorMessage: "Forbidden: the connection's token lacks the DISCONNECT_USER capability"}},
		{name: "unknown action", frame: map[string]any{"Action": "PING", "RequestId": "r"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 400, ErrorMessage: `Invalid request: unknown Action "PING"`}},
		{name: "not json", rawFrame: "hello",
			want: frame{Type: "ERROR", ErrorCode: 400, ErrorMessage: "Invalid request: the frame must be a JSON object with string attributes"}},
		{name: "number attribute", caps: []types.ChatTokenCapability{capSend}, rawFrame: `{"Action":"SEND_MESSAGE","RequestId":"r","Content":"x","Attributes":{"n":1}}`,
			want: frame{Type: "ERROR", ErrorCode: 400, ErrorMessage: "Invalid request: the frame must be a JSON object with string attributes"}},
		{name: "empty content", caps: []types.ChatTokenCapability{capSend}, frame: map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r", "Content": ""},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 400, ErrorMessage: "Invalid request: Content is required"}},
		{name: "too long", maxLen: 5, caps: []types.ChatTokenCapability{capSend}, frame: map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r", "Content": "héllo!"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 413, ErrorMessage: "Message content exceeds the room's maximum message length of 5 characters"}},
		{name: "length in code points", maxLen: 5, caps: []types.ChatTokenCapability{capSend}, frame: map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r", "Content": "héllo"},
			want: frame{Type: "MESSAGE", RequestId: "r", Content: "héllo", Sender: &sender{UserId: "u"}}},
		{name: "attributes too large", caps: []types.ChatTokenCapability{capSend},
			frame: map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r", "Content": "x", "Attributes": map[string]string{"k": strings.Repeat("v", 1024)}},
			want:  frame{Type: "ERROR", RequestId: "r", ErrorCode: 413, ErrorMessage: "Attributes exceed the maximum total size of 1 KB"}},
		{name: "bad message id", caps: []types.ChatTokenCapability{capDelete}, frame: map[string]any{"Action": "DELETE_MESSAGE", "RequestId": "r", "Id": "short"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 400, ErrorMessage: "Invalid request: Id must be 12 characters of [a-zA-Z0-9]"}},
		{name: "empty user id", caps: []types.ChatTokenCapability{capDisconnect}, frame: map[string]any{"Action": "DISCONNECT_USER", "RequestId": "r"},
			want: frame{Type: "ERROR", RequestId: "r", ErrorCode: 400, ErrorMessage: "Invalid request: UserId must have 1 to 128 characters"}},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &ivschat.CreateRoomInput{}
			if tt.maxLen > 0 {
				in.MaximumMessageLength = aws.Int32(tt.maxLen)
			}
			arn := aws.ToString(f.createRoom(t, in).Arn)
			c := f.dial(t, f.token(t, arn, "u", nil, tt.caps...))
			if tt.rawFrame != "" {
				ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
				defer cancel()
				if err := c.c.Write(ctx, websocket.MessageText, []byte(tt.rawFrame)); err != nil {
					t.Fatal(err)
				}
			} else {
				c.send(tt.frame)
			}
			checkFrame(t, "client", tt.want, c.next())
		})
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, &ivschat.CreateRoomInput{MaximumMessageRatePerSecond: aws.Int32(2)}).Arn)
	a := f.dial(t, f.token(t, arn, "a", nil, capSend))
	b := f.dial(t, f.token(t, arn, "b", nil, capSend))
	msg := func(id string) map[string]any {
		return map[string]any{"Action": "SEND_MESSAGE", "RequestId": id, "Content": "x"}
	}
	// The limit is for the room: two senders share it.
	a.send(msg("1"))
	checkFrame(t, "a 1", frame{Type: "MESSAGE", RequestId: "1", Content: "x", Sender: &sender{UserId: "a"}}, a.next())
	b.send(msg("2"))
	checkFrame(t, "a 2", frame{Type: "MESSAGE", RequestId: "2", Content: "x", Sender: &sender{UserId: "b"}}, a.next())
	a.send(msg("3"))
	checkFrame(t, "a 3", frame{Type: "ERROR", RequestId: "3", ErrorCode: 429, ErrorMessage: "Rate exceeded: the room allows 2 messages per second"}, a.next())

	f.clock.Add(time.Second)
	a.send(msg("4"))
	checkFrame(t, "a 4", frame{Type: "MESSAGE", RequestId: "4", Content: "x", Sender: &sender{UserId: "a"}}, a.next())
	// b saw 1, 2 and 4, never a's error.
	for _, id := range []string{"1", "2", "4"} {
		if got := b.next(); got.RequestId != id || got.Type != "MESSAGE" {
			t.Errorf("b got %+v, want MESSAGE %s", got, id)
		}
	}
}

func TestDeleteMessage(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	mod := f.dial(t, f.token(t, arn, "mod", nil, capSend, capDelete))
	viewer := f.dial(t, f.token(t, arn, "viewer", nil))

	mod.send(map[string]any{"Action": "SEND_MESSAGE", "RequestId": "m", "Content": "spam"})
	msgID := mod.next().Id
	viewer.next()

	mod.send(map[string]any{"Action": "DELETE_MESSAGE", "RequestId": "d", "Id": msgID, "Reason": "spam"})
	want := frame{Type: "EVENT", RequestId: "d", EventName: "aws:DELETE_MESSAGE",
		Attributes: map[string]string{"MessageId": msgID, "MessageID": msgID, "Reason": "spam"}}
	checkFrame(t, "mod", want, mod.next())
	checkFrame(t, "viewer", want, viewer.next())

	// The API replicates the action without a RequestId and returns the event ID.
	out, err := f.client.DeleteMessage(context.Background(), &ivschat.DeleteMessageInput{RoomIdentifier: aws.String(arn), Id: aws.String(msgID)})
	if err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	want = frame{Type: "EVENT", EventName: "aws:DELETE_MESSAGE", Attributes: map[string]string{"MessageId": msgID, "MessageID": msgID}}
	got := viewer.next()
	checkFrame(t, "viewer via API", want, got)
	if aws.ToString(out.Id) != got.Id {
		t.Errorf("DeleteMessage returned id %q, event has %q", aws.ToString(out.Id), got.Id)
	}
}

func TestDisconnectUser(t *testing.T) {
	for _, viaAPI := range []bool{false, true} {
		name := map[bool]string{false: "websocket", true: "api"}[viaAPI]
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			arn := aws.ToString(f.createRoom(t, nil).Arn)
			other := aws.ToString(f.createRoom(t, nil).Arn)
			mod := f.dial(t, f.token(t, arn, "mod", nil, capDisconnect))
			bob1 := f.dial(t, f.token(t, arn, "bob", nil))
			bob2 := f.dial(t, f.token(t, arn, "bob", nil))
			carol := f.dial(t, f.token(t, arn, "carol", nil))
			bobElsewhere := f.dial(t, f.token(t, other, "bob", nil))

			reqID := ""
			if viaAPI {
				if _, err := f.client.DisconnectUser(context.Background(), &ivschat.DisconnectUserInput{
					RoomIdentifier: aws.String(arn), UserId: aws.String("bob"), Reason: aws.String("bye")}); err != nil {
					t.Fatalf("DisconnectUser: %v", err)
				}
			} else {
				reqID = "k"
				mod.send(map[string]any{"Action": "DISCONNECT_USER", "RequestId": reqID, "UserId": "bob", "Reason": "bye"})
			}
			want := frame{Type: "EVENT", RequestId: reqID, EventName: "aws:DISCONNECT_USER", Attributes: map[string]string{"UserId": "bob", "Reason": "bye"}}
			for who, c := range map[string]*wsClient{"mod": mod, "bob1": bob1, "bob2": bob2, "carol": carol} {
				checkFrame(t, who, want, c.next())
			}
			for who, c := range map[string]*wsClient{"bob1": bob1, "bob2": bob2} {
				if got := c.closed(); got != websocket.StatusNormalClosure {
					t.Errorf("%s closed with %v, want 1000", who, got)
				}
			}
			waitFor(t, "two connections left", func() bool { return f.roomConns(arn) == 2 })

			// carol and bob's connection to the other room still work.
			for _, tc := range []struct {
				arn string
				c   *wsClient
			}{{arn, carol}, {other, bobElsewhere}} {
				if _, err := f.client.SendEvent(context.Background(), &ivschat.SendEventInput{RoomIdentifier: aws.String(tc.arn), EventName: aws.String("ping")}); err != nil {
					t.Fatal(err)
				}
				if got := tc.c.next(); got.EventName != "ping" {
					t.Errorf("got %+v, want the ping event", got)
				}
			}
		})
	}
}

func TestSendEvent(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	c := f.dial(t, f.token(t, arn, "u", nil))
	out, err := f.client.SendEvent(context.Background(), &ivschat.SendEventInput{
		RoomIdentifier: aws.String(arn), EventName: aws.String("poll:update"), Attributes: map[string]string{"votes": "3"}})
	if err != nil {
		t.Fatalf("SendEvent: %v", err)
	}
	got := c.next()
	checkFrame(t, "client", frame{Type: "EVENT", EventName: "poll:update", Attributes: map[string]string{"votes": "3"}}, got)
	if aws.ToString(out.Id) != got.Id {
		t.Errorf("SendEvent returned id %q, frame has %q", aws.ToString(out.Id), got.Id)
	}
}

func TestMessagingAPIValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	arn := aws.String(aws.ToString(f.createRoom(t, nil).Arn))
	big := map[string]string{"k": strings.Repeat("v", 1024)}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"event name too long", func() error {
			_, err := f.client.SendEvent(ctx, &ivschat.SendEventInput{RoomIdentifier: arn, EventName: aws.String(strings.Repeat("e", 101))})
			return err
		}, "eventName"},
		{"event name empty", func() error {
			_, err := f.client.SendEvent(ctx, &ivschat.SendEventInput{RoomIdentifier: arn, EventName: aws.String("")})
			return err
		}, "eventName"},
		{"event attributes", func() error {
			_, err := f.client.SendEvent(ctx, &ivschat.SendEventInput{RoomIdentifier: arn, EventName: aws.String("e"), Attributes: big})
			return err
		}, "attributes"},
		{"message id", func() error {
			_, err := f.client.DeleteMessage(ctx, &ivschat.DeleteMessageInput{RoomIdentifier: arn, Id: aws.String("abc")})
			return err
		}, "id"},
		{"delete reason", func() error {
			_, err := f.client.DeleteMessage(ctx, &ivschat.DeleteMessageInput{RoomIdentifier: arn, Id: aws.String("abcdefABCDEF"), Reason: aws.String(strings.Repeat("r", 257))})
			return err
		}, "reason"},
		{"user id", func() error {
			_, err := f.client.DisconnectUser(ctx, &ivschat.DisconnectUserInput{RoomIdentifier: arn, UserId: aws.String("")})
			return err
		}, "userId"},
		{"token user id", func() error {
			_, err := f.client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: arn, UserId: aws.String(strings.Repeat("u", 129))})
			return err
		}, "userId"},
		{"token capability", func() error {
			_, err := f.client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: arn, UserId: aws.String("u"), Capabilities: []types.ChatTokenCapability{"FLY"}})
			return err
		}, "capabilities"},
		{"token duration 0", func() error {
			_, err := f.client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: arn, UserId: aws.String("u"), SessionDurationInMinutes: aws.Int32(0)})
			return err
		}, "sessionDurationInMinutes"},
		{"token duration 181", func() error {
			_, err := f.client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: arn, UserId: aws.String("u"), SessionDurationInMinutes: aws.Int32(181)})
			return err
		}, "sessionDurationInMinutes"},
		{"token attributes", func() error {
			_, err := f.client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: arn, UserId: aws.String("u"), Attributes: big})
			return err
		}, "attributes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			reason, fields := validationFields(t, err)
			if diff := cmp.Diff([]string{"FIELD_VALIDATION_FAILED", tt.field}, append([]string{reason}, fields...)); diff != "" {
				t.Errorf("validation mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCreateChatToken(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	now := f.clock.Now()
	tokenRe := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	for _, tt := range []struct {
		minutes *int32
		session time.Duration
	}{{nil, time.Hour}, {aws.Int32(1), time.Minute}, {aws.Int32(180), 3 * time.Hour}} {
		out, err := f.client.CreateChatToken(context.Background(), &ivschat.CreateChatTokenInput{
			RoomIdentifier: aws.String(arn), UserId: aws.String("u"), SessionDurationInMinutes: tt.minutes})
		if err != nil {
			t.Fatalf("CreateChatToken(%v min): %v", tt.session, err)
		}
		want := []time.Time{now.Add(time.Minute), now.Add(tt.session)}
		got := []time.Time{aws.ToTime(out.TokenExpirationTime), aws.ToTime(out.SessionExpirationTime)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v: expirations mismatch (-want +got):\n%s", tt.session, diff)
		}
		if !tokenRe.MatchString(aws.ToString(out.Token)) {
			t.Errorf("token %q has characters a subprotocol cannot carry", aws.ToString(out.Token))
		}
	}
}

func TestTokenRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	doomed := f.createRoom(t, nil)

	used := f.token(t, arn, "u", nil)
	f.dial(t, used)
	expired := f.token(t, arn, "u", nil)
	deletedRoom := f.token(t, aws.ToString(doomed.Arn), "u", nil)
	if _, err := f.client.DeleteRoom(ctx, &ivschat.DeleteRoomInput{Identifier: doomed.Arn}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(61 * time.Second)
	fresh := f.token(t, arn, "u", nil)

	for name, token := range map[string]string{"reused": used, "expired": expired, "room deleted": deletedRoom, "unknown": "AQICAHnope", "missing": ""} {
		t.Run(name, func(t *testing.T) {
			c, err := f.tryDial(token)
			if err == nil {
				c.CloseNow()
				t.Fatal("handshake succeeded")
			}
			var de *dialError
			if !errors.As(err, &de) || de.status != 401 {
				t.Fatalf("dial error = %v, want HTTP 401", err)
			}
		})
	}
	f.dial(t, fresh)
}

func TestRoomDeletedClosesConnections(t *testing.T) {
	f := newFixture(t)
	room := f.createRoom(t, nil)
	c := f.dial(t, f.token(t, aws.ToString(room.Arn), "u", nil))
	if _, err := f.client.DeleteRoom(context.Background(), &ivschat.DeleteRoomInput{Identifier: room.Arn}); err != nil {
		t.Fatal(err)
	}
	if got := c.closed(); got != websocket.StatusNormalClosure {
		t.Errorf("closed with %v, want 1000", got)
	}
}

func TestSessionExpiry(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	out, err := f.client.CreateChatToken(context.Background(), &ivschat.CreateChatTokenInput{
		RoomIdentifier: aws.String(arn), UserId: aws.String("u"), SessionDurationInMinutes: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	// Connect just before the token expires; the one-minute session ends
	// at the same instant, a few milliseconds of real time later.
	f.clock.Set(aws.ToTime(out.SessionExpirationTime).Add(-20 * time.Millisecond))
	c := f.dial(t, aws.ToString(out.Token))
	if got := c.closed(); got != websocket.StatusNormalClosure {
		t.Errorf("closed with %v, want 1000", got)
	}
	waitFor(t, "the room to drop the connection", func() bool { return f.roomConns(arn) == 0 })
}

func TestResetAndCloseEndConnections(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	c := f.dial(t, f.token(t, arn, "u", nil))
	f.svc.Reset()
	if got := c.closed(); got != websocket.StatusGoingAway {
		t.Errorf("Reset: closed with %v, want 1001", got)
	}

	arn = aws.ToString(f.createRoom(t, nil).Arn)
	c = f.dial(t, f.token(t, arn, "u", nil))
	token := f.token(t, arn, "v", nil)
	f.svc.Close()
	if got := c.closed(); got != websocket.StatusGoingAway {
		t.Errorf("Close: closed with %v, want 1001", got)
	}
	if _, err := f.tryDial(token); err == nil {
		t.Error("a connection was accepted after Close")
	}
}

func TestSlowClientIsDropped(t *testing.T) {
	// A connection whose writer is stuck: nothing drains its queue.
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	s := f.svc
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stuck := &conn{s: s, roomID: s.roomIDFromARN(arn), grant: &tokenGrant{userID: "slow"},
		send: make(chan []byte, 2), done: make(chan struct{}), ctx: ctx, cancel: cancel}
	s.mu.Lock()
	s.rooms[stuck.roomID].conns[stuck] = struct{}{}
	s.conns[stuck] = struct{}{}
	s.mu.Unlock()
	healthy := f.dial(t, f.token(t, arn, "ok", nil))

	for i := range 3 {
		if _, err := f.client.SendEvent(context.Background(), &ivschat.SendEventInput{RoomIdentifier: aws.String(arn), EventName: aws.String("e")}); err != nil {
			t.Fatalf("SendEvent %d: %v", i, err)
		}
	}
	select {
	case <-stuck.done:
	default:
		t.Fatal("the stuck connection was not shut down when its queue filled")
	}
	if diff := cmp.Diff(closeSlowClient, stuck.close, cmp.AllowUnexported(closeReq{})); diff != "" {
		t.Errorf("close mismatch (-want +got):\n%s", diff)
	}
	if ctx.Err() == nil {
		t.Error("the stuck connection's write context was not canceled")
	}
	if got := f.roomConns(arn); got != 1 {
		t.Errorf("room has %d connections, want 1", got)
	}
	for range 3 {
		if got := healthy.next(); got.EventName != "e" {
			t.Errorf("healthy client got %+v", got)
		}
	}
}

func TestConcurrentSenders(t *testing.T) {
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, &ivschat.CreateRoomInput{MaximumMessageRatePerSecond: aws.Int32(100)}).Arn)
	const senders, each = 5, 10
	clients := make([]*wsClient, senders)
	for i := range clients {
		clients[i] = f.dial(t, f.token(t, arn, "u", nil, capSend))
	}
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			for j := range each {
				c.send(map[string]any{"Action": "SEND_MESSAGE", "RequestId": string(rune('a'+i)) + string(rune('0'+j)), "Content": "x"})
			}
		})
	}
	wg.Wait()
	// Every client sees the same frames in the same order.
	var first []string
	for i, c := range clients {
		var ids []string
		for range senders * each {
			fr := c.next()
			if fr.Type != "MESSAGE" {
				t.Fatalf("client %d got %+v", i, fr)
			}
			ids = append(ids, fr.Id)
		}
		if i == 0 {
			first = ids
			continue
		}
		if diff := cmp.Diff(first, ids); diff != "" {
			t.Errorf("client %d order mismatch (-want +got):\n%s", i, diff)
		}
	}
}

func TestSlowClientOverNetwork(t *testing.T) {
	// A real client that never reads: once the TCP buffers and its send
	// queue are full it is dropped, while a reading client gets everything.
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	stuck, err := f.tryDial(f.token(t, arn, "stuck", nil))
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.CloseNow()
	healthy := f.dial(t, f.token(t, arn, "ok", nil))

	s := f.svc
	payload := mustJSON(newEvent(f.clock.Now(), "", "bulk", map[string]string{"pad": strings.Repeat("x", 1000)}))
	const batch, limit = 100, 200_000
	sent := 0
	for f.roomConns(arn) == 2 {
		if sent >= limit {
			t.Fatalf("the stuck client was still connected after %d frames", sent)
		}
		s.mu.Lock()
		r := s.rooms[s.roomIDFromARN(arn)]
		for range batch {
			s.broadcastLocked(r, payload)
		}
		s.mu.Unlock()
		sent += batch
		for range batch {
			if got := healthy.next(); got.EventName != "bulk" {
				t.Fatalf("healthy client got %+v", got)
			}
		}
	}
	t.Logf("the stuck client was dropped after %d frames of %d bytes", sent, len(payload))
}

func TestCloseAbortsFlushToStuckClient(t *testing.T) {
	// A client that never reads is being disconnected with frames still
	// queued behind full TCP buffers; Close must not wait for them.
	f := newFixture(t)
	arn := aws.ToString(f.createRoom(t, nil).Arn)
	stuck, err := f.tryDial(f.token(t, arn, "stuck", nil))
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.CloseNow()

	s := f.svc
	payload := mustJSON(newEvent(f.clock.Now(), "", "bulk", map[string]string{"pad": strings.Repeat("x", 1000)}))
	var c *conn
	waitFor(t, "frames to pile up behind the stuck client", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		r := s.rooms[s.roomIDFromARN(arn)]
		c = nil
		for only := range r.conns {
			c = only
		}
		if c == nil {
			t.Fatal("the stuck client was dropped before its queue could be observed")
		}
		if len(c.send) >= 100 {
			return true
		}
		for range 50 {
			s.broadcastLocked(r, payload)
		}
		return false
	})
	if _, err := f.client.DisconnectUser(context.Background(), &ivschat.DisconnectUserInput{RoomIdentifier: aws.String(arn), UserId: aws.String("stuck")}); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		f.svc.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(waitLimit):
		t.Fatal("Close did not return")
	}
}
