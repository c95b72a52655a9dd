// Package awserr maps errors of the AWS SDK to the ugc error sentinels, in
// one place, so every feature package classifies AWS failures the same way.
//
// # Mapping
//
// Map looks at the smithy.APIError code first, then at the HTTP status of
// the response, then at the shape of the error (network failures):
//
//	ResourceNotFoundException                → ugc.ErrNotFound
//	ConflictException, ChannelNotBroadcasting,
//	PendingVerification                      → ugc.ErrFailedPrecondition
//	ValidationException                      → ugc.ErrInvalidArgument
//	AccessDeniedException                    → ugc.ErrPermissionDenied
//	ThrottlingException, HTTP 429            → ugc.ErrThrottled
//	ServiceQuotaExceededException            → ugc.ErrUnavailable (code "quota_exceeded")
//	InternalServerException, HTTP 5xx,
//	network errors                           → ugc.ErrUnavailable
//
// The result is a *ugc.Error whose Err is the original error, so errors.As
// still reaches smithy.APIError and the SDK's operation error.
package awserr

import (
	"context"
	"errors"
	"net"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Map returns err classified as a ugc sentinel, with err kept as the cause.
// It returns nil for nil, and context cancellation and deadline errors
// unchanged. An error that already wraps a ugc sentinel is returned as is.
func Map(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if ugc.KindOf(err) != nil {
		return err
	}
	code, kind := classify(err)
	if kind == nil {
		return err
	}
	return &ugc.Error{Kind: kind, Code: code, Message: message(kind), Err: err}
}

// Code returns the AWS error code err carries ("ResourceNotFoundException",
// ...), or "" when it carries none.
func Code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// IsNotFound reports whether err is an AWS (or mapped) not-found error.
func IsNotFound(err error) bool {
	return errors.Is(Map(err), ugc.ErrNotFound)
}

func classify(err error) (code string, kind error) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ResourceNotFoundException", "NotFoundException":
			return "", ugc.ErrNotFound
		case "ConflictException", "ChannelNotBroadcasting", "PendingVerification":
			return "", ugc.ErrFailedPrecondition
		case "ValidationException":
			return "", ugc.ErrInvalidArgument
		case "AccessDeniedException":
			return "", ugc.ErrPermissionDenied
		case "ThrottlingException", "TooManyRequestsException":
			return "", ugc.ErrThrottled
		case "ServiceQuotaExceededException":
			return "quota_exceeded", ugc.ErrUnavailable
		case "InternalServerException", "ServiceUnavailableException":
			return "", ugc.ErrUnavailable
		}
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		switch s := re.HTTPStatusCode(); {
		case s == 404:
			return "", ugc.ErrNotFound
		case s == 409:
			return "", ugc.ErrFailedPrecondition
		case s == 429:
			return "", ugc.ErrThrottled
		case s >= 500:
			return "", ugc.ErrUnavailable
		case s == 400:
			return "", ugc.ErrInvalidArgument
		case s == 403:
			return "", ugc.ErrPermissionDenied
		}
	}
	if ae != nil && ae.ErrorFault() == smithy.FaultServer {
		return "", ugc.ErrUnavailable
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &ne) || errors.As(err, &oe) {
		return "", ugc.ErrUnavailable
	}
	// A transport failure reached through the SDK's operation error with
	// no API error and no response: the service could not be reached.
	var op *smithy.OperationError
	if errors.As(err, &op) && ae == nil && re == nil {
		return "", ugc.ErrUnavailable
	}
	return "", nil
}

// message is a client-safe message: AWS messages are kept only for
// validation errors, whose text is about the input.
func message(kind error) string {
	if kind == ugc.ErrUnavailable {
		return "the AWS service is unavailable"
	}
	return kind.Error()
}
