package sqlstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// Open a database file, write to it, close it, and find the data again
// after opening it anew.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ugc.db")
	ctx := context.Background()

	s, err := sqlstore.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.SetLive(ctx, ugc.LiveEntry{UserID: "u1", Kind: ugc.LiveLowLatency, Since: now, Ref: "st-1"}); err != nil {
		log.Fatal(err)
	}
	if err := s.Close(); err != nil {
		log.Fatal(err)
	}

	s, err = sqlstore.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	live, _, err := s.ListLive(ctx, store.Page{})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range live {
		fmt.Println(e.UserID, e.Kind, e.Since.Format(time.RFC3339))
	}
	// Output: u1 low_latency 2026-01-02T03:04:05Z
}

// A vote and its tally are one atomic write; a second vote by the same
// user is refused.
func ExampleStore_RecordVote() {
	ctx := context.Background()
	s, err := sqlstore.OpenMemory(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := &ugc.Poll{ID: "p1", ChannelUserID: "u1", Question: "Next game?", Options: []string{"chess", "go"},
		StartedAt: now, EndsAt: now.Add(time.Minute)}
	if err := s.CreatePoll(ctx, p, now); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.RecordVote(ctx, ugc.Vote{PollID: "p1", UserID: "v1", Option: 1, At: now}, now))
	err = s.RecordVote(ctx, ugc.Vote{PollID: "p1", UserID: "v1", Option: 0, At: now}, now)
	fmt.Println(ugc.CodeOf(err))
	got, err := s.GetPoll(ctx, "p1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Counts)
	// Output:
	// <nil>
	// already_voted
	// [0 1]
}
