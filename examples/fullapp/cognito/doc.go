// Package cognito verifies Amazon Cognito user pool access tokens, so the
// reference app can sit behind a Cognito user pool instead of (or next to)
// its own accounts.
//
// # Verification
//
// A token is accepted when it is a JWT signed with RS256 by a key of the
// pool's JSON Web Key Set, its "iss" is the pool's issuer URL, "token_use"
// is "access", "client_id" is the app client and it has not expired. Keys
// are fetched on first use and again, at most once per RefreshInterval,
// when a token names an unknown key (key rotation).
//
// # Mapping to app users
//
// Verify returns the token's "sub" and "username". The app maps a Cognito
// user to the app user whose username equals the Cognito username (which
// Cognito never changes), so such users should not rename themselves.
//
// # Errors
//
// A token that does not verify is ugc.ErrUnauthenticated with code
// "invalid_token"; failing to fetch the keys is ugc.ErrUnavailable.
package cognito
