package stagesvc

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// The JSON shapes of the Real-Time API responses, keyed as the SDK's
// deserializers expect them.

type stageOut struct {
	Arn                                   string               `json:"arn"`
	Name                                  string               `json:"name"`
	ActiveSessionID                       string               `json:"activeSessionId,omitempty"`
	Endpoints                             *stageEndpoints      `json:"endpoints,omitempty"`
	Tags                                  map[string]string    `json:"tags"`
	AutoParticipantRecordingConfiguration *autoRecordingConfig `json:"autoParticipantRecordingConfiguration,omitempty"`
}

type stageSummaryOut struct {
	Arn             string            `json:"arn"`
	Name            string            `json:"name"`
	ActiveSessionID string            `json:"activeSessionId,omitempty"`
	Tags            map[string]string `json:"tags"`
}

type tokenOut struct {
	ParticipantID  string            `json:"participantId"`
	Token          string            `json:"token"`
	UserID         string            `json:"userId,omitempty"`
	Attributes     map[string]string `json:"attributes,omitempty"`
	Capabilities   []string          `json:"capabilities"`
	Duration       int               `json:"duration"`
	ExpirationTime string            `json:"expirationTime"`
}

type participantOut struct {
	ParticipantID  string            `json:"participantId"`
	UserID         string            `json:"userId,omitempty"`
	State          string            `json:"state"`
	FirstJoinTime  string            `json:"firstJoinTime"`
	Attributes     map[string]string `json:"attributes,omitempty"`
	Published      bool              `json:"published"`
	RecordingState string            `json:"recordingState,omitempty"`
	Protocol       string            `json:"protocol,omitempty"`
}

type participantSummaryOut struct {
	ParticipantID  string `json:"participantId"`
	UserID         string `json:"userId,omitempty"`
	State          string `json:"state"`
	FirstJoinTime  string `json:"firstJoinTime"`
	Published      bool   `json:"published"`
	RecordingState string `json:"recordingState,omitempty"`
}

type sessionOut struct {
	SessionID string `json:"sessionId"`
	StartTime string `json:"startTime"`
	EndTime   string `json:"endTime,omitempty"`
}

type eventOut struct {
	Name          string `json:"name"`
	ParticipantID string `json:"participantId"`
	EventTime     string `json:"eventTime"`
	ErrorCode     string `json:"errorCode,omitempty"`
}

// iso formats t as the service does: UTC, millisecond precision.
func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func sessionJSON(s *session) sessionOut {
	o := sessionOut{SessionID: s.ID, StartTime: iso(s.Start)}
	if s.End != nil {
		o.EndTime = iso(*s.End)
	}
	return o
}

func participantJSON(p *participant) participantOut {
	return participantOut{
		ParticipantID:  p.ID,
		UserID:         p.UserID,
		State:          p.State,
		FirstJoinTime:  iso(p.FirstJoinTime),
		Attributes:     p.Attributes,
		Published:      p.Published,
		RecordingState: p.RecordingState,
		Protocol:       "UNKNOWN",
	}
}

