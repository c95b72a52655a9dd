package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Defaults used when Options leave a field zero.
const (
	DefaultSessionTTL    = 30 * 24 * time.Hour
	DefaultResetTTL      = time.Hour
	DefaultMaxFailures   = 10
	DefaultFailureWindow = time.Minute
	// resetsPerHour bounds reset mails per address, so the form cannot be
	// used to flood a mailbox.
	resetsPerHour = 5
)

// Store is what the accounts need from the storage contract.
type Store interface {
	store.Users
	store.Accounts
}

// A Provisioner creates a user with their platform resources and deletes
// them again. *channels.Service provides both through a small adapter.
type Provisioner interface {
	// Provision validates and creates the user and their resources; it
	// leaves nothing behind on failure and is safe to retry.
	Provision(ctx context.Context, username, email string) (*ugc.User, error)
	// Deprovision deletes the user and their resources; idempotent.
	Deprovision(ctx context.Context, userID string) error
}

// Options configure a Service. Store, Provisioner and Mailer are required.
type Options struct {
	Store       Store
	Provisioner Provisioner
	Mailer      Mailer

	// SignupDomains, when not empty, are the only email domains that may
	// register.
	SignupDomains []string
	// ResetURL is the page a reset mail links to; the token is added as
	// the "token" query parameter. Empty: the mail carries only the token.
	ResetURL string

	SessionTTL    time.Duration // 0: DefaultSessionTTL
	ResetTTL      time.Duration // 0: DefaultResetTTL
	MaxFailures   int           // failed sign-ins per login or address per window; 0: DefaultMaxFailures
	FailureWindow time.Duration // 0: DefaultFailureWindow
	Hash          HashParams    // zero: DefaultHashParams

	Now    func() time.Time // nil: time.Now
	Rand   io.Reader        // nil: crypto/rand.Reader
	Logger *slog.Logger     // nil: discard
}

// Service is the app's own account system: registration, sign-in with
// password, bearer sessions, password change and reset by mail.
type Service struct {
	opts     Options
	hashing  chan struct{} // bounds concurrent argon2id work (memory)
	fails    *failureLimiter
	resets   *failureLimiter
	dummyMu  sync.Mutex
	dummyPwd string // a hash checked on unknown logins, so they cost the same
}

