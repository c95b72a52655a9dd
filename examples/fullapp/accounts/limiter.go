package accounts

import (
	"sync"
	"time"
)

// failureLimiter counts failed sign-in attempts per key (a login name or a
// client address) in a sliding window. A key with max failures in the last
// window is blocked until the oldest of them leaves the window. It is
// in-process state: each replica limits on its own, which bounds an
// attacker to max × replicas attempts per window.
type failureLimiter struct {
	max    int
	window time.Duration

	mu    sync.Mutex
	fails map[string][]time.Time // oldest first, at most max entries
}

// maxLimiterKeys bounds the limiter's memory; beyond it, stale keys are swept.
const maxLimiterKeys = 100_000

func newFailureLimiter(max int, window time.Duration) *failureLimiter {
	return &failureLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked returns how long key stays blocked at now; 0 means not blocked.
func (l *failureLimiter) blocked(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.live(key, now)
	if len(ts) < l.max {
		return 0
	}
	return ts[len(ts)-l.max].Add(l.window).Sub(now)
}

// fail records a failure of key at now.
func (l *failureLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= maxLimiterKeys {
		for k := range l.fails {
			l.live(k, now)
		}
	}
	ts := append(l.live(key, now), now)
	if len(ts) > l.max {
		ts = ts[len(ts)-l.max:]
	}
	l.fails[key] = ts
}

// reset forgets key's failures.
func (l *failureLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// live drops key's failures older than the window and returns the rest.
// l.mu must be held.
func (l *failureLimiter) live(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && !ts[i].Add(l.window).After(now) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}
