package main

import (
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
	accounts *accounts.Service
	cognito  *cognito.Verifier // nil: no Cognito pool
	users    store.Users
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
		u, err := a.users.GetUserByUsername(ctx, claims.Username)
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

// isJWT reports whether tok is to be checked as a Cognito token.
func (a *authenticator) isJWT(tok string) bool {
	return a.cognito != nil && strings.Count(tok, ".") == 2
}
