package memstore_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

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
