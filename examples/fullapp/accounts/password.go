package accounts

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// HashParams are the argon2id cost parameters of new password hashes.
// Existing hashes keep the parameters they were made with: the encoded form
// carries them, so parameters can be raised without invalidating passwords.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultHashParams follow the OWASP minimum for argon2id: 19 MiB, two
// passes, one thread.
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// errBadHash reports a stored hash that does not parse.
var errBadHash = errors.New("accounts: malformed password hash")

// hashPassword returns the PHC-style encoding of an argon2id hash of p:
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<threads>$<salt>$<key>, base64 without padding.
func hashPassword(p ugc.Password, hp HashParams, rnd io.Reader) (string, error) {
	salt := make([]byte, hp.SaltLen)
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return "", fmt.Errorf("reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(p.Reveal()), salt, hp.Time, hp.Memory, hp.Threads, hp.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, hp.Memory, hp.Time, hp.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether p matches the encoded hash, in time that
// does not depend on where the two differ.
func checkPassword(p ugc.Password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var hp HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &hp.Memory, &hp.Time, &hp.Threads); err != nil ||
		hp.Memory == 0 || hp.Time == 0 || hp.Threads == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(p.Reveal()), salt, hp.Time, hp.Memory, hp.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
