package chatsvc

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Reasons of a ValidationException, as the ivschat model lists them.
const (
	reasonFieldValidation = "FIELD_VALIDATION_FAILED"
	reasonOther           = "OTHER"
)

// fieldError is one member of a ValidationException's fieldList.
type fieldError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// validator collects field errors and turns them into one
// ValidationException with reason FIELD_VALIDATION_FAILED.
type validator struct {
	fields []fieldError
}

func (v *validator) addf(field, format string, args ...any) {
	v.fields = append(v.fields, fieldError{Name: field, Message: fmt.Sprintf(format, args...)})
}

// length checks that s has between min and max code points.
func (v *validator) length(field, s string, min, max int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n < min:
		v.addf(field, "Member must have length greater than or equal to %d", min)
	case n > max:
		v.addf(field, "Member must have length less than or equal to %d", max)
	}
}

// between checks that n is within [min, max].
func (v *validator) between(field string, n, min, max int) {
	switch {
	case n < min:
		v.addf(field, "Member must have value greater than or equal to %d", min)
	case n > max:
		v.addf(field, "Member must have value less than or equal to %d", max)
	}
}

// pattern checks that s matches re.
func (v *validator) pattern(field, s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		v.addf(field, "Member must satisfy regular expression pattern: %s", re.String())
	}
}

// attributes checks a map of chat attributes against the 1 KB total limit,
// counting the UTF-8 bytes of every key and value.
func (v *validator) attributes(field string, m map[string]string) {
	if n := attributesSize(m); n > maxAttributesBytes {
		v.addf(field, "Member must have a total size of at most %d bytes, got %d", maxAttributesBytes, n)
	}
}

// tags checks resource tags: at most 50, keys 1-128 characters not starting
// with "aws:", values at most 256 characters.
func (v *validator) tags(field string, m map[string]string) {
	if len(m) > 50 {
		v.addf(field, "Member must have at most 50 entries")
	}
	for k, val := range m {
		n := utf8.RuneCountInString(k)
		if n < 1 || n > 128 {
			v.addf(field, "Tag keys must have length between 1 and 128")
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			v.addf(field, "Tag keys must not start with aws:")
		}
		if utf8.RuneCountInString(val) > 256 {
			v.addf(field, "Tag values must have length less than or equal to 256")
		}
	}
}

// err returns the collected errors as a ValidationException, or nil.
func (v *validator) err() *emu.Error {
	if len(v.fields) == 0 {
		return nil
	}
	parts := make([]string, len(v.fields))
	for i, f := range v.fields {
		parts[i] = fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", f.Name, f.Message)
	}
	noun := "error"
	if len(v.fields) > 1 {
		noun = "errors"
	}
	e := emu.Validation("%d validation %s detected: %s", len(v.fields), noun, strings.Join(parts, "; "))
	e.Extra = map[string]any{"reason": reasonFieldValidation, "fieldList": v.fields}
	return e
}

// decodeBody reads the JSON body into v; a malformed body is a
// ValidationException with reason OTHER.
func decodeBody(r *http.Request, v any) *emu.Error {
	if e := emu.DecodeJSON(r, v); e != nil {
		e.Extra = map[string]any{"reason": reasonOther}
		return e
	}
	return nil
}

// maxAttributesBytes is the "1 KB total" limit on token, event and message
// attributes.
const maxAttributesBytes = 1024

func attributesSize(m map[string]string) int {
	n := 0
	for k, v := range m {
		n += len(k) + len(v)
	}
	return n
}

var (
	roomNamePattern    = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	roomIDPattern      = regexp.MustCompile(`^[a-zA-Z0-9]+$`)
	roomARNPattern     = regexp.MustCompile(`^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9]+$`)
	lambdaARNPattern   = regexp.MustCompile(`^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+`)
	loggingARNPattern  = regexp.MustCompile(`^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9]+$`)
	messageIDPattern   = regexp.MustCompile(`^[a-zA-Z0-9]{12}$`)
	eventNameMaxLength = 100
)

// encodePageToken returns the nextToken of a page that ended with the
// resource ID lastID: the next page starts after it in ID order.
func encodePageToken(lastID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastID))
}

// decodePageToken returns the ID a page token names, and false when tok is
// not a token encodePageToken made.
func decodePageToken(tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !roomIDPattern.Match(b) {
		return "", false
	}
	return string(b), true
}

// isoTime formats t as the ISO 8601 string IVS Chat returns, with
// millisecond precision in UTC.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
