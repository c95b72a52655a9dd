package dynamostore_test

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc/store/storetest"
)

// BenchmarkMoto runs the store benchmarks against moto's DynamoDB, with
// the data sets shrunk: moto copies a whole table for every
// TransactWriteItems (to roll back), so writing the default 100,000
// channels would take hours. The figures measure moto more than the
// driver; the request counts (TestRequestsPerOperation) are what carries
// over to DynamoDB.
func BenchmarkMoto(b *testing.B) {
	e := startMoto(b)
	storetest.RunBenchmarks(b, func(context.Context, *testing.B) (storetest.Harness, error) {
		return &harness{e: e}, nil
	}, func(o *storetest.BenchOptions) {
		o.Channels, o.LiveChannels = 1000, 200
		o.Following, o.FollowingLive = 200, 20
		o.Users = 1000
		o.SetupParallelism = 4
	})
}
