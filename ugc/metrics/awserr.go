package metrics

import (
	"errors"

	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// mapAWS turns an AWS error into a ugc error that keeps it as the cause.
func mapAWS(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ValidationException", "ValidationError", "InvalidParameterValue", "InvalidParameterCombination":
			return &ugc.Error{Kind: ugc.ErrInvalidArgument, Message: "AWS rejected the request", Err: err}
		case "ThrottlingException", "Throttling", "LimitExceeded", "LimitExceededException":
			return &ugc.Error{Kind: ugc.ErrThrottled, Message: "AWS throttled the request", Err: err}
		case "ResourceNotFoundException":
			return &ugc.Error{Kind: ugc.ErrNotFound, Message: "AWS resource not found", Err: err}
		}
	}
	return &ugc.Error{Kind: ugc.ErrUnavailable, Message: "AWS call failed", Err: err}
}
