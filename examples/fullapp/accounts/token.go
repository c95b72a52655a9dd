package accounts

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// tokenBytes is the entropy of session and reset tokens.
const tokenBytes = 32

// newToken returns a random bearer token (32 bytes, base64url) and the hash
// the store keeps instead of it.
func newToken(rnd io.Reader) (ugc.Token, string, error) {
	b := make([]byte, tokenBytes)
	if _, err := io.ReadFull(rnd, b); err != nil {
		return "", "", fmt.Errorf("reading token: %w", err)
	}
	t := ugc.Token(base64.RawURLEncoding.EncodeToString(b))
	return t, HashToken(t), nil
}

// HashToken returns the hex SHA-256 of a bearer token: the only form in
// which session and reset tokens are stored.
func HashToken(t ugc.Token) string {
	sum := sha256.Sum256([]byte(t.Reveal()))
	return hex.EncodeToString(sum[:])
}
