package accounts

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
)

var testHash = HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPassword(t *testing.T) {
	h, err := hashPassword("Secret-Pass-1", testHash, bytes.NewReader(bytes.Repeat([]byte{7}, 16)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$BwcHBwcHBwcHBwcHBwcHBw$") {
		t.Errorf("hash = %q, want the PHC encoding with params and salt", h)
	}
	tests := []struct {
		name    string
		pwd     ugc.Password
		encoded string
		want    bool
		wantErr bool
	}{
		{"match", "Secret-Pass-1", h, true, false},
		{"mismatch", "Secret-Pass-2", h, false, false},
		{"empty", "", h, false, false},
		{"not argon2id", "x", strings.Replace(h, "argon2id", "argon2i", 1), false, true},
		{"bad version", "x", strings.Replace(h, "v=19", "v=18", 1), false, true},
		{"bad params", "x", strings.Replace(h, "m=64", "m=zz", 1), false, true},
		{"zero memory", "x", strings.Replace(h, "m=64", "m=0", 1), false, true},
		{"missing parts", "x", "$argon2id$v=19$m=64,t=1,p=1$", false, true},
		{"bad salt", "x", strings.Replace(h, "BwcH", "!!!!", 1), false, true},
		{"garbage", "x", "plaintext", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkPassword(tt.pwd, tt.encoded)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("checkPassword = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestHashesDiffer(t *testing.T) {
	a, err := hashPassword("Secret-Pass-1", testHash, randReader())
	if err != nil {
		t.Fatal(err)
	}
	b, err := hashPassword("Secret-Pass-1", testHash, randReader())
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two hashes of one password are equal: %q", a)
	}
}

func FuzzCheckPassword(f *testing.F) {
	h, _ := hashPassword("Secret-Pass-1", testHash, bytes.NewReader(make([]byte, 16)))
	f.Add(h)
	f.Add("$argon2id$v=19$m=1,t=1,p=1$AA$AA")
	f.Fuzz(func(t *testing.T, encoded string) {
		// Huge costs would make the fuzzer hang, not find bugs.
		if strings.Contains(encoded, "m=") && !strings.Contains(encoded, "m=64,") && !strings.Contains(encoded, "m=1,") {
			t.Skip()
		}
		ok, err := checkPassword("Secret-Pass-1", encoded)
		if err != nil && ok {
			t.Errorf("checkPassword(%q) = true with error %v", encoded, err)
		}
	})
}
