package memstore

import "sort"

// blockSize is the most items one block of an ordered set holds. Blocks
// keep inserts and deletes to a short copy while a lookup is two binary
// searches.
const blockSize = 256

// ordered is a set of T kept sorted by cmp: a list of sorted blocks, each
// at most blockSize long. Every item is unique under cmp. The zero value is
// not usable; build one with newOrdered.
type ordered[T any] struct {
	cmp    func(a, b T) int
	blocks [][]T
	n      int
}

func newOrdered[T any](cmp func(a, b T) int) *ordered[T] { return &ordered[T]{cmp: cmp} }

// Len returns the number of items.
func (o *ordered[T]) Len() int { return o.n }

// block returns the index of the first block whose last item is >= v
// (len(o.blocks) when none).
func (o *ordered[T]) block(v T) int {
	return sort.Search(len(o.blocks), func(i int) bool {
		b := o.blocks[i]
		return o.cmp(b[len(b)-1], v) >= 0
	})
}

// Insert adds v, replacing an equal item; it reports whether v is new.
func (o *ordered[T]) Insert(v T) bool {
	if len(o.blocks) == 0 {
		o.blocks = append(o.blocks, append(make([]T, 0, 8), v))
		o.n++
		return true
	}
	bi := o.block(v)
	if bi == len(o.blocks) {
		bi-- // v is greater than everything: it goes at the end of the last block
	}
	b := o.blocks[bi]
	i := sort.Search(len(b), func(i int) bool { return o.cmp(b[i], v) >= 0 })
	if i < len(b) && o.cmp(b[i], v) == 0 {
		b[i] = v
		return false
	}
	var zero T
	b = append(b, zero)
	copy(b[i+1:], b[i:])
	b[i] = v
	o.n++
	if len(b) <= blockSize {
		o.blocks[bi] = b
		return true
	}
	// Split the full block in two halves.
	half := len(b) / 2
	right := make([]T, len(b)-half, blockSize)
	copy(right, b[half:])
	clear(b[half:])
	o.blocks[bi] = b[:half]
	o.blocks = append(o.blocks, nil)
	copy(o.blocks[bi+2:], o.blocks[bi+1:])
	o.blocks[bi+1] = right
	return true
}

// Delete removes the item equal to v; it reports whether there was one.
func (o *ordered[T]) Delete(v T) bool {
	bi := o.block(v)
	if bi == len(o.blocks) {
		return false
	}
	b := o.blocks[bi]
	i := sort.Search(len(b), func(i int) bool { return o.cmp(b[i], v) >= 0 })
	if i == len(b) || o.cmp(b[i], v) != 0 {
		return false
	}
	copy(b[i:], b[i+1:])
	var zero T
	b[len(b)-1] = zero
	b = b[:len(b)-1]
	o.n--
	if len(b) == 0 {
		copy(o.blocks[bi:], o.blocks[bi+1:])
		o.blocks[len(o.blocks)-1] = nil
		o.blocks = o.blocks[:len(o.blocks)-1]
		return true
	}
	o.blocks[bi] = b
	return true
}

// Ascend calls yield with the items in order, starting at the first item
// greater than after (at the first item when hasAfter is false), until
// yield returns false.
func (o *ordered[T]) Ascend(after T, hasAfter bool, yield func(T) bool) {
	bi, i := 0, 0
	if hasAfter {
		bi = sort.Search(len(o.blocks), func(i int) bool {
			b := o.blocks[i]
			return o.cmp(b[len(b)-1], after) > 0
		})
		if bi == len(o.blocks) {
			return
		}
		b := o.blocks[bi]
		i = sort.Search(len(b), func(i int) bool { return o.cmp(b[i], after) > 0 })
	}
	for ; bi < len(o.blocks); bi, i = bi+1, 0 {
		for _, v := range o.blocks[bi][i:] {
			if !yield(v) {
				return
			}
		}
	}
}
