package main

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// registerRequest is the body of POST /v1/auth/register.
type registerRequest struct {
	Username string `json:"username" doc:"4–20 characters of letters, digits, '.' and '_'"`
	Email    string `json:"email"`
	Password string `json:"password" doc:"8–256 characters with three of: lower case, upper case, digit, symbol"`
}

// loginRequest is the body of POST /v1/auth/login.
type loginRequest struct {
	Login    string `json:"login" doc:"a username or an email address"`
	Password string `json:"password"`
}

// sessionResponse is a new session.
type sessionResponse struct {
	Token     string       `json:"token" doc:"send as Authorization: Bearer <token>; shown once"`
	ExpiresAt time.Time    `json:"expiresAt"`
	User      userResponse `json:"user"`
}

// userResponse is the public part of the caller's profile; GET /v1/me has
// the channel too.
type userResponse struct {
	ID        string  `json:"id"`
	Username  string  `json:"username"`
	Email     string  `json:"email"`
	Color     string  `json:"color"`
	Avatar    string  `json:"avatar"`
	AvatarURL *string `json:"avatarUrl" doc:"null when no image was uploaded"`
	BannerURL *string `json:"bannerUrl" doc:"null when no image was uploaded"`
}

// changePasswordRequest is the body of PUT /v1/me/password.
type changePasswordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// resetRequest is the body of POST /v1/auth/password-reset.
type resetRequest struct {
	Email string `json:"email"`
}

// resetConfirmRequest is the body of POST /v1/auth/password-reset/confirm.
type resetConfirmRequest struct {
	Token       string `json:"token" doc:"the token from the reset mail"`
	NewPassword string `json:"newPassword"`
}

// cognitoRegisterRequest is the body of POST /v1/auth/cognito/register.
type cognitoRegisterRequest struct {
	Email string `json:"email"`
}

// accountRoutes are the routes of the app's own accounts.
func (a *App) accountRoutes(auth *authenticator) []httpapi.Route {
	rs := []httpapi.Route{
		{Method: "POST", Pattern: "/v1/auth/register", Tag: "auth",
			Summary:     "Create an account with its channel, stream key, chat room and stage, and sign in",
			Description: "When AWS fails the reply is 503 and nothing is left behind; the same request can be retried.",
			Request:     registerRequest{}, Response: sessionResponse{}, Status: http.StatusCreated,
			Handler: a.register},
		{Method: "POST", Pattern: "/v1/auth/login", Tag: "auth",
			Summary:     "Sign in with a username or email and a password",
			Description: "An unknown login and a wrong password get the same 401. After 10 failures in a minute for one login or one client address: 429 with Retry-After.",
			Request:     loginRequest{}, Response: sessionResponse{}, Handler: a.login},
		{Method: "POST", Pattern: "/v1/auth/logout", Auth: httpapi.AuthRequired, Tag: "auth",
			Summary: "End the caller's session", Handler: a.logout},
		{Method: "PUT", Pattern: "/v1/me/password", Auth: httpapi.AuthRequired, Tag: "auth",
			Summary: "Change the caller's password; every other session ends",
			Request: changePasswordRequest{}, Handler: a.changePassword},
		{Method: "POST", Pattern: "/v1/auth/password-reset", Tag: "auth",
			Summary:     "Mail a single-use password-reset token (valid for an hour)",
			Description: "The answer is 202 whether or not an account has the address.",
			Request:     resetRequest{}, Status: http.StatusAccepted, Handler: a.requestReset},
		{Method: "POST", Pattern: "/v1/auth/password-reset/confirm", Tag: "auth",
			Summary: "Set a new password with a reset token; every session ends",
			Request: resetConfirmRequest{}, Handler: a.confirmReset},
	}
	if auth.cognito != nil {
		rs = append(rs, httpapi.Route{Method: "POST", Pattern: "/v1/auth/cognito/register", Tag: "auth",
			Summary: "Create the account and channel of a Cognito user (Authorization: Bearer <Cognito access token>)",
			Description: "The app username starts as the Cognito username, which must be a valid app username; the account " +
				"is tied to the Cognito user's subject, so renaming it later keeps it theirs. 409 user_exists when registered already.",
			Request: cognitoRegisterRequest{}, Response: userResponse{}, Status: http.StatusCreated,
			Handler: a.cognitoRegister(auth)})
	}
	return rs
}

func (a *App) userResponse(u *ugc.User) userResponse {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return userResponse{ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color, Avatar: u.Avatar,
		AvatarURL: opt(a.channels.AvatarURL(u)), BannerURL: opt(a.channels.BannerURL(u))}
}

func (a *App) sessionResponse(s *accounts.Session) sessionResponse {
	return sessionResponse{Token: s.Token.Reveal(), ExpiresAt: s.ExpiresAt.UTC(), User: a.userResponse(s.User)}
}

func (a *App) register(w http.ResponseWriter, r *http.Request) error {
	var in registerRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	s, err := a.accounts.Register(r.Context(), accounts.RegisterInput{
		Username: in.Username, Email: in.Email, Password: ugc.Password(in.Password)})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, a.sessionResponse(s))
	return nil
}

func (a *App) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	s, err := a.accounts.Login(r.Context(), accounts.LoginInput{
		Login: in.Login, Password: ugc.Password(in.Password), ClientAddr: clientAddr(r, a.cfg.ClientIPHeader)})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, a.sessionResponse(s))
	return nil
}

// clientAddr is the client's IP address for rate limiting: the peer
// address, or, behind a proxy (-client-ip-header), the last address of
// that header, the one the proxy in front of the app appended. Earlier
// entries come from the client and are not trusted.
func clientAddr(r *http.Request, header string) string {
	if header != "" {
		if vs := r.Header.Values(header); len(vs) > 0 {
			parts := strings.Split(vs[len(vs)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) error {
	return a.accounts.Logout(r.Context(), ugc.Token(httpapi.BearerToken(r)))
}

func (a *App) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in changePasswordRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	id := httpapi.IdentityFrom(r.Context())
	// The session making the change stays signed in; a Cognito token is
	// not a session, so then every session ends.
	keep := ugc.Token(httpapi.BearerToken(r))
	return a.accounts.ChangePassword(r.Context(), id.UserID, keep, ugc.Password(in.CurrentPassword), ugc.Password(in.NewPassword))
}

func (a *App) requestReset(w http.ResponseWriter, r *http.Request) error {
	var in resetRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := a.accounts.RequestReset(r.Context(), in.Email); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (a *App) confirmReset(w http.ResponseWriter, r *http.Request) error {
	var in resetConfirmRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	return a.accounts.ConfirmReset(r.Context(), ugc.Token(in.Token), ugc.Password(in.NewPassword))
}

func (a *App) cognitoRegister(auth *authenticator) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tok := httpapi.BearerToken(r)
		if !auth.isJWT(tok) {
			return &ugc.Error{Kind: ugc.ErrUnauthenticated, Message: "send Authorization: Bearer <Cognito access token>"}
		}
		claims, err := auth.cognito.Verify(r.Context(), tok)
		if err != nil {
			return err
		}
		var in cognitoRegisterRequest
		if err := httpapi.DecodeJSON(r, &in); err != nil {
			return err
		}
		u, err := a.channels.Register(r.Context(), channels.RegisterInput{Username: claims.Username, Email: in.Email,
			UserID: auth.cognitoUserID(claims)})
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusCreated, a.userResponse(u))
		return nil
	}
}
