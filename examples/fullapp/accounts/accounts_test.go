package accounts_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// lightHash keeps argon2id cheap in tests; production uses DefaultHashParams.
var lightHash = accounts.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// storeProvisioner provisions users by writing them to the store, with an
// optional failure, standing in for channels.Service (which needs AWS).
type storeProvisioner struct {
	st   accounts.Store
	mu   sync.Mutex
	fail error
	n    int
}

func (p *storeProvisioner) Provision(ctx context.Context, username, email string) (*ugc.User, error) {
	p.mu.Lock()
	fail := p.fail
	p.n++
	id := "u" + strings.Repeat("x", p.n)
	p.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	u := &ugc.User{ID: id, Username: username, Email: email, Color: "blue", Avatar: "bear"}
	if err := p.st.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

func (p *storeProvisioner) Deprovision(ctx context.Context, userID string) error {
	err := p.st.DeleteUser(ctx, userID)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil
	}
	return err
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	svc    *accounts.Service
	st     *memstore.Store
	prov   *storeProvisioner
	outbox *accounts.Outbox
	clock  *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, prov: &storeProvisioner{st: st}, outbox: &accounts.Outbox{},
		clock: &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}
	svc, err := accounts.New(accounts.Options{
		Store: st, Provisioner: f.prov, Mailer: f.outbox,
		SignupDomains: []string{"example.com", "example.org"},
		ResetURL:      "http://127.0.0.1:1/reset",
		Hash:          lightHash,
		Now:           f.clock.Now,
	})
	mustOK(t, err)
	f.svc = svc
	return f
}

const goodPassword = ugc.Password("Correct-Horse-9")

func (f *fixture) register(t *testing.T, username, email string) *accounts.Session {
	t.Helper()
	s, err := f.svc.Register(context.Background(), accounts.RegisterInput{Username: username, Email: email, Password: goodPassword})
	mustOK(t, err)
	return s
}

// errInfo is what a client sees of an error.
type errInfo struct {
	Kind  string
	Code  string
	Field string
}

func info(err error) errInfo {
	if err == nil {
		return errInfo{}
	}
	return errInfo{Kind: ugc.DefaultCode(ugc.KindOf(err)), Code: ugc.CodeOf(err), Field: ugc.FieldOf(err)}
}

func TestNewRequiresOptions(t *testing.T) {
	st := memstore.New()
	defer st.Close()
	tests := []struct {
		name string
		opts accounts.Options
		want string
	}{
		{"no store", accounts.Options{Provisioner: &storeProvisioner{}, Mailer: &accounts.Outbox{}}, "Store"},
		{"no provisioner", accounts.Options{Store: st, Mailer: &accounts.Outbox{}}, "Provisioner"},
		{"no mailer", accounts.Options{Store: st, Provisioner: &storeProvisioner{}}, "Mailer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := accounts.New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestRegisterValidation(t *testing.T) {
	tests := []struct {
		name string
		in   accounts.RegisterInput
		want errInfo
	}{
		{"short username", accounts.RegisterInput{Username: "ab", Email: "a@example.com", Password: goodPassword},
			errInfo{"invalid_argument", "invalid_username", "username"}},
		{"reserved username", accounts.RegisterInput{Username: "admin", Email: "a@example.com", Password: goodPassword},
			errInfo{"invalid_argument", "reserved_username", "username"}},
		{"bad email", accounts.RegisterInput{Username: "alice", Email: "not-an-email", Password: goodPassword},
			errInfo{"invalid_argument", "invalid_argument", "email"}},
		{"domain not allowed", accounts.RegisterInput{Username: "alice", Email: "a@other.net", Password: goodPassword},
			errInfo{"invalid_argument", "email_domain_not_allowed", "email"}},
		{"short password", accounts.RegisterInput{Username: "alice", Email: "a@example.com", Password: "Ab1!"},
			errInfo{"invalid_argument", "weak_password", "password"}},
		{"two classes", accounts.RegisterInput{Username: "alice", Email: "a@example.com", Password: "abcdefgh12"},
			errInfo{"invalid_argument", "weak_password", "password"}},
		{"ok", accounts.RegisterInput{Username: "alice", Email: "a@Example.COM", Password: goodPassword}, errInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.Register(context.Background(), tt.in)
			if diff := cmp.Diff(tt.want, info(err)); diff != "" {
				t.Errorf("Register error (%v) mismatch (-want +got):\n%s", err, diff)
			}
		})
	}
}

func TestRegisterSignsIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.register(t, "alice", "alice@example.com")
	if s.Token == "" || s.User == nil || s.User.Username != "alice" {
		t.Fatalf("Register = %+v, want a token and the user alice", s)
	}
	if got, want := s.ExpiresAt, f.clock.Now().Add(accounts.DefaultSessionTTL); !got.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", got, want)
	}
	as, err := f.svc.Authenticate(ctx, s.Token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if as.UserID != s.User.ID {
		t.Errorf("Authenticate user = %q, want %q", as.UserID, s.User.ID)
	}
	// The store keeps the hash only.
	if _, err := f.st.GetAuthSession(ctx, s.Token.Reveal(), f.clock.Now()); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("session found by the raw token: err = %v, want ErrNotFound", err)
	}
	_, err = f.svc.Register(ctx, accounts.RegisterInput{Username: "ALICE", Email: "other@example.com", Password: goodPassword})
	if diff := cmp.Diff(errInfo{"already_exists", "already_exists", "username"}, info(err)); diff != "" {
		t.Errorf("duplicate Register mismatch (-want +got):\n%s", diff)
	}
}

func TestRegisterFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.prov.fail = &ugc.Error{Kind: ugc.ErrUnavailable, Message: "AWS is down"}
	in := accounts.RegisterInput{Username: "bob_1", Email: "bob@example.com", Password: goodPassword}
	_, err := f.svc.Register(ctx, in)
	if !errors.Is(err, ugc.ErrUnavailable) {
		t.Fatalf("Register with failing provisioning: err = %v, want ErrUnavailable", err)
	}
	if _, err := f.st.GetUserByUsername(ctx, "bob_1"); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("user left behind: err = %v", err)
	}
	f.prov.fail = nil
	if _, err := f.svc.Register(ctx, in); err != nil {
		t.Errorf("Register retry: %v", err)
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	f.register(t, "alice", "Alice@example.com")
	tests := []struct {
		name  string
		login string
		pwd   ugc.Password
		want  errInfo
	}{
		{"username", "alice", goodPassword, errInfo{}},
		{"username other case", "ALICE", goodPassword, errInfo{}},
		{"email", "Alice@example.com", goodPassword, errInfo{}},
		{"email domain case", "Alice@EXAMPLE.com", goodPassword, errInfo{}},
		{"wrong password", "alice", "Wrong-Horse-9", errInfo{"unauthenticated", "invalid_credentials", ""}},
		{"unknown user", "nobody", goodPassword, errInfo{"unauthenticated", "invalid_credentials", ""}},
		{"unknown email", "nobody@example.com", goodPassword, errInfo{"unauthenticated", "invalid_credentials", ""}},
		{"empty login", "", goodPassword, errInfo{"invalid_argument", "invalid_argument", "login"}},
		{"empty password", "alice", "", errInfo{"invalid_argument", "invalid_argument", "password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := f.svc.Login(context.Background(), accounts.LoginInput{Login: tt.login, Password: tt.pwd, ClientAddr: "127.0.0.1"})
			if diff := cmp.Diff(tt.want, info(err)); diff != "" {
				t.Fatalf("Login error (%v) mismatch (-want +got):\n%s", err, diff)
			}
			if err == nil && s.User.Username != "alice" {
				t.Errorf("Login user = %q, want alice", s.User.Username)
			}
		})
	}
}

func TestLoginSameMessageForUnknownAndWrong(t *testing.T) {
	f := newFixture(t)
	f.register(t, "alice", "alice@example.com")
	ctx := context.Background()
	_, wrong := f.svc.Login(ctx, accounts.LoginInput{Login: "alice", Password: "Wrong-Horse-9"})
	_, unknown := f.svc.Login(ctx, accounts.LoginInput{Login: "nobody", Password: "Wrong-Horse-9"})
	if wrong == nil || unknown == nil {
		t.Fatalf("Login errors = %v, %v; want both non-nil", wrong, unknown)
	}
	if diff := cmp.Diff(wrong.Error(), unknown.Error()); diff != "" {
		t.Errorf("messages differ (-wrong +unknown):\n%s", diff)
	}
}

