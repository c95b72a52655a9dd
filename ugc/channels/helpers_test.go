package channels

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// The SDK's HTTP transport keeps idle connections to ivslocal.
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

const testProject = "ugc-test"

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a Service over a fresh ivslocal server and store.
type env struct {
	srv    *ivslocal.Server
	st     store.Store
	svc    *Service
	clock  *clock
	ivs    *ivs.Client
	chat   *ivschat.Client
	stages *ivsrealtime.Client
	assets *DirAssets
}

// drivers are the store drivers the tests run on.
var drivers = []string{"memstore", "sqlstore"}

func openStore(t testing.TB, driver string) store.Store {
	t.Helper()
	switch driver {
	case "memstore":
		st := memstore.New()
		t.Cleanup(func() { st.Close() })
		return st
	case "sqlstore":
		st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
		must(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	}
	t.Fatalf("unknown driver %q", driver)
	return nil
}

func newEnv(t testing.TB, driver string, optFns ...func(*Options)) *env {
	t.Helper()
	srv := ivslocal.NewServer()
	t.Cleanup(func() { srv.Close() })
	cfg := srv.AWSConfig()
	e := &env{
		srv:    srv,
		st:     openStore(t, driver),
		clock:  newClock(),
		ivs:    ivs.NewFromConfig(cfg),
		chat:   ivschat.NewFromConfig(cfg),
		stages: ivsrealtime.NewFromConfig(cfg),
	}
	var err error
	e.assets, err = NewDirAssets(t.TempDir())
	must(t, err)
	t.Cleanup(func() { e.assets.Close() })
	e.svc = e.newService(t, optFns...)
	return e
}

// newService returns another Service over the same server and store.
func (e *env) newService(t testing.TB, optFns ...func(*Options)) *Service {
	t.Helper()
	n := 0
	var mu sync.Mutex
	svc, err := New(Options{
		Store: e.st, IVS: e.ivs, Chat: e.chat, Stages: e.stages, Assets: e.assets,
		AssetBaseURL: "http://127.0.0.1:8080/assets",
		ProjectTag:   testProject,
		Now:          e.clock.Now,
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("u%04d-%d", n, time.Now().UnixNano()%1e6)
		},
	}, optFns...)
	must(t, err)
	return svc
}

// register registers username with a derived email and fails the test on error.
func (e *env) register(t testing.TB, username string) *ugc.User {
	t.Helper()
	u, err := e.svc.Register(context.Background(), RegisterInput{Username: username, Email: username + "@example.com"})
	must(t, err)
	return u
}

// inventory is what exists in the emulator: ARNs by kind, with their owner tag.
type inventory struct {
	Channels, Rooms, Stages, Keys map[string]string // ARN → owner tag ("" for keys)
}

func (e *env) inventory(t testing.TB) inventory {
	t.Helper()
	ctx := context.Background()
	inv := inventory{Channels: map[string]string{}, Rooms: map[string]string{}, Stages: map[string]string{}, Keys: map[string]string{}}
	chs, err := e.ivs.ListChannels(ctx, &ivs.ListChannelsInput{})
	must(t, err)
	for _, c := range chs.Channels {
		inv.Channels[aws.ToString(c.Arn)] = c.Tags[TagOwner]
		keys, err := e.ivs.ListStreamKeys(ctx, &ivs.ListStreamKeysInput{ChannelArn: c.Arn})
		must(t, err)
		for _, k := range keys.StreamKeys {
			inv.Keys[aws.ToString(k.Arn)] = aws.ToString(c.Arn)
		}
	}
	rooms, err := e.chat.ListRooms(ctx, &ivschat.ListRoomsInput{})
	must(t, err)
	for _, r := range rooms.Rooms {
		inv.Rooms[aws.ToString(r.Arn)] = r.Tags[TagOwner]
	}
	stages, err := e.stages.ListStages(ctx, &ivsrealtime.ListStagesInput{})
	must(t, err)
	for _, s := range stages.Stages {
		inv.Stages[aws.ToString(s.Arn)] = s.Tags[TagOwner]
	}
	return inv
}

// userInventory is the inventory that exactly the given users own.
func userInventory(users ...*ugc.User) inventory {
	inv := inventory{Channels: map[string]string{}, Rooms: map[string]string{}, Stages: map[string]string{}, Keys: map[string]string{}}
	for _, u := range users {
		inv.Channels[u.Channel.Arn] = u.ID
		inv.Rooms[u.Channel.ChatRoomArn] = u.ID
		inv.Stages[u.Channel.StageArn] = u.ID
		inv.Keys[u.Channel.StreamKeyArn] = u.Channel.Arn
	}
	return inv
}

// countCalls counts the calls of op in the emulator's call log.
func (e *env) countCalls(op string) int {
	n := 0
	for _, c := range e.srv.Calls() {
		if c.Operation == op {
			n++
		}
	}
	return n
}

func (e *env) fault(op string) {
	e.srv.InjectFault(ivslocal.Fault{Operation: op, Error: "InternalServerException", Count: 1})
}

func ptr[T any](v T) *T { return &v }

// must fails the test when err is not nil (a precondition).
func must(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err != nil {
		t.Fatal(append([]any{err}, msg...)...)
	}
}

// storeOf embeds a store.Store so a test can override one method.
type storeOf = store.Store
