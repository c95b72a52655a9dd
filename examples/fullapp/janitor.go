package main

import (
	"context"
	"time"
)

// Janitor settings: how often the app finishes interrupted account
// deletions and removes AWS resources left by interrupted registrations,
// and how old a job or resource must be before it counts as abandoned.
const (
	JanitorInterval = time.Hour
	abandonedAfter  = 15 * time.Minute
)

// janitorTask is one periodic chore; its error is logged, not fatal.
type janitorTask struct {
	name string
	run  func(ctx context.Context) (int, error)
}

// runJanitor runs every task at once and then every interval until ctx is
// done. It is the only goroutine the App starts besides the server's.
func (a *App) runJanitor(ctx context.Context, interval time.Duration, tasks []janitorTask) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, task := range tasks {
			n, err := task.run(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				a.log.Error("fullapp: janitor", "task", task.name, "err", err)
			case n > 0:
				a.log.Info("fullapp: janitor", "task", task.name, "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// janitorTasks are the app's chores.
func (a *App) janitorTasks() []janitorTask {
	return []janitorTask{
		{"resume account deletions", func(ctx context.Context) (int, error) {
			return a.channels.ResumeDeletions(ctx, abandonedAfter)
		}},
		{"delete orphaned AWS resources", func(ctx context.Context) (int, error) {
			return a.channels.ReconcileOrphans(ctx, abandonedAfter)
		}},
	}
}
