package sqlstore_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// crashEnv names the database file a crash child writes to.
const crashEnv = "SQLSTORE_CRASH_CHILD_DB"

// TestCrashDurability runs this test binary as a child process that
// records votes from several goroutines, prints each acknowledged vote, and
// kills itself (SIGKILL, no Close) mid-stream. Every vote the child
// acknowledged must be in the database afterwards, with an exact tally.
func TestCrashDurability(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, path)
	must(t, err)
	p := &ugc.Poll{ID: "p", ChannelUserID: "c", Question: "?", Options: []string{"a", "b"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}
	must(t, s.CreatePoll(ctx, p, t0))
	must(t, s.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDurability$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err == nil {
		t.Fatalf("the child exited cleanly, want it killed; output:\n%s", out.String())
	}
	acked := map[string]bool{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if id, ok := bytes.CutPrefix(sc.Bytes(), []byte("acked ")); ok {
			acked[string(id)] = true
		}
	}
	if len(acked) == 0 {
		t.Fatalf("the child acknowledged no vote; output:\n%s", out.String())
	}

	s, err = sqlstore.Open(ctx, path)
	must(t, err)
	defer s.Close()
	for id := range acked {
		if _, err := s.GetVote(ctx, "p", id); err != nil {
			t.Errorf("acknowledged vote of %s: %v", id, err)
		}
	}
	got, err := s.GetPoll(ctx, "p")
	must(t, err)
	// Votes committed after the last line was printed may be there too,
	// but the tally always matches the votes stored.
	db, err := sql.Open("sqlite", path)
	must(t, err)
	defer db.Close()
	var stored int64
	must(t, db.QueryRow(`SELECT count(*) FROM votes WHERE poll_id = 'p'`).Scan(&stored))
	if int64(len(acked)) > got.Total() || got.Total() != stored {
		t.Errorf("after the crash: %d acknowledged, %d stored, tally %d; want acknowledged <= stored == tally", len(acked), stored, got.Total())
	}
}

// crashChild records votes v0, v1, ... in order from a few goroutines,
// prints the acknowledged ones and kills its own process after a few
// hundred, without closing the Store.
func crashChild(path string) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	next, acked := 0, 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				id := "v" + strconv.Itoa(i)
				if err := s.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: id, Option: i % 2, At: t0}, t0); err != nil {
					fmt.Println("vote:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Println("acked", id)
				acked++
				if acked == 300 {
					p, _ := os.FindProcess(os.Getpid())
					_ = p.Kill()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
