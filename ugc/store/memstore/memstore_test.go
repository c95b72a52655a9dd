package memstore_test

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type harness struct{}

func (harness) MakeStore(context.Context) (store.Store, error) { return memstore.New(), nil }
func (harness) Close()                                         {}

func newHarness(context.Context, *testing.T) (storetest.Harness, error) { return harness{}, nil }

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, newHarness)
}

func newBenchHarness(context.Context, *testing.B) (storetest.Harness, error) { return harness{}, nil }

func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, newBenchHarness)
}

func TestClosedStoreIsUnavailable(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	if err := st.CreateUser(ctx, &ugc.User{ID: "u1", Username: "Alice", Email: "a@example.com"}); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	for i := range 2 {
		if err := st.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	calls := map[string]error{
		"GetUser":  func() error { _, err := st.GetUser(ctx, "u1"); return err }(),
		"ListLive": func() error { _, _, err := st.ListLive(ctx, store.Page{}); return err }(),
		"SetLive":  st.SetLive(ctx, ugc.LiveEntry{UserID: "u1", Kind: ugc.LiveLowLatency, Ref: "r"}),
	}
	for name, err := range calls {
		if !errors.Is(err, ugc.ErrUnavailable) {
			t.Errorf("%s after Close: error = %v, want one wrapping ErrUnavailable", name, err)
		}
	}
}

func TestCursorsAreBoundToTheStoreKey(t *testing.T) {
	ctx := t.Context()
	a, b := memstore.New(), memstore.New()
	for _, st := range []*memstore.Store{a, b} {
		for _, u := range []string{"u1", "u2", "u3"} {
			if err := st.SetLive(ctx, ugc.LiveEntry{UserID: u, Kind: ugc.LiveLowLatency, Ref: "r"}); err != nil {
				t.Fatalf("SetLive: %v", err)
			}
		}
	}
	_, next, err := a.ListLive(ctx, store.Page{Limit: 1})
	if err != nil || next == "" {
		t.Fatalf("ListLive: next %q, %v", next, err)
	}
	if _, _, err := b.ListLive(ctx, store.Page{Limit: 1, Cursor: next}); !errors.Is(err, ugc.ErrInvalidArgument) {
		t.Errorf("a cursor of another store (random keys): error = %v, want ErrInvalidArgument", err)
	}
}
