package actions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env is a Service on a store and ivslocal, with unmodified SDK clients.
type env struct {
	t    testing.TB
	srv  *ivslocal.Server
	st   store.Store
	ivs  *ivs.Client
	chat *ivschat.Client
	svc  *actions.Service
}

func newEnv(t testing.TB, st store.Store, optFns ...func(*actions.Options)) *env {
	t.Helper()
	srv := ivslocal.NewServer()
	t.Cleanup(func() { _ = srv.Close() })
	if st == nil {
		ms := memstore.New()
		t.Cleanup(func() { _ = ms.Close() })
		st = ms
	}
	cfg := srv.AWSConfig()
	e := &env{t: t, srv: srv, st: st, ivs: ivs.NewFromConfig(cfg), chat: ivschat.NewFromConfig(cfg)}
	e.svc = e.newService(optFns...)
	return e
}

func (e *env) newService(optFns ...func(*actions.Options)) *actions.Service {
	e.t.Helper()
	svc, err := actions.New(actions.Options{Store: e.st, IVS: e.ivs, Chat: e.chat}, optFns...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = svc.Close() })
	return svc
}

// streamer is a user with an IVS channel and a chat room.
type streamer struct {
	*ugc.User
	key string // stream key value
}

// channelID returns the IVS channel ID.
func (s streamer) channelID() string { return ugc.ChannelID(s.Channel.Arn) }

func (e *env) user(name string) streamer {
	e.t.Helper()
	ctx := context.Background()
	ch, err := e.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	room, err := e.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{Name: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	u := &ugc.User{ID: name + "-id", Username: name, Email: name + "@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: aws.ToString(ch.Channel.Arn), ChatRoomArn: aws.ToString(room.Arn), StageArn: "arn:aws:ivs:us-east-1:123456789012:stage/" + name}}
	if err := e.st.CreateUser(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	return streamer{User: u, key: aws.ToString(ch.StreamKey.Value)}
}

// goLive starts a simulated broadcast and records it in the live index, as
// metrics ingestion would.
func (e *env) goLive(s streamer) {
	e.t.Helper()
	_, streamID, err := e.srv.StartStream(s.key)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.SetLive(context.Background(), ugc.LiveEntry{UserID: s.ID, Kind: ugc.LiveLowLatency, Since: time.Now(), Ref: streamID}); err != nil {
		e.t.Fatal(err)
	}
}

type metaEntry struct {
	Time    time.Time `json:"time"`
	Payload string    `json:"payload"`
}

// metadata returns the PutMetadata payloads ivslocal received for the
// channel, with their times, through its control API.
func (e *env) metadata(s streamer) []metaEntry {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/_ivslocal/channels/" + s.channelID() + "/metadata")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Metadata []metaEntry }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatal(err)
	}
	return out.Metadata
}

// checkRate fails when more than 5 payloads fall in any one-second window
// or a payload is over 1 KB.
func checkRate(t testing.TB, entries []metaEntry) {
	t.Helper()
	for i, en := range entries {
		if len(en.Payload) > actions.MaxMetadataBytes {
			t.Errorf("payload %d is %d bytes", i, len(en.Payload))
		}
		n := 0
		for _, o := range entries[i:] {
			if o.Time.Sub(en.Time) < time.Second {
				n++
			}
		}
		if n > 5 {
			t.Errorf("%d payloads in the second from %s", n, en.Time.Format(time.StampMilli))
		}
	}
}

func (e *env) calls(op string) (ok, failed int) {
	for _, c := range e.srv.Calls() {
		if c.Operation != op {
			continue
		}
		if c.Error == "" {
			ok++
		} else {
			failed++
		}
	}
	return ok, failed
}

// fakeIVS records PutMetadata calls with the time they were made; it is
// used where testing/synctest's fake clock is needed (no network in a
// bubble). fail, when set, decides an error for each call.
type fakeIVS struct {
	mu    sync.Mutex
	calls []metaEntry
	fail  func(n int) error
}

func (f *fakeIVS) PutMetadata(ctx context.Context, in *ivs.PutMetadataInput, _ ...func(*ivs.Options)) (*ivs.PutMetadataOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(len(f.calls)); err != nil {
			f.calls = append(f.calls, metaEntry{Time: time.Now(), Payload: "FAILED " + aws.ToString(in.Metadata)})
			return nil, err
		}
	}
	f.calls = append(f.calls, metaEntry{Time: time.Now(), Payload: aws.ToString(in.Metadata)})
	return &ivs.PutMetadataOutput{}, nil
}

func (f *fakeIVS) list() []metaEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]metaEntry(nil), f.calls...)
}

