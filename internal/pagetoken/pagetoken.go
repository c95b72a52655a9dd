// Package pagetoken encodes opaque, tamper-evident page cursors bound to
// the query they page through.
//
// A cursor is base64url(payload JSON) + "." + base64url(HMAC-SHA256(key,
// query || payload))[:16 bytes]. Decoding with another key, another query
// or an edited payload fails with ugc.ErrInvalidArgument.
package pagetoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// MaxLen is the longest cursor Decode accepts.
const MaxLen = 2048

// Codec signs and checks cursors with one key. The zero value is not
// usable; build one with New.
type Codec struct{ key []byte }

// New returns a Codec with the given secret key (at least 16 bytes are
// recommended).
func New(key []byte) *Codec { return &Codec{key: append([]byte(nil), key...)} }

func (c *Codec) mac(query string, payload []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(query))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)[:16]
}

// Encode returns the cursor for v (any JSON-encodable value) within query.
func (c *Codec) Encode(query string, v any) string {
	payload, err := json.Marshal(v)
	if err != nil {
		// Callers pass plain structs of strings, numbers and times.
		panic("pagetoken: cannot encode cursor: " + err.Error())
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(c.mac(query, payload))
}

// Decode checks cursor against query and decodes its payload into v.
func (c *Codec) Decode(query, cursor string, v any) error {
	bad := ugc.InvalidField("cursor", "invalid or expired cursor")
	bad.Code = "invalid_cursor"
	if len(cursor) == 0 || len(cursor) > MaxLen {
		return bad
	}
	p, s, ok := strings.Cut(cursor, ".")
	if !ok {
		return bad
	}
	enc := base64.RawURLEncoding.Strict()
	payload, err1 := enc.DecodeString(p)
	sig, err2 := enc.DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, c.mac(query, payload)) {
		return bad
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return bad
	}
	return nil
}
