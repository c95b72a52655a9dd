package memstore

import (
	"cmp"
	"slices"
	"testing"
)

// FuzzOrdered applies a sequence of inserts and deletes to an ordered set
// and to a sorted slice, and checks that both hold the same items and that
// Ascend from every position agrees.
func FuzzOrdered(f *testing.F) {
	f.Add([]byte{1, 2, 3, 130, 4, 5})
	f.Add(make([]byte, 2000))
	seq := make([]byte, 3000)
	for i := range seq {
		seq[i] = byte(i * 7)
	}
	f.Add(seq)
	f.Fuzz(func(t *testing.T, ops []byte) {
		o := newOrdered(cmp.Compare[int])
		var ref []int
		for i, op := range ops {
			// Values spread wide enough for blocks to split and empty.
			v := int(op&0x7f)*31 + i%3
			if op&0x80 == 0 {
				j, found := slices.BinarySearch(ref, v)
				if got := o.Insert(v); got != !found {
					t.Fatalf("op %d: Insert(%d) = %t, want %t", i, v, got, !found)
				}
				if !found {
					ref = slices.Insert(ref, j, v)
				}
			} else {
				j, found := slices.BinarySearch(ref, v)
				if got := o.Delete(v); got != found {
					t.Fatalf("op %d: Delete(%d) = %t, want %t", i, v, got, found)
				}
				if found {
					ref = slices.Delete(ref, j, j+1)
				}
			}
		}
		if o.Len() != len(ref) {
			t.Fatalf("Len = %d, want %d", o.Len(), len(ref))
		}
		for _, b := range o.blocks {
			if len(b) == 0 || len(b) > blockSize {
				t.Fatalf("block of %d items", len(b))
			}
		}
		var all []int
		o.Ascend(0, false, func(v int) bool { all = append(all, v); return true })
		if !slices.Equal(all, ref) {
			t.Fatalf("Ascend = %v, want %v", all, ref)
		}
		for _, after := range []int{-1, 0, 1, 100, 1000, 2000, 4000, 5000} {
			var got []int
			o.Ascend(after, true, func(v int) bool { got = append(got, v); return len(got) < 10 })
			i, found := slices.BinarySearch(ref, after)
			if found {
				i++
			}
			want := ref[i:min(i+10, len(ref))]
			if !slices.Equal(got, want) {
				t.Fatalf("Ascend after %d = %v, want %v", after, got, want)
			}
		}
	})
}
