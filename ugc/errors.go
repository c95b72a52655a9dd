package ugc

import (
	"errors"
	"fmt"
)

// The sentinel errors. Each maps to one HTTP status at the API edge.
var (
	ErrNotFound           = errors.New("not found")
	ErrAlreadyExists      = errors.New("already exists")
	ErrInvalidArgument    = errors.New("invalid argument")
	ErrFailedPrecondition = errors.New("failed precondition")
	ErrPermissionDenied   = errors.New("permission denied")
	ErrUnauthenticated    = errors.New("unauthenticated")
	ErrThrottled          = errors.New("throttled")
	ErrUnavailable        = errors.New("unavailable")
	ErrTooLarge           = errors.New("too large")
)

// Error is an error with context: the operation that failed, the sentinel
// kind, a stable code for clients, the field at fault and the cause.
//
// errors.Is(err, ErrNotFound) reports whether Kind is ErrNotFound;
// errors.As reaches Err, e.g. a smithy.APIError from AWS.
type Error struct {
	Op      string // operation, e.g. "channels.Follow"
	Kind    error  // one of the sentinels above
	Code    string // stable code, e.g. "already_voted"; empty means the kind's default code
	Field   string // the input field at fault, if any
	Message string // human-readable detail
	Err     error  // the cause, if any
}

// Error returns "op: message: cause" with the parts that are set.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Kind != nil {
		msg = e.Kind.Error()
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports whether target is e's kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a formatted message.
func Errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// InvalidField returns an ErrInvalidArgument *Error naming field.
func InvalidField(field, format string, args ...any) *Error {
	return &Error{Kind: ErrInvalidArgument, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WithCode returns an *Error of the given kind with a specific stable code,
// e.g. WithCode(ErrFailedPrecondition, "poll_closed", "the poll has ended").
func WithCode(kind error, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap annotates *errp with op, once, at the top of an exported function:
//
//	defer ugc.Wrap(&err, "channels.Follow")
//
// An *Error without an Op gets op; any other non-nil error is wrapped in an
// *Error whose kind is taken from the sentinel it wraps, if any.
func Wrap(errp *error, op string) {
	if *errp == nil {
		return
	}
	var e *Error
	if errors.As(*errp, &e) {
		if e.Op == "" {
			c := *e
			c.Op = op
			*errp = &c
		}
		return
	}
	*errp = &Error{Op: op, Kind: KindOf(*errp), Err: *errp}
}

// KindOf returns the sentinel err wraps, or nil when it wraps none (an
// internal error).
func KindOf(err error) error {
	for _, k := range []error{ErrNotFound, ErrAlreadyExists, ErrInvalidArgument, ErrFailedPrecondition,
		ErrPermissionDenied, ErrUnauthenticated, ErrThrottled, ErrUnavailable, ErrTooLarge} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// CodeOf returns the stable code of err: the Code of the outermost *Error
// that has one, else the default code of its kind ("not_found", ...), else
// "internal"; "" for a nil error.
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	for e := err; e != nil; {
		var ue *Error
		if !errors.As(e, &ue) {
			break
		}
		if ue.Code != "" {
			return ue.Code
		}
		e = ue.Err
	}
	return DefaultCode(KindOf(err))
}

// DefaultCode is the stable code of a sentinel kind.
func DefaultCode(kind error) string {
	switch kind {
	case ErrNotFound:
		return "not_found"
	case ErrAlreadyExists:
		return "already_exists"
	case ErrInvalidArgument:
		return "invalid_argument"
	case ErrFailedPrecondition:
		return "failed_precondition"
	case ErrPermissionDenied:
		return "permission_denied"
	case ErrUnauthenticated:
		return "unauthenticated"
	case ErrThrottled:
		return "throttled"
	case ErrUnavailable:
		return "unavailable"
	case ErrTooLarge:
		return "too_large"
	}
	return "internal"
}

// FieldOf returns the field named by the outermost *Error that names one.
func FieldOf(err error) string {
	for e := err; e != nil; {
		var ue *Error
		if !errors.As(e, &ue) {
			return ""
		}
		if ue.Field != "" {
			return ue.Field
		}
		e = ue.Err
	}
	return ""
}
