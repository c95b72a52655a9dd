package ugc

import "time"

// AuthSession is a signed-in session of the app's own accounts. Only the
// hash of its bearer token is stored.
type AuthSession struct {
	TokenHash string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Credentials are a user's password hash (argon2id, encoded).
type Credentials struct {
	UserID       string
	PasswordHash string
	UpdatedAt    time.Time
}

// ResetToken is a single-use password-reset token, stored as a hash.
type ResetToken struct {
	TokenHash string
	UserID    string
	ExpiresAt time.Time
	UsedAt    time.Time
}

// Job is the stored progress of a resumable multi-step operation, such as
// provisioning a user's resources or deleting an account. Data holds the
// operation's own fields (e.g. the ARNs made so far).
type Job struct {
	Kind      string // e.g. "provision", "delete"
	ID        string // e.g. the user ID
	Step      string
	Data      map[string]string
	CreatedAt time.Time
	UpdatedAt time.Time
}
