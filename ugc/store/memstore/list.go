package memstore

import "github.com/ivs-ugc/ugc-go/ugc/store"

// pick is what a list does with the item at one ref of its index.
type pick int

const (
	take pick = iota // list the item
	skip             // leave the item out and go on
	stop             // end the list before the item
)

// listPage is the shape of every list read from a time-ordered index: it
// checks p and decodes its cursor (bound to query q), takes the read lock,
// walks the index that index returns (nil: the list is empty) from the
// cursor on, and returns up to the page's limit items and the cursor of the
// next page ("" on the last page). For each ref, visit returns its item and
// whether to take it. The cursor is the ref of the last item taken, so an
// index's refs must be the (time, ID) its list's order is defined by.
func listPage[T any](s *Store, q string, p store.Page, index func() *ordered[timeRef], visit func(timeRef) (T, pick)) (_ []T, next string, err error) {
	limit, c, has, err := s.pageArgs(q, p)
	if err != nil {
		return nil, "", err
	}
	if err := s.rlock(); err != nil {
		return nil, "", err
	}
	defer s.mu.RUnlock()
	idx := index()
	if idx == nil {
		return nil, "", nil
	}
	var out []T
	var last timeRef
	more := false
	idx.Ascend(timeRef{c.T, c.S}, has, func(r timeRef) bool {
		v, what := visit(r)
		switch {
		case what == skip:
			return true
		case what == stop:
			return false
		case len(out) == limit:
			more = true
			return false
		}
		out, last = append(out, v), r
		return true
	})
	if more {
		next = s.encode(q, cursor{T: last.at, S: last.id})
	}
	return out, next, nil
}
