package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
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

func TestHashingIsBounded(t *testing.T) {
	s, err := New(Options{Store: nilStore{}, Provisioner: nilProvisioner{}, Mailer: &Outbox{}, Hash: testHash})
	if err != nil {
		t.Fatal(err)
	}
	for range cap(s.hashing) {
		s.hashing <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.hash(ctx, "Secret-Pass-1"); !errors.Is(err, ugc.ErrUnavailable) {
		t.Errorf("hash with every slot taken and a canceled context: err = %v, want ErrUnavailable", err)
	}
	<-s.hashing
	if _, err := s.hash(context.Background(), "Secret-Pass-1"); err != nil {
		t.Errorf("hash with a free slot: %v", err)
	}
}

// nilStore and nilProvisioner satisfy the options of a Service whose
// storage is not used.
type nilStore struct{ Store }
type nilProvisioner struct{ Provisioner }
