// Package eventslambda adapts metrics.Service.Ingest to an AWS Lambda
// function that is the target of an EventBridge rule on source aws.ivs.
//
//	svc, _ := metrics.New(metrics.Options{...})
//	lambda.Start(eventslambda.Handler(svc))
//
// Malformed events fail the invocation without retry value, so they are
// logged and acknowledged; store or AWS failures are returned so that
// EventBridge (through Lambda's async retries) delivers the event again.
package eventslambda

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
)

// Ingester is the part of metrics.Service the handler calls.
type Ingester interface {
	Ingest(ctx context.Context, raw []byte) (metrics.Result, error)
}

var _ Ingester = (*metrics.Service)(nil)

// Handler returns a Lambda handler for EventBridge events: pass it to
// lambda.Start. The event is taken raw, exactly as EventBridge sent it.
func Handler(svc Ingester) func(ctx context.Context, event json.RawMessage) (metrics.Result, error) {
	return func(ctx context.Context, event json.RawMessage) (metrics.Result, error) {
		res, err := svc.Ingest(ctx, event)
		if errors.Is(err, ugc.ErrInvalidArgument) {
			// Retrying a malformed event cannot succeed.
			return metrics.Result{Ignored: true, Reason: err.Error()}, nil
		}
		return res, err
	}
}