// chatEvent is one SendEvent call.
type chatEvent struct {
	At    time.Time
	Room  string
	Name  string
	Attrs map[string]string
}

type fakeChat struct {
	mu     sync.Mutex
	events []chatEvent
	// fail, when set, makes SendEvent of the event name fail with the
	// error it returns (nothing is recorded).
	fail func(name string) error
}

func (f *fakeChat) SendEvent(ctx context.Context, in *ivschat.SendEventInput, _ ...func(*ivschat.Options)) (*ivschat.SendEventOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(aws.ToString(in.EventName)); err != nil {
			return nil, err
		}
	}
	f.events = append(f.events, chatEvent{At: time.Now(), Room: aws.ToString(in.RoomIdentifier), Name: aws.ToString(in.EventName), Attrs: in.Attributes})
	return &ivschat.SendEventOutput{Id: aws.String(fmt.Sprint(len(f.events)))}, nil
}

func (f *fakeChat) list() []chatEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]chatEvent(nil), f.events...)
}

// fakeEnv is a Service on memstore with the fakes, for synctest bubbles.
type fakeEnv struct {
	st   *memstore.Store
	ivs  *fakeIVS
	chat *fakeChat
	svc  *actions.Service
}

func newFakeEnv(t *testing.T, optFns ...func(*actions.Options)) *fakeEnv {
	t.Helper()
	f := &fakeEnv{st: memstore.New(), ivs: &fakeIVS{}, chat: &fakeChat{}}
	svc, err := actions.New(actions.Options{Store: f.st, IVS: f.ivs, Chat: f.chat}, optFns...)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	t.Cleanup(func() { _ = svc.Close(); _ = f.st.Close() })
	return f
}

// live creates a user whose channel is live in the live index.
func (f *fakeEnv) live(t *testing.T, name string) *ugc.User {
	t.Helper()
	ctx := context.Background()
	u := &ugc.User{ID: name + "-id", Username: name, Email: name + "@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: "arn:aws:ivs:us-east-1:123456789012:channel/" + name, ChatRoomArn: "arn:aws:ivschat:us-east-1:123456789012:room/" + name}}
	if err := f.st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: time.Now(), Ref: "st-" + name}); err != nil {
		t.Fatal(err)
	}
	return u
}

// decode parses a payload as a player would, after checking its keys
// against MetadataSchema: every required key present, no other key than
// the schema's properties.
func decode(t testing.TB, payload string) *actions.Metadata {
	t.Helper()
	var schema struct {
		Required   []string
		Properties map[string]any
	}
	if err := json.Unmarshal(actions.MetadataSchema, &schema); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(payload), &doc); err != nil {
		t.Fatalf("payload %s: %v", payload, err)
	}
	for _, k := range schema.Required {
		if _, ok := doc[k]; !ok {
			t.Errorf("payload %s lacks the required %q", payload, k)
		}
	}
	for k := range doc {
		if _, ok := schema.Properties[k]; !ok {
			t.Errorf("payload %s has %q, which the schema does not allow", payload, k)
		}
	}
	m, err := actions.DecodeMetadata(payload)
	if err != nil {
		t.Fatalf("DecodeMetadata(%s): %v", payload, err)
	}
	return m
}
