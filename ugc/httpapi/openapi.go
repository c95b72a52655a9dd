package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// apiDescription is the info.description of the OpenAPI document: the
// conventions every operation follows.
const apiDescription = `JSON over HTTP. Send "Authorization: Bearer <token>" where an operation requires it. ` +
	`Request bodies must be application/json (raw media for uploads), at most 1 MiB unless stated; ` +
	`unknown fields are rejected. Times are RFC 3339 in UTC. Every documented response field is always ` +
	`present; a value that does not apply is null, never omitted; lists are never null. ` +
	`Errors: {"error":{"code","message","field","requestId"}}, where field and requestId are omitted when empty; 400 invalid_argument, 401 unauthenticated, ` +
	`403 permission_denied, 404 not_found, 405 method_not_allowed, 409 already_exists or failed_precondition ` +
	`(or a specific code), 413 too_large, 415 unsupported_media_type, 429 throttled (Retry-After), ` +
	`500 internal, 503 unavailable.`

var pathParam = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// openAPIPath converts a ServeMux pattern to an OpenAPI path and returns
// its parameter names: "/assets/{key...}" → "/assets/{key}", ["key"].
func openAPIPath(pattern string) (string, []string) {
	pattern = strings.TrimSuffix(pattern, "{$}")
	var names []string
	for _, m := range pathParam.FindAllStringSubmatch(pattern, -1) {
		names = append(names, m[1])
	}
	return pathParam.ReplaceAllString(pattern, "{$1}"), names
}

// operationID names an operation after its method and path:
// "GET /v1/channels/{username}" → "get_v1_channels_username".
func operationID(rt *Route) string {
	path, _ := openAPIPath(rt.Pattern)
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, seg := range strings.Split(path, "/") {
		seg = strings.Trim(seg, "{}")
		if seg == "" {
			continue
		}
		b.WriteByte('_')
		for _, c := range seg {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				b.WriteRune(c)
			} else {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

// buildOpenAPI writes the OpenAPI 3.1 document of routes.
func buildOpenAPI(title, version string, routes []Route) ([]byte, error) {
	g := newSchemaGen()
	if _, err := g.component(reflect.TypeFor[ErrorBody]()); err != nil {
		return nil, err
	}
	paths := map[string]map[string]any{}
	for i := range routes {
		rt := &routes[i]
		op, err := operation(g, rt)
		if err != nil {
			return nil, err
		}
		path, _ := openAPIPath(rt.Pattern)
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(rt.Method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": title, "version": version, "description": apiDescription},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
			"responses": map[string]any{
				"Error": map[string]any{
					"description": "An error; see the code.",
					"headers": map[string]any{
						"Retry-After": map[string]any{"description": "Seconds to wait, on 429.", "schema": map[string]any{"type": "integer"}},
					},
					"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/ErrorBody"}}},
				},
			},
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func operation(g *schemaGen, rt *Route) (map[string]any, error) {
	op := map[string]any{
		"operationId": operationID(rt),
		"summary":     rt.Summary,
	}
	if rt.Description != "" {
		op["description"] = rt.Description
	}
	if rt.Tag != "" {
		op["tags"] = []string{rt.Tag}
	}
	switch rt.Auth {
	case AuthRequired:
		op["security"] = []any{map[string]any{"bearer": []string{}}}
	case AuthOptional:
		op["security"] = []any{map[string]any{}, map[string]any{"bearer": []string{}}}
	default:
		op["security"] = []any{}
	}
	var params []any
	_, names := openAPIPath(rt.Pattern)
	for _, n := range names {
		params = append(params, map[string]any{"name": n, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range rt.Query {
		typ := q.Type
		if typ == "" {
			typ = "string"
		}
		p := map[string]any{"name": q.Name, "in": "query", "required": false, "schema": map[string]any{"type": typ}}
		if q.Description != "" {
			p["description"] = q.Description
		}
		params = append(params, p)
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	switch {
	case rt.Request != nil:
		s, err := g.schema(reflect.TypeOf(rt.Request))
		if err != nil {
			return nil, err
		}
		op["requestBody"] = map[string]any{
			"required": true,
			"content":  map[string]any{"application/json": map[string]any{"schema": s}},
		}
	case len(rt.RequestMedia) > 0:
		content := map[string]any{}
		for _, m := range rt.RequestMedia {
			content[m] = map[string]any{"schema": rawSchema(m)}
		}
		op["requestBody"] = map[string]any{"required": true, "content": content}
	}
	status := rt.successStatus()
	ok := map[string]any{"description": http.StatusText(status)}
	switch {
	case rt.Response != nil:
		s, err := g.schema(reflect.TypeOf(rt.Response))
		if err != nil {
			return nil, err
		}
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": s}}
	case len(rt.ResponseMedia) > 0:
		content := map[string]any{}
		for _, m := range rt.ResponseMedia {
			content[m] = map[string]any{"schema": rawSchema(m)}
		}
		ok["content"] = content
	}
	responses := map[string]any{
		strconv.Itoa(status): ok,
		"default":            map[string]any{"$ref": "#/components/responses/Error"},
	}
	if rt.Auth == AuthRequired {
		responses["401"] = map[string]any{"$ref": "#/components/responses/Error"}
	}
	op["responses"] = responses
	return op, nil
}

// rawSchema is the schema of a body documented only by its media type: any
// JSON object for JSON, bytes otherwise.
func rawSchema(media string) map[string]any {
	if media == "application/json" {
		return map[string]any{"type": "object"}
	}
	return map[string]any{"type": "string", "contentMediaType": media}
}
