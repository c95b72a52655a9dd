package actions

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
)

type nopIVS struct{}

func (nopIVS) PutMetadata(context.Context, *ivs.PutMetadataInput, ...func(*ivs.Options)) (*ivs.PutMetadataOutput, error) {
	return &ivs.PutMetadataOutput{}, nil
}

// BenchmarkSender measures the sender's own cost per payload (queueing,
// the handoff to the channel's goroutine, the bucket and the result),
// with a PutMetadata that returns at once and no rate limit.
func BenchmarkSender(b *testing.B) {
	o := Options{IVS: nopIVS{}, MetadataRate: 1e12, MetadataBurst: 1 << 30}
	o.setDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := newSender(ctx, &o)
	defer func() { cancel(); s.close() }()
	const arn = "arn:aws:ivs:us-east-1:123456789012:channel/bench"
	for b.Loop() {
		if err := s.send(context.Background(), arn, `{"v":1}`, nil); err != nil {
			b.Fatal(err)
		}
	}
}