// New returns a Service. It does no I/O.
func New(opts Options, optFns ...func(*Options)) (*Service, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	switch {
	case opts.Store == nil:
		return nil, errors.New("accounts.New: Options.Store is required")
	case opts.Provisioner == nil:
		return nil, errors.New("accounts.New: Options.Provisioner is required")
	case opts.Mailer == nil:
		return nil, errors.New("accounts.New: Options.Mailer is required")
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.ResetTTL == 0 {
		opts.ResetTTL = DefaultResetTTL
	}
	if opts.MaxFailures == 0 {
		opts.MaxFailures = DefaultMaxFailures
	}
	if opts.FailureWindow == 0 {
		opts.FailureWindow = DefaultFailureWindow
	}
	if opts.Hash == (HashParams{}) {
		opts.Hash = DefaultHashParams
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		opts:    opts,
		hashing: make(chan struct{}, 2*runtime.GOMAXPROCS(0)),
		fails:   newFailureLimiter(opts.MaxFailures, opts.FailureWindow),
		resets:  newFailureLimiter(resetsPerHour, time.Hour),
	}, nil
}

// Session is a signed-in session: the bearer token (shown once) and its user.
type Session struct {
	Token     ugc.Token
	ExpiresAt time.Time
	User      *ugc.User
}

// RegisterInput is a new account.
type RegisterInput struct {
	Username string
	Email    string
	Password ugc.Password
}

// Register validates the input, provisions the user's resources, stores
// the password hash and signs the user in. On any failure nothing is left
// behind and the same request can be retried.
func (s *Service) Register(ctx context.Context, in RegisterInput) (_ *Session, err error) {
	defer ugc.Wrap(&err, "accounts.Register")
	if err := ugc.ValidateUsername(in.Username); err != nil {
		return nil, err
	}
	if err := ugc.ValidateEmail(in.Email, s.opts.SignupDomains); err != nil {
		return nil, err
	}
	if err := ugc.ValidatePassword(in.Password); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	u, err := s.opts.Provisioner.Provision(ctx, in.Username, in.Email)
	if err != nil {
		return nil, err
	}
	if err := s.opts.Store.PutCredentials(ctx, ugc.Credentials{UserID: u.ID, PasswordHash: hash, UpdatedAt: s.opts.Now()}); err != nil {
		// Undo, so that the username and email are free for a retry.
		if derr := s.opts.Provisioner.Deprovision(context.WithoutCancel(ctx), u.ID); derr != nil {
			s.opts.Logger.Error("accounts: undoing a registration failed", "user", u.ID, "err", derr)
		}
		return nil, err
	}
	return s.newSession(ctx, u)
}

// LoginInput is a sign-in attempt. Login is a username or an email
// address; ClientAddr identifies the client for rate limiting.
type LoginInput struct {
	Login      string
	Password   ugc.Password
	ClientAddr string
}

// errBadLogin is the one answer to an unknown login and a wrong password.
var errBadLogin = &ugc.Error{Kind: ugc.ErrUnauthenticated, Code: "invalid_credentials",
	Message: "the login or password is incorrect"}

// Login checks a password and starts a session. An unknown login and a
// wrong password give the same error after the same work. After
// MaxFailures failures in FailureWindow for one login or one client
// address, attempts fail with ErrThrottled whose cause is a
// *RetryAfterError.
func (s *Service) Login(ctx context.Context, in LoginInput) (_ *Session, err error) {
	defer ugc.Wrap(&err, "accounts.Login")
	if in.Login == "" {
		return nil, ugc.InvalidField("login", "is required")
	}
	if in.Password == "" {
		return nil, ugc.InvalidField("password", "is required")
	}
	now := s.opts.Now()
	keys := []string{"login:" + strings.ToLower(in.Login)}
	if in.ClientAddr != "" {
		keys = append(keys, "addr:"+in.ClientAddr)
	}
	if err := s.throttled(keys, now); err != nil {
		return nil, err
	}
	u, hash, err := s.lookup(ctx, in.Login)
	if err != nil {
		return nil, err
	}
	ok, err := s.check(ctx, in.Password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil {
		for _, k := range keys {
			s.fails.fail(k, now)
		}
		return nil, errBadLogin
	}
	s.fails.reset(keys[0])
	return s.newSession(ctx, u)
}

// lookup finds the user and password hash of a login. For an unknown login
// it returns a nil user and the dummy hash, so the caller does the same
// work either way.
func (s *Service) lookup(ctx context.Context, login string) (*ugc.User, string, error) {
	var u *ugc.User
	var err error
	if strings.Contains(login, "@") {
		u, err = s.opts.Store.GetUserByEmail(ctx, ugc.NormalizeEmail(login))
	} else {
		u, err = s.opts.Store.GetUserByUsername(ctx, login)
	}
	if errors.Is(err, ugc.ErrNotFound) || errors.Is(err, ugc.ErrInvalidArgument) {
		return nil, s.dummyHash(), nil
	}
	if err != nil {
		return nil, "", err
	}
	c, err := s.opts.Store.GetCredentials(ctx, u.ID)
	if errors.Is(err, ugc.ErrNotFound) {
		// A user without a password (e.g. signed up through Cognito).
		return nil, s.dummyHash(), nil
	}
	if err != nil {
		return nil, "", err
	}
	return u, c.PasswordHash, nil
}

// dummyHash returns a hash, made once, that no password is checked against
// successfully in practice.
func (s *Service) dummyHash() string {
	s.dummyMu.Lock()
	defer s.dummyMu.Unlock()
	if s.dummyPwd == "" {
		h, err := hashPassword("dummy password that nobody has", s.opts.Hash, s.opts.Rand)
		if err != nil {
			// A valid encoding with the same cost, should randomness fail.
			h = fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
				s.opts.Hash.Memory, s.opts.Hash.Time, s.opts.Hash.Threads)
			return h
		}
		s.dummyPwd = h
	}
	return s.dummyPwd
}

// throttled returns an ErrThrottled error when any key is blocked at now.
func (s *Service) throttled(keys []string, now time.Time) error {
	var wait time.Duration
	for _, k := range keys {
		wait = max(wait, s.fails.blocked(k, now))
	}
	if wait <= 0 {
		return nil
	}
	return &ugc.Error{Kind: ugc.ErrThrottled, Code: "too_many_attempts",
		Message: "too many failed attempts; try again later", Err: &RetryAfterError{After: wait}}
}

// RetryAfterError says how long to wait before trying again.
type RetryAfterError struct{ After time.Duration }

// Error returns "retry after <duration>".
func (e *RetryAfterError) Error() string { return "retry after " + e.After.String() }

// RetryAfter returns how long to wait; it makes the error an
// httpapi.RetryAfterer, so the 429 carries it as Retry-After.
func (e *RetryAfterError) RetryAfter() time.Duration { return e.After }

// RetryAfterSeconds returns the whole seconds (at least 1) err asks the
// client to wait, or 0 when err carries no *RetryAfterError.
func RetryAfterSeconds(err error) int {
	var ra *RetryAfterError
	if !errors.As(err, &ra) {
		return 0
	}
	return max(1, int(math.Ceil(ra.After.Seconds())))
}

// hash hashes p once a hashing slot is free: each hash holds
// HashParams.Memory, so unbounded concurrency would let a burst of sign-ins
// exhaust memory.
func (s *Service) hash(ctx context.Context, p ugc.Password) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.hashing }()
	return hashPassword(p, s.opts.Hash, s.opts.Rand)
}

