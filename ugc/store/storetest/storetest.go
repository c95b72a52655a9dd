package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Harness makes stores for the conformance tests and the benchmarks.
type Harness interface {
	// MakeStore returns a new, empty store. The suite closes it.
	MakeStore(ctx context.Context) (store.Store, error)
	// Close releases the harness's resources once its stores are closed.
	Close()
}

// HarnessMaker makes a Harness for one test. Each subtest calls it once and
// makes one store.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// test is one conformance subtest; it receives a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, ctx context.Context, st store.Store)
}

// RunConformanceTests runs the whole conformance suite against the driver
// newHarness makes, one t.Run per aggregate and one per case below it. Each
// case gets a fresh, empty store.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	groups := []struct {
		name  string
		tests []test
	}{
		{"Users", usersTests},
		{"Accounts", accountsTests},
		{"Jobs", jobsTests},
		{"Follows", followsTests},
		{"Live", liveTests},
		{"StreamSessions", streamSessionsTests},
		{"Moderation", moderationTests},
		{"Actions", actionsTests},
		{"Polls", pollsTests},
		{"Stages", stagesTests},
		{"Notifications", notificationsTests},
		{"CrossCutting", crossCuttingTests},
		{"Paging", pagingTests()},
		{"BadInput", badInputTests()},
		{"Concurrency", concurrencyTests},
		{"Store", storeTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					ctx := t.Context()
					st := makeStore(t, ctx, newHarness)
					tc.fn(t, ctx, st)
				})
			}
		})
	}
}

// makeStore makes a harness and a store, closed when t ends.
func makeStore(t *testing.T, ctx context.Context, newHarness HarnessMaker) store.Store {
	t.Helper()
	h, err := newHarness(ctx, t)
	if err != nil {
		t.Fatalf("making harness: %v", err)
	}
	t.Cleanup(h.Close)
	st, err := h.MakeStore(ctx)
	if err != nil {
		t.Fatalf("making store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

// t0 is the base time of every test: whole milliseconds, UTC.
var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// at returns t0 plus n seconds.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }

// long is an ID one byte too long.
var long = strings.Repeat("x", store.MaxIDLen+1)

// cmpOpts compare stored values: empty and nil slices and maps are equal,
// times compare with Equal.
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

// diff reports a mismatch of want and got.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// ok fails the test now when err is not nil.
func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// isErr checks that err wraps kind and, when code is not "", has that
// ugc.CodeOf code.
func isErr(t *testing.T, what string, err, kind error, code string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want one wrapping %v", what, err, kind)
		return
	}
	if code != "" && ugc.CodeOf(err) != code {
		t.Errorf("%s: code = %q, want %q (error %v)", what, ugc.CodeOf(err), code, err)
	}
}

// isField checks that err wraps kind and names field.
func isField(t *testing.T, what string, err, kind error, field string) {
	t.Helper()
	isErr(t, what, err, kind, "")
	if err != nil && ugc.FieldOf(err) != field {
		t.Errorf("%s: field = %q, want %q (error %v)", what, ugc.FieldOf(err), field, err)
	}
}

// equal reports a mismatch of two comparable values.
func equal[T comparable](t *testing.T, what string, want, got T) {
	t.Helper()
	if want != got {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

var storeTests = []test{
	{"CloseTwice", func(t *testing.T, ctx context.Context, st store.Store) {
		if err := st.Close(); err != nil {
			t.Errorf("first Close: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}},
}
