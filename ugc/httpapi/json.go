package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// DefaultMaxBody is the largest request body a route accepts unless it sets
// Route.MaxBody: 1 MiB.
const DefaultMaxBody = 1 << 20

// DecodeJSON decodes the JSON body of r into v. It requires Content-Type
// application/json (an error with code CodeUnsupportedMediaType otherwise),
// rejects unknown fields, trailing data and an empty body
// (ugc.ErrInvalidArgument naming the field when known) and reports a body
// over the route's limit as ugc.ErrTooLarge. The returned errors are ready
// for WriteError.
func DecodeJSON(r *http.Request, v any) error {
	if !hasBody(r) {
		return errEmptyBody
	}
	if err := checkJSONContentType(r); err != nil {
		return err
	}
	// The body is bounded by the route's MaxBytesReader.
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	trimmed := bytes.TrimSpace(b)
	switch {
	case len(trimmed) == 0:
		return errEmptyBody
	case bytes.Equal(trimmed, []byte("null")):
		return ugc.Errorf(ugc.ErrInvalidArgument, "request body must not be null")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ugc.Errorf(ugc.ErrInvalidArgument, "request body must hold a single JSON value")
	}
	return nil
}

var errEmptyBody = ugc.Errorf(ugc.ErrInvalidArgument, "request body is empty")

// checkJSONContentType reports whether r declares a JSON body.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return ugc.WithCode(ugc.ErrInvalidArgument, CodeUnsupportedMediaType,
			"Content-Type must be application/json, not %q", ct)
	}
	return nil
}

func tooLarge(mbe *http.MaxBytesError) error {
	return &ugc.Error{Kind: ugc.ErrTooLarge, Message: fmt.Sprintf("request body exceeds %d bytes", mbe.Limit), Err: mbe}
}

// decodeError turns an encoding/json error into a ugc error naming the field.
func decodeError(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return tooLarge(mbe)
	case errors.Is(err, io.EOF):
		return ugc.Errorf(ugc.ErrInvalidArgument, "request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return ugc.Errorf(ugc.ErrInvalidArgument, "request body is truncated JSON")
	case errors.As(err, &se):
		return ugc.Errorf(ugc.ErrInvalidArgument, "request body is not valid JSON at offset %d", se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return ugc.Errorf(ugc.ErrInvalidArgument, "request body must be a JSON %s", kindName(te))
		}
		return ugc.InvalidField(field, "must be a JSON %s, not %s", kindName(te), te.Value)
	}
	// encoding/json reports an unknown field only by this message.
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return ugc.InvalidField(f, "is not a known field")
	}
	return ugc.Errorf(ugc.ErrInvalidArgument, "request body is not valid: %v", err)
}

func kindName(te *json.UnmarshalTypeError) string {
	if te.Type == nil {
		return "value"
	}
	return jsonType(te.Type)
}

// WriteJSON writes v as a JSON response with the given status. v is encoded
// before anything is written, so a value that cannot be encoded (a bug)
// yields a 500 internal error instead of a truncated body.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := encodeJSON(v)
	if err != nil {
		WriteError(w, fmt.Errorf("httpapi: encoding response: %w", err))
		return
	}
	writeBody(w, status, b)
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
