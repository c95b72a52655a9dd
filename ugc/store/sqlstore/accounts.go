package sqlstore

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// PutCredentials creates or replaces the user's password hash.
func (s *Store) PutCredentials(ctx context.Context, c ugc.Credentials) (err error) {
	defer s.wrap(&err, "sqlstore.PutCredentials")
	if err := store.CheckCredentials(c); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
			c.UserID, c.PasswordHash, ms(c.UpdatedAt))
		return err
	})
}

// GetCredentials returns the user's password hash, or ErrNotFound.
func (s *Store) GetCredentials(ctx context.Context, userID string) (_ *ugc.Credentials, err error) {
	defer s.wrap(&err, "sqlstore.GetCredentials")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	c := ugc.Credentials{UserID: userID}
	var updated int64
	if err := scanOne(s.queryRow(ctx, `SELECT password_hash, updated_at FROM credentials WHERE user_id = ?`, userID),
		"credentials", &c.PasswordHash, &updated); err != nil {
		return nil, err
	}
	c.UpdatedAt = tm(updated)
	return &c, nil
}

// DeleteCredentials removes the user's password hash; idempotent.
func (s *Store) DeleteCredentials(ctx context.Context, userID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteCredentials")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.exec(ctx, `DELETE FROM credentials WHERE user_id = ?`, userID)
}

// exec runs one statement in its own write transaction.
func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// CreateAuthSession stores a session; a taken TokenHash is ErrAlreadyExists.
func (s *Store) CreateAuthSession(ctx context.Context, a ugc.AuthSession) (err error) {
	defer s.wrap(&err, "sqlstore.CreateAuthSession")
	if err := store.CheckAuthSession(a); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			a.TokenHash, a.UserID, ms(a.CreatedAt), ms(a.ExpiresAt))
		if isUnique(err) {
			return exists("token_hash", "session token hash is taken")
		}
		return err
	})
}

// GetAuthSession returns the session with the hash if it has not expired
// at now, else ErrNotFound.
func (s *Store) GetAuthSession(ctx context.Context, tokenHash string, now time.Time) (_ *ugc.AuthSession, err error) {
	defer s.wrap(&err, "sqlstore.GetAuthSession")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return nil, err
	}
	a := ugc.AuthSession{TokenHash: tokenHash}
	var created, expires int64
	if err := scanOne(s.queryRow(ctx, `SELECT user_id, created_at, expires_at FROM auth_sessions
		WHERE token_hash = ? AND expires_at > ?`, tokenHash, ms(now)), "session", &a.UserID, &created, &expires); err != nil {
		return nil, err
	}
	a.CreatedAt, a.ExpiresAt = tm(created), tm(expires)
	return &a, nil
}

// DeleteAuthSession removes one session; idempotent.
func (s *Store) DeleteAuthSession(ctx context.Context, tokenHash string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteAuthSession")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return err
	}
	return s.exec(ctx, `DELETE FROM auth_sessions WHERE token_hash = ?`, tokenHash)
}

// DeleteUserAuthSessions removes every session of the user except the one
// with hash except ("" keeps none); idempotent.
func (s *Store) DeleteUserAuthSessions(ctx context.Context, userID, except string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteUserAuthSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := store.CheckText("except", except, store.MaxIDLen); err != nil {
		return err
	}
	return s.exec(ctx, `DELETE FROM auth_sessions WHERE user_id = ? AND token_hash <> ?`, userID, except)
}

// CreateResetToken stores a password-reset token; a taken hash is
// ErrAlreadyExists.
func (s *Store) CreateResetToken(ctx context.Context, t ugc.ResetToken) (err error) {
	defer s.wrap(&err, "sqlstore.CreateResetToken")
	if err := store.CheckResetToken(t); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reset_tokens (token_hash, user_id, expires_at, used_at) VALUES (?, ?, ?, ?)`,
			t.TokenHash, t.UserID, ms(t.ExpiresAt), ms(t.UsedAt))
		if isUnique(err) {
			return exists("token_hash", "reset token hash is taken")
		}
		return err
	})
}

// UseResetToken marks the token used, atomically, and returns it.
func (s *Store) UseResetToken(ctx context.Context, tokenHash string, now time.Time) (_ *ugc.ResetToken, err error) {
	defer s.wrap(&err, "sqlstore.UseResetToken")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return nil, err
	}
	t := ugc.ResetToken{TokenHash: tokenHash}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		var expires, used int64
		if err := scanOne(tx.QueryRowContext(ctx, `SELECT user_id, expires_at, used_at FROM reset_tokens WHERE token_hash = ?`, tokenHash),
			"reset token", &t.UserID, &expires, &used); err != nil {
			return err
		}
		switch {
		case used != zeroMS:
			return ugc.WithCode(ugc.ErrFailedPrecondition, "token_used", "the reset token was already used")
		case ms(now) >= expires:
			return ugc.WithCode(ugc.ErrFailedPrecondition, "token_expired", "the reset token has expired")
		}
		t.ExpiresAt, t.UsedAt = tm(expires), tm(ms(now))
		_, err := tx.ExecContext(ctx, `UPDATE reset_tokens SET used_at = ? WHERE token_hash = ?`, ms(now), tokenHash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
