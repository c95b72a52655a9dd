package dynamostore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
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

// TestNewValidates checks that New names the option at fault and accepts
// the bounds of CounterShards.
func TestNewValidates(t *testing.T) {
	client := dynamodb.New(dynamodb.Options{Region: "us-east-1"}) // no I/O
	tests := []struct {
		name      string
		client    dynamostore.DynamoDBAPI
		table     string
		shards    int
		wantField string // "" for success
	}{
		{"defaults", client, "ugc", 0, ""},
		{"most counter shards", client, "ugc", dynamostore.MaxCounterShards, ""},
		{"too many counter shards", client, "ugc", dynamostore.MaxCounterShards + 1, "counter_shards"},
		{"no client", nil, "ugc", 0, "client"},
		{"no table", client, "", 0, "table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dynamostore.New(tc.client, tc.table, func(o *dynamostore.Options) { o.CounterShards = tc.shards })
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if !errors.Is(err, ugc.ErrInvalidArgument) {
				t.Fatalf("New: got %v, want ErrInvalidArgument", err)
			}
			if d := cmp.Diff(tc.wantField, ugc.FieldOf(err)); d != "" {
				t.Errorf("field mismatch (-want +got):\n%s", d)
			}
		})
	}
}