// check is checkPassword in a hashing slot.
func (s *Service) check(ctx context.Context, p ugc.Password, encoded string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashing }()
	return checkPassword(p, encoded)
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &ugc.Error{Kind: ugc.ErrUnavailable, Message: "the server is busy; try again", Err: ctx.Err()}
	}
}

// newSession starts a session for u.
func (s *Service) newSession(ctx context.Context, u *ugc.User) (*Session, error) {
	tok, hash, err := newToken(s.opts.Rand)
	if err != nil {
		return nil, err
	}
	now := s.opts.Now()
	as := ugc.AuthSession{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.opts.SessionTTL)}
	if err := s.opts.Store.CreateAuthSession(ctx, as); err != nil {
		return nil, err
	}
	return &Session{Token: tok, ExpiresAt: as.ExpiresAt, User: u}, nil
}

// errNoSession is the answer to a missing, unknown or expired token.
var errNoSession = &ugc.Error{Kind: ugc.ErrUnauthenticated, Code: "invalid_session",
	Message: "the session is missing, expired or signed out"}

// Authenticate returns the live session of a bearer token, or
// ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, token ugc.Token) (_ *ugc.AuthSession, err error) {
	defer ugc.Wrap(&err, "accounts.Authenticate")
	if token == "" {
		return nil, errNoSession
	}
	as, err := s.opts.Store.GetAuthSession(ctx, HashToken(token), s.opts.Now())
	if errors.Is(err, ugc.ErrNotFound) {
		return nil, errNoSession
	}
	return as, err
}

// Logout ends the session of token; ending an ended session is not an error.
func (s *Service) Logout(ctx context.Context, token ugc.Token) (err error) {
	defer ugc.Wrap(&err, "accounts.Logout")
	if token == "" {
		return nil
	}
	return s.opts.Store.DeleteAuthSession(ctx, HashToken(token))
}

// ChangePassword replaces the user's password after checking the current
// one, and ends every other session of the user (the one of keep stays).
// Wrong current passwords count towards the sign-in failure limit.
func (s *Service) ChangePassword(ctx context.Context, userID string, keep ugc.Token, current, next ugc.Password) (err error) {
	defer ugc.Wrap(&err, "accounts.ChangePassword")
	if current == "" {
		return ugc.InvalidField("currentPassword", "is required")
	}
	if err := validateNew(next); err != nil {
		return err
	}
	now := s.opts.Now()
	key := []string{"user:" + userID}
	if err := s.throttled(key, now); err != nil {
		return err
	}
	c, err := s.opts.Store.GetCredentials(ctx, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "no_password", "this account has no password to change")
	}
	if err != nil {
		return err
	}
	ok, err := s.check(ctx, current, c.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		s.fails.fail(key[0], now)
		return &ugc.Error{Kind: ugc.ErrInvalidArgument, Code: "wrong_password", Field: "currentPassword",
			Message: "is not the current password"}
	}
	if err := s.setPassword(ctx, userID, next); err != nil {
		return err
	}
	except := ""
	if keep != "" {
		except = HashToken(keep)
	}
	return s.opts.Store.DeleteUserAuthSessions(ctx, userID, except)
}