func TestLoginThrottling(t *testing.T) {
	tests := []struct {
		name string
		// attempt returns the input of the i-th failed attempt.
		attempt func(i int) accounts.LoginInput
		// then is the input tried after the failures.
		then accounts.LoginInput
	}{
		{
			name: "one login from many addresses",
			attempt: func(i int) accounts.LoginInput {
				return accounts.LoginInput{Login: "alice", Password: "Wrong-1x", ClientAddr: "10.0.0." + string(rune('a'+i))}
			},
			then: accounts.LoginInput{Login: "ALICE", Password: goodPassword, ClientAddr: "10.9.9.9"},
		},
		{
			name: "one address for many logins",
			attempt: func(i int) accounts.LoginInput {
				return accounts.LoginInput{Login: "user" + string(rune('a'+i)), Password: "Wrong-1x", ClientAddr: "10.1.1.1"}
			},
			then: accounts.LoginInput{Login: "alice", Password: goodPassword, ClientAddr: "10.1.1.1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t)
			f.register(t, "alice", "alice@example.com")
			for i := range accounts.DefaultMaxFailures {
				_, err := f.svc.Login(ctx, tt.attempt(i))
				if !errors.Is(err, ugc.ErrUnauthenticated) {
					t.Fatalf("attempt %d: err = %v, want ErrUnauthenticated", i, err)
				}
				f.clock.Add(time.Second)
			}
			_, err := f.svc.Login(ctx, tt.then)
			if diff := cmp.Diff(errInfo{"throttled", "too_many_attempts", ""}, info(err)); diff != "" {
				t.Fatalf("Login after failures (%v) mismatch (-want +got):\n%s", err, diff)
			}
			// The first failure leaves the window 60 s after it: 50 s from now.
			if got, want := accounts.RetryAfterSeconds(err), 50; got != want {
				t.Errorf("RetryAfterSeconds = %d, want %d", got, want)
			}
			f.clock.Add(50 * time.Second)
			if _, err := f.svc.Login(ctx, tt.then); err != nil {
				t.Errorf("Login once the window moved: %v", err)
			}
		})
	}
}

func TestLogout(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.register(t, "alice", "alice@example.com")
	if err := f.svc.Logout(ctx, s.Token); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, s.Token); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("Authenticate after Logout: err = %v, want ErrUnauthenticated", err)
	}
	if err := f.svc.Logout(ctx, s.Token); err != nil {
		t.Errorf("second Logout: %v", err)
	}
}

func TestSessionExpires(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.register(t, "alice", "alice@example.com")
	f.clock.Add(accounts.DefaultSessionTTL - time.Second)
	if _, err := f.svc.Authenticate(ctx, s.Token); err != nil {
		t.Fatalf("Authenticate before expiry: %v", err)
	}
	f.clock.Add(time.Second)
	if _, err := f.svc.Authenticate(ctx, s.Token); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("Authenticate at expiry: err = %v, want ErrUnauthenticated", err)
	}
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s1 := f.register(t, "alice", "alice@example.com")
	s2, err := f.svc.Login(ctx, accounts.LoginInput{Login: "alice", Password: goodPassword})
	mustOK(t, err)
	uid := s1.User.ID

	tests := []struct {
		name          string
		current, next ugc.Password
		want          errInfo
	}{
		{"no current", "", "New-Pass-123", errInfo{"invalid_argument", "invalid_argument", "currentPassword"}},
		{"weak new", goodPassword, "short", errInfo{"invalid_argument", "weak_password", "newPassword"}},
		{"wrong current", "Nope-Nope-1", "New-Pass-123", errInfo{"invalid_argument", "wrong_password", "currentPassword"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.ChangePassword(ctx, uid, s1.Token, tt.current, tt.next)
			if diff := cmp.Diff(tt.want, info(err)); diff != "" {
				t.Errorf("ChangePassword error (%v) mismatch (-want +got):\n%s", err, diff)
			}
		})
	}

	if err := f.svc.ChangePassword(ctx, uid, s1.Token, goodPassword, "New-Pass-123"); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, s1.Token); err != nil {
		t.Errorf("the session that changed the password ended: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, s2.Token); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("other session: err = %v, want ErrUnauthenticated", err)
	}
	if _, err := f.svc.Login(ctx, accounts.LoginInput{Login: "alice", Password: goodPassword}); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("old password: err = %v, want ErrUnauthenticated", err)
	}
	if _, err := f.svc.Login(ctx, accounts.LoginInput{Login: "alice", Password: "New-Pass-123"}); err != nil {
		t.Errorf("new password: %v", err)
	}
}

