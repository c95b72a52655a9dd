package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// FuzzCursor feeds arbitrary cursors to the list methods: each must be
// refused with ErrInvalidArgument unless it is one the Store issued for
// that query, and a refused cursor must not be mistaken for another error.
func FuzzCursor(f *testing.F) {
	ctx := context.Background()
	s, err := sqlstore.OpenMemory(ctx)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	for i := range 5 {
		id := fmt.Sprintf("u%d", i)
		must(f, s.SetLive(ctx, ugc.LiveEntry{UserID: id, Kind: ugc.LiveLowLatency, Since: t0.Add(time.Duration(i) * time.Second)}))
		_, err := s.Follow(ctx, ugc.Follow{FollowerID: "fan", ChannelUserID: id, FollowedAt: t0})
		must(f, err)
	}
	_, valid, err := s.ListLive(ctx, store.Page{Limit: 2})
	must(f, err)
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add(valid + "A")
	f.Add("")
	f.Add("e30.AAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, cursor string) {
		for name, list := range map[string]func() error{
			"ListLive": func() error { _, _, err := s.ListLive(ctx, store.Page{Limit: 2, Cursor: cursor}); return err },
			"ListFollowing": func() error {
				_, _, err := s.ListFollowing(ctx, "fan", store.Page{Limit: 2, Cursor: cursor})
				return err
			},
			"ListJoinRequests": func() error {
				_, _, err := s.ListJoinRequests(ctx, "fan", store.Page{Limit: 2, Cursor: cursor})
				return err
			},
		} {
			err := list()
			issued := cursor == "" || cursor == valid && name == "ListLive"
			switch {
			case issued && err != nil:
				t.Errorf("%s with an issued cursor %q: %v", name, cursor, err)
			case !issued && !errors.Is(err, ugc.ErrInvalidArgument):
				t.Errorf("%s with cursor %q: %v, want ErrInvalidArgument", name, cursor, err)
			}
		}
	})
}
