package emu

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// Flavor selects the JSON error body of a restJson1 service.
type Flavor int

const (
	// FlavorIVS is IVS and IVS Real-Time: the body member is "exceptionMessage".
	FlavorIVS Flavor = iota
	// FlavorChat is IVS Chat: the body member is "message".
	FlavorChat
)

// MaxBody is the largest request body the emulator reads.
const MaxBody = 10 << 20

// ReadBody returns the request body, gunzipped when Content-Encoding is gzip.
func ReadBody(r *http.Request) ([]byte, error) {
	var rd io.Reader = http.MaxBytesReader(nil, r.Body, MaxBody)
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		rd = zr
	}
	return io.ReadAll(rd)
}

// DecodeJSON decodes a restJson1 request body into v. An empty body decodes
// as {}. A malformed body is a ValidationException.
func DecodeJSON(r *http.Request, v any) *Error {
	b, err := ReadBody(r)
	if err != nil {
		return Validation("cannot read request body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return Validation("invalid request body: %v", err)
	}
	return nil
}

// WriteJSON writes v as a JSON response with the given status. A nil v with a
// status other than 204 writes {}.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v == nil {
		io.WriteString(w, "{}")
		return
	}
	json.NewEncoder(w).Encode(v)
}

// WriteError writes err as a restJson1 error of the given flavor. Errors
// that are not *Error become InternalServerException.
func WriteError(w http.ResponseWriter, flavor Flavor, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = Errorf("InternalServerException", "%v", err)
	}
	body := map[string]any{}
	for k, v := range e.Extra {
		body[k] = v
	}
	body["message"] = e.Message
	if flavor == FlavorIVS {
		body["exceptionMessage"] = e.Message
	}
	w.Header().Set("x-amzn-ErrorType", e.Code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(body)
}
