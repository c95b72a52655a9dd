package chat_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

// waitLimit bounds every wait for a frame or a close; tests never assert on
// how long something takes.
const waitLimit = 10 * time.Second

// reviewARN is the Lambda ARN set on rooms with blocked terms in tests.
const reviewARN = "arn:aws:lambda:us-east-1:123456789012:function:ugc-chat-review"

// clock is a settable clock.
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

// env is a chat.Service on memstore and ivslocal, with channels.Service to
// register users.
type env struct {
	t        testing.TB
	ivs      *ivslocal.Server
	store    store.Store
	channels *channels.Service
	svc      *chat.Service
	clock    *clock
	chat     *ivschat.Client
}

func newEnv(t testing.TB, optFns ...func(*chat.Options)) *env {
	t.Helper()
	st := memstore.New()
	t.Cleanup(func() { _ = st.Close() })
	return newEnvWith(t, st, optFns...)
}

// newEnvWith is newEnv on the given store.
func newEnvWith(t testing.TB, st store.Store, optFns ...func(*chat.Options)) *env {
	t.Helper()
	srv := ivslocal.NewServer()
	t.Cleanup(func() { _ = srv.Close() })
	// Reviews read memstore; the race detector slows them, and a late
	// review would silently apply the fallback result.
	srv.SetMessageReviewTimeout(5 * time.Second)
	assets, err := channels.NewDirAssets(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = assets.Close() })
	cfg := srv.AWSConfig()
	clk := &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	chs, err := channels.New(channels.Options{
		Store: st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg), Stages: ivsrealtime.NewFromConfig(cfg),
		Assets: assets, AssetBaseURL: "https://cdn.example.com/assets", ProjectTag: "chat-test", Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ivs: srv, store: st, channels: chs, clock: clk, chat: ivschat.NewFromConfig(cfg)}
	e.svc, err = chat.New(chat.Options{
		Store: st, Chat: e.chat, Endpoint: srv.ChatEndpoint(),
		ReviewHandlerURI: reviewARN, AvatarURL: chs.AvatarURL, Now: clk.Now,
	}, optFns...)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetMessageReviewHandler(ivsReviewHandler(e.svc))
	return e
}

// ivsReviewHandler adapts Service.Review to ivslocal's review hook.
func ivsReviewHandler(svc *chat.Service) ivslocal.ReviewHandler {
	return func(ctx context.Context, r ivslocal.ReviewRequest) (ivslocal.ReviewResponse, error) {
		resp, err := svc.Review(ctx, chat.ReviewRequest{
			Content: r.Content, MessageID: r.MessageId, RoomArn: r.RoomArn, Attributes: r.Attributes,
			Sender: chat.ReviewSender{UserID: r.Sender.UserId, Attributes: r.Sender.Attributes, IP: r.Sender.Ip},
		})
		return ivslocal.ReviewResponse{ReviewResult: resp.ReviewResult, Content: resp.Content,
			Attributes: resp.Attributes, Reason: resp.Reason}, err
	}
}

var ctx = context.Background()

// register makes a user with a channel and chat room.
func (e *env) register(username string) *ugc.User {
	e.t.Helper()
	u, err := e.channels.Register(ctx, channels.RegisterInput{Username: username, Email: strings.ToLower(username) + "@example.com"})
	if err != nil {
		e.t.Fatalf("Register(%s): %v", username, err)
	}
	return u
}

// token mints a token, failing the test on error.
func (e *env) token(channel, viewerID string) *chat.Token {
	e.t.Helper()
	tok, err := e.svc.Token(ctx, channel, viewerID)
	if err != nil {
		e.t.Fatalf("Token(%s, %q): %v", channel, viewerID, err)
	}
	return tok
}

// connect mints a token and opens a chat connection with it.
func (e *env) connect(channel, viewerID string) *wsClient {
	e.t.Helper()
	return dial(e.t, e.token(channel, viewerID))
}

// frame is a server frame of the chat messaging WebSocket.
type frame struct {
	Type         string            `json:"Type"`
	ID           string            `json:"Id"`
	RequestID    string            `json:"RequestId"`
	Content      string            `json:"Content"`
	EventName    string            `json:"EventName"`
	Attributes   map[string]string `json:"Attributes"`
	Sender       *frameSender      `json:"Sender"`
	ErrorCode    int               `json:"ErrorCode"`
	ErrorMessage string            `json:"ErrorMessage"`
}

type frameSender struct {
	UserID     string            `json:"UserId"`
	Attributes map[string]string `json:"Attributes"`
}

// wsClient is a chat connection whose frames a goroutine reads into a
// channel.
type wsClient struct {
	tb     testing.TB
	c      *websocket.Conn
	frames chan frame
	done   chan struct{}
	err    error // what ended the reader; valid after done
	seq    int
}

// dial connects with the token as the subprotocol.
func dial(tb testing.TB, tok *chat.Token) *wsClient {
	tb.Helper()
	dctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	c, _, err := websocket.Dial(dctx, tok.Endpoint, &websocket.DialOptions{Subprotocols: []string{tok.Token.Reveal()}})
	if err != nil {
		tb.Fatalf("dial %s: %v", tok.Endpoint, err)
	}
	w := &wsClient{tb: tb, c: c, frames: make(chan frame, 256), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				w.err = err
				return
			}
			var f frame
			if err := json.Unmarshal(b, &f); err != nil {
				w.err = err
				return
			}
			w.frames <- f
		}
	}()
	tb.Cleanup(func() {
		_ = c.CloseNow()
		<-w.done
	})
	return w
}

// send sends a SEND_MESSAGE request and returns its request ID.
func (w *wsClient) send(content string) string {
	w.tb.Helper()
	w.seq++
	id := "req" + string(rune('a'+w.seq%26)) + strings.Repeat("x", w.seq/26)
	w.write(map[string]any{"Action": "SEND_MESSAGE", "RequestId": id, "Content": content})
	return id
}

func (w *wsClient) write(v any) {
	w.tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		w.tb.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	if err := w.c.Write(wctx, websocket.MessageText, b); err != nil {
		w.tb.Fatalf("write: %v", err)
	}
}

// next returns the next frame, failing the test when none comes or the
// connection closes.
func (w *wsClient) next() frame {
	w.tb.Helper()
	select {
	case f := <-w.frames:
		return f
	case <-w.done:
		select {
		case f := <-w.frames:
			return f
		default:
		}
		w.tb.Fatalf("connection closed while waiting for a frame: %v", w.err)
	case <-time.After(waitLimit):
		w.tb.Fatalf("no frame within %v", waitLimit)
	}
	return frame{}
}

// nextOf skips frames until one of the given type.
func (w *wsClient) nextOf(typ string) frame {
	w.tb.Helper()
	for {
		if f := w.next(); f.Type == typ {
			return f
		}
	}
}

// closed waits for the server to close the connection and returns the
// close status.
func (w *wsClient) closed() websocket.StatusCode {
	w.tb.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case <-w.frames:
		case <-w.done:
			return websocket.CloseStatus(w.err)
		case <-deadline:
			w.tb.Fatalf("connection still open after %v", waitLimit)
			return 0
		}
	}
}

// errCode returns the stable code of err, for comparisons.
func errCode(err error) string {
	if err == nil {
		return ""
	}
	return ugc.CodeOf(err)
}

// kindOf names the sentinel err wraps.
func kindOf(err error) string {
	k := ugc.KindOf(err)
	if k == nil {
		if err == nil {
			return ""
		}
		return "internal"
	}
	return k.Error()
}

var cmpSorted = cmpopts.SortSlices(func(a, b string) bool { return a < b })
