package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// fuzzStore returns a store with a fixed key holding n live channels, some
// with equal starts, and the user IDs in ListLive order.
func fuzzStore(t *testing.T, n int) (*memstore.Store, []string) {
	st := memstore.New(memstore.WithCursorKey([]byte("fuzz-key-0123456789")))
	ctx := context.Background()
	want := make([]string, n)
	for i := range n {
		// Starts descend by one second every two users; within a pair the
		// smaller ID comes first.
		id := fmt.Sprintf("u%03d", i)
		want[i] = id
		e := ugc.LiveEntry{UserID: id, Kind: ugc.LiveLowLatency, Since: time.Unix(int64(1000-i/2), 0), Ref: "st-" + id}
		if err := st.SetLive(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	return st, want
}

// FuzzListLiveCursor checks the cursor round trip: walking every page with
// any limit yields the whole list once, in order; any edit of a cursor, and
// any string that is not a cursor the store issued, is ErrInvalidArgument.
func FuzzListLiveCursor(f *testing.F) {
	f.Add(uint8(1), uint16(0), byte('A'), "")
	f.Add(uint8(7), uint16(5), byte('.'), "eyJ0IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add(uint8(50), uint16(1000), byte(0xff), "not a cursor")
	f.Fuzz(func(t *testing.T, limit uint8, pos uint16, b byte, arbitrary string) {
		ctx := context.Background()
		st, want := fuzzStore(t, 23)
		l := int(limit)%store.MaxPageLimit + 1

		issued := map[string]bool{}
		var got []string
		p := store.Page{Limit: l}
		for pages := 0; ; pages++ {
			if pages > len(want)+1 {
				t.Fatalf("limit %d: too many pages", l)
			}
			es, next, err := st.ListLive(ctx, p)
			if err != nil {
				t.Fatalf("limit %d: %v", l, err)
			}
			for _, e := range es {
				got = append(got, e.UserID)
			}
			if next == "" {
				break
			}
			issued[next] = true
			// Any one-byte edit of the cursor is refused.
			c := []byte(next)
			i := int(pos) % len(c)
			if c[i] != b {
				c[i] = b
				if _, _, err := st.ListLive(ctx, store.Page{Limit: l, Cursor: string(c)}); !errors.Is(err, ugc.ErrInvalidArgument) {
					t.Errorf("cursor %q edited at %d to %q: error = %v, want ErrInvalidArgument", next, i, c, err)
				}
			}
			p.Cursor = next
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("limit %d: pages mismatch (-want +got):\n%s", l, d)
		}
		if arbitrary != "" && !issued[arbitrary] {
			if _, _, err := st.ListLive(ctx, store.Page{Limit: l, Cursor: arbitrary}); !errors.Is(err, ugc.ErrInvalidArgument) {
				t.Errorf("cursor %q: error = %v, want ErrInvalidArgument", arbitrary, err)
			}
		}
	})
}
