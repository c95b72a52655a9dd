package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
	"github.com/ivs-ugc/ugc-go/examples/fullapp/cognito"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// authenticator is the app's httpapi.Authenticator. A bearer token that is
// a JWT (three dot-separated parts) is a Cognito access token when a pool
// is configured; anything else is a session token of the app's accounts.
type authenticator struct {
	accounts      *accounts.Service
	cognito       *cognito.Verifier // nil: no Cognito pool
	cognitoIssuer string            // the pool's issuer URL
	users         store.Users
}

var _ httpapi.Authenticator = (*authenticator)(nil)

// errNoAccount answers a valid Cognito token whose user has no app account.
var errNoAccount = &ugc.Error{Kind: ugc.ErrUnauthenticated, Code: "no_account",
	Message: "this Cognito user has no account here yet: POST /v1/auth/cognito/register first"}

// Authenticate returns the caller of r: anonymous without credentials,
// ErrUnauthenticated with bad ones.
func (a *authenticator) Authenticate(r *http.Request) (httpapi.Identity, error) {
	tok := httpapi.BearerToken(r)
	if tok == "" {
		if r.Header.Get("Authorization") != "" {
			return httpapi.Identity{}, &ugc.Error{Kind: ugc.ErrUnauthenticated,
				Message: "the Authorization header must be \"Bearer <token>\""}
		}
		return httpapi.Identity{}, nil
	}
	ctx := r.Context()
	if a.isJWT(tok) {
		claims, err := a.cognito.Verify(ctx, tok)
		if err != nil {
			return httpapi.Identity{}, err
		}
		u, err := a.users.GetUser(ctx, a.cognitoUserID(claims))
		if errors.Is(err, ugc.ErrNotFound) {
			return httpapi.Identity{}, errNoAccount
		}
		if err != nil {
			return httpapi.Identity{}, err
		}
		return httpapi.Identity{UserID: u.ID}, nil
	}
	s, err := a.accounts.Authenticate(ctx, ugc.Token(tok))
	if err != nil {
		return httpapi.Identity{}, err
	}
	return httpapi.Identity{UserID: s.UserID}, nil
}

// cognitoUserID is the app user ID of a Cognito user: derived from the
// pool and the user's immutable subject, so the account stays theirs when
// they rename it, and no account registered with a password (random IDs)
// can ever be reached with a Cognito token.
func (a *authenticator) cognitoUserID(c *cognito.Claims) string {
	sum := sha256.Sum256([]byte("cognito\x00" + a.cognitoIssuer + "\x00" + c.Subject))
	return hex.EncodeToString(sum[:16])
}

// isJWT reports whether tok is to be checked as a Cognito token.
func (a *authenticator) isJWT(tok string) bool {
	return a.cognito != nil && strings.Count(tok, ".") == 2
}
