package actions_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/ugc/actions"
)

// pollEnds returns the times (since start) of the poll:end events sent.
func pollEnds(chat *fakeChat, start time.Time) []time.Duration {
	var at []time.Duration
	for _, ev := range chat.list() {
		if ev.Name == actions.EventPollEnd {
			at = append(at, ev.At.Sub(start))
		}
	}
	return at
}

// A poll whose Service closes (its replica dies) before the end still gets
// its poll:end, from another Service's sweep on the same store.
func TestPollEndSentByAnotherReplica(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "orphanpoll")
		ctx := context.Background()
		start := time.Now()
		p, err := f.svc.StartPoll(ctx, u.ID, pollIn) // ends at +10 s
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Vote(ctx, "orphanpoll", p.ID, "v1", 2); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		_ = f.svc.Close() // the replica that started the poll is gone

		other, err := actions.New(actions.Options{Store: f.st, IVS: f.ivs, Chat: f.chat})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		runCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { _ = other.Run(runCtx, 5*time.Second) }) // sweeps at +3, +8, +13 s
		time.Sleep(20 * time.Second)
		stop()
		wg.Wait()

		if got := pollEnds(f.chat, start); len(got) != 1 || got[0] != 13*time.Second {
			t.Fatalf("poll:end sent at %v, want once at 13s (the first sweep after the end)", got)
		}
		for _, ev := range f.chat.list() {
			if ev.Name == actions.EventPollEnd && (ev.Attrs["counts"] != "[0,0,1]" || ev.Attrs["winner"] != "2") {
				t.Errorf("poll:end attributes %v", ev.Attrs)
			}
		}
		// Nothing is left to send.
		if n, err := other.Sweep(ctx); n != 0 || err != nil {
			t.Errorf("Sweep after the end = %d, %v; want 0, nil", n, err)
		}
	})
}

// The starting Service's timer and sweeps of other replicas racing at the
// end send poll:end exactly once.
func TestPollEndSentOnceAmongReplicas(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "racepoll")
		ctx := context.Background()
		start := time.Now()
		if _, err := f.svc.StartPoll(ctx, u.ID, pollIn); err != nil {
			t.Fatal(err)
		}
		var others []*actions.Service
		for range 4 {
			o, err := actions.New(actions.Options{Store: f.st, IVS: f.ivs, Chat: f.chat})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			others = append(others, o)
		}
		time.Sleep(10 * time.Second) // the starting Service's timer fires now too
		var wg sync.WaitGroup
		for _, o := range others {
			wg.Go(func() {
				if _, err := o.Sweep(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		synctest.Wait()
		if got := pollEnds(f.chat, start); len(got) != 1 || got[0] != 10*time.Second {
			t.Errorf("poll:end sent at %v, want once at 10s", got)
		}
	})
}

// A poll:end that IVS Chat refused is sent again once the claim's lease
// (30 s) passes; a room that no longer exists drops it.
func TestPollEndRetriedAfterFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "flakychat")
		ctx := context.Background()
		start := time.Now()
		var mu sync.Mutex
		failing := true
		f.chat.fail = func(name string) error {
			mu.Lock()
			defer mu.Unlock()
			if name == actions.EventPollEnd && failing {
				return &smithy.GenericAPIError{Code: "InternalServerException", Message: "try later"}
			}
			return nil
		}
		if _, err := f.svc.StartPoll(ctx, u.ID, pollIn); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := pollEnds(f.chat, start); len(got) != 0 {
			t.Fatalf("poll:end recorded at %v while chat fails", got)
		}
		mu.Lock()
		failing = false
		mu.Unlock()
		time.Sleep(20 * time.Second) // +30 s: the lease still runs until +40 s
		if n, err := f.svc.Sweep(ctx); n != 0 || err != nil {
			t.Fatalf("Sweep within the lease = %d, %v; want 0, nil", n, err)
		}
		time.Sleep(11 * time.Second)
		if n, err := f.svc.Sweep(ctx); n != 1 || err != nil {
			t.Fatalf("Sweep after the lease = %d, %v; want 1, nil", n, err)
		}
		if got := pollEnds(f.chat, start); len(got) != 1 || got[0] != 41*time.Second {
			t.Errorf("poll:end sent at %v, want once at 41s", got)
		}

		// A room deleted meanwhile: the job is dropped, not retried forever.
		f.chat.fail = func(name string) error {
			if name == actions.EventPollEnd {
				return &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "no room"}
			}
			return nil
		}
		if _, err := f.svc.StartPoll(ctx, u.ID, pollIn); err != nil {
			t.Fatal(err)
		}
		time.Sleep(11 * time.Second)
		if n, err := f.svc.Sweep(ctx); n != 0 || err != nil {
			t.Errorf("Sweep after a missing room = %d, %v; want 0, nil", n, err)
		}
		time.Sleep(time.Minute)
		if n, err := f.svc.Sweep(ctx); n != 0 || err != nil {
			t.Errorf("Sweep a minute later = %d, %v; want 0, nil (the job was dropped)", n, err)
		}
	})
}

func TestRunRefusesNonPositiveInterval(t *testing.T) {
	f := newFakeEnv(t)
	if err := f.svc.Run(context.Background(), 0); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("Run(0) = %v, want an invalid argument", err)
	}
}
