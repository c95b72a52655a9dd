package ugc

import (
	"encoding/json"
	"time"
)

// Overlay action types.
const (
	ActionQuiz          = "quiz"
	ActionProduct       = "product"
	ActionAmazonProduct = "amazon_product"
	ActionNotice        = "notice"
	ActionCelebration   = "celebration"
)

// Action is the overlay active on a channel: sent as timed metadata, stored
// so late joiners can read it.
type Action struct {
	ID            string
	ChannelUserID string
	Type          string
	Data          json.RawMessage
	StartedAt     time.Time
	ExpiresAt     time.Time // zero: stays until replaced or stopped
}

// ActiveAt reports whether the action is still active at now.
func (a *Action) ActiveAt(now time.Time) bool { return a.ExpiresAt.IsZero() || now.Before(a.ExpiresAt) }

// Preset is a user's saved configuration of one action type.
type Preset struct {
	UserID    string
	Type      string
	Data      json.RawMessage
	UpdatedAt time.Time
}

// Rule sends a preset when a stream event arrives: e.g. a notice 30 s after
// "Stream Start".
type Rule struct {
	ID            string
	ChannelUserID string
	EventName     string // e.g. "Stream Start"
	PresetType    string // the preset to send
	Delay         time.Duration
	CreatedAt     time.Time
}

// Poll is a poll on a channel. Counts holds the exact tally per option.
type Poll struct {
	ID            string
	ChannelUserID string
	Question      string
	Options       []string
	Counts        []int64
	StartedAt     time.Time
	EndsAt        time.Time // the clock closes the poll at EndsAt
	EndedAt       time.Time // set when ended early; zero otherwise
}

// Closed reports whether the poll accepts no more votes at now.
func (p *Poll) Closed(now time.Time) bool {
	return !p.EndedAt.IsZero() && !now.Before(p.EndedAt) || !now.Before(p.EndsAt)
}

// Total returns the number of votes.
func (p *Poll) Total() int64 {
	var n int64
	for _, c := range p.Counts {
		n += c
	}
	return n
}

// Vote is one user's vote in a poll; there is at most one per (poll, user).
type Vote struct {
	PollID string
	UserID string
	Option int
	At     time.Time
}
