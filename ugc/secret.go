package ugc

import "log/slog"

const redacted = "REDACTED"

// StreamKey is the secret a broadcaster uses to publish to a channel.
// Its String and LogValue say REDACTED; Reveal returns the value.
type StreamKey string

// String returns REDACTED.
func (StreamKey) String() string { return redacted }

// GoString returns REDACTED.
func (StreamKey) GoString() string { return redacted }

// LogValue returns REDACTED.
func (StreamKey) LogValue() slog.Value { return slog.StringValue(redacted) }

// Reveal returns the key itself.
func (k StreamKey) Reveal() string { return string(k) }

// Token is a bearer secret: a chat token, a participant token, a session
// token or a password-reset token. Its String and LogValue say REDACTED.
type Token string

// String returns REDACTED.
func (Token) String() string { return redacted }

// GoString returns REDACTED.
func (Token) GoString() string { return redacted }

// LogValue returns REDACTED.
func (Token) LogValue() slog.Value { return slog.StringValue(redacted) }

// Reveal returns the token itself.
func (t Token) Reveal() string { return string(t) }

// Password is a plain-text password on its way to a hash. Its String and
// LogValue say REDACTED.
type Password string

// String returns REDACTED.
func (Password) String() string { return redacted }

// GoString returns REDACTED.
func (Password) GoString() string { return redacted }

// LogValue returns REDACTED.
func (Password) LogValue() slog.Value { return slog.StringValue(redacted) }

// Reveal returns the password itself.
func (p Password) Reveal() string { return string(p) }
