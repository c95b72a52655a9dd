package stagesvc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func FuzzToken(f *testing.F) {
	f.Add("abcdABCD1234", "pid", "user", "k", "v", true, false, int64(1700000000), "")
	f.Add("", "", "", "", "", false, false, int64(0), "x.y.z")
	f.Fuzz(func(t *testing.T, stage, pid, user, k, v string, pub, sub bool, exp int64, raw string) {
		key := []byte("0123456789abcdef0123456789abcdef")
		c := tokenClaims{StageID: stage, ParticipantID: pid, UserID: user, Capabilities: tokenCaps{pub, sub}, Expires: exp}
		if k != "" {
			c.Attributes = map[string]string{k: v}
		}
		tok, err := signToken(key, c)
		if err != nil {
			t.Skip() // invalid UTF-8 cannot round-trip through JSON
		}
		got, err := parseToken(key, tok)
		if err != nil {
			t.Fatalf("parseToken(signToken(c)): %v", err)
		}
		if diff := cmp.Diff(c, got); diff != "" && validUTF8(stage, pid, user, k, v) {
			t.Errorf("claims mismatch (-want +got):\n%s", diff)
		}
		if _, err := parseToken([]byte("another key, another signature.."), tok); err == nil {
			t.Errorf("token verified under another key")
		}
		parseToken(key, raw) // must not panic
	})
}

func validUTF8(ss ...string) bool {
	for _, s := range ss {
		for _, r := range s {
			if r == '\uFFFD' {
				return false
			}
		}
	}
	return true
}

func FuzzPageToken(f *testing.F) {
	f.Add("stages", 3, "")
	f.Add("participants/st-abc", 0, "c3RhZ2VzOjE")
	f.Fuzz(func(t *testing.T, scope string, off int, raw string) {
		if off < 0 {
			off = -off
		}
		if off < 0 {
			return
		}
		got, err := parsePageToken(scope, pageToken(scope, off))
		if err != nil || got != off {
			t.Errorf("parsePageToken(pageToken(%q, %d)) = %d, %v", scope, off, got, err)
		}
		if n, err := parsePageToken(scope, raw); err == nil && n < 0 {
			t.Errorf("parsePageToken(%q) = %d, want a non-negative offset", raw, n)
		}
	})
}