// validateNew checks a new password, naming the field "newPassword".
func validateNew(p ugc.Password) error {
	if err := ugc.ValidatePassword(p); err != nil {
		var e *ugc.Error
		if errors.As(err, &e) {
			c := *e
			c.Field = "newPassword"
			return &c
		}
		return err
	}
	return nil
}

func (s *Service) setPassword(ctx context.Context, userID string, p ugc.Password) error {
	hash, err := s.hash(ctx, p)
	if err != nil {
		return err
	}
	return s.opts.Store.PutCredentials(ctx, ugc.Credentials{UserID: userID, PasswordHash: hash, UpdatedAt: s.opts.Now()})
}

// RequestReset mails a single-use reset token to the account with the
// email, if there is one. It reports no error for an unknown address, so
// callers cannot tell whether an account exists; a malformed address is
// ErrInvalidArgument naming "email".
func (s *Service) RequestReset(ctx context.Context, email string) (err error) {
	defer ugc.Wrap(&err, "accounts.RequestReset")
	if err := ugc.ValidateEmail(email, nil); err != nil {
		return err
	}
	u, err := s.opts.Store.GetUserByEmail(ctx, ugc.NormalizeEmail(email))
	if errors.Is(err, ugc.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.opts.Now()
	key := "reset:" + u.ID
	if s.resets.blocked(key, now) > 0 {
		s.opts.Logger.Warn("accounts: password reset mails limited", "user", u.ID)
		return nil
	}
	s.resets.fail(key, now)
	tok, hash, err := newToken(s.opts.Rand)
	if err != nil {
		return err
	}
	rt := ugc.ResetToken{TokenHash: hash, UserID: u.ID, ExpiresAt: now.Add(s.opts.ResetTTL)}
	if err := s.opts.Store.CreateResetToken(ctx, rt); err != nil {
		return err
	}
	return s.opts.Mailer.Send(ctx, resetMail(u, tok, s.opts.ResetURL, s.opts.ResetTTL, now))
}

// resetMail is the password-reset message.
func resetMail(u *ugc.User, tok ugc.Token, resetURL string, ttl time.Duration, now time.Time) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\nSomeone asked to reset the password of your account.\n", u.Username)
	if resetURL != "" {
		fmt.Fprintf(&b, "Open this link to choose a new one:\n\n  %s?token=%s\n\n", resetURL, url.QueryEscape(tok.Reveal()))
	}
	fmt.Fprintf(&b, "Reset token: %s\n\nIt works once and expires in %s. If it was not you, ignore this mail.\n",
		tok.Reveal(), ttl)
	return Message{To: u.Email, Subject: "Reset your password", Body: b.String(), SentAt: now}
}

// ConfirmReset sets a new password with a reset token and ends every
// session of the user. The token works once, before it expires.
func (s *Service) ConfirmReset(ctx context.Context, token ugc.Token, next ugc.Password) (err error) {
	defer ugc.Wrap(&err, "accounts.ConfirmReset")
	if token == "" {
		return ugc.InvalidField("token", "is required")
	}
	if err := validateNew(next); err != nil {
		return err
	}
	rt, err := s.opts.Store.UseResetToken(ctx, HashToken(token), s.opts.Now())
	if errors.Is(err, ugc.ErrNotFound) {
		return &ugc.Error{Kind: ugc.ErrInvalidArgument, Code: "invalid_token", Field: "token",
			Message: "is not a valid reset token"}
	}
	if err != nil {
		var e *ugc.Error
		if errors.As(err, &e) && e.Field == "" {
			c := *e
			c.Field = "token"
			return &c
		}
		return err
	}
	if err := s.setPassword(ctx, rt.UserID, next); err != nil {
		return err
	}
	return s.opts.Store.DeleteUserAuthSessions(ctx, rt.UserID, "")
}

// DeleteAccount deletes the user's resources, then their password and
// sessions. It is idempotent and resumable: a retry finishes the job.
func (s *Service) DeleteAccount(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "accounts.DeleteAccount")
	if err := s.opts.Store.DeleteUserAuthSessions(ctx, userID, ""); err != nil {
		return err
	}
	if err := s.opts.Provisioner.Deprovision(ctx, userID); err != nil {
		return err
	}
	return s.opts.Store.DeleteCredentials(ctx, userID)
}
