package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// statusByKind is the one error-to-status table: the HTTP status of each ugc
// sentinel kind. An error that wraps none of them is a 500.
var statusByKind = map[error]int{
	ugc.ErrInvalidArgument:    http.StatusBadRequest,
	ugc.ErrUnauthenticated:    http.StatusUnauthorized,
	ugc.ErrPermissionDenied:   http.StatusForbidden,
	ugc.ErrNotFound:           http.StatusNotFound,
	ugc.ErrAlreadyExists:      http.StatusConflict,
	ugc.ErrFailedPrecondition: http.StatusConflict,
	ugc.ErrTooLarge:           http.StatusRequestEntityTooLarge,
	ugc.ErrThrottled:          http.StatusTooManyRequests,
	ugc.ErrUnavailable:        http.StatusServiceUnavailable,
}

// statusByCode overrides the kind's status for the few codes that have an
// HTTP status of their own.
var statusByCode = map[string]int{
	CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
}

// Codes of errors raised by the HTTP layer itself, in addition to the
// default codes of the ugc kinds.
const (
	// CodeUnsupportedMediaType (415) is the code of a body whose content
	// type the route does not accept. It has kind ugc.ErrInvalidArgument.
	CodeUnsupportedMediaType = "unsupported_media_type"
	// CodeMethodNotAllowed (405) is the code of a known path requested with
	// a method it does not serve. It has kind ugc.ErrInvalidArgument.
	CodeMethodNotAllowed = "method_not_allowed"
)

// defaultRetryAfter is the Retry-After sent with a 429 whose error does
// not say how long to wait.
const defaultRetryAfter = time.Second

// RetryAfterer is implemented by errors that know how long a throttled
// client should wait. WriteError finds it with errors.As anywhere in the
// chain and sends it, rounded up to whole seconds (at least 1), as the
// Retry-After of a 429; other throttled errors get 1 second.
type RetryAfterer interface {
	RetryAfter() time.Duration
}

// retryAfter returns the Retry-After header value for err.
func retryAfter(err error) string {
	d := defaultRetryAfter
	var ra RetryAfterer
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		d = ra.RetryAfter()
	}
	secs := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(secs, 1), 10)
}

// StatusOf returns the HTTP status and the stable error code of err, by the
// one table described in the package documentation. A request body that
// exceeded its limit (*http.MaxBytesError) is a 413 too_large.
func StatusOf(err error) (status int, code string) {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, ugc.DefaultCode(ugc.ErrTooLarge)
	}
	code = ugc.CodeOf(err)
	if s, ok := statusByCode[code]; ok {
		return s, code
	}
	if s, ok := statusByKind[ugc.KindOf(err)]; ok {
		return s, code
	}
	return http.StatusInternalServerError, "internal"
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the content of ErrorBody.
type ErrorDetail struct {
	// Code is a stable machine-readable code, e.g. "invalid_argument".
	Code string `json:"code"`
	// Message is a human-readable explanation.
	Message string `json:"message"`
	// Field names the request field at fault, if any.
	Field string `json:"field,omitempty"`
	// RequestID identifies the request in the server logs.
	RequestID string `json:"requestId,omitempty"`
}

// WriteError writes err as a JSON error response with the status of
// StatusOf, a Retry-After header for 429, and the request ID set by the
// middleware. The message of an internal (500) error is not revealed; the
// error itself goes to the access log when w is the middleware's writer.
func WriteError(w http.ResponseWriter, err error) {
	status, code := StatusOf(err)
	d := ErrorDetail{Code: code, Message: messageOf(err), Field: ugc.FieldOf(err), RequestID: w.Header().Get(headerRequestID)}
	if status == http.StatusInternalServerError {
		d.Message = "internal error"
		d.Field = ""
	}
	if status == http.StatusRequestEntityTooLarge && d.Message == "" {
		d.Message = "request body too large"
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", retryAfter(err))
	}
	if rw, ok := w.(*responseWriter); ok {
		rw.err = err
	}
	b, err := encodeJSON(ErrorBody{Error: d})
	if err != nil { // unreachable: ErrorBody holds only strings
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
		status = http.StatusInternalServerError
	}
	writeBody(w, status, b)
}

// messageOf returns the message of the outermost *ugc.Error that has one,
// else the text of its kind.
func messageOf(err error) string {
	for e := err; e != nil; {
		var ue *ugc.Error
		if !errors.As(e, &ue) {
			break
		}
		if ue.Message != "" {
			return ue.Message
		}
		e = ue.Err
	}
	if k := ugc.KindOf(err); k != nil {
		return k.Error()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "request body too large"
	}
	return ""
}
