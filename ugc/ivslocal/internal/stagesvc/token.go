package stagesvc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// A participant token is a JWT signed with HMAC-SHA256 under a key the
// service keeps (and saves in its state, so tokens outlive a restart). Real
// IVS tokens are JWTs too; callers must treat both as opaque.

// tokenClaims is the payload of a participant token.
type tokenClaims struct {
	StageARN      string            `json:"resource"`
	StageID       string            `json:"stage_id"`
	ParticipantID string            `json:"jti"`
	UserID        string            `json:"user_id,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty"`
	Capabilities  tokenCaps         `json:"capabilities"`
	IssuedAt      int64             `json:"iat"`
	Expires       int64             `json:"exp"`
	WhipURL       string            `json:"whip_url"`
	EventsURL     string            `json:"events_url"`
}

type tokenCaps struct {
	Publish   bool `json:"allow_publish"`
	Subscribe bool `json:"allow_subscribe"`
}

func (c tokenCaps) list() []string {
	var out []string
	if c.Publish {
		out = append(out, capPublish)
	}
	if c.Subscribe {
		out = append(out, capSubscribe)
	}
	return out
}

var tokenHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// errBadToken is returned for a token that is malformed or not signed by
// this service.
var errBadToken = errors.New("participant token is not valid")

func signToken(key []byte, c tokenClaims) (string, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	msg := tokenHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return msg + "." + base64.RawURLEncoding.EncodeToString(mac(key, msg)), nil
}

func parseToken(key []byte, tok string) (tokenClaims, error) {
	var c tokenClaims
	i := strings.LastIndexByte(tok, '.')
	if i < 0 {
		return c, errBadToken
	}
	msg, sig := tok[:i], tok[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(key, msg)) {
		return c, errBadToken
	}
	head, body, ok := strings.Cut(msg, ".")
	if !ok || head != tokenHeader {
		return c, errBadToken
	}
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return c, errBadToken
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return c, errBadToken
	}
	return c, nil
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
