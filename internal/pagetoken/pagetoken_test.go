package pagetoken

import (
	"errors"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
)

type pos struct {
	T  int64  `json:"t"`
	ID string `json:"id"`
}

func TestRoundTripAndTamper(t *testing.T) {
	c := New([]byte("0123456789abcdef"))
	cur := c.Encode("following:u1", pos{T: 42, ID: "x"})
	var got pos
	if err := c.Decode("following:u1", cur, &got); err != nil || got != (pos{42, "x"}) {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	for name, tc := range map[string]struct{ query, cursor string }{
		"other query": {"following:u2", cur},
		"edited":      {"following:u1", "X" + cur[1:]},
		"empty":       {"following:u1", ""},
		"garbage":     {"following:u1", "!!!"},
		"no sig":      {"following:u1", cur[:len(cur)-23]},
	} {
		if err := c.Decode(tc.query, tc.cursor, &got); !errors.Is(err, ugc.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if err := New([]byte("another key.....")).Decode("following:u1", cur, &got); !errors.Is(err, ugc.ErrInvalidArgument) {
		t.Errorf("other key: err = %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	c := New([]byte("0123456789abcdef"))
	f.Add(c.Encode("q", pos{1, "a"}))
	f.Add("x.y")
	f.Fuzz(func(t *testing.T, s string) {
		var p pos
		if err := c.Decode("q", s, &p); err == nil {
			if again := c.Encode("q", p); c.Decode("q", again, &p) != nil {
				t.Fatalf("re-encoded cursor does not decode")
			}
		}
	})
}
