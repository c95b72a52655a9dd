// Package chat issues Amazon IVS Chat tokens for channels' chat rooms and
// moderates them: permanent and timed bans with a ban list, delegated
// moderators, message deletion, kicks, room settings (message length,
// slow mode) and blocked terms enforced by a message review handler.
//
// Every user's channel has one chat room (made by ugc/channels at
// registration; its ARN is User.Channel.ChatRoomArn). The service reaches
// IVS Chat only through ChatAPI, which *ivschat.Client satisfies, and keeps
// its state in a store.Store.
//
// # Tokens and roles
//
// Service.Token mints a token for one connection. The caller's Role decides
// the capabilities: anonymous viewers get a view-only token under a random
// "anon-" chat user ID; signed-in viewers SEND_MESSAGE; the owner and the
// owner's moderators also DELETE_MESSAGE and DISCONNECT_USER; a banned
// viewer gets no token. The chat user ID of a signed-in viewer is the ugc
// user ID (ChatUserID), so a ban or kick by user reaches every connection
// of that user. Token attributes (displayName, color, avatar, avatarUrl,
// userId) stay under IVS's 1 KB limit: the avatar URL is dropped first.
//
// # Bans
//
// A ban is stored, then the user's live connections are closed with
// DisconnectUser. From the moment it is stored the user gets no chat token,
// and the other features that read store bans hide the playback URL on the
// channel page and refuse stage tokens. A timed ban (1 s to 14 days) ends
// at its ExpiresAt: the clock decides, nothing has to run. Every client
// in the room receives the aws:DISCONNECT_USER event naming the banned
// chat user ID, which is also the sender user ID of that user's messages,
// so clients can hide them. Anonymous viewers cannot be banned: they have no identity, and their tokens
// cannot send anything.
//
// Moderators may delete messages, kick and ban, but not ban or kick the
// owner or another moderator. The owner may; banning a moderator revokes
// the moderator. Revoking a moderator disconnects them, since their open
// connections still carry moderator capabilities.
//
// # Blocked terms
//
// SetBlockedTerms stores up to 500 terms per channel and sets the room's
// messageReviewHandler (Options.ReviewHandlerURI, fallback ALLOW) while
// there are terms, removing it when there are none. The handler is a
// Reviewer: Service.Review in-process (register it with ivslocal's
// SetMessageReviewHandler locally) or ugc/chat/reviewlambda on AWS Lambda.
// It finds the room's channel with store.GetUserByResource, compiles the
// channel's terms into a Matcher (case-insensitive whole-word matching,
// one map lookup per word of the message whatever the number of terms),
// caches it for a few seconds, and denies a message holding a term (or
// masks the terms with Options.MaskBlockedTerms). Requests racing to set
// and clear a channel's terms can leave its room's handler out of step
// with the stored terms; EnsureReviewHandler repairs it.
//
// # Errors
//
// Errors wrap the ugc sentinels: an unknown channel or user is
// ErrNotFound (code "channel_not_found" or "user_not_found"); a caller who
// may not moderate is ErrPermissionDenied ("not_moderator",
// "target_is_owner", "target_is_moderator"); a banned viewer asking for a
// token ErrPermissionDenied with code "banned"; bad input
// ErrInvalidArgument naming the field; AWS failures are mapped by
// internal/awserr (ErrUnavailable for an outage).
//
// # Concurrency
//
// Service and Reviewer are safe for concurrent use and start no
// goroutines. A ban racing a token request may let a token minted just
// before the ban connect once after the disconnect; it lasts at most the
// session duration.
//
// # Testing
//
// The tests run the service against ugc/ivslocal with unmodified ivschat
// clients and real WebSocket chat clients (github.com/coder/websocket),
// control time with Options.Now, and drive one case with the official
// amazon-ivs-chat-messaging JS client from testdata/node when node and npm
// are installed.
package chat
