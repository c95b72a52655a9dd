// Package accounts is the reference app's own account system: the ugc SDK
// is auth-agnostic, and this is one way to plug users into it.
//
// # Passwords
//
// Passwords follow ugc.ValidatePassword (8–256 characters, three of lower,
// upper, digit, symbol) and are stored as argon2id hashes in the PHC
// encoding, "$argon2id$v=19$m=..,t=..,p=..$salt$key", so the cost can be
// raised later without invalidating stored hashes.
//
// # Sessions
//
// Signing in returns a random 32-byte bearer token (base64url). The store
// keeps only its SHA-256 (HashToken) with an expiry, 30 days by default.
// Changing the password ends every other session; resetting it ends all.
//
// # Abuse limits
//
// An unknown login and a wrong password give the same error after the same
// argon2id work. After 10 failures in a minute for one login or one client
// address, sign-in fails with ErrThrottled carrying a *RetryAfterError
// (RetryAfterSeconds). The counters live in the process, so N replicas
// allow N times the attempts. Reset mails are limited to five an hour per
// account; the request reports success either way.
//
// # Password reset
//
// RequestReset mails a single-use token, valid for an hour, through a
// Mailer. Outbox is a Mailer that keeps messages in memory for local
// development; the app shows it at GET /_dev/outbox.
//
// # Errors
//
// Errors are *ugc.Error values naming the field at fault: "username",
// "email", "password", "login", "currentPassword", "newPassword", "token".
package accounts
