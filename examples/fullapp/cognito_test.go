package main

import (
	"net/http"
	"testing"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/internal/mototest"
)

// TestCognitoUsers runs the app behind a Cognito user pool served by
// moto_server: a pool user registers their channel with their access
// token and then uses the API with it, next to the app's own accounts.
func TestCognitoUsers(t *testing.T) {
	moto := mototest.Start(t)
	pool := moto.NewPool(t, "ugc-fullapp")
	pool.AddUser(t, "heidi", "heidi@example.com", "Heidi-Pass-1")
	tokens := pool.SignIn(t, "heidi", "Heidi-Pass-1")

	cfg := testConfig(t.TempDir())
	cfg.CognitoPoolURL, cfg.CognitoClientID, cfg.CognitoJWKSURL = pool.Issuer, pool.ClientID, pool.JWKSURL
	app := startApp(t, cfg)
	c := newClient(t, app.URL())

	if got := c.do("GET", "/v1/me", tokens.Access, nil).Err(t); got.Status != http.StatusUnauthorized || got.Code != "no_account" {
		t.Fatalf("GET /v1/me before registering = %+v, want 401 no_account", got)
	}
	var u struct {
		Username string `json:"username"`
		Email    string `json:"email"`
	}
	c.must(http.StatusCreated, "POST", "/v1/auth/cognito/register", tokens.Access,
		map[string]string{"email": "heidi@example.com"}).JSON(t, &u)
	if u.Username != "heidi" || u.Email != "heidi@example.com" {
		t.Errorf("cognito register = %+v, want heidi", u)
	}
	if m := c.me(tokens.Access); m.User.Username != "heidi" || m.Channel.StreamKey == "" {
		t.Errorf("GET /v1/me with the access token = %+v, want heidi's channel", m)
	}
	c.must(http.StatusCreated, "POST", "/_dev/channels/heidi/stream/start", "", nil)

	tests := []struct {
		name, token string
		wantCode    string
	}{
		{"ID token", tokens.ID, "invalid_token"},
		{"tampered", tokens.Access[:len(tokens.Access)-4] + "AAAA", "invalid_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.do("GET", "/v1/me", tt.token, nil).Err(t); got.Status != http.StatusUnauthorized || got.Code != tt.wantCode {
				t.Errorf("GET /v1/me = %+v, want 401 %s", got, tt.wantCode)
			}
		})
	}
	if got := c.do("POST", "/v1/auth/cognito/register", "not-a-jwt", map[string]string{"email": "x@example.com"}).Err(t); got.Status != http.StatusUnauthorized {
		t.Errorf("cognito register without a JWT = %+v, want 401", got)
	}

	// The app's own accounts work next to Cognito.
	ivan := c.register("ivan", "ivan@example.com")
	if m := c.me(ivan.Token); m.User.Username != "ivan" {
		t.Errorf("GET /v1/me = %+v, want ivan", m)
	}

	// The account is tied to the Cognito user, not to the name: after a
	// rename the token still reaches it, and a password account that
	// takes the old name is not reachable with the token.
	c.must(http.StatusOK, "PATCH", "/v1/me", tokens.Access, map[string]string{"username": "heidi_two"})
	if m := c.me(tokens.Access); m.User.Username != "heidi_two" {
		t.Errorf("GET /v1/me after the rename = %+v, want heidi_two", m)
	}
	impostor := c.register("heidi", "other@example.com")
	if m := c.me(tokens.Access); m.User.Username != "heidi_two" {
		t.Errorf("GET /v1/me with heidi's token after another took the name = %+v, want heidi_two", m)
	}
	if m := c.me(impostor.Token); m.User.Username != "heidi" || m.User.ID != impostor.User.ID {
		t.Errorf("GET /v1/me of the new heidi = %+v", m)
	}
	if got := c.do("POST", "/v1/auth/cognito/register", tokens.Access, map[string]string{"email": "heidi3@example.com"}).Err(t); got.Status != http.StatusConflict {
		t.Errorf("registering the Cognito user again = %+v, want 409", got)
	}
}
