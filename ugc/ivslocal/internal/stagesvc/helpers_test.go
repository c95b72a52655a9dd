package stagesvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// recorder collects the events emitted on the bus.
type recorder struct {
	mu  sync.Mutex
	evs []emu.Event
}

func (r *recorder) add(ev emu.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, ev)
}

// take returns and clears the recorded events.
func (r *recorder) take() []emu.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	evs := r.evs
	r.evs = nil
	return evs
}

type fixture struct {
	svc    *Service
	env    *emu.Env
	clock  *clock
	events *recorder
	client *ivsrealtime.Client
	url    string
	hc     *http.Client
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	clk := &clock{now: testNow}
	env := emu.NewEnv("us-east-1", "123456789012")
	env.Now = clk.Now
	rec := &recorder{}
	tb.Cleanup(env.Bus.Subscribe(rec.add))
	svc := New(env)
	mux := http.NewServeMux()
	svc.Register(mux)
	srv := httptest.NewServer(mux)
	hc := &http.Client{Transport: &http.Transport{}}
	tb.Cleanup(func() {
		hc.CloseIdleConnections()
		srv.Close()
		svc.Close()
	})
	client := ivsrealtime.New(ivsrealtime.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
	})
	return &fixture{svc: svc, env: env, clock: clk, events: rec, client: client, url: srv.URL, hc: hc}
}

// ctl calls a control route and returns the status and decoded JSON body.
func (f *fixture) ctl(tb testing.TB, method, path string, body any) (int, map[string]string) {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]string{}
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			tb.Fatalf("%s %s: body %q is not a JSON object: %v", method, path, b, err)
		}
	}
	return resp.StatusCode, out
}

// join joins with token over the control API and returns the participant ID.
func (f *fixture) join(tb testing.TB, stageID, token string) string {
	tb.Helper()
	st, body := f.ctl(tb, http.MethodPost, "/_ivslocal/stages/"+stageID+"/participants", map[string]string{"token": token})
	if st != http.StatusCreated {
		tb.Fatalf("join: status %d, body %v", st, body)
	}
	return body["participantId"]
}

func (f *fixture) publish(tb testing.TB, stageID, pid string) int {
	tb.Helper()
	st, _ := f.ctl(tb, http.MethodPost, "/_ivslocal/stages/"+stageID+"/participants/"+pid+"/publish", nil)
	return st
}

// errCode returns the API error code of err, or "" for nil.
func errCode(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "non-API error: " + err.Error()
}

// stageID returns the ID part of a stage ARN.
func stageID(arn string) string { return arn[len(arn)-stageIDLen:] }

// evSummary is an event reduced to what tests compare.
type evSummary struct {
	Name, Participant, Extra string
}

func summarize(evs []emu.Event) []evSummary {
	out := []evSummary{}
	for _, ev := range evs {
		s := evSummary{Name: ev.Detail["event_name"].(string)}
		if p, ok := ev.Detail["participant_id"].(string); ok {
			s.Participant = p
		}
		if r, ok := ev.Detail["reason"].(string); ok {
			s.Extra = r
		}
		out = append(out, s)
	}
	return out
}
