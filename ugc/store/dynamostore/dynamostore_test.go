package dynamostore_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestConformanceMoto runs the store conformance suite against moto's
// DynamoDB, one fresh table per case.
func TestConformanceMoto(t *testing.T) {
	e := startMoto(t)
	storetest.RunConformanceTests(t, func(context.Context, *testing.T) (storetest.Harness, error) {
		return &harness{e: e}, nil
	})
}

// TestConformanceDynalite runs the suite against dynalite, when the
// installed dynalite implements transactions (4.0.0 does not: its readme
// lists them as to do, and it answers UnknownOperationException).
func TestConformanceDynalite(t *testing.T) {
	e := startDynalite(t)
	ok, err := e.supportsTransactions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skip("the installed dynalite does not implement TransactWriteItems, which the Store needs for " +
			"uniqueness, follows, votes and seats; the suite runs against moto (TestConformanceMoto)")
	}
	storetest.RunConformanceTests(t, func(context.Context, *testing.T) (storetest.Harness, error) {
		return &harness{e: e}, nil
	})
}
