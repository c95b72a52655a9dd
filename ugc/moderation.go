package ugc

import "time"

// Ban keeps UserID out of the chat (and stage) of ChannelUserID's channel,
// permanently or until ExpiresAt.
type Ban struct {
	ChannelUserID string
	UserID        string
	Reason        string
	BannedBy      string // user ID of the owner or moderator
	CreatedAt     time.Time
	ExpiresAt     time.Time // zero means permanent
}

// Active reports whether the ban is in force at now.
func (b *Ban) Active(now time.Time) bool { return b.ExpiresAt.IsZero() || now.Before(b.ExpiresAt) }

// Moderator is a user the channel owner has delegated moderation to.
type Moderator struct {
	ChannelUserID string
	UserID        string
	CreatedAt     time.Time
}
