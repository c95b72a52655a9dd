package actions_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// A sequence of overlays reaches IVS in order, each a valid version-1
// document; stop sends the clear document; the active action follows.
func TestStartReplaceStop(t *testing.T) {
	e := newEnv(t, nil)
	s := e.user("streamer")
	e.goLive(s)
	ctx := context.Background()

	quiz, err := e.svc.Start(ctx, s.ID, "quiz", json.RawMessage(`{"question":"Which house?","answers":["Slytherin","Gryffindor","Hufflepuff"],"correctAnswerIndex":1,"duration":10}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.svc.Active(ctx, "STREAMER"); err != nil || got.ID != quiz.ID {
		t.Fatalf("Active after quiz = %+v, %v", got, err)
	}
	product, err := e.svc.Start(ctx, s.ID, "product", json.RawMessage(`{"title":"Mug","price":"$10","imageUrl":"https://example.com/mug.png","description":"A mug"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.svc.Active(ctx, "streamer"); err != nil || got.ID != product.ID || !got.ExpiresAt.IsZero() {
		t.Fatalf("Active after product = %+v, %v", got, err)
	}
	if err := e.svc.Stop(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Active(ctx, "streamer"); !errors.Is(err, ugc.ErrNotFound) {
		t.Fatalf("Active after stop: %v, want not found", err)
	}
	if err := e.svc.Stop(ctx, s.ID); err != nil {
		t.Fatalf("second Stop: %v", err)
	}

	entries := e.metadata(s)
	checkRate(t, entries)
	var got []actions.Metadata
	for _, en := range entries {
		got = append(got, *decode(t, en.Payload))
	}
	exp := quiz.ExpiresAt.UTC()
	st1, st2 := quiz.StartedAt.UTC().Truncate(time.Millisecond), product.StartedAt.UTC().Truncate(time.Millisecond)
	exp = exp.Truncate(time.Millisecond)
	want := []actions.Metadata{
		{V: 1, ID: quiz.ID, Type: "quiz", StartedAt: &st1, ExpiresAt: &exp,
			Data: json.RawMessage(`{"question":"Which house?","answers":["Slytherin","Gryffindor","Hufflepuff"],"correctAnswerIndex":1,"duration":10}`)},
		{V: 1, ID: product.ID, Type: "product", StartedAt: &st2,
			Data: json.RawMessage(`{"title":"Mug","price":"$10","imageUrl":"https://example.com/mug.png","description":"A mug"}`)},
		{V: 1, ID: product.ID, Type: "clear"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metadata received mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(entries[1].Payload, `"expiresAt":null`) || entries[2].Payload != actions.ClearMetadata(product.ID) {
		t.Errorf("payloads %q, %q: want expiresAt null and the clear document", entries[1].Payload, entries[2].Payload)
	}
}

// The preconditions are checked before any AWS call.
func TestStartRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	offline := e.user("offline")
	stage := e.user("onstage")
	if err := e.st.SetLive(ctx, ugc.LiveEntry{UserID: stage.ID, Kind: ugc.LiveRealTime, Since: time.Now(), Ref: "ss-1"}); err != nil {
		t.Fatal(err)
	}
	live := e.user("livech")
	e.goLive(live)
	if err := e.st.CreateUser(ctx, &ugc.User{ID: "bare-id", Username: "bare", Email: "bare@example.com", Color: "blue", Avatar: "bear"}); err != nil {
		t.Fatal(err)
	}
	big := `{"question":"` + strings.Repeat("é", 256) + `","answers":["` + strings.Repeat("a", 128) + `","` + strings.Repeat("b", 128) + `","` + strings.Repeat("c", 128) + `","` + strings.Repeat("d", 128) + `"],"correctAnswerIndex":0}`
	notice := `{"title":"t","message":"m"}`
	tests := []struct {
		name, user, typ, data string
		wantKind              error
		wantCode              string
	}{
		{"offline", offline.ID, "notice", notice, ugc.ErrFailedPrecondition, "channel_offline"},
		{"stage live", stage.ID, "notice", notice, ugc.ErrFailedPrecondition, "stage_live"},
		{"not provisioned", "bare-id", "notice", notice, ugc.ErrFailedPrecondition, "channel_not_provisioned"},
		{"unknown user", "nobody", "notice", notice, ugc.ErrNotFound, "not_found"},
		{"over 1 KB", live.ID, "quiz", big, ugc.ErrTooLarge, "metadata_too_large"},
		{"invalid", live.ID, "notice", `{"title":""}`, ugc.ErrInvalidArgument, "invalid_argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Start(ctx, tt.user, tt.typ, json.RawMessage(tt.data))
			if ugc.KindOf(err) != tt.wantKind || ugc.CodeOf(err) != tt.wantCode {
				t.Errorf("Start: %v (code %q), want %v %q", err, ugc.CodeOf(err), tt.wantKind, tt.wantCode)
			}
		})
	}
	if ok, failed := e.calls("PutMetadata"); ok+failed != 0 {
		t.Errorf("%d PutMetadata calls, want none", ok+failed)
	}
	if _, err := e.st.GetActiveAction(ctx, live.ID); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("a refused action was stored: %v", err)
	}
}

// Back-to-back overlays never exceed 5 PutMetadata calls in any second
// and all arrive, in order.
func TestSenderRate(t *testing.T) {
	e := newEnv(t, nil)
	s := e.user("busy")
	e.goLive(s)
	ctx := context.Background()
	var ids []string
	for i := range 12 {
		a, err := e.svc.Start(ctx, s.ID, "notice", json.RawMessage(fmt.Sprintf(`{"title":"n%d","message":"m"}`, i)))
		if err != nil {
			t.Fatalf("Start %d: %v", i, err)
		}
		ids = append(ids, a.ID)
	}
	entries := e.metadata(s)
	checkRate(t, entries)
	var got []string
	for _, en := range entries {
		got = append(got, decode(t, en.Payload).ID)
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("payload order mismatch (-want +got):\n%s", diff)
	}
}

// Concurrent overlays on one channel: each Start either went out or was
// superseded; the last stored action is the last one sent; the rate holds.
func TestSenderConcurrent(t *testing.T) {
	e := newEnv(t, nil)
	s := e.user("storm")
	e.goLive(s)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := map[string]bool{}
	for range 40 {
		wg.Go(func() {
			a, err := e.svc.Start(ctx, s.ID, "celebration", nil)
			switch {
			case err == nil:
				mu.Lock()
				sent[a.ID] = true
				mu.Unlock()
			case ugc.CodeOf(err) != "superseded":
				t.Errorf("Start: %v", err)
			}
		})
	}
	wg.Wait()
	entries := e.metadata(s)
	checkRate(t, entries)
	if len(entries) != len(sent) {
		t.Errorf("%d payloads received, %d Starts succeeded", len(entries), len(sent))
	}
	for _, en := range entries {
		if id := decode(t, en.Payload).ID; !sent[id] {
			t.Errorf("payload of %s was received but its Start failed", id)
		}
	}
	active, err := e.st.GetActiveAction(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := decode(t, entries[len(entries)-1].Payload).ID; last != active.ID {
		t.Errorf("last payload %s, stored active %s", last, active.ID)
	}
}

// Throttling is retried; beyond MaxAttempts the error is reported and the
// action is not left active.
func TestSenderThrottling(t *testing.T) {
	e := newEnv(t, nil, func(o *actions.Options) { o.RetryBackoff, o.MaxRetryBackoff = 10*time.Millisecond, 40*time.Millisecond })
	s := e.user("throttled")
	e.goLive(s)
	ctx := context.Background()

	e.srv.InjectFault(ivslocal.Fault{Operation: "PutMetadata", Error: "ThrottlingException", Count: 3})
	if _, err := e.svc.Start(ctx, s.ID, "celebration", nil); err != nil {
		t.Fatalf("Start after 3 throttles: %v", err)
	}
	if ok, failed := e.calls("PutMetadata"); ok != 1 || failed != 3 {
		t.Errorf("PutMetadata calls: %d ok, %d failed; want 1 and 3", ok, failed)
	}

	e.srv.InjectFault(ivslocal.Fault{Operation: "PutMetadata", Error: "ThrottlingException", Count: 10})
	_, err := e.svc.Start(ctx, s.ID, "celebration", nil)
	if !errors.Is(err, ugc.ErrThrottled) {
		t.Fatalf("Start with 10 throttles: %v, want throttled", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
		t.Errorf("error %v does not reach the AWS error", err)
	}
	if ok, failed := e.calls("PutMetadata"); ok != 1 || failed != 7 {
		t.Errorf("PutMetadata calls: %d ok, %d failed; want 1 and 7 (4 attempts)", ok, failed)
	}
	a, err := e.st.GetActiveAction(ctx, s.ID)
	if err != nil || len(e.metadata(s)) != 1 || decode(t, e.metadata(s)[0].Payload).ID != a.ID {
		t.Errorf("the failed action replaced the sent one: %+v, %v", a, err)
	}
	e.srv.ClearFaults()

	// IVS says the channel is not broadcasting (the live index lags).
	if err := e.srv.EndStream(s.channelID()); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Start(ctx, s.ID, "celebration", nil)
	if ugc.CodeOf(err) != "channel_offline" {
		t.Errorf("Start on a stopped stream: %v, want channel_offline", err)
	}
}

// A payload waiting for its token is replaced by a newer one, which goes
// out in its place; nothing is sent late.
func TestSupersededDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "rapid")
		ctx := context.Background()
		start := time.Now()
		first, err := f.svc.Start(ctx, u.ID, "notice", json.RawMessage(`{"title":"1","message":"m"}`))
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 1)
		go func() {
			_, err := f.svc.Start(ctx, u.ID, "notice", json.RawMessage(`{"title":"2","message":"m"}`))
			errs <- err
		}()
		synctest.Wait() // the second waits for a token
		third, err := f.svc.Start(ctx, u.ID, "notice", json.RawMessage(`{"title":"3","message":"m"}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := <-errs; ugc.CodeOf(err) != "superseded" {
			t.Errorf("second Start: %v, want superseded", err)
		}
		var got []string
		var at []time.Duration
		for _, c := range f.ivs.list() {
			got = append(got, decode(t, c.Payload).ID)
			at = append(at, c.Time.Sub(start))
		}
		if diff := cmp.Diff([]string{first.ID, third.ID}, got); diff != "" {
			t.Errorf("sent mismatch (-want +got):\n%s", diff)
		}
		// 4.5 tokens per second: the third goes out 1/4.5 s after the first.
		if diff := cmp.Diff([]time.Duration{0, time.Second * 2 / 9}, at); diff != "" {
			t.Errorf("send times mismatch (-want +got):\n%s", diff)
		}
	})
}

// A cancelled caller's payload is never sent and its action is not left
// active.
func TestSendCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "cancel")
		first, err := f.svc.Start(context.Background(), u.ID, "celebration", nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		errs := make(chan error, 1)
		go func() {
			_, err := f.svc.Start(ctx, u.ID, "celebration", nil)
			errs <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errs; !errors.Is(err, context.Canceled) {
			t.Errorf("Start: %v, want context.Canceled", err)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if n := len(f.ivs.list()); n != 1 {
			t.Errorf("%d payloads sent, want 1", n)
		}
		// The first action, which viewers still see, is the active one again.
		if a, err := f.st.GetActiveAction(context.Background(), u.ID); err != nil || a.ID != first.ID {
			t.Errorf("active action after the cancelled Start: %+v, %v; want %s", a, err, first.ID)
		}
	})
}

// Close fails a waiting send and stops the sender goroutine (goleak checks
// the rest).
func TestCloseStopsSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "closing")
		if _, err := f.svc.Start(context.Background(), u.ID, "celebration", nil); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 1)
		go func() {
			_, err := f.svc.Start(context.Background(), u.ID, "celebration", nil)
			errs <- err
		}()
		synctest.Wait()
		if err := f.svc.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-errs; !errors.Is(err, ugc.ErrUnavailable) {
			t.Errorf("waiting Start after Close: %v, want unavailable", err)
		}
		if _, err := f.svc.Start(context.Background(), u.ID, "celebration", nil); !errors.Is(err, ugc.ErrUnavailable) {
			t.Errorf("Start after Close: %v, want unavailable", err)
		}
	})
}

// An expired action is no longer active, and stopping it sends nothing.
func TestExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "expiry")
		ctx := context.Background()
		a, err := f.svc.Start(ctx, u.ID, "notice", json.RawMessage(`{"title":"t","message":"m","duration":5}`))
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5*time.Second - time.Millisecond)
		if got, err := f.svc.Active(ctx, "expiry"); err != nil || got.ID != a.ID {
			t.Fatalf("Active before expiry: %v, %v", got, err)
		}
		time.Sleep(time.Millisecond)
		if _, err := f.svc.Active(ctx, "expiry"); !errors.Is(err, ugc.ErrNotFound) {
			t.Fatalf("Active at expiry: %v, want not found", err)
		}
		if err := f.svc.Stop(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if n := len(f.ivs.list()); n != 1 {
			t.Errorf("%d payloads, want 1 (no clear for an expired action)", n)
		}
	})
}

// IVS's own 1 KB check is reported as too large, should a document pass
// ours.
func TestIVSValidationIsTooLarge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		f.ivs.fail = func(int) error {
			return &smithy.GenericAPIError{Code: "ValidationException", Message: "too long"}
		}
		u := f.live(t, "validation")
		_, err := f.svc.Start(context.Background(), u.ID, "celebration", nil)
		if !errors.Is(err, ugc.ErrTooLarge) {
			t.Errorf("Start: %v, want too large", err)
		}
	})
}

var _ actions.IVSAPI = (*ivs.Client)(nil)
