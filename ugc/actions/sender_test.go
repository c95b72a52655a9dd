package actions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// With the fake clock: back-to-back sends are spaced by the bucket
// (1/4.5 s), so no one-second window holds more than 5.
func TestSenderSpacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "spaced")
		ctx := context.Background()
		start := time.Now()
		for i := range 20 {
			if _, err := f.svc.Start(ctx, u.ID, "notice", json.RawMessage(fmt.Sprintf(`{"title":"%d","message":"m"}`, i))); err != nil {
				t.Fatal(err)
			}
		}
		calls := f.ivs.list()
		checkRate(t, calls)
		if len(calls) != 20 {
			t.Fatalf("%d calls, want 20", len(calls))
		}
		for i, c := range calls {
			if want := time.Duration(i) * time.Second * 2 / 9; c.Time.Sub(start) != want {
				t.Errorf("call %d at %s, want %s", i, c.Time.Sub(start), want)
			}
		}
	})
}

// Throttled attempts are retried after an exponential backoff with
// jitter: retry n waits between half and all of RetryBackoff·2^(n-1).
func TestSenderBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		f.ivs.fail = func(n int) error {
			if n < 3 {
				return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"}
			}
			return nil
		}
		u := f.live(t, "backoff")
		if _, err := f.svc.Start(context.Background(), u.ID, "celebration", nil); err != nil {
			t.Fatal(err)
		}
		calls := f.ivs.list()
		if len(calls) != 4 {
			t.Fatalf("%d calls, want 4", len(calls))
		}
		for n := 1; n < 4; n++ {
			full := 250 * time.Millisecond << (n - 1)
			if d := calls[n].Time.Sub(calls[n-1].Time); d < full/2 || d > full {
				t.Errorf("retry %d after %s, want between %s and %s", n, d, full/2, full)
			}
		}
	})
}

// A newer overlay arriving during a backoff replaces the throttled one.
func TestSupersededDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		f.ivs.fail = func(n int) error {
			if n == 0 {
				return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"}
			}
			return nil
		}
		u := f.live(t, "replaced")
		errs := make(chan error, 1)
		go func() {
			_, err := f.svc.Start(context.Background(), u.ID, "celebration", nil)
			errs <- err
		}()
		synctest.Wait() // throttled once, in its backoff
		second, err := f.svc.Start(context.Background(), u.ID, "notice", json.RawMessage(`{"title":"t","message":"m"}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := <-errs; ugc.CodeOf(err) != "superseded" {
			t.Errorf("throttled Start: %v, want superseded", err)
		}
		calls := f.ivs.list()
		if len(calls) != 2 || decode(t, calls[1].Payload).ID != second.ID {
			t.Errorf("calls %v, want the failed first and the second", calls)
		}
	})
}
