// Command fullapp is the reference app of ugc-go: the SDK wired into one
// server with its own accounts, a JSON API and, in local mode, controls
// that stand in for a broadcaster's encoder.
//
//	go run ./examples/fullapp                  # SQLite + the embedded emulator, in ./ugc-data
//	go run ./examples/fullapp -store memory    # nothing kept
//	go run ./examples/fullapp -aws             # real AWS through the standard config chain
//
// # Configuration
//
// Every flag has an environment fallback: -addr (UGC_ADDR, default
// 127.0.0.1:8080), -data (UGC_DATA, ./ugc-data), -store sqlite|memory|dynamodb
// (UGC_STORE), -table (UGC_TABLE: the DynamoDB table, default ugc), -aws
// (UGC_AWS), -origins (UGC_ORIGINS), -channel-type
// (UGC_CHANNEL_TYPE), -signup-domains (UGC_SIGNUP_DOMAINS), -events-secret
// (UGC_EVENTS_SECRET), -cognito-pool-url, -cognito-client-id and
// -cognito-jwks-url (UGC_COGNITO_*), -chat-review-arn (UGC_CHAT_REVIEW_ARN),
// -invite-key (UGC_INVITE_KEY), -client-ip-header (UGC_CLIENT_IP_HEADER).
// A flag beats its variable.
//
// # Wiring
//
// The app builds one store (SQLite, memory, or DynamoDB from the AWS
// config chain), the AWS clients, and the SDK services channels, chat,
// actions, metrics and realtime; metrics tells actions of stream events
// and realtime of stage events. httpapi serves them all with the app's
// own routes (accounts, /_dev) and authenticator.
//
// # Local mode
//
// Without -aws the app runs ugc/ivslocal in-process, with its state file in
// the data directory next to the SQLite database, so a restart keeps
// users, sessions, channels and stream keys (not live streams). The routes
// under /_dev/ simulate an encoder by username (stream start, stop,
// starvation, limit breach), show a channel's timed metadata and the mail
// outbox. Emulator events update the live index as they happen.
//
// # Real AWS
//
// With -aws the emulator is replaced by the standard AWS config chain
// (config.LoadDefaultConfig, including AWS_ENDPOINT_URL_* variables), the
// /_dev routes are not served, and IVS events arrive from an EventBridge
// API destination at POST /v1/stream-events, which requires the
// X-Ugc-Events-Secret header to equal -events-secret (the route exists
// only when the secret is set).
//
// # Accounts
//
// The app's accounts (package accounts) sign users in with a password and
// hand out bearer session tokens; with -cognito-pool-url it also accepts
// Amazon Cognito access tokens (package cognito). A Cognito user's app
// account has an ID derived from the pool and the user's subject ("sub"),
// so it stays theirs after a rename and no password account can be
// reached with a Cognito token. A password-reset mail links to the
// page GET /reset (web/reset.html and its script), which posts the new
// password with the mail's token.
//
// # Background work
//
// One janitor goroutine, at start and then hourly, finishes account
// deletions interrupted more than 15 minutes ago and deletes AWS resources
// of the project that no user owns (left by interrupted registrations).
// Another, every minute, ends abandoned stage sessions; a third, every
// five seconds, sends the poll:end events of polls whose starting replica
// stopped before they ended.
//
// # Shutdown
//
// On SIGINT or SIGTERM the app stops accepting connections, gives in-flight
// requests ShutdownTimeout to finish, stops the janitor, closes the
// emulator and the store, and exits 0.
package main
