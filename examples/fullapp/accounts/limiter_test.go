package accounts

import (
	"crypto/rand"
	"io"
	"testing"
	"time"
)

func randReader() io.Reader { return rand.Reader }

func TestFailureLimiter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newFailureLimiter(3, time.Minute)
	steps := []struct {
		at      time.Duration // since t0
		fail    bool
		key     string
		blocked time.Duration
	}{
		{0, true, "a", 0},
		{10 * time.Second, true, "a", 0},
		{20 * time.Second, true, "a", 40 * time.Second}, // third failure: blocked until t0+60s
		{20 * time.Second, false, "b", 0},               // other keys unaffected
		{59 * time.Second, false, "a", time.Second},
		{60 * time.Second, false, "a", 0}, // the first failure left the window
		{61 * time.Second, true, "a", 9 * time.Second},
		{200 * time.Second, false, "a", 0},
	}
	for i, s := range steps {
		now := t0.Add(s.at)
		if s.fail {
			l.fail(s.key, now)
		}
		if got := l.blocked(s.key, now); got != s.blocked {
			t.Errorf("step %d: blocked(%q) = %v, want %v", i, s.key, got, s.blocked)
		}
	}
	l.fail("c", t0)
	l.reset("c")
	if got := l.blocked("c", t0); got != 0 {
		t.Errorf("blocked after reset = %v, want 0", got)
	}
}
