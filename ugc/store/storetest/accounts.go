package storetest

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

var accountsTests = []test{
	{"CredentialsPutGetReplaceDelete", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.GetCredentials(ctx, "u1")
		isErr(t, "GetCredentials before Put", err, ugc.ErrNotFound, "")
		c := ugc.Credentials{UserID: "u1", PasswordHash: "$argon2id$v=19$a", UpdatedAt: at(1)}
		ok(t, "PutCredentials", st.PutCredentials(ctx, c))
		got, err := st.GetCredentials(ctx, "u1")
		ok(t, "GetCredentials", err)
		diff(t, "GetCredentials", &c, got)
		c.PasswordHash, c.UpdatedAt = "$argon2id$v=19$b", at(2)
		ok(t, "PutCredentials replace", st.PutCredentials(ctx, c))
		got, err = st.GetCredentials(ctx, "u1")
		ok(t, "GetCredentials", err)
		diff(t, "GetCredentials after replace", &c, got)
		ok(t, "DeleteCredentials", st.DeleteCredentials(ctx, "u1"))
		ok(t, "DeleteCredentials again (idempotent)", st.DeleteCredentials(ctx, "u1"))
		_, err = st.GetCredentials(ctx, "u1")
		isErr(t, "GetCredentials after Delete", err, ugc.ErrNotFound, "")
	}},
	{"AuthSessionExpiresAtExpiresAt", func(t *testing.T, ctx context.Context, st store.Store) {
		s := ugc.AuthSession{TokenHash: "h1", UserID: "u1", CreatedAt: at(0), ExpiresAt: at(100)}
		ok(t, "CreateAuthSession", st.CreateAuthSession(ctx, s))
		got, err := st.GetAuthSession(ctx, "h1", at(99))
		ok(t, "GetAuthSession before expiry", err)
		diff(t, "GetAuthSession", &s, got)
		_, err = st.GetAuthSession(ctx, "h1", at(100))
		isErr(t, "GetAuthSession at ExpiresAt", err, ugc.ErrNotFound, "")
		_, err = st.GetAuthSession(ctx, "h1", at(101))
		isErr(t, "GetAuthSession after ExpiresAt", err, ugc.ErrNotFound, "")
		_, err = st.GetAuthSession(ctx, "h2", at(1))
		isErr(t, "GetAuthSession of a missing hash", err, ugc.ErrNotFound, "")
	}},
	{"CreateAuthSessionTakenHash", func(t *testing.T, ctx context.Context, st store.Store) {
		s := ugc.AuthSession{TokenHash: "h1", UserID: "u1", CreatedAt: at(0), ExpiresAt: at(100)}
		ok(t, "CreateAuthSession", st.CreateAuthSession(ctx, s))
		other := ugc.AuthSession{TokenHash: "h1", UserID: "u2", CreatedAt: at(1), ExpiresAt: at(200)}
		isErr(t, "CreateAuthSession with a taken hash", st.CreateAuthSession(ctx, other), ugc.ErrAlreadyExists, "")
		got, err := st.GetAuthSession(ctx, "h1", at(1))
		ok(t, "GetAuthSession", err)
		diff(t, "GetAuthSession after a failed create", &s, got)
	}},
	{"DeleteAuthSessions", func(t *testing.T, ctx context.Context, st store.Store) {
		for _, s := range []ugc.AuthSession{
			{TokenHash: "a1", UserID: "a", ExpiresAt: at(100)},
			{TokenHash: "a2", UserID: "a", ExpiresAt: at(100)},
			{TokenHash: "a3", UserID: "a", ExpiresAt: at(100)},
			{TokenHash: "b1", UserID: "b", ExpiresAt: at(100)},
		} {
			ok(t, "CreateAuthSession", st.CreateAuthSession(ctx, s))
		}
		ok(t, "DeleteAuthSession", st.DeleteAuthSession(ctx, "a1"))
		ok(t, "DeleteAuthSession again (idempotent)", st.DeleteAuthSession(ctx, "a1"))
		ok(t, "DeleteUserAuthSessions except a2", st.DeleteUserAuthSessions(ctx, "a", "a2"))
		live := map[string]bool{}
		for _, h := range []string{"a1", "a2", "a3", "b1"} {
			_, err := st.GetAuthSession(ctx, h, at(1))
			live[h] = err == nil
		}
		diff(t, "sessions left", map[string]bool{"a1": false, "a2": true, "a3": false, "b1": true}, live)
		ok(t, "DeleteUserAuthSessions keeping none", st.DeleteUserAuthSessions(ctx, "a", ""))
		_, err := st.GetAuthSession(ctx, "a2", at(1))
		isErr(t, "GetAuthSession after DeleteUserAuthSessions", err, ugc.ErrNotFound, "")
		ok(t, "DeleteUserAuthSessions of a user without sessions", st.DeleteUserAuthSessions(ctx, "zz", ""))
		_, err = st.GetAuthSession(ctx, "b1", at(1))
		ok(t, "another user's session survives", err)
	}},
	{"UseResetToken", func(t *testing.T, ctx context.Context, st store.Store) {
		tok := ugc.ResetToken{TokenHash: "r1", UserID: "u1", ExpiresAt: at(100)}
		ok(t, "CreateResetToken", st.CreateResetToken(ctx, tok))
		isErr(t, "CreateResetToken with a taken hash",
			st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "r1", UserID: "u2", ExpiresAt: at(100)}),
			ugc.ErrAlreadyExists, "")
		got, err := st.UseResetToken(ctx, "r1", at(10))
		ok(t, "UseResetToken", err)
		want := tok
		want.UsedAt = at(10)
		diff(t, "UseResetToken", &want, got)
		_, err = st.UseResetToken(ctx, "r1", at(11))
		isErr(t, "UseResetToken twice", err, ugc.ErrFailedPrecondition, "token_used")
		_, err = st.UseResetToken(ctx, "missing", at(11))
		isErr(t, "UseResetToken of a missing token", err, ugc.ErrNotFound, "")
	}},
	{"UseResetTokenExpiresAtExpiresAt", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "CreateResetToken", st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "r1", UserID: "u1", ExpiresAt: at(100)}))
		_, err := st.UseResetToken(ctx, "r1", at(100))
		isErr(t, "UseResetToken at ExpiresAt", err, ugc.ErrFailedPrecondition, "token_expired")
		// A refused use writes nothing: the token is still unused.
		_, err = st.UseResetToken(ctx, "r1", at(50))
		ok(t, "UseResetToken with an earlier clock after the expired attempt", err)
	}},
	{"UseResetTokenUsedBeatsExpired", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "CreateResetToken", st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "r1", UserID: "u1", ExpiresAt: at(100)}))
		_, err := st.UseResetToken(ctx, "r1", at(1))
		ok(t, "UseResetToken", err)
		_, err = st.UseResetToken(ctx, "r1", at(200))
		isErr(t, "UseResetToken of a used and expired token", err, ugc.ErrFailedPrecondition, "token_used")
	}},
}