var (
	nameRE           = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	stageARNRE       = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$`)
	sessionIDRE      = regexp.MustCompile(`^st-[a-zA-Z0-9]+$`)
	participantIDRE  = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	storageConfigRE  = regexp.MustCompile(`^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$`)
	mediaTypeValues  = map[string]bool{"AUDIO_VIDEO": true, "AUDIO_ONLY": true, "NONE": true}
	thumbModeValues  = map[string]bool{"INTERVAL": true, "DISABLED": true}
	thumbStoreValues = map[string]bool{"SEQUENTIAL": true, "LATEST": true}
)

func checkStageARN(field, arn string) *emu.Error {
	if arn == "" {
		return emu.Validation("%s is required", field)
	}
	if len(arn) > 128 || !stageARNRE.MatchString(arn) {
		return emu.Validation("%s is not a valid stage ARN: %q", field, arn)
	}
	return nil
}

func checkSessionID(id string) *emu.Error {
	if id == "" {
		return emu.Validation("sessionId is required")
	}
	if len(id) != 16 || !sessionIDRE.MatchString(id) {
		return emu.Validation("sessionId must be 16 characters matching st-[a-zA-Z0-9]+: %q", id)
	}
	return nil
}

func checkParticipantID(id string) *emu.Error {
	if id == "" {
		return emu.Validation("participantId is required")
	}
	if len(id) > 64 || !participantIDRE.MatchString(id) {
		return emu.Validation("participantId is not valid: %q", id)
	}
	return nil
}

func checkName(name string) *emu.Error {
	if len(name) > maxNameLen || !nameRE.MatchString(name) {
		return emu.Validation("name must be at most %d characters of [a-zA-Z0-9-_]", maxNameLen)
	}
	return nil
}

func checkTags(tags map[string]string) *emu.Error {
	if len(tags) > maxTags {
		return emu.Validation("tags: at most %d tags are allowed", maxTags)
	}
	for k, v := range tags {
		if k == "" || len(k) > 128 {
			return emu.Validation("tags: key %q must be 1-128 characters", k)
		}
		if len(v) > 256 {
			return emu.Validation("tags: value of %q must be at most 256 characters", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return emu.Validation("tags: key %q uses the reserved prefix aws:", k)
		}
	}
	return nil
}

// checkMaxResults validates maxResults and returns the page size.
func checkMaxResults(n *int) (int, *emu.Error) {
	if n == nil {
		return defaultMaxResults, nil
	}
	if *n < 1 || *n > maxMaxResults {
		return 0, emu.Validation("maxResults must be between 1 and %d", maxMaxResults)
	}
	return *n, nil
}

// Page tokens are opaque to callers: the base64 of "<scope>:<offset>", so a
// token from one listing is not accepted by another.

func pageToken(scope string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(scope + ":" + strconv.Itoa(offset)))
}

func parsePageToken(scope, tok string) (int, *emu.Error) {
	if tok == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, emu.Validation("nextToken is not valid")
	}
	i := strings.LastIndexByte(string(b), ':')
	if i < 0 {
		return 0, emu.Validation("nextToken is not valid")
	}
	off, err := strconv.Atoi(string(b[i+1:]))
	if string(b[:i]) != scope || err != nil || off < 0 {
		return 0, emu.Validation("nextToken is not valid")
	}
	return off, nil
}

// page returns the bounds of one page of n items starting at off, and the
// next token ("" on the last page).
func page(scope string, n, off, size int) (lo, hi int, next string) {
	lo = min(off, n)
	hi = min(lo+size, n)
	if hi < n {
		next = pageToken(scope, hi)
	}
	return lo, hi, next
}

// validateAutoRec checks an AutoParticipantRecordingConfiguration and fills
// in the defaults the service applies.
func validateAutoRec(c *autoRecordingConfig) *emu.Error {
	if c == nil {
		return nil
	}
	if c.StorageConfigurationArn == nil {
		return emu.Validation("autoParticipantRecordingConfiguration.storageConfigurationArn is required")
	}
	if !storageConfigRE.MatchString(*c.StorageConfigurationArn) || len(*c.StorageConfigurationArn) > 128 {
		return emu.Validation("autoParticipantRecordingConfiguration.storageConfigurationArn is not a valid storage configuration ARN")
	}
	if len(c.MediaTypes) > 1 {
		return emu.Validation("autoParticipantRecordingConfiguration.mediaTypes takes at most one value")
	}
	for _, m := range c.MediaTypes {
		if !mediaTypeValues[m] {
			return emu.Validation("autoParticipantRecordingConfiguration.mediaTypes: unknown value %q", m)
		}
	}
	if len(c.MediaTypes) == 0 {
		c.MediaTypes = []string{"AUDIO_VIDEO"}
	}
	if c.RecordParticipantReplicas == nil {
		c.RecordParticipantReplicas = ptr(false)
	}
	if w := c.RecordingReconnectWindowSeconds; w != nil && (*w < 0 || *w > 300) {
		return emu.Validation("autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds must be between 0 and 300")
	}
	if c.RecordingReconnectWindowSeconds == nil {
		c.RecordingReconnectWindowSeconds = ptr(0)
	}
	if c.HlsConfiguration == nil {
		c.HlsConfiguration = &hlsConfig{}
	}
	if d := c.HlsConfiguration.TargetSegmentDurationSeconds; d != nil && (*d < 2 || *d > 10) {
		return emu.Validation("hlsConfiguration.targetSegmentDurationSeconds must be between 2 and 10")
	}
	if c.HlsConfiguration.TargetSegmentDurationSeconds == nil {
		c.HlsConfiguration.TargetSegmentDurationSeconds = ptr(6)
	}
	if c.ThumbnailConfiguration == nil {
		c.ThumbnailConfiguration = &thumbnailConfig{}
	}
	t := c.ThumbnailConfiguration
	if t.RecordingMode == nil {
		t.RecordingMode = ptr("INTERVAL")
	} else if !thumbModeValues[*t.RecordingMode] {
		return emu.Validation("thumbnailConfiguration.recordingMode: unknown value %q", *t.RecordingMode)
	}
	for _, s := range t.Storage {
		if !thumbStoreValues[s] {
			return emu.Validation("thumbnailConfiguration.storage: unknown value %q", s)
		}
	}
	if len(t.Storage) == 0 {
		t.Storage = []string{"SEQUENTIAL"}
	}
	if i := t.TargetIntervalSeconds; i != nil && (*i < 1 || *i > 86400) {
		return emu.Validation("thumbnailConfiguration.targetIntervalSeconds must be between 1 and 86400")
	}
	if t.TargetIntervalSeconds == nil {
		t.TargetIntervalSeconds = ptr(60)
	}
	return nil
}

// recordingEnabled reports whether participants of the stage are recorded.
func (c *autoRecordingConfig) recordingEnabled() bool {
	return c != nil && c.StorageConfigurationArn != nil && *c.StorageConfigurationArn != ""
}

func ptr[T any](v T) *T { return &v }

// tokenConfig is a ParticipantTokenConfiguration, also the body of
// CreateParticipantToken without the stage ARN.
type tokenConfig struct {
	Duration     *int              `json:"duration"`
	UserID       string            `json:"userId"`
	Attributes   map[string]string `json:"attributes"`
	Capabilities []string          `json:"capabilities"`
}

// validate checks c and fills in the defaults.
func (c *tokenConfig) validate() *emu.Error {
	if c.Duration == nil {
		c.Duration = ptr(defaultDurationMins)
	}
	if d := *c.Duration; d < minDurationMinutes || d > maxDurationMinutes {
		return emu.Validation("duration must be between %d and %d minutes", minDurationMinutes, maxDurationMinutes)
	}
	if len(c.UserID) > maxUserIDLen {
		return emu.Validation("userId must be at most %d characters", maxUserIDLen)
	}
	size := 0
	for k, v := range c.Attributes {
		size += len(k) + len(v)
	}
	if size > maxAttributesBytes {
		return emu.Validation("attributes exceed %d bytes in total (%d)", maxAttributesBytes, size)
	}
	if len(c.Capabilities) == 0 {
		c.Capabilities = []string{capPublish, capSubscribe}
	}
	if len(c.Capabilities) > 2 {
		return emu.Validation("capabilities takes at most 2 values")
	}
	seen := map[string]bool{}
	for _, cp := range c.Capabilities {
		if cp != capPublish && cp != capSubscribe {
			return emu.Validation("capabilities: unknown value %q", cp)
		}
		if seen[cp] {
			return emu.Validation("capabilities: duplicate value %q", cp)
		}
		seen[cp] = true
	}
	return nil
}
