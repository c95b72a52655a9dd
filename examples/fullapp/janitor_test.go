package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestJanitorRunsAtStartAndEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var runs []string
		task := func(name string, err error) janitorTask {
			return janitorTask{name, func(ctx context.Context) (int, error) {
				mu.Lock()
				defer mu.Unlock()
				runs = append(runs, name+"@"+time.Since(start).String())
				return 1, err
			}}
		}
		app := NewApp(Config{Logger: slog.New(slog.DiscardHandler)})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			app.runJanitor(ctx, time.Hour, []janitorTask{task("a", nil), task("b", errors.New("AWS down"))})
		}()
		synctest.Wait()
		time.Sleep(2*time.Hour + time.Minute)
		synctest.Wait()
		cancel()
		<-done
		want := []string{"a@0s", "b@0s", "a@1h0m0s", "b@1h0m0s", "a@2h0m0s", "b@2h0m0s"}
		mu.Lock()
		defer mu.Unlock()
		if diff := cmp.Diff(want, runs); diff != "" {
			t.Errorf("runs mismatch (-want +got):\n%s", diff)
		}
	})
}

// start is the synctest epoch: bubbles start at 2000-01-01 UTC.
var start = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
