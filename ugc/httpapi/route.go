package httpapi

import (
	"fmt"
	"net/http"
	"strings"
)

// HandlerFunc serves one route. A returned error is written with WriteError
// unless the handler already wrote a response (then it is only logged). A
// handler of a route without a response body (status 204) may return nil
// without writing: the 204 is written for it. The caller's Identity is
// IdentityFrom(r.Context()); path parameters are r.PathValue(name).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one operation of the API: the one place that says how it is
// served (method, pattern, auth, body) and how it is documented (summary,
// parameters, request and response types). New registers the handler and
// writes the OpenAPI document from the same Route values.
type Route struct {
	// Method is the HTTP method, e.g. "GET". Required.
	Method string
	// Pattern is the path, in http.ServeMux syntax without the method, e.g.
	// "/v1/channels/{username}" or "/assets/{key...}". Required.
	Pattern string
	// Auth says whether a signed-in caller is needed. The zero value is
	// AuthNone.
	Auth AuthMode
	// Summary is a one-line description for the OpenAPI document. Required.
	Summary string
	// Description is optional longer documentation.
	Description string
	// Tag groups the route in the OpenAPI document, e.g. "channels".
	Tag string
	// Query documents the query parameters the handler reads.
	Query []Param
	// Request is a value of the JSON request body's Go type (e.g.
	// patchMe{}), used to document it; nil when the route takes no JSON
	// body. When set, a request body must be application/json (else 415).
	// The handler decodes it with DecodeJSON.
	Request any
	// RequestMedia lists the media types of a raw (non-JSON) request body,
	// e.g. "image/png"; other Content-Types get a 415. Exclusive with Request.
	RequestMedia []string
	// MaxBody is the largest request body accepted, in bytes; larger ones
	// get a 413. 0 means DefaultMaxBody.
	MaxBody int64
	// Response is a value of the JSON response's Go type, used to document
	// it; nil for a response without a body.
	Response any
	// ResponseMedia, when set, says the success response is raw bytes of
	// these media types instead of JSON (e.g. served images).
	ResponseMedia []string
	// Status is the success status. 0 means 200, or 204 when Response and
	// ResponseMedia are unset.
	Status int
	// Handler serves the route. Required.
	Handler HandlerFunc
}

// Param documents a query parameter.
type Param struct {
	Name        string // e.g. "limit"
	Type        string // JSON Schema type: "string", "integer" or "boolean"; "" means "string"
	Description string
}

// successStatus returns the status a route answers with on success.
func (rt *Route) successStatus() int {
	switch {
	case rt.Status != 0:
		return rt.Status
	case rt.Response == nil && len(rt.ResponseMedia) == 0:
		return http.StatusNoContent
	}
	return http.StatusOK
}

func (rt *Route) maxBody() int64 {
	if rt.MaxBody > 0 {
		return rt.MaxBody
	}
	return DefaultMaxBody
}

// key is the ServeMux pattern of the route, e.g. "GET /v1/me".
func (rt *Route) key() string { return rt.Method + " " + rt.Pattern }

var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true,
}

// check reports what is wrong with a route definition.
func (rt *Route) check() error {
	switch {
	case !knownMethods[rt.Method]:
		return fmt.Errorf("route %q: Method %q is not one of GET, HEAD, POST, PUT, PATCH, DELETE", rt.key(), rt.Method)
	case !strings.HasPrefix(rt.Pattern, "/") || strings.ContainsAny(rt.Pattern, " \t"):
		return fmt.Errorf("route %q: Pattern must be a path starting with /", rt.key())
	case rt.Summary == "":
		return fmt.Errorf("route %q: Summary is required", rt.key())
	case rt.Handler == nil:
		return fmt.Errorf("route %q: Handler is required", rt.key())
	case rt.Request != nil && len(rt.RequestMedia) > 0:
		return fmt.Errorf("route %q: Request and RequestMedia are exclusive", rt.key())
	case rt.Auth < AuthNone || rt.Auth > AuthRequired:
		return fmt.Errorf("route %q: unknown Auth %d", rt.key(), rt.Auth)
	}
	for _, p := range rt.Query {
		switch p.Type {
		case "", "string", "integer", "boolean":
		default:
			return fmt.Errorf("route %q: query parameter %q has unknown Type %q", rt.key(), p.Name, p.Type)
		}
	}
	return nil
}
