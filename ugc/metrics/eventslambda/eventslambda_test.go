package eventslambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/metrics/eventslambda"
)

type recorder struct {
	got [][]byte
	err error
}

func (r *recorder) Ingest(_ context.Context, raw []byte) (metrics.Result, error) {
	r.got = append(r.got, raw)
	if r.err != nil {
		return metrics.Result{}, r.err
	}
	_, _, err := metrics.ParseEvent(raw)
	return metrics.Result{}, err
}

// The handler runs under aws-lambda-go's own invocation machinery, which
// is what Lambda calls in production.
func TestHandlerThroughLambdaRuntime(t *testing.T) {
	ev := `{"version":"0","id":"e1","detail-type":"IVS Stream State Change","source":"aws.ivs","time":"2026-11-20T12:00:00Z","resources":["arn:aws:ivs:us-east-1:1:channel/c"],"detail":{"event_name":"Stream Start","stream_id":"st-1"}}`
	r := &recorder{}
	h := lambda.NewHandler(eventslambda.Handler(r))
	out, err := h.Invoke(context.Background(), []byte(ev))
	if err != nil {
		t.Fatalf("Invoke = %v", err)
	}
	var res metrics.Result
	if err := json.Unmarshal(out, &res); err != nil || res.Ignored {
		t.Fatalf("result %s: %+v, %v", out, res, err)
	}
	if len(r.got) != 1 || string(r.got[0]) != ev {
		t.Fatalf("the service got %q, want the raw event", r.got)
	}

	// A malformed event is acknowledged: retrying it cannot succeed.
	out, err = h.Invoke(context.Background(), []byte(`{"detail-type":"x"}`))
	if err != nil || json.Unmarshal(out, &res) != nil || !res.Ignored {
		t.Fatalf("malformed: %s, %v", out, err)
	}

	// A store outage fails the invocation so the event is delivered again.
	r.err = &ugc.Error{Kind: ugc.ErrUnavailable, Message: "store down"}
	if _, err := h.Invoke(context.Background(), []byte(ev)); err == nil {
		t.Fatal("an unavailable store did not fail the invocation")
	} else if errors.Is(err, ugc.ErrInvalidArgument) {
		t.Fatalf("unexpected error kind: %v", err)
	}
}
