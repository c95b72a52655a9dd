package ugc

import (
	"encoding/json"
	"time"
)

// StreamSession is one IVS stream session of a channel, built from IVS
// events. ID is the IVS stream ID ("st-...").
type StreamSession struct {
	ID            string
	UserID        string
	ChannelArn    string
	StartTime     time.Time // zero until known
	EndTime       time.Time // zero while live
	IsHealthy     bool      // false after a starvation start until its end
	HasErrorEvent bool      // true after any limit breach or failure
	// IngestConfiguration is the encoder configuration as IVS reports it
	// (GetStreamSession), kept once complete; nil until then.
	IngestConfiguration json.RawMessage
	UpdatedAt           time.Time
}

// IsLive reports whether the session has started and not ended.
func (s *StreamSession) IsLive() bool { return !s.StartTime.IsZero() && s.EndTime.IsZero() }

// StreamEvent is one event of a stream session. ID is the EventBridge event
// ID, which makes recording idempotent on redelivery.
type StreamEvent struct {
	ID        string
	SessionID string
	Time      time.Time
	Type      string // EventBridge detail-type, e.g. "IVS Stream State Change"
	Name      string // detail event_name, e.g. "Stream Start"
	Code      string // optional error code
	Reason    string // optional reason
}

// MetricsCacheEntry is cached CloudWatch data for an ended session, at the
// best period that covers the whole session.
type MetricsCacheEntry struct {
	SessionID string
	Period    int             // seconds; smaller is better
	Complete  bool            // the data covers the whole session
	Data      json.RawMessage // the encoded series
	FetchedAt time.Time
}
