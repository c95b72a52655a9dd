package store

import (
	"unicode/utf8"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// CheckID returns ErrInvalidArgument naming field when v is empty, longer
// than MaxIDLen or not valid UTF-8. Drivers call it before any write.
func CheckID(field, v string) error {
	if v == "" {
		return ugc.InvalidField(field, "is required")
	}
	if len(v) > MaxIDLen || !utf8.ValidString(v) {
		return ugc.InvalidField(field, "must be valid UTF-8 of at most %d bytes", MaxIDLen)
	}
	return nil
}

// CheckIDs checks pairs of (field, value) with CheckID and returns the first error.
func CheckIDs(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckID(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// CheckBatch returns ErrInvalidArgument naming field when ids holds more
// than MaxBatch IDs or one of them fails CheckID. An empty batch is allowed.
func CheckBatch(field string, ids []string) error {
	if len(ids) > MaxBatch {
		return ugc.InvalidField(field, "must hold at most %d IDs", MaxBatch)
	}
	for _, id := range ids {
		if err := CheckID(field, id); err != nil {
			return err
		}
	}
	return nil
}

// CheckText returns ErrInvalidArgument naming field when v is longer than
// max bytes or not valid UTF-8. Empty is allowed.
func CheckText(field, v string, max int) error {
	if len(v) > max || !utf8.ValidString(v) {
		return ugc.InvalidField(field, "must be valid UTF-8 of at most %d bytes", max)
	}
	return nil
}

// CheckSize returns ErrInvalidArgument naming field when data is longer
// than max bytes. Its content is not looked at.
func CheckSize(field string, data []byte, max int) error {
	if len(data) > max {
		return ugc.InvalidField(field, "must be at most %d bytes", max)
	}
	return nil
}

// Limit checks p.Limit and returns the effective page size.
func Limit(p Page) (int, error) {
	switch {
	case p.Limit == 0:
		return DefaultPageLimit, nil
	case p.Limit < 0 || p.Limit > MaxPageLimit:
		return 0, ugc.InvalidField("limit", "must be between 1 and %d", MaxPageLimit)
	}
	return p.Limit, nil
}
