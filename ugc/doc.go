// Package ugc holds the domain of a user-generated-content live-streaming
// platform built on Amazon IVS: users and their channel resources, follows,
// live state, stream sessions and their events, chat bans and moderators,
// overlay actions and presets, polls and votes, and multi-host stage seats,
// join requests and invites. It also holds the validation rules every
// feature shares and the error model of the project.
//
// Package ugc imports nothing of ours and no AWS package: feature packages
// (ugc/channels, ugc/chat, ugc/actions, ugc/metrics, ugc/realtime) and store
// drivers (ugc/store/...) build on it.
//
// # Errors
//
// Every error the SDK returns wraps one of the sentinels (ErrNotFound,
// ErrAlreadyExists, ErrInvalidArgument, ErrFailedPrecondition,
// ErrPermissionDenied, ErrUnauthenticated, ErrThrottled, ErrUnavailable,
// ErrTooLarge), usually inside an *Error that carries the operation, a stable
// machine-readable code, the offending field and the cause. Test with
// errors.Is; reach the details and any AWS error beneath with errors.As.
//
// # Secrets
//
// StreamKey, Token and Password print as REDACTED through fmt and log/slog.
// Call Reveal to get the value, and only where it must leave the process.
package ugc
