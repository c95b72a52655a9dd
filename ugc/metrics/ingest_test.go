package metrics_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

const testChannelArn = "arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGhIjKl"

var t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

type fixture struct {
	st  store.Store
	svc *metrics.Service
	srv *ivslocal.Server
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := ivslocal.NewServer()
	t.Cleanup(func() { srv.Close() })
	cfg := srv.AWSConfig()
	st := memstore.New()
	f := &fixture{st: st, srv: srv, now: t0.Add(time.Hour)}
	svc, err := metrics.New(metrics.Options{
		Store: st, IVS: ivs.NewFromConfig(cfg), CloudWatch: cloudwatch.NewFromConfig(cfg),
		Now: func() time.Time { return f.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	u := &ugc.User{ID: "u1", Username: "streamer", Email: "s@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: testChannelArn}}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return f
}

func event(id, detailType string, at time.Time, resources []string, detail map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"version": "0", "id": id, "detail-type": detailType, "source": "aws.ivs",
		"account": "123456789012", "time": at.Format(time.RFC3339), "region": "us-east-1",
		"resources": resources, "detail": detail,
	})
	return b
}

func stateEvent(id, name, stream string, at time.Time) []byte {
	return event(id, metrics.StreamStateChange, at, []string{testChannelArn},
		map[string]any{"event_name": name, "channel_name": "streamers-channel", "stream_id": stream})
}

func healthEvent(id, name, stream string, at time.Time) []byte {
	return event(id, metrics.StreamHealthChange, at, []string{testChannelArn},
		map[string]any{"event_name": name, "channel_name": "streamers-channel", "stream_id": stream})
}

func breachEvent(id, stream string, at time.Time) []byte {
	return event(id, metrics.LimitBreach, at, []string{testChannelArn},
		map[string]any{"limit_name": "Ingest Bitrate", "limit_value": 8500000, "exceeded_by": 100, "limit_unit": "bits per second", "stream_id": stream})
}

// A whole broadcast with a starvation episode and a limit breach.
func broadcast(stream string, start time.Time) [][]byte {
	return [][]byte{
		stateEvent(stream+"-1", "Session Created", stream, start),
		stateEvent(stream+"-2", "Stream Start", stream, start.Add(2*time.Second)),
		healthEvent(stream+"-3", "Starvation Start", stream, start.Add(time.Minute)),
		healthEvent(stream+"-4", "Starvation End", stream, start.Add(2*time.Minute)),
		breachEvent(stream+"-5", stream, start.Add(3*time.Minute)),
		stateEvent(stream+"-6", "Session Ended", stream, start.Add(10*time.Minute)),
		stateEvent(stream+"-7", "Stream End", stream, start.Add(10*time.Minute+time.Second)),
	}
}

type outcome struct {
	Session *ugc.StreamSession
	Events  int
	Live    []ugc.LiveEntry
}

func (f *fixture) outcome(t *testing.T, stream string) outcome {
	t.Helper()
	ctx := context.Background()
	s, err := f.st.GetStreamSession(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	evs, _, err := f.st.ListStreamEvents(ctx, stream, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	live, err := f.st.GetLive(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	return outcome{Session: s, Events: len(evs), Live: live}
}

func (f *fixture) ingestAll(t *testing.T, events [][]byte) {
	t.Helper()
	for _, ev := range events {
		if res, err := f.svc.Ingest(context.Background(), ev); err != nil || res.Ignored {
			t.Fatalf("Ingest(%s) = %+v, %v", ev, res, err)
		}
	}
}

func TestIngestDuplicatedAndShuffledGiveSameState(t *testing.T) {
	const stream = "st-1AuTyMDASvHUTSb8p5PvbsO"
	events := broadcast(stream, t0)

	ref := newFixture(t)
	ref.ingestAll(t, events)
	want := ref.outcome(t, stream)
	if want.Events != 7 || !want.Session.HasErrorEvent || !want.Session.IsHealthy || len(want.Live) != 0 ||
		!want.Session.StartTime.Equal(t0) || !want.Session.EndTime.Equal(t0.Add(10*time.Minute+time.Second)) {
		t.Fatalf("reference outcome is wrong: %+v (session %+v)", want, want.Session)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		t.Run(fmt.Sprintf("order%d", i), func(t *testing.T) {
			f := newFixture(t)
			seq := append(append([][]byte{}, events...), events[rng.IntN(len(events))], events[rng.IntN(len(events))])
			rng.Shuffle(len(seq), func(a, b int) { seq[a], seq[b] = seq[b], seq[a] })
			f.ingestAll(t, seq)
			got := f.outcome(t, stream)
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(ugc.StreamSession{}, "UpdatedAt")); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIngestHealthFollowsLatestEvent(t *testing.T) {
	const stream = "st-health"
	f := newFixture(t)
	f.ingestAll(t, [][]byte{
		stateEvent("a", "Stream Start", stream, t0),
		healthEvent("c", "Starvation Start", stream, t0.Add(2*time.Minute)),
		healthEvent("b", "Starvation End", stream, t0.Add(time.Minute)), // older, arrives late
	})
	if got := f.outcome(t, stream); got.Session.IsHealthy {
		t.Errorf("IsHealthy = true after a later Starvation Start")
	}
}

func TestIngestLiveIndex(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ingestAll(t, [][]byte{stateEvent("s1", "Stream Start", "st-old", t0)})
	live, _ := f.st.GetLive(ctx, "u1")
	want := []ugc.LiveEntry{{UserID: "u1", Kind: ugc.LiveLowLatency, Since: t0, Ref: "st-old"}}
	if diff := cmp.Diff(want, live); diff != "" {
		t.Fatalf("after start: mismatch (-want +got):\n%s", diff)
	}
	// A new stream starts; the old one's end arrives late and must not end it.
	f.ingestAll(t, [][]byte{
		stateEvent("s2", "Stream Start", "st-new", t0.Add(time.Hour)),
		stateEvent("s3", "Stream End", "st-old", t0.Add(30*time.Minute)),
	})
	live, _ = f.st.GetLive(ctx, "u1")
	want = []ugc.LiveEntry{{UserID: "u1", Kind: ugc.LiveLowLatency, Since: t0.Add(time.Hour), Ref: "st-new"}}
	if diff := cmp.Diff(want, live); diff != "" {
		t.Fatalf("after late end: mismatch (-want +got):\n%s", diff)
	}
	// End arrives before its start: the late start must not make it live.
	f.ingestAll(t, [][]byte{
		stateEvent("s4", "Stream End", "st-new", t0.Add(2*time.Hour)),
		stateEvent("s5", "Stream Start", "st-late", t0.Add(3*time.Hour+time.Second)),
	})
	f.ingestAll(t, [][]byte{stateEvent("s6", "Session Ended", "st-late", t0.Add(3*time.Hour+2*time.Second))})
	f.ingestAll(t, [][]byte{stateEvent("s5", "Stream Start", "st-late", t0.Add(3*time.Hour+time.Second))})
	if live, _ = f.st.GetLive(ctx, "u1"); len(live) != 0 {
		t.Fatalf("live after the end of every stream: %+v", live)
	}
	st, err := f.svc.LiveStatus(ctx, "u1")
	if err != nil || st.IsBroadcasting {
		t.Fatalf("LiveStatus = %+v, %v", st, err)
	}
}

func TestIngestIgnoresWhatIsNotOurs(t *testing.T) {
	f := newFixture(t)
	tests := map[string][]byte{
		"unknown kind":         event("x1", "IVS Composition State Change", t0, []string{testChannelArn}, map[string]any{}),
		"other source":         []byte(`{"id":"x2","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","time":"2026-11-20T12:00:00Z","resources":[],"detail":{}}`),
		"unknown channel":      event("x3", metrics.StreamStateChange, t0, []string{"arn:aws:ivs:us-east-1:1:channel/nobody"}, map[string]any{"event_name": "Stream Start", "stream_id": "st-x"}),
		"account-wide breach":  event("x4", metrics.LimitBreach, t0, []string{}, map[string]any{"limit_name": "Concurrent Viewers"}),
		"breach before stream": event("x5", metrics.LimitBreach, t0, []string{testChannelArn}, map[string]any{"limit_name": "Ingest Bitrate"}),
		"stage without realtime": event("x6", metrics.StageUpdate, t0, []string{"arn:aws:ivs:us-east-1:1:stage/s"},
			map[string]any{"event_name": "Participant Joined", "session_id": "st-1", "participant_id": "p"}),
	}
	for name, raw := range tests {
		res, err := f.svc.Ingest(context.Background(), raw)
		if err != nil || !res.Ignored {
			t.Errorf("%s: Ingest = %+v, %v; want ignored", name, res, err)
		}
	}
}

func TestIngestRejectsMalformedInput(t *testing.T) {
	f := newFixture(t)
	for name, raw := range map[string]string{
		"empty":          ``,
		"not json":       `{"detail-type":`,
		"no detail-type": `{"time":"2026-11-20T12:00:00Z"}`,
		"no time":        `{"detail-type":"IVS Stream State Change"}`,
		"bad detail":     `{"detail-type":"IVS Stream State Change","time":"2026-11-20T12:00:00Z","detail":"nope"}`,
	} {
		if _, err := f.svc.Ingest(context.Background(), []byte(raw)); !errors.Is(err, ugc.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add(stateEvent("a", "Stream Start", "st-1", t0))
	f.Add(breachEvent("b", "st-1", t0))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, d, err := metrics.ParseEvent(raw)
		if err != nil {
			if !errors.Is(err, ugc.ErrInvalidArgument) {
				t.Fatalf("error %v is not ErrInvalidArgument", err)
			}
			return
		}
		if ev.ID == "" || ev.DetailType == "" || ev.Time.IsZero() || d == nil {
			t.Fatalf("accepted event lacks required fields: %+v", ev)
		}
	})
}
