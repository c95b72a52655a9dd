package chatsvc

import (
	"encoding/json"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Frame types and actions of the chat messaging protocol.
const (
	typeMessage = "MESSAGE"
	typeEvent   = "EVENT"
	typeError   = "ERROR"

	actionSendMessage    = "SEND_MESSAGE"
	actionDeleteMessage  = "DELETE_MESSAGE"
	actionDisconnectUser = "DISCONNECT_USER"

	eventDeleteMessage  = "aws:DELETE_MESSAGE"
	eventDisconnectUser = "aws:DISCONNECT_USER"
)

// Error codes of ERROR frames.
const (
	codeBadRequest      = 400
	codeForbidden       = 403
	codeNotFound        = 404
	codeNotAcceptable   = 406
	codePayloadTooLarge = 413
	codeTooManyRequests = 429
	codeInternal        = 500
)

// clientFrame is any request a client sends; which members matter depends
// on Action.
type clientFrame struct {
	Action     string            `json:"Action"`
	RequestID  string            `json:"RequestId"`
	Content    *string           `json:"Content"`
	Attributes map[string]string `json:"Attributes"`
	ID         string            `json:"Id"`
	Reason     string            `json:"Reason"`
	UserID     string            `json:"UserId"`
}

type senderFrame struct {
	UserID     string            `json:"UserId"`
	Attributes map[string]string `json:"Attributes,omitempty"`
}

type messageFrame struct {
	Type       string            `json:"Type"`
	ID         string            `json:"Id"`
	RequestID  string            `json:"RequestId,omitempty"`
	Content    string            `json:"Content"`
	Attributes map[string]string `json:"Attributes,omitempty"`
	SendTime   string            `json:"SendTime"`
	Sender     senderFrame       `json:"Sender"`
}

type eventFrame struct {
	Type       string            `json:"Type"`
	ID         string            `json:"Id"`
	RequestID  string            `json:"RequestId,omitempty"`
	EventName  string            `json:"EventName"`
	Attributes map[string]string `json:"Attributes,omitempty"`
	SendTime   string            `json:"SendTime"`
}

type errorFrame struct {
	Type         string `json:"Type"`
	ID           string `json:"Id"`
	RequestID    string `json:"RequestId,omitempty"`
	ErrorCode    int    `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

// newEvent returns an EVENT frame with a fresh ID.
func newEvent(now time.Time, requestID, name string, attrs map[string]string) eventFrame {
	return eventFrame{
		Type:       typeEvent,
		ID:         emu.RandomID(12),
		RequestID:  requestID,
		EventName:  name,
		Attributes: attrs,
		SendTime:   isoTime(now),
	}
}

// mustJSON encodes a frame. Frames are plain structs of strings and maps of
// strings, so encoding cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("chatsvc: encode frame: " + err.Error())
	}
	return b
}
