package realtime_test

import (
	"context"
	"encoding/json"

	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
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

const testProject = "realtime-test"

// The service is the metrics package's receiver of stage events.
var _ metrics.StageEventHandler = (*realtime.Service)(nil)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

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

// env is a realtime Service over ivslocal and a store, with users made by
// the channels package and stage events flowing from the emulator through
// metrics ingestion into the service.
type env struct {
	t      testing.TB
	srv    *ivslocal.Server
	st     store.Store
	ch     *channels.Service
	svc    *realtime.Service
	stages *ivsrealtime.Client
	clock  *clock

	mu          sync.Mutex
	evErrs      []error
	stopForward func()
}

func openStore(t testing.TB, driver string) store.Store {
	t.Helper()
	switch driver {
	case "memstore":
		st := memstore.New()
		t.Cleanup(func() { _ = st.Close() })
		return st
	case "sqlstore":
		st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	}
	t.Fatalf("unknown driver %q", driver)
	return nil
}

func newEnv(t testing.TB, driver string, optFns ...func(*realtime.Options)) *env {
	t.Helper()
	e := newBareEnv(t, driver, optFns...)
	e.stopForward = e.forward(e.svc)
	return e
}

// newBareEnv is newEnv without event delivery.
func newBareEnv(t testing.TB, driver string, optFns ...func(*realtime.Options)) *env {
	t.Helper()
	srv := ivslocal.NewServer()
	t.Cleanup(func() { _ = srv.Close() })
	cfg := srv.AWSConfig()
	stages := ivsrealtime.NewFromConfig(cfg)
	e := &env{t: t, srv: srv, st: openStore(t, driver), stages: stages,
		clock: &clock{t: time.Now().UTC().Truncate(time.Second)}}
	assets, err := channels.NewDirAssets(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = assets.Close() })
	e.ch, err = channels.New(channels.Options{
		Store: e.st, IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg), Stages: e.stages,
		Assets: assets, AssetBaseURL: "http://127.0.0.1/assets", ProjectTag: testProject,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = e.newService(optFns...)
	return e
}

// forward delivers the emulator's events to svc through metrics
// ingestion, as in production; handling errors fail the test at cleanup.
func (e *env) forward(svc *realtime.Service) (stop func()) {
	t := e.t
	cfg := e.srv.AWSConfig()
	msvc, err := metrics.New(metrics.Options{Store: e.st, IVS: ivs.NewFromConfig(cfg), CloudWatch: cloudwatch.NewFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	msvc.SetStageHandler(svc)
	unsubscribe := e.srv.Subscribe(func(ev ivslocal.Event) {
		b, err := json.Marshal(ev)
		if err == nil {
			_, err = msvc.Ingest(context.Background(), b)
		}
		if err != nil {
			e.mu.Lock()
			e.evErrs = append(e.evErrs, err)
			e.mu.Unlock()
		}
	})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			unsubscribe()
			e.mu.Lock()
			defer e.mu.Unlock()
			for _, err := range e.evErrs {
				t.Errorf("handling a stage event: %v", err)
			}
			e.evErrs = nil
		})
	}
	t.Cleanup(stop)
	return stop
}

// newService returns another Service (a replica) over the same store and emulator.
func (e *env) newService(optFns ...func(*realtime.Options)) *realtime.Service {
	e.t.Helper()
	svc, err := realtime.New(realtime.Options{
		Store: e.st, Stages: e.stages, InviteKey: testKey, ProjectTag: testProject,
		AvatarURL: e.ch.AvatarURL, Now: e.clock.Now,
	}, optFns...)
	if err != nil {
		e.t.Fatal(err)
	}
	return svc
}

func (e *env) register(username string) *ugc.User {
	e.t.Helper()
	u, err := e.ch.Register(context.Background(), channels.RegisterInput{Username: username, Email: strings.ToLower(username) + "@example.com"})
	if err != nil {
		e.t.Fatalf("Register(%s): %v", username, err)
	}
	return u
}

func (e *env) users(prefix string, n int) []*ugc.User {
	e.t.Helper()
	us := make([]*ugc.User, n)
	for i := range us {
		us[i] = e.register(fmt.Sprintf("%s%02d", prefix, i))
	}
	return us
}

// start starts host's session and joins the host.
func (e *env) start(host *ugc.User) *realtime.HostSession {
	e.t.Helper()
	hs, err := e.svc.StartSession(context.Background(), host.ID)
	if err != nil {
		e.t.Fatalf("StartSession: %v", err)
	}
	if _, err := e.srv.JoinStage(ugc.ChannelID(host.Channel.StageArn), hs.Host.Token.Reveal()); err != nil {
		e.t.Fatalf("host JoinStage: %v", err)
	}
	return hs
}

// join joins a participant with tok on host's stage.
func (e *env) join(host *ugc.User, tok *realtime.Token) string {
	e.t.Helper()
	pid, err := e.srv.JoinStage(ugc.ChannelID(host.Channel.StageArn), tok.Token.Reveal())
	if err != nil {
		e.t.Fatalf("JoinStage: %v", err)
	}
	return pid
}

// state returns the emulator's view of a participant: CONNECTED or DISCONNECTED.
func (e *env) state(host *ugc.User, pid string) string {
	e.t.Helper()
	ps, err := e.svc.Participants(context.Background(), host.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		if p.ParticipantID == pid {
			return p.State
		}
	}
	return "ABSENT"
}

func (e *env) seats(host *ugc.User) int {
	e.t.Helper()
	ss, err := e.st.ActiveStageSession(context.Background(), host.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	seats, err := e.st.ListSeats(context.Background(), ss.ID, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return len(seats)
}

// code returns err's stable code, "" for nil.
func code(err error) string { return ugc.CodeOf(err) }
