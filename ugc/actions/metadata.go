package actions

import (
	_ "embed"
	"encoding/json"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// MaxMetadataBytes is the largest PutMetadata payload IVS accepts.
const MaxMetadataBytes = 1024

// MetadataVersion is the version ("v") of the metadata documents this
// package writes.
const MetadataVersion = 1

// TypeClear is the type of the metadata document that removes the overlay.
const TypeClear = "clear"

// MetadataSchema is the JSON Schema (draft 2020-12) of the timed-metadata
// documents this package sends, so players can validate what they receive.
//
//go:embed metadata.schema.json
var MetadataSchema []byte

// Metadata is the timed-metadata document sent to viewers with
// PutMetadata: version 1 of {"v","id","type","data","startedAt","expiresAt"}.
// The clear document has type "clear", the ID of the action it removes
// (empty when unknown) and no data. Times are RFC 3339 in UTC with
// millisecond precision; ExpiresAt is null for an overlay that stays until
// replaced or stopped.
type Metadata struct {
	V         int             `json:"v"`
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Data      json.RawMessage `json:"data,omitempty"`
	StartedAt *time.Time      `json:"startedAt,omitempty"`
	ExpiresAt *time.Time      `json:"expiresAt"`
}

func ms(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Millisecond)
	return &u
}

// EncodeMetadata returns the metadata document of a. A document over
// MaxMetadataBytes is ugc.ErrTooLarge naming the field "data".
func EncodeMetadata(a *ugc.Action) (string, error) {
	b, err := json.Marshal(Metadata{V: MetadataVersion, ID: a.ID, Type: a.Type, Data: a.Data,
		StartedAt: ms(a.StartedAt), ExpiresAt: ms(a.ExpiresAt)})
	if err != nil {
		return "", ugc.InvalidField("data", "cannot be encoded: %v", err)
	}
	if len(b) > MaxMetadataBytes {
		return "", &ugc.Error{Kind: ugc.ErrTooLarge, Field: "data", Code: "metadata_too_large",
			Message: "the encoded overlay is " + itoa(len(b)) + " bytes; IVS timed metadata holds at most " + itoa(MaxMetadataBytes)}
	}
	return string(b), nil
}

// ClearMetadata returns the document that removes the overlay with the
// given action ID.
func ClearMetadata(actionID string) string {
	b, _ := json.Marshal(Metadata{V: MetadataVersion, ID: actionID, Type: TypeClear})
	return string(b)
}

// DecodeMetadata parses a metadata document, as a player would, checking
// its version and type.
func DecodeMetadata(payload string) (*Metadata, error) {
	var m Metadata
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		return nil, ugc.InvalidField("metadata", "must be a JSON metadata document: %v", err)
	}
	if m.V != MetadataVersion {
		return nil, ugc.InvalidField("metadata.v", "must be %d", MetadataVersion)
	}
	if m.Type != TypeClear && !validType(m.Type) {
		return nil, ugc.InvalidField("metadata.type", "unknown type %q", m.Type)
	}
	return &m, nil
}

func validType(t string) bool {
	for _, x := range Types {
		if x == t {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
