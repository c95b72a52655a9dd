package stagesvc

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConcurrentPublishers checks that the 12-publisher limit holds when
// participants publish at the same time, and that a token joins only once
// when raced.
func TestConcurrentPublishers(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 20)
	id := stageID(arn)

	// Every token is tried by two goroutines at once: one join wins.
	var mu sync.Mutex
	var pids []string
	used := 0
	var wg sync.WaitGroup
	for _, tok := range toks {
		for range 2 {
			wg.Go(func() {
				pid, err := f.svc.Join(id, *tok.Token)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					pids = append(pids, pid)
				case errors.Is(err, ErrTokenUsed):
					used++
				default:
					t.Errorf("Join: %v", err)
				}
			})
		}
	}
	wg.Wait()
	if diff := cmp.Diff([2]int{20, 20}, [2]int{len(pids), used}); diff != "" {
		t.Fatalf("joins and refused joins mismatch (-want +got):\n%s", diff)
	}

	published, refused := 0, 0
	for _, pid := range pids {
		wg.Go(func() {
			err := f.svc.Publish(id, pid)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				published++
			case errors.Is(err, ErrPublisherLimit):
				refused++
			default:
				t.Errorf("Publish: %v", err)
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff([2]int{12, 8}, [2]int{published, refused}); diff != "" {
		t.Errorf("published and refused mismatch (-want +got):\n%s", diff)
	}
}
