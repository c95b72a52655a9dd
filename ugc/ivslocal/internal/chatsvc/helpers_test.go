package chatsvc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testRegion  = "us-east-1"
	testAccount = "123456789012"
	// waitLimit bounds every wait for a condition; tests never assert on
	// how long something takes.
	waitLimit = 10 * time.Second
)

// clock is a settable clock for emu.Env.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// fixture is a chat service behind an httptest server on 127.0.0.1, with an
// unmodified ivschat client pointed at it.
type fixture struct {
	env    *emu.Env
	clock  *clock
	svc    *Service
	srv    *httptest.Server
	client *ivschat.Client
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	env := emu.NewEnv(testRegion, testAccount)
	clk := &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	env.Now = clk.Now
	svc := New(env)
	mux := http.NewServeMux()
	svc.Register(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			svc.ServeWebSocket(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(func() {
		svc.Close()
		srv.Close()
	})
	client := ivschat.New(ivschat.Options{
		BaseEndpoint:     aws.String(srv.URL),
		Region:           testRegion,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	return &fixture{env: env, clock: clk, svc: svc, srv: srv, client: client}
}

func (f *fixture) wsURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/" }

// createRoom creates a room, failing the test on error.
func (f *fixture) createRoom(tb testing.TB, in *ivschat.CreateRoomInput) *ivschat.CreateRoomOutput {
	tb.Helper()
	if in == nil {
		in = &ivschat.CreateRoomInput{}
	}
	out, err := f.client.CreateRoom(context.Background(), in)
	if err != nil {
		tb.Fatalf("CreateRoom: %v", err)
	}
	return out
}

// token mints a chat token for user in the room with the capabilities.
func (f *fixture) token(tb testing.TB, roomARN, user string, attrs map[string]string, caps ...types.ChatTokenCapability) string {
	tb.Helper()
	out, err := f.client.CreateChatToken(context.Background(), &ivschat.CreateChatTokenInput{
		RoomIdentifier: aws.String(roomARN),
		UserId:         aws.String(user),
		Capabilities:   caps,
		Attributes:     attrs,
	})
	if err != nil {
		tb.Fatalf("CreateChatToken: %v", err)
	}
	return aws.ToString(out.Token)
}

// frame is any server frame, decoded.
type frame struct {
	Type         string            `json:",omitempty"`
	Id           string            `json:",omitempty"`
	RequestId    string            `json:",omitempty"`
	Content      string            `json:",omitempty"`
	EventName    string            `json:",omitempty"`
	Attributes   map[string]string `json:",omitempty"`
	SendTime     string            `json:",omitempty"`
	Sender       *sender           `json:",omitempty"`
	ErrorCode    int               `json:",omitempty"`
	ErrorMessage string            `json:",omitempty"`
}

type sender struct {
	UserId     string
	Attributes map[string]string `json:",omitempty"`
}

// wsClient is a Go WebSocket client whose frames are read by a goroutine
// into a channel, and whose close status is recorded.
type wsClient struct {
	tb     testing.TB
	c      *websocket.Conn
	frames chan frame
	done   chan struct{}
	err    error // the read error that ended the reader; valid after done
}

// dial connects with token, failing the test when the handshake fails.
func (f *fixture) dial(tb testing.TB, token string) *wsClient {
	tb.Helper()
	c, err := f.tryDial(token)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	return startClient(tb, c)
}

func (f *fixture) tryDial(token string) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, f.wsURL(), &websocket.DialOptions{Subprotocols: []string{token}})
	if err != nil {
		if resp != nil {
			return nil, &dialError{status: resp.StatusCode, err: err}
		}
		return nil, err
	}
	if c.Subprotocol() != token {
		c.CloseNow()
		return nil, errors.New("server did not select the token subprotocol")
	}
	return c, nil
}

type dialError struct {
	status int
	err    error
}

func (e *dialError) Error() string { return e.err.Error() }

func startClient(tb testing.TB, c *websocket.Conn) *wsClient {
	c.SetReadLimit(1 << 20)
	w := &wsClient{tb: tb, c: c, frames: make(chan frame, 1024), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				w.err = err
				return
			}
			var fr frame
			if err := json.Unmarshal(b, &fr); err != nil {
				w.err = err
				return
			}
			w.frames <- fr
		}
	}()
	tb.Cleanup(w.close)
	return w
}

func (w *wsClient) close() {
	w.c.CloseNow()
	<-w.done
}

// send writes one client frame.
func (w *wsClient) send(v any) {
	w.tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		w.tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, b); err != nil {
		w.tb.Fatalf("write: %v", err)
	}
}

// next returns the next frame, failing the test if none arrives.
func (w *wsClient) next() frame {
	w.tb.Helper()
	select {
	case fr := <-w.frames:
		return fr
	case <-w.done:
		select {
		case fr := <-w.frames:
			return fr
		default:
		}
		w.tb.Fatalf("connection ended while waiting for a frame: %v", w.err)
	case <-time.After(waitLimit):
		w.tb.Fatal("no frame arrived")
	}
	return frame{}
}

// closed waits for the connection to end and returns its close status.
func (w *wsClient) closed() websocket.StatusCode {
	w.tb.Helper()
	select {
	case <-w.done:
		return websocket.CloseStatus(w.err)
	case <-time.After(waitLimit):
		w.tb.Fatal("connection was not closed")
	}
	return -1
}

// waitFor polls cond until it holds, failing the test at the deadline.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// roomConns returns how many connections the room has.
func (f *fixture) roomConns(arn string) int {
	f.svc.mu.Lock()
	defer f.svc.mu.Unlock()
	r := f.svc.rooms[f.svc.roomIDFromARN(arn)]
	if r == nil {
		return 0
	}
	return len(r.conns)
}
