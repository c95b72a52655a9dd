package stagesvc

import "time"

// Participant states (ParticipantState in the API).
const (
	stateConnected    = "CONNECTED"
	stateDisconnected = "DISCONNECTED"
)

// Token capabilities (ParticipantTokenCapability in the API).
const (
	capPublish   = "PUBLISH"
	capSubscribe = "SUBSCRIBE"
)

// Participant recording states (ParticipantRecordingState in the API).
var recordingStates = map[string]bool{
	"STARTING": true, "ACTIVE": true, "STOPPING": true, "STOPPED": true, "FAILED": true, "DISABLED": true,
}

// Limits of the Real-Time service the emulator enforces.
const (
	maxPublishers        = 12    // publishing participants per stage, not adjustable on AWS
	maxSubscribers       = 10000 // connected participants per stage
	maxTokenConfigs      = 12    // participantTokenConfigurations on CreateStage
	maxAttributesBytes   = 1024  // total size of a token's attribute keys and values
	maxUserIDLen         = 128
	minDurationMinutes   = 1
	maxDurationMinutes   = 20160 // 14 days
	defaultDurationMins  = 720   // 12 hours
	maxNameLen           = 128
	maxReasonLen         = 128
	defaultMaxResults    = 50
	maxMaxResults        = 100
	maxTags              = 50
	stageIDLen           = 12
	participantIDLen     = 12
	sessionIDSuffixLen   = 13 // "st-" + 13 = the 16 characters of a stage session ID
	eventDetailTypeStage = "IVS Stage Update"
)

// stage is one stage and its history of sessions.
type stage struct {
	ID        string                  `json:"id"`
	ARN       string                  `json:"arn"`
	Name      string                  `json:"name"`
	AutoRec   *autoRecordingConfig    `json:"autoRec,omitempty"`
	Endpoints stageEndpoints          `json:"endpoints"`
	Created   time.Time               `json:"created"`
	Sessions  []*session              `json:"sessions"`
	Used      map[string]bool         `json:"used"` // participant IDs whose token has joined
	byPID     map[string]*participant // participants of every session, by ID
	active    *session
}

// session is one stage session: it starts when the first participant joins
// and ends when the last one leaves.
type session struct {
	ID           string         `json:"id"`
	Start        time.Time      `json:"start"`
	End          *time.Time     `json:"end,omitempty"`
	Participants []*participant `json:"participants"`
}

// participant is one participant of a session.
type participant struct {
	ID             string            `json:"id"`
	UserID         string            `json:"userId"`
	Attributes     map[string]string `json:"attributes,omitempty"`
	Capabilities   []string          `json:"capabilities"`
	State          string            `json:"state"`
	Published      bool              `json:"published"`
	FirstJoinTime  time.Time         `json:"firstJoinTime"`
	RecordingState string            `json:"recordingState"`
	Events         []participantEvt  `json:"events"`
	sessionID      string
}

// participantEvt is one entry of ListParticipantEvents.
type participantEvt struct {
	Name      string    `json:"name"`
	Time      time.Time `json:"time"`
	ErrorCode string    `json:"errorCode,omitempty"`
}

func (p *participant) can(capability string) bool {
	for _, c := range p.Capabilities {
		if c == capability {
			return true
		}
	}
	return false
}

// stageEndpoints is the Stage.endpoints member.
type stageEndpoints struct {
	Events string `json:"events"`
	Whip   string `json:"whip"`
	Rtmp   string `json:"rtmp"`
	Rtmps  string `json:"rtmps"`
}

// autoRecordingConfig is AutoParticipantRecordingConfiguration.
type autoRecordingConfig struct {
	StorageConfigurationArn         *string          `json:"storageConfigurationArn,omitempty"`
	MediaTypes                      []string         `json:"mediaTypes,omitempty"`
	RecordParticipantReplicas       *bool            `json:"recordParticipantReplicas,omitempty"`
	RecordingReconnectWindowSeconds *int             `json:"recordingReconnectWindowSeconds,omitempty"`
	HlsConfiguration                *hlsConfig       `json:"hlsConfiguration,omitempty"`
	ThumbnailConfiguration          *thumbnailConfig `json:"thumbnailConfiguration,omitempty"`
}

type hlsConfig struct {
	TargetSegmentDurationSeconds *int `json:"targetSegmentDurationSeconds,omitempty"`
}

type thumbnailConfig struct {
	RecordingMode         *string  `json:"recordingMode,omitempty"`
	Storage               []string `json:"storage,omitempty"`
	TargetIntervalSeconds *int     `json:"targetIntervalSeconds,omitempty"`
}
