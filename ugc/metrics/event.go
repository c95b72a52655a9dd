package metrics

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// The EventBridge detail types the service understands.
const (
	StreamStateChange     = "IVS Stream State Change"
	StreamHealthChange    = "IVS Stream Health Change"
	LimitBreach           = "IVS Limit Breach"
	RecordingStateChange  = "IVS Recording State Change"
	StageUpdate           = "IVS Stage Update"
	maxEventBytes         = 256 << 10 // EventBridge's own event size limit
	maxEventFieldLen      = 1024
	eventNameSessionStart = "Session Created"
	eventNameStreamStart  = "Stream Start"
	eventNameStreamEnd    = "Stream End"
	eventNameSessionEnd   = "Session Ended"
	eventNameStreamFail   = "Stream Failure"
	eventNameStarveStart  = "Starvation Start"
	eventNameStarveEnd    = "Starvation End"
)

// Event is an EventBridge event from source aws.ivs, as delivered to a
// target (a Lambda function or an API destination).
type Event struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       time.Time       `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// Detail holds the detail keys of the IVS events the service reads.
type Detail struct {
	EventName           string `json:"event_name"`
	ChannelName         string `json:"channel_name"`
	StreamID            string `json:"stream_id"`
	Code                string `json:"code"`
	Reason              string `json:"reason"`
	LimitName           string `json:"limit_name"`
	RecordingStatus     string `json:"recording_status"`
	RecordingStatusText string `json:"recording_status_reason"`
	SessionID           string `json:"session_id"`
	EventTime           string `json:"event_time"`
	UserID              string `json:"user_id"`
	ParticipantID       string `json:"participant_id"`
}

// ParseEvent decodes one EventBridge event and its detail. Malformed JSON,
// a missing detail-type or time, or oversized input is ErrInvalidArgument.
func ParseEvent(raw []byte) (*Event, *Detail, error) {
	if len(raw) == 0 || len(raw) > maxEventBytes {
		return nil, nil, ugc.InvalidField("event", "must be 1 byte to 256 KiB of JSON")
	}
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, nil, ugc.InvalidField("event", "malformed event JSON: %v", err)
	}
	if ev.DetailType == "" || len(ev.DetailType) > maxEventFieldLen {
		return nil, nil, ugc.InvalidField("detail-type", "is required")
	}
	if ev.Time.IsZero() {
		return nil, nil, ugc.InvalidField("time", "is required")
	}
	var d Detail
	if len(ev.Detail) > 0 && string(ev.Detail) != "null" {
		if err := json.Unmarshal(ev.Detail, &d); err != nil {
			return nil, nil, ugc.InvalidField("detail", "malformed detail: %v", err)
		}
	}
	for _, s := range []string{ev.ID, d.EventName, d.StreamID, d.LimitName, d.Code, d.Reason, d.RecordingStatus} {
		if len(s) > maxEventFieldLen {
			return nil, nil, ugc.InvalidField("detail", "a field is longer than %d bytes", maxEventFieldLen)
		}
	}
	if ev.ID == "" {
		// EventBridge always sets an ID; derive a stable one for hand-made
		// events so redelivery stays idempotent.
		sum := sha256.Sum256(raw)
		ev.ID = "sha256-" + hex.EncodeToString(sum[:12])
	}
	ev.Time = ev.Time.UTC()
	return &ev, &d, nil
}

// stageEvent converts an IVS Stage Update event for the realtime package.
func stageEvent(ev *Event, d *Detail) ugc.StageEvent {
	at := ev.Time
	if t, err := time.Parse(time.RFC3339, d.EventTime); err == nil {
		at = t.UTC()
	}
	return ugc.StageEvent{
		ID: ev.ID, StageArn: ev.StageArn(), SessionID: d.SessionID, Name: d.EventName,
		ParticipantID: d.ParticipantID, UserID: d.UserID, Time: at,
	}
}

// name returns the event's name as sessions show it: the limit name of a
// limit breach, the recording status of a recording change, else event_name.
func (d *Detail) name(detailType string) string {
	switch {
	case detailType == LimitBreach && d.LimitName != "":
		return d.LimitName
	case detailType == RecordingStateChange && d.RecordingStatus != "":
		return d.RecordingStatus
	}
	return d.EventName
}

// ChannelArn returns the first IVS channel ARN among the resources.
func (ev *Event) ChannelArn() string {
	for _, r := range ev.Resources {
		if strings.HasPrefix(r, "arn:") && strings.Contains(r, ":channel/") {
			return r
		}
	}
	return ""
}

// StageArn returns the first IVS stage ARN among the resources.
func (ev *Event) StageArn() string {
	for _, r := range ev.Resources {
		if strings.HasPrefix(r, "arn:") && strings.Contains(r, ":stage/") {
			return r
		}
	}
	return ""
}
