package ugc

import (
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"
)

// Username limits.
const (
	MinUsernameLen = 4
	MaxUsernameLen = 20
	MaxEmailLen    = 254
)

// ReservedUsernames are refused at registration and rename, compared
// case-insensitively: the seed's list plus every top-level route of the app.
var ReservedUsernames = []string{
	"health", "manager", "following", "settings", "login", "register", "reset",
	"api", "v1", "channels", "directory", "status", "assets", "static", "admin", "dev", "events", "me", "auth",
}

// Colors is the profile color palette.
var Colors = []string{"blue", "green", "lavender", "purple", "salmon", "turquoise", "yellow"}

// StockAvatars are the avatars a user can pick; AvatarCustom means an
// uploaded image.
var StockAvatars = []string{
	"bear", "bird", "bird2", "dog", "dog2", "dog3", "giraffe", "hedgehog", "hippo", "horse",
	"ibex", "jellyfish", "sheep", "tiger",
}

// AvatarCustom is the avatar value of a user who uploaded an image.
const AvatarCustom = "custom"

// NormalizeUsername returns the form usernames are compared in: lower case.
func NormalizeUsername(s string) string { return strings.ToLower(s) }

// ValidateUsername checks a username: 4–20 characters of [a-z0-9._]
// (upper-case letters are accepted and compared case-insensitively) and not
// reserved. The error names the field "username".
func ValidateUsername(s string) error {
	if n := len(s); n < MinUsernameLen || n > MaxUsernameLen {
		return &Error{Kind: ErrInvalidArgument, Field: "username", Code: "invalid_username",
			Message: "must be 4 to 20 characters"}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
		if !ok {
			return &Error{Kind: ErrInvalidArgument, Field: "username", Code: "invalid_username",
				Message: "may contain only letters, digits, '.' and '_'"}
		}
	}
	if slices.Contains(ReservedUsernames, NormalizeUsername(s)) {
		return &Error{Kind: ErrInvalidArgument, Field: "username", Code: "reserved_username",
			Message: "is reserved"}
	}
	return nil
}

// NormalizeEmail returns the form emails are compared in: the local part as
// typed and the domain in lower case. It does not validate.
func NormalizeEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	return s[:at+1] + strings.ToLower(s[at+1:])
}

// ValidateEmail checks that s is a bare address (no display name) of at most
// 254 bytes and, when allowedDomains is not empty, that its domain is one of
// them (compared lower-case). The error names the field "email".
func ValidateEmail(s string, allowedDomains []string) error {
	if s == "" || len(s) > MaxEmailLen || !utf8.ValidString(s) {
		return InvalidField("email", "must be a valid email address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return InvalidField("email", "must be a valid email address")
	}
	at := strings.LastIndexByte(s, '@')
	domain := strings.ToLower(s[at+1:])
	if !strings.Contains(domain, ".") {
		return InvalidField("email", "must be a valid email address")
	}
	if len(allowedDomains) > 0 && !slices.ContainsFunc(allowedDomains, func(d string) bool {
		return strings.EqualFold(d, domain)
	}) {
		return &Error{Kind: ErrInvalidArgument, Field: "email", Code: "email_domain_not_allowed",
			Message: "sign-up is not open to this email domain"}
	}
	return nil
}

// ValidateColor checks that c is in the palette.
func ValidateColor(c string) error {
	if !slices.Contains(Colors, c) {
		return InvalidField("color", "must be one of %s", strings.Join(Colors, ", "))
	}
	return nil
}

// ValidateAvatar checks that a is a stock avatar or "custom".
func ValidateAvatar(a string) error {
	if a != AvatarCustom && !slices.Contains(StockAvatars, a) {
		return InvalidField("avatar", "must be a stock avatar or %q", AvatarCustom)
	}
	return nil
}

// ValidatePassword checks a new password: 8–256 characters with at least
// three of lower case, upper case, digit and symbol.
func ValidatePassword(p Password) error {
	s := p.Reveal()
	n := utf8.RuneCountInString(s)
	if n < 8 || n > 256 {
		return &Error{Kind: ErrInvalidArgument, Field: "password", Code: "weak_password",
			Message: "must be 8 to 256 characters"}
	}
	var lower, upper, digit, symbol int
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			symbol = 1
		}
	}
	if lower+upper+digit+symbol < 3 {
		return &Error{Kind: ErrInvalidArgument, Field: "password", Code: "weak_password",
			Message: "must contain at least three of: lower case, upper case, digit, symbol"}
	}
	return nil
}
