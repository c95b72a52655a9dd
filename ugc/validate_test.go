package ugc

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateUsername(t *testing.T) {
	tests := []struct {
		in   string
		code string // "" means valid
	}{
		{"abcd", ""},
		{"Alice_01.x", ""},
		{strings.Repeat("a", 20), ""},
		{"abc", "invalid_username"},
		{strings.Repeat("a", 21), "invalid_username"},
		{"ali ce", "invalid_username"},
		{"alice-1", "invalid_username"},
		{"élise", "invalid_username"},
		{"Login", "reserved_username"},
		{"HEALTH", "reserved_username"},
		{"channels", "reserved_username"},
		{"auth", "reserved_username"},
		{"me", "invalid_username"}, // too short comes first
		{"admin", "reserved_username"},
	}
	for _, tt := range tests {
		err := ValidateUsername(tt.in)
		if tt.code == "" {
			if err != nil {
				t.Errorf("ValidateUsername(%q) = %v, want nil", tt.in, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidArgument) || CodeOf(err) != tt.code || FieldOf(err) != "username" {
			t.Errorf("ValidateUsername(%q) = %v (code %q), want code %q on field username", tt.in, err, CodeOf(err), tt.code)
		}
	}
}

func TestValidateEmail(t *testing.T) {
	tests := []struct {
		in      string
		domains []string
		code    string
	}{
		{"a@example.com", nil, ""},
		{"a@EXAMPLE.com", []string{"example.com"}, ""},
		{"a@example.com", []string{"Example.COM"}, ""},
		{"a@other.com", []string{"example.com"}, "email_domain_not_allowed"},
		{"", nil, "invalid_argument"},
		{"not-an-email", nil, "invalid_argument"},
		{"Bob <b@example.com>", nil, "invalid_argument"},
		{"a@localhost", nil, "invalid_argument"},
		{strings.Repeat("a", 250) + "@x.com", nil, "invalid_argument"},
	}
	for _, tt := range tests {
		err := ValidateEmail(tt.in, tt.domains)
		if got := codeOrEmpty(err); got != tt.code {
			t.Errorf("ValidateEmail(%q, %v) code = %q, want %q (%v)", tt.in, tt.domains, got, tt.code, err)
		}
		if err != nil && FieldOf(err) != "email" {
			t.Errorf("ValidateEmail(%q) field = %q", tt.in, FieldOf(err))
		}
	}
	if got := NormalizeEmail("Bob@Example.COM"); got != "Bob@example.com" {
		t.Errorf("NormalizeEmail = %q", got)
	}
}

func TestValidateProfileValues(t *testing.T) {
	for _, c := range Colors {
		if err := ValidateColor(c); err != nil {
			t.Errorf("ValidateColor(%q) = %v", c, err)
		}
	}
	if err := ValidateColor("red"); FieldOf(err) != "color" {
		t.Errorf("ValidateColor(red) = %v", err)
	}
	for _, a := range append([]string{AvatarCustom}, StockAvatars...) {
		if err := ValidateAvatar(a); err != nil {
			t.Errorf("ValidateAvatar(%q) = %v", a, err)
		}
	}
	if err := ValidateAvatar("cat"); FieldOf(err) != "avatar" {
		t.Errorf("ValidateAvatar(cat) = %v", err)
	}
}

func TestValidatePassword(t *testing.T) {
	tests := map[string]bool{
		"Passw0rd":                true,
		"password1!":              true,
		"PASSWORD1!":              true,
		"password":                false,
		"Pass1!":                  false,
		"passwordpassword":        false,
		strings.Repeat("aA1", 86): false, // 258 characters
	}
	for in, ok := range tests {
		if err := ValidatePassword(Password(in)); (err == nil) != ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", in, err, ok)
		}
	}
}

func codeOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return CodeOf(err)
}

func FuzzValidateUsername(f *testing.F) {
	for _, s := range []string{"alice", "Login", "a.b_c", "ab", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateUsername(s)
		if err == nil {
			// Accepted names are ASCII, 4–20 bytes, and survive normalization unchanged in length.
			if len(s) < MinUsernameLen || len(s) > MaxUsernameLen || len(NormalizeUsername(s)) != len(s) {
				t.Fatalf("accepted %q", s)
			}
		} else if !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("error %v is not ErrInvalidArgument", err)
		}
	})
}
