package ivslocal_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
)

// BenchmarkGetChannel measures GetChannel round trips through the unmodified
// SDK client over loopback.
func BenchmarkGetChannel(b *testing.B) {
	srv := newServer(b)
	client := ivs.NewFromConfig(srv.AWSConfig())
	created, err := client.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		b.Fatal(err)
	}
	in := &ivs.GetChannelInput{Arn: created.Channel.Arn}
	for b.Loop() {
		if _, err := client.GetChannel(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

// BenchmarkGetChannelParallel is BenchmarkGetChannel from GOMAXPROCS
// goroutines sharing one client.
func BenchmarkGetChannelParallel(b *testing.B) {
	srv := newServer(b)
	client := ivs.NewFromConfig(srv.AWSConfig())
	created, err := client.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		b.Fatal(err)
	}
	in := &ivs.GetChannelInput{Arn: created.Channel.Arn}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := client.GetChannel(ctx, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
