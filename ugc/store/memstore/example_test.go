package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()

	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, u := range []*ugc.User{
		{ID: "u1", Username: "Alice", Email: "alice@example.com"},
		{ID: "u2", Username: "bob_b", Email: "bob@example.com"},
	} {
		if err := st.CreateUser(ctx, u); err != nil {
			panic(err)
		}
	}
	err := st.CreateUser(ctx, &ugc.User{ID: "u3", Username: "ALICE", Email: "x@example.com"})
	fmt.Println(errors.Is(err, ugc.ErrAlreadyExists), ugc.FieldOf(err))

	if _, err := st.Follow(ctx, ugc.Follow{FollowerID: "u2", ChannelUserID: "u1", FollowedAt: now}); err != nil {
		panic(err)
	}
	if err := st.SetLive(ctx, ugc.LiveEntry{UserID: "u1", Kind: ugc.LiveLowLatency, Since: now, Ref: "st-1"}); err != nil {
		panic(err)
	}
	following, _, err := st.ListFollowing(ctx, "u2", store.Page{})
	if err != nil {
		panic(err)
	}
	for _, f := range following {
		fmt.Println(f.ChannelUserID, "live:", f.Live != nil)
	}
	n, _ := st.FollowerCount(ctx, "u1")
	fmt.Println("followers of u1:", n)
	// Output:
	// true username
	// u1 live: true
	// followers of u1: 1
}

func ExampleWithCursorKey() {
	ctx := context.Background()
	key := []byte("a secret of at least 16 bytes")
	a, b := memstore.New(memstore.WithCursorKey(key)), memstore.New(memstore.WithCursorKey(key))
	for _, st := range []*memstore.Store{a, b} {
		for _, u := range []string{"u1", "u2", "u3"} {
			e := ugc.LiveEntry{UserID: u, Kind: ugc.LiveRealTime, Since: time.Unix(1, 0), Ref: "ss-" + u}
			if err := st.SetLive(ctx, e); err != nil {
				panic(err)
			}
		}
	}
	_, next, _ := a.ListLive(ctx, store.Page{Limit: 2})
	page, _, err := b.ListLive(ctx, store.Page{Limit: 2, Cursor: next})
	fmt.Println(len(page), page[0].UserID, err)
	// Output: 1 u3 <nil>
}
