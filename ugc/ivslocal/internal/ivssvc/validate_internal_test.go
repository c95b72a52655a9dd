package ivssvc

import (
	"testing"
)

// FuzzPageToken checks that page tokens round-trip to their offset and that
// arbitrary tokens are either accepted as an offset or rejected, never
// panicking.
func FuzzPageToken(f *testing.F) {
	f.Add("", 0, 1)
	f.Add("bzoy", 5, 2)
	f.Add("not a token", 3, 100)
	f.Add("bzotMQ", 1, 1)
	f.Fuzz(func(t *testing.T, token string, n, limit int) {
		if n < 0 || n > 1_000 || limit < 1 || limit > 100 {
			t.Skip()
		}
		items := make([]int, n)
		for i := range items {
			items[i] = i
		}
		// Walk every page: each item appears once, in order.
		var seen []int
		next := ""
		for pages := 0; ; pages++ {
			lim, off, err := pageArgs(&limit, next, 100, 100)
			if err != nil {
				t.Fatalf("token %q from page() rejected: %v", next, err)
			}
			pg, tok := page(items, lim, off)
			seen = append(seen, pg...)
			if tok == "" {
				break
			}
			if pages > n {
				t.Fatalf("paging does not end")
			}
			next = tok
		}
		if len(seen) != n {
			t.Fatalf("paged %d items, want %d", len(seen), n)
		}
		for i, v := range seen {
			if v != i {
				t.Fatalf("item %d = %d", i, v)
			}
		}
		// Arbitrary tokens never panic and never yield a negative offset.
		if _, off, err := pageArgs(nil, token, 100, 100); err == nil && off < 0 {
			t.Fatalf("token %q gave offset %d", token, off)
		}
	})
}