// tokenFromMail returns the reset token of the last mail to addr.
func tokenFromMail(t *testing.T, o *accounts.Outbox, addr string) ugc.Token {
	t.Helper()
	msgs := o.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To != addr {
			continue
		}
		for line := range strings.Lines(msgs[i].Body) {
			if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "Reset token: "); ok {
				return ugc.Token(tok)
			}
		}
	}
	t.Fatalf("no reset mail to %s in %d messages", addr, len(msgs))
	return ""
}

func TestPasswordReset(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.register(t, "alice", "alice@example.com")

	if err := f.svc.RequestReset(ctx, "nobody@example.com"); err != nil {
		t.Fatalf("RequestReset unknown: %v", err)
	}
	if n := len(f.outbox.Messages()); n != 0 {
		t.Fatalf("mail sent for an unknown address: %d messages", n)
	}
	if err := f.svc.RequestReset(ctx, "not an email"); ugc.FieldOf(err) != "email" {
		t.Errorf("RequestReset malformed: err = %v, want one naming email", err)
	}
	if err := f.svc.RequestReset(ctx, "alice@EXAMPLE.com"); err != nil {
		t.Fatalf("RequestReset: %v", err)
	}
	tok := tokenFromMail(t, f.outbox, "alice@example.com")
	if body := f.outbox.Messages()[0].Body; !strings.Contains(body, "http://127.0.0.1:1/reset?token=") {
		t.Errorf("mail has no reset link:\n%s", body)
	}

	err := f.svc.ConfirmReset(ctx, tok, "weak")
	if diff := cmp.Diff(errInfo{"invalid_argument", "weak_password", "newPassword"}, info(err)); diff != "" {
		t.Errorf("weak new password mismatch (-want +got):\n%s", diff)
	}
	if err := f.svc.ConfirmReset(ctx, tok, "Reset-Pass-42"); err != nil {
		t.Fatalf("ConfirmReset: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, s.Token); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("session survived the reset: err = %v", err)
	}
	if _, err := f.svc.Login(ctx, accounts.LoginInput{Login: "alice", Password: "Reset-Pass-42"}); err != nil {
		t.Errorf("Login with the new password: %v", err)
	}

	// A second request gives a token that expires.
	mustOK(t, f.svc.RequestReset(ctx, "alice@example.com"))
	tok2 := tokenFromMail(t, f.outbox, "alice@example.com")
	f.clock.Add(accounts.DefaultResetTTL + time.Second)

	tests := []struct {
		name string
		tok  ugc.Token
		want errInfo
	}{
		{"used", tok, errInfo{"failed_precondition", "token_used", "token"}},
		{"expired", tok2, errInfo{"failed_precondition", "token_expired", "token"}},
		{"unknown", "bogus", errInfo{"invalid_argument", "invalid_token", "token"}},
		{"empty", "", errInfo{"invalid_argument", "invalid_argument", "token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.ConfirmReset(ctx, tt.tok, "Other-Pass-42")
			if diff := cmp.Diff(tt.want, info(err)); diff != "" {
				t.Errorf("ConfirmReset error (%v) mismatch (-want +got):\n%s", err, diff)
			}
		})
	}
}

func TestResetMailsAreLimited(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.register(t, "alice", "alice@example.com")
	for range 8 {
		mustOK(t, f.svc.RequestReset(ctx, "alice@example.com"))
	}
	if got, want := len(f.outbox.Messages()), 5; got != want {
		t.Errorf("mails sent = %d, want %d", got, want)
	}
}

func TestDeleteAccount(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s := f.register(t, "alice", "alice@example.com")
	if err := f.svc.DeleteAccount(ctx, s.User.ID); err != nil {
		t.Fatalf("DeleteAccount: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, s.Token); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("session survived: err = %v", err)
	}
	if _, err := f.svc.Login(ctx, accounts.LoginInput{Login: "alice", Password: goodPassword}); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("Login after delete: err = %v, want ErrUnauthenticated", err)
	}
	if _, err := f.st.GetCredentials(ctx, s.User.ID); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("credentials survived: err = %v", err)
	}
	if err := f.svc.DeleteAccount(ctx, s.User.ID); err != nil {
		t.Errorf("second DeleteAccount: %v", err)
	}
}

// mustOK fails the test at once on a precondition error.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
