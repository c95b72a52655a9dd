package ugc

import "time"

// Follow says that FollowerID follows the channel of ChannelUserID.
type Follow struct {
	FollowerID    string
	ChannelUserID string
	FollowedAt    time.Time
}

// LiveKind says how a channel is live.
type LiveKind string

// The live kinds.
const (
	LiveLowLatency LiveKind = "low_latency" // an IVS low-latency stream
	LiveRealTime   LiveKind = "real_time"   // an IVS Real-Time stage session
)

// Valid reports whether k is a known kind.
func (k LiveKind) Valid() bool { return k == LiveLowLatency || k == LiveRealTime }

// LiveEntry is one entry of the live index: the channel of UserID is live
// in Kind since Since. Ref identifies what made it live (an IVS stream ID or
// a stage session ID) so a late end event of an older stream cannot end a
// newer one.
type LiveEntry struct {
	UserID string
	Kind   LiveKind
	Since  time.Time
	Ref    string
}

// FollowedChannel is one row of a user's following list: the followed
// channel's user ID, when it was followed, and its live entry (nil when
// offline).
type FollowedChannel struct {
	ChannelUserID string
	FollowedAt    time.Time
	Live          *LiveEntry
}
