package emu

import (
	"fmt"
	"net/http"
)

// Error is an AWS service error as the emulator returns it.
type Error struct {
	Code    string         // the error type, e.g. "ResourceNotFoundException"
	Status  int            // the HTTP status AWS uses for Code
	Message string         // human-readable text
	Extra   map[string]any // extra members of the JSON body (e.g. resourceId, fieldList)
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// statusByCode is the HTTP status of each AWS error type the emulator uses
// (IVS, IVS Chat, IVS Real-Time and CloudWatch).
var statusByCode = map[string]int{
	"AccessDeniedException":         http.StatusForbidden,
	"ValidationException":           http.StatusBadRequest,
	"ResourceNotFoundException":     http.StatusNotFound,
	"ChannelNotBroadcasting":        http.StatusNotFound,
	"ConflictException":             http.StatusConflict,
	"ServiceQuotaExceededException": http.StatusPaymentRequired,
	"PendingVerification":           http.StatusForbidden,
	"ThrottlingException":           http.StatusTooManyRequests,
	"StreamUnavailable":             http.StatusServiceUnavailable,
	"ServiceUnavailable":            http.StatusServiceUnavailable,
	"InternalServerException":       http.StatusInternalServerError,
	// CloudWatch
	"InvalidParameterValue":       http.StatusBadRequest,
	"InvalidParameterCombination": http.StatusBadRequest,
	"MissingParameter":            http.StatusBadRequest,
	"InvalidNextToken":            http.StatusBadRequest,
	"ValidationError":             http.StatusBadRequest,
	"InternalServiceError":        http.StatusInternalServerError,
	"LimitExceeded":               http.StatusBadRequest,
	"LimitExceededException":      http.StatusBadRequest,
}

// StatusOf returns the HTTP status AWS uses for an error code, or 400 for an
// unknown code.
func StatusOf(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// Errorf returns an *Error with the status AWS uses for code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Status: StatusOf(code), Message: fmt.Sprintf(format, args...)}
}

// Validation returns a ValidationException.
func Validation(format string, args ...any) *Error {
	return Errorf("ValidationException", format, args...)
}

// NotFound returns a ResourceNotFoundException naming the resource.
func NotFound(resource string) *Error {
	return Errorf("ResourceNotFoundException", "Resource: %s not found", resource)
}

// Conflict returns a ConflictException.
func Conflict(format string, args ...any) *Error {
	return Errorf("ConflictException", format, args...)
}
