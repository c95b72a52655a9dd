package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// CheckResponse validates a response served by h (a handler from New) for
// req against the OpenAPI document: the operation must exist, the status
// must be documented (explicitly or by "default"), and a JSON body must
// match the documented schema exactly (required fields present, no
// undocumented ones, null only where nullable).
func CheckResponse(h http.Handler, req *http.Request, status int, contentType string, body []byte) error {
	s := h.(*server)
	_, pattern := s.mux.Handler(req)
	if pattern == "" {
		return checkAgainst(s, "#/components/schemas/ErrorBody", body)
	}
	var rt *Route
	for i := range s.routes {
		if s.routes[i].key() == pattern {
			rt = &s.routes[i]
		}
	}
	if rt == nil {
		return fmt.Errorf("pattern %q is not in the route table", pattern)
	}
	var doc map[string]any
	if err := json.Unmarshal(s.doc, &doc); err != nil {
		return err
	}
	path, _ := openAPIPath(rt.Pattern)
	op, _ := dig(doc, "paths", path, lower(rt.Method)).(map[string]any)
	if op == nil {
		return fmt.Errorf("%s is not documented", pattern)
	}
	resp, _ := dig(op, "responses", strconv.Itoa(status)).(map[string]any)
	if resp == nil {
		resp, _ = dig(op, "responses", "default").(map[string]any)
	}
	if ref, ok := resp["$ref"].(string); ok {
		resp, _ = resolve(doc, ref).(map[string]any)
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) != 0 {
			return fmt.Errorf("%s %d: body %q where none is documented", pattern, status, body)
		}
		return nil
	}
	media, _ := content[contentType].(map[string]any)
	if media == nil {
		return fmt.Errorf("%s %d: content type %q is not documented", pattern, status, contentType)
	}
	if contentType != "application/json" {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s %d: %v", pattern, status, err)
	}
	if err := validate(doc, media["schema"], v, "$"); err != nil {
		return fmt.Errorf("%s %d: %w", pattern, status, err)
	}
	return nil
}

func checkAgainst(s *server, ref string, body []byte) error {
	var doc map[string]any
	if err := json.Unmarshal(s.doc, &doc); err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return validate(doc, map[string]any{"$ref": ref}, v, "$")
}

// Routes returns the route table of h, a handler from New.
func Routes(h http.Handler) []Route { return h.(*server).routes }

// MuxPattern returns the mux pattern serving req in h, or "".
func MuxPattern(h http.Handler, req *http.Request) string {
	_, p := h.(*server).mux.Handler(req)
	return p
}

// OpenAPIPath exposes openAPIPath.
func OpenAPIPath(pattern string) (string, []string) { return openAPIPath(pattern) }
