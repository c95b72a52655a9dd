package dynamostore_test

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc/store/storetest"
)

// BenchmarkMoto runs the store benchmarks against moto's DynamoDB, with
// the data sets shrunk to 200 channels (100 live), 100 followed (10 live)
// and 200 users: moto deep-copies a table for every TransactWriteItems
// (to roll back), so each CreateUser costs time and memory in proportion
// to the table, and writing the default 100,000 channels would take hours
// and more memory than a test machine has. The figures measure moto more than the
// driver; the request counts (TestRequestsPerOperation) are what carries
// over to DynamoDB.
func BenchmarkMoto(b *testing.B) {
	e := startMoto(b)
	storetest.RunBenchmarks(b, func(context.Context, *testing.B) (storetest.Harness, error) {
		return &harness{e: e}, nil
	}, func(o *storetest.BenchOptions) {
		o.Channels, o.LiveChannels = 200, 100
		o.Following, o.FollowingLive = 100, 10
		o.Users = 200
		o.SetupParallelism = 4
	})
}
