package periodic_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/internal/periodic"
	"github.com/ivs-ugc/ugc-go/ugc"
)

func TestRunAtOnceThenEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		defer cancel()
		var ran []time.Duration
		var failures int
		err := periodic.Run(ctx, 10*time.Second, func(context.Context) error {
			ran = append(ran, time.Since(start))
			if len(ran) == 2 {
				return errors.New("store down")
			}
			return nil
		}, func(error) { failures++ })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Run = %v, want the context's error", err)
		}
		if d := cmp.Diff([]time.Duration{0, 10 * time.Second, 20 * time.Second}, ran); d != "" {
			t.Errorf("passes mismatch (-want +got):\n%s", d)
		}
		if failures != 1 {
			t.Errorf("%d failures reported, want 1", failures)
		}
	})
}

func TestRunFailureOfACancelledPassIsNotReported(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := periodic.Run(ctx, time.Hour, func(context.Context) error {
		cancel()
		return context.Canceled
	}, func(err error) { t.Errorf("reported %v", err) })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

func TestRunRefusesNonPositiveInterval(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		err := periodic.Run(context.Background(), d, func(context.Context) error { return nil }, func(error) {})
		if !errors.Is(err, ugc.ErrInvalidArgument) || ugc.FieldOf(err) != "interval" {
			t.Errorf("Run(%s) = %v, want an invalid interval", d, err)
		}
	}
}
