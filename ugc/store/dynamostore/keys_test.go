package dynamostore

import (
	"strings"
	"testing"
	"time"
)

// FuzzTimeKeys checks that asc sorts like the numbers and desc in reverse.
func FuzzTimeKeys(f *testing.F) {
	for _, p := range [][2]int64{{0, 1}, {-1, 0}, {-62135596800000, 1772600767000}, {1 << 62, -(1 << 62)}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b int64) {
		sign := func(x int) int { return max(-1, min(1, x)) }
		want := 0
		switch {
		case a < b:
			want = -1
		case a > b:
			want = 1
		}
		if got := sign(strings.Compare(asc(a), asc(b))); got != want {
			t.Errorf("compare(asc(%d), asc(%d)) = %d, want %d", a, b, got, want)
		}
		if got := sign(strings.Compare(desc(a), desc(b))); got != -want {
			t.Errorf("compare(desc(%d), desc(%d)) = %d, want %d", a, b, got, -want)
		}
		if len(asc(a)) != 16 || len(desc(a)) != 16 {
			t.Errorf("asc/desc(%d) not 16 digits: %q %q", a, asc(a), desc(a))
		}
	})
}

// FuzzKey checks that composite keys are unambiguous.
func FuzzKey(f *testing.F) {
	f.Add("a#b", "c", "a", "b#c")
	f.Add("1:", "x", "", "1:#x")
	f.Fuzz(func(t *testing.T, a, b, c, d string) {
		if key("P#", a, b) == key("P#", c, d) && (a != c || b != d) {
			t.Errorf("key(%q, %q) = key(%q, %q) = %q", a, b, c, d, key("P#", a, b))
		}
	})
}

func TestCeilMs(t *testing.T) {
	base := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		in   time.Time
		want int64
	}{
		{base, base.UnixMilli()},
		{base.Add(time.Microsecond), base.UnixMilli() + 1},
		{base.Add(-time.Microsecond), base.UnixMilli()},
		{time.UnixMilli(-5).Add(-time.Microsecond), -5},
	}
	for _, tc := range tests {
		if got := ceilMs(tc.in); got != tc.want {
			t.Errorf("ceilMs(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
