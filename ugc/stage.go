package ugc

import "time"

// StageSession is a collaborative session the host runs on their stage.
type StageSession struct {
	ChannelUserID     string // the host
	StageArn          string
	ID                string // our session ID
	HostParticipantID string
	StartedAt         time.Time
	EndedAt           time.Time // zero while active
	HostLeftAt        time.Time // zero while the host is present
}

// Active reports whether the session has not ended.
func (s *StageSession) Active() bool { return s.EndedAt.IsZero() }

// Seat is one of a stage session's publisher seats. A seat is held from
// reservation until the participant leaves or, if it never joins, until
// ExpiresAt.
type Seat struct {
	SessionID     string
	UserID        string
	ParticipantID string
	ReservedAt    time.Time
	ExpiresAt     time.Time // join window; zero once joined
}

// Join request states.
const (
	RequestPending  = "pending"
	RequestAccepted = "accepted"
	RequestRejected = "rejected"
	RequestRevoked  = "revoked"
	RequestExpired  = "expired"
)

// JoinRequest is a viewer's request to join a host's stage session.
type JoinRequest struct {
	ID            string
	ChannelUserID string // the host
	UserID        string // the requester
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ExpiresAt     time.Time
	TokenUsed     bool // an accepted request mints one publish token
}

// Invite is a signed invite code the host created. The store keeps its ID
// so invites can be listed and revoked; the code itself is signed.
type Invite struct {
	ID            string
	ChannelUserID string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	RevokedAt     time.Time
}

// Kick keeps UserID from minting publish tokens for ChannelUserID's stage
// until Until.
type Kick struct {
	ChannelUserID string
	UserID        string
	Until         time.Time
}

// Notification is one message of a user's event stream (server-sent
// events). Seq orders a user's notifications and is assigned by the store.
type Notification struct {
	UserID    string
	Seq       int64
	Type      string // e.g. "stage.request.created"
	Data      []byte // JSON
	CreatedAt time.Time
}

// StageEvent is an IVS Real-Time "IVS Stage Update" event as the realtime
// package consumes it, decoupled from how it was delivered.
type StageEvent struct {
	ID            string    // EventBridge event ID
	StageArn      string    // the stage
	SessionID     string    // the IVS stage session ("st-...")
	Name          string    // e.g. "Participant Joined", "Participant Left"
	ParticipantID string    // may be empty for session events
	UserID        string    // the participant token's user ID; may be empty
	Time          time.Time // event_time, else the envelope time
}
