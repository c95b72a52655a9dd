package storetest_test

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/storetest"
)

// harness makes empty memstores; a SQL driver's harness would open a fresh
// database in t.TempDir() instead.
type harness struct{}

func (harness) MakeStore(context.Context) (store.Store, error) { return memstore.New(), nil }
func (harness) Close()                                         {}

// A driver's test file runs the suite with a HarnessMaker.
func ExampleRunConformanceTests() {
	testConformance := func(t *testing.T) {
		storetest.RunConformanceTests(t, func(context.Context, *testing.T) (storetest.Harness, error) {
			return harness{}, nil
		})
	}
	_ = testConformance // func TestConformance(t *testing.T) in the driver's package
}

// A driver's test file runs the benchmarks, here shrunk for a slow backend.
func ExampleRunBenchmarks() {
	benchmarkStore := func(b *testing.B) {
		storetest.RunBenchmarks(b, func(context.Context, *testing.B) (storetest.Harness, error) {
			return harness{}, nil
		}, func(o *storetest.BenchOptions) { o.Channels, o.LiveChannels = 10_000, 1_000 })
	}
	_ = benchmarkStore // func BenchmarkStore(b *testing.B) in the driver's package
}
