// Package periodic runs a pass of background work at once and then at a
// fixed interval, the loop behind the feature services' Run methods.
package periodic

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Run calls pass at once and then every interval until ctx is done, in the
// caller's goroutine, handing each failure that is not ctx's own to
// failed. It returns ctx's error, or an invalid-argument error for an
// interval that is not positive.
func Run(ctx context.Context, interval time.Duration, pass func(context.Context) error, failed func(error)) error {
	if interval <= 0 {
		return ugc.InvalidField("interval", "must be positive")
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := pass(ctx); err != nil && ctx.Err() == nil {
			failed(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
