package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// TestRestart writes records, closes the Store, opens the same file again
// and reads them back, including a page cursor taken before the restart.
func TestRestart(t *testing.T) {
	ctx := context.Background()
	s, path := openFile(t)
	u := &ugc.User{ID: "u1", Username: "Alice", Email: "alice@Example.com", Color: "blue", CreatedAt: t0,
		Channel: ugc.Channel{Arn: "arn:aws:ivs:us-east-1:1:channel/a", StreamKey: "sk_secret"}}
	must(t, s.CreateUser(ctx, u))
	p := &ugc.Poll{ID: "p1", ChannelUserID: "u1", Question: "?", Options: []string{"a", "b"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}
	must(t, s.CreatePoll(ctx, p, t0))
	must(t, s.RecordVote(ctx, ugc.Vote{PollID: "p1", UserID: "v1", Option: 1, At: t0}, t0))
	for i := range 3 {
		_, err := s.Follow(ctx, ugc.Follow{FollowerID: fmt.Sprintf("f%d", i), ChannelUserID: "u1", FollowedAt: t0})
		must(t, err)
		must(t, s.SetLive(ctx, ugc.LiveEntry{UserID: fmt.Sprintf("l%d", i), Kind: ugc.LiveLowLatency, Since: t0.Add(time.Duration(i) * time.Minute)}))
	}
	page1, cursor, err := s.ListLive(ctx, store.Page{Limit: 2})
	must(t, err)
	if cursor == "" {
		t.Fatal("ListLive returned no cursor for the first of two pages")
	}
	must(t, s.Close())

	s2, err := sqlstore.Open(ctx, path)
	must(t, err)
	defer s2.Close()

	gotUser, err := s2.GetUserByUsername(ctx, "alice")
	if err != nil {
		t.Fatalf("GetUserByUsername after restart: %v", err)
	}
	if diff := cmp.Diff(u, gotUser); diff != "" {
		t.Errorf("user mismatch (-want +got):\n%s", diff)
	}
	gotPoll, err := s2.GetPoll(ctx, "p1")
	if err != nil {
		t.Fatalf("GetPoll after restart: %v", err)
	}
	if diff := cmp.Diff([]int64{0, 1}, gotPoll.Counts); diff != "" {
		t.Errorf("poll counts mismatch (-want +got):\n%s", diff)
	}
	n, err := s2.FollowerCount(ctx, "u1")
	if err != nil || n != 3 {
		t.Errorf("FollowerCount after restart = %d, %v; want 3, nil", n, err)
	}
	page2, next, err := s2.ListLive(ctx, store.Page{Limit: 2, Cursor: cursor})
	if err != nil {
		t.Fatalf("ListLive with a cursor from before the restart: %v", err)
	}
	var ids []string
	for _, e := range append(page1, page2...) {
		ids = append(ids, e.UserID)
	}
	if diff := cmp.Diff([]string{"l2", "l1", "l0"}, ids); diff != "" || next != "" {
		t.Errorf("live pages mismatch (-want +got):\n%s (next %q)", diff, next)
	}
}

// TestMigrations checks that Open records the migrations once, reopens
// without reapplying them and refuses a database from a newer driver.
func TestMigrations(t *testing.T) {
	ctx := context.Background()
	s, path := openFile(t)
	must(t, s.Close())
	s2, err := sqlstore.Open(ctx, path)
	must(t, err)
	must(t, s2.Close())

	db, err := sql.Open("sqlite", path)
	must(t, err)
	defer db.Close()
	var versions []int
	rows, err := db.Query(`SELECT version FROM schema_migrations ORDER BY version`)
	must(t, err)
	for rows.Next() {
		var v int
		must(t, rows.Scan(&v))
		versions = append(versions, v)
	}
	must(t, rows.Err())
	if diff := cmp.Diff([]int{1, 2}, versions); diff != "" {
		t.Errorf("schema_migrations mismatch (-want +got):\n%s", diff)
	}
	var mode string
	must(t, db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}

	_, err = db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)`)
	must(t, err)
	if s3, err := sqlstore.Open(ctx, path); err == nil {
		s3.Close()
		t.Error("Open of a database with a newer schema succeeded, want an error")
	}
}

// TestMigrationUpgrade takes a database back to schema version 1 and
// checks that Open upgrades it, carrying the live index into live_latest.
func TestMigrationUpgrade(t *testing.T) {
	ctx := context.Background()
	s, path := openFile(t)
	entries := []ugc.LiveEntry{
		{UserID: "a", Kind: ugc.LiveLowLatency, Since: t0, Ref: "st-a"},
		{UserID: "a", Kind: ugc.LiveRealTime, Since: t0.Add(time.Second), Ref: "stage-a"},
		{UserID: "b", Kind: ugc.LiveLowLatency, Since: t0.Add(time.Minute), Ref: "st-b"},
	}
	for _, e := range entries {
		must(t, s.SetLive(ctx, e))
	}
	must(t, s.Close())

	db, err := sql.Open("sqlite", path)
	must(t, err)
	defer db.Close()
	_, err = db.Exec(`DROP TABLE live_latest; CREATE INDEX live_since ON live (since DESC, user_id);
		DELETE FROM schema_migrations WHERE version = 2`)
	must(t, err)

	s2, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a version 1 database: %v", err)
	}
	defer s2.Close()
	got, _, err := s2.ListLive(ctx, store.Page{})
	must(t, err)
	if diff := cmp.Diff([]ugc.LiveEntry{entries[2], entries[1]}, got); diff != "" {
		t.Errorf("ListLive after the upgrade mismatch (-want +got):\n%s", diff)
	}
}

// TestTwoStoresOneFile checks that the database, not the Go process,
// enforces uniqueness: two Stores on one file (as two processes would be)
// race to take one username, and exactly one wins.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := context.Background()
	a, path := openFile(t)
	b, err := sqlstore.Open(ctx, path)
	must(t, err)
	defer b.Close()
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			errs[i] = s.CreateUser(ctx, &ugc.User{ID: fmt.Sprintf("id%d", i), Username: fmt.Sprintf("Same%c", 'A'+i%2*('a'-'A')), Email: fmt.Sprintf("e%d@x.io", i)})
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, ugc.ErrAlreadyExists) && ugc.FieldOf(err) == "username":
		default:
			t.Errorf("CreateUser %d: %v, want nil or ErrAlreadyExists naming username", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d CreateUser calls won, want 1", won)
	}
}

// TestConcurrentVotesAndSeats hammers the conditional writes from many
// goroutines and checks the exact results.
func TestConcurrentVotesAndSeats(t *testing.T) {
	for name, s := range drivers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			p := &ugc.Poll{ID: "p", ChannelUserID: "c", Question: "?", Options: []string{"a", "b", "c"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}
			must(t, s.CreatePoll(ctx, p, t0))
			const voters, tries = 50, 3
			var wg sync.WaitGroup
			var mu sync.Mutex
			codes := map[string]int{}
			for i := range voters * tries {
				wg.Go(func() {
					err := s.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: fmt.Sprintf("v%d", i%voters), Option: i % voters % 3, At: t0}, t0)
					mu.Lock()
					codes[code(err)]++
					mu.Unlock()
				})
			}
			for i := range 30 {
				wg.Go(func() {
					err := s.ReserveSeat(ctx, ugc.Seat{SessionID: "st", UserID: fmt.Sprintf("s%d", i), ReservedAt: t0, ExpiresAt: t0.Add(time.Minute)}, 12, t0)
					mu.Lock()
					codes["seat:"+code(err)]++
					mu.Unlock()
				})
			}
			wg.Wait()
			want := map[string]int{"ok": voters, "already_voted": voters * (tries - 1), "seat:ok": 12, "seat:stage_full": 18}
			if diff := cmp.Diff(want, codes); diff != "" {
				t.Errorf("outcomes mismatch (-want +got):\n%s", diff)
			}
			got, err := s.GetPoll(ctx, "p")
			must(t, err)
			if diff := cmp.Diff([]int64{17, 17, 16}, got.Counts); diff != "" {
				t.Errorf("counts mismatch (-want +got):\n%s", diff)
			}
			seats, err := s.ListSeats(ctx, "st", t0)
			must(t, err)
			if len(seats) != 12 {
				t.Errorf("ListSeats returned %d seats, want 12", len(seats))
			}
		})
	}
}

// code names an error's outcome for tallies.
func code(err error) string {
	if err == nil {
		return "ok"
	}
	return ugc.CodeOf(err)
}

// TestErrorMapping checks that database constraint failures become the
// sentinels, fields and codes store.go documents, and change nothing.
func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	s, _ := openFile(t)
	must(t, s.CreateUser(ctx, &ugc.User{ID: "u1", Username: "Alice", Email: "a@Example.com"}))
	must(t, s.CreateUser(ctx, &ugc.User{ID: "u2", Username: "Bob", Email: "b@example.com"}))
	must(t, s.CreateStageSession(ctx, &ugc.StageSession{ID: "st1", ChannelUserID: "u1", StartedAt: t0}))
	must(t, s.CreateJoinRequest(ctx, &ugc.JoinRequest{ID: "r1", ChannelUserID: "u1", UserID: "u2", Status: ugc.RequestPending}))
	must(t, s.CreateAuthSession(ctx, ugc.AuthSession{TokenHash: "h1", UserID: "u1", ExpiresAt: t0.Add(time.Hour)}))

	type outcome struct{ Kind, Field, Code string }
	kind := func(err error) string {
		if k := ugc.KindOf(err); k != nil {
			return k.Error()
		}
		return fmt.Sprint(err)
	}
	tests := []struct {
		name string
		do   func() error
		want outcome
	}{
		{"taken id", func() error {
			return s.CreateUser(ctx, &ugc.User{ID: "u1", Username: "carol", Email: "c@example.com"})
		}, outcome{"already exists", "id", "already_exists"}},
		{"taken username in other case", func() error {
			return s.CreateUser(ctx, &ugc.User{ID: "u3", Username: "ALICE", Email: "c@example.com"})
		}, outcome{"already exists", "username", "already_exists"}},
		{"taken email with other domain case", func() error {
			return s.CreateUser(ctx, &ugc.User{ID: "u3", Username: "carol", Email: "a@EXAMPLE.COM"})
		}, outcome{"already exists", "email", "already_exists"}},
		{"rename to a taken username", func() error {
			return s.UpdateUser(ctx, &ugc.User{ID: "u2", Username: "alice", Email: "b@example.com", Version: 1})
		}, outcome{"already exists", "username", "already_exists"}},
		{"second active stage session", func() error {
			return s.CreateStageSession(ctx, &ugc.StageSession{ID: "st2", ChannelUserID: "u1", StartedAt: t0})
		}, outcome{"already exists", "", "session_active"}},
		{"second pending request", func() error {
			return s.CreateJoinRequest(ctx, &ugc.JoinRequest{ID: "r2", ChannelUserID: "u1", UserID: "u2", Status: ugc.RequestPending})
		}, outcome{"already exists", "", "request_pending"}},
		{"taken session hash", func() error {
			return s.CreateAuthSession(ctx, ugc.AuthSession{TokenHash: "h1", UserID: "u2"})
		}, outcome{"already exists", "token_hash", "already_exists"}},
		{"oversize id", func() error {
			return s.CreateUser(ctx, &ugc.User{ID: string(make([]byte, store.MaxIDLen+1)), Username: "dave", Email: "d@example.com"})
		}, outcome{"invalid argument", "id", "invalid_argument"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			got := outcome{kind(err), ugc.FieldOf(err), ugc.CodeOf(err)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error %v mismatch (-want +got):\n%s", err, diff)
			}
		})
	}
	// Nothing was half-written: the users are as created.
	users, err := s.GetUsers(ctx, []string{"u1", "u2", "u3"})
	must(t, err)
	if len(users) != 2 || users["u2"].Username != "Bob" || users["u2"].Version != 1 {
		t.Errorf("users after failed writes = %+v, want u1 and u2 unchanged", users)
	}
}

// TestClose checks that Close can be called twice and that a closed Store
// fails instead of hanging.
func TestClose(t *testing.T) {
	s, _ := openFile(t)
	must(t, s.Close())
	must(t, s.Close())
	ctx := context.Background()
	if _, err := s.GetUser(ctx, "u1"); !errors.Is(err, ugc.ErrUnavailable) {
		t.Errorf("GetUser on a closed Store: %v, want ErrUnavailable", err)
	}
	if _, err := s.Follow(ctx, ugc.Follow{FollowerID: "a", ChannelUserID: "b"}); !errors.Is(err, ugc.ErrUnavailable) {
		t.Errorf("Follow on a closed Store: %v, want ErrUnavailable", err)
	}
}

// TestCanceledWrite checks that a write whose context is already done is
// refused and leaves nothing behind.
func TestCanceledWrite(t *testing.T) {
	for name, s := range drivers(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := s.Follow(ctx, ugc.Follow{FollowerID: "a", ChannelUserID: "b", FollowedAt: t0})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Follow with a canceled context: %v, want context.Canceled", err)
			}
			n, err := s.FollowerCount(context.Background(), "b")
			if err != nil || n != 0 {
				t.Errorf("FollowerCount = %d, %v; want 0, nil", n, err)
			}
		})
	}
}

// TestOpenPaths checks that file names with URI metacharacters name the
// file as given.
func TestOpenPaths(t *testing.T) {
	for _, name := range []string{"plain.db", "with space.db", "hash#.db", "question?.db", "percent%20.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := sqlstore.Open(context.Background(), filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			must(t, s.Close())
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("the database file: %v", err)
			}
		})
	}
}
