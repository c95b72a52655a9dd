package ivslocal

import (
	"errors"
	"fmt"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Errors of the Go control methods (StartStream, EndStream, ...). Test them
// with errors.Is.
var (
	// ErrNotFound: no channel, stream key, stage or participant matches.
	ErrNotFound = errors.New("ivslocal: not found")
	// ErrConflict: the resource is not in a state that allows the change,
	// e.g. starting a stream on a live channel.
	ErrConflict = errors.New("ivslocal: conflict")
	// ErrNotBroadcasting: the channel is offline.
	ErrNotBroadcasting = errors.New("ivslocal: channel not broadcasting")
	// ErrInvalid: an argument is malformed.
	ErrInvalid = errors.New("ivslocal: invalid argument")
	// ErrClosed: the server is closed.
	ErrClosed = errors.New("ivslocal: server closed")
)

// sentinelOf maps an emulator error code to a sentinel.
var sentinelOf = map[string]error{
	"ResourceNotFoundException": ErrNotFound,
	"ConflictException":         ErrConflict,
	"ChannelNotBroadcasting":    ErrNotBroadcasting,
	"ValidationException":       ErrInvalid,
	"ServiceUnavailable":        ErrClosed,
}

// wrapErr turns an internal service error into one matching a sentinel.
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *emu.Error
	if errors.As(err, &e) {
		if s, ok := sentinelOf[e.Code]; ok {
			return fmt.Errorf("%s: %w: %s", op, s, e.Message)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// controlError is the JSON body of a failed control request: the message
// in "error" (as the stage control routes write it) and the AWS-style code.
type controlError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}
