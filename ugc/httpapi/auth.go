package httpapi

import (
	"context"
	"net/http"
	"strings"
)

// Identity is the caller of a request. The zero Identity is anonymous.
type Identity struct {
	// UserID is the ugc user ID of the caller; "" means anonymous.
	UserID string
}

// Anonymous reports whether id carries no user.
func (id Identity) Anonymous() bool { return id.UserID == "" }

// Authenticator checks the credentials of a request. It is the plug-in
// point for the application's accounts (sessions, Cognito, ...).
type Authenticator interface {
	// Authenticate returns the caller of r. With no credentials present it
	// returns the zero Identity and a nil error; with bad credentials, an
	// error wrapping ugc.ErrUnauthenticated. Any other error (the session
	// store is down) is reported to the client by its kind, e.g. 503.
	Authenticate(r *http.Request) (Identity, error)
}

// AuthenticatorFunc adapts a function to Authenticator.
type AuthenticatorFunc func(r *http.Request) (Identity, error)

// Authenticate calls f(r).
func (f AuthenticatorFunc) Authenticate(r *http.Request) (Identity, error) { return f(r) }

// AuthMode says whether a route needs a signed-in caller.
type AuthMode int

// The auth modes. The zero AuthMode is AuthNone.
const (
	// AuthNone: credentials are not looked at; the Identity is anonymous.
	AuthNone AuthMode = iota
	// AuthOptional: anonymous callers are served; bad credentials are a 401.
	AuthOptional
	// AuthRequired: anonymous callers and bad credentials get a 401.
	AuthRequired
)

// String returns "none", "optional" or "required".
func (m AuthMode) String() string {
	switch m {
	case AuthNone:
		return "none"
	case AuthOptional:
		return "optional"
	case AuthRequired:
		return "required"
	}
	return "AuthMode(?)"
}

// BearerToken returns the token of an "Authorization: Bearer <token>"
// header (scheme matched case-insensitively), or "" when there is none.
// Authenticators use it to read credentials the conventional way.
func BearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

type identityKey struct{}

// WithIdentity returns a copy of ctx carrying id. The middleware does this
// for every authenticated route; tests of handlers may use it directly.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the caller stored in ctx by the middleware, or the
// zero (anonymous) Identity.
func IdentityFrom(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}
