package httpapi

import (
	"fmt"
	"slices"
	"strings"
)

// This file is a JSON Schema validator for the subset of the dialect
// schema.go produces, used by tests to check responses against the
// OpenAPI document.

func lower(s string) string { return strings.ToLower(s) }

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func resolve(doc map[string]any, ref string) any {
	parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	return dig(doc, parts...)
}

func jsonTypeOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func typeMatches(want any, got string) bool {
	match := func(w string) bool { return w == got || (w == "number" && got == "integer") }
	switch w := want.(type) {
	case string:
		return match(w)
	case []any:
		for _, x := range w {
			if s, _ := x.(string); match(s) {
				return true
			}
		}
	}
	return false
}

func validate(doc map[string]any, schema any, v any, at string) error {
	s, ok := schema.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: schema %v is not an object", at, schema)
	}
	if ref, ok := s["$ref"].(string); ok {
		target := resolve(doc, ref)
		if target == nil {
			return fmt.Errorf("%s: dangling $ref %s", at, ref)
		}
		return validate(doc, target, v, at)
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if err := validate(doc, sub, v, at); err != nil {
				return err
			}
		}
	}
	if one, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, sub := range one {
			if validate(doc, sub, v, at) == nil {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: %v matches %d of the oneOf schemas, want 1", at, v, n)
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	typ, hasType := s["type"]
	if !hasType {
		return nil
	}
	got := jsonTypeOf(v)
	if !typeMatches(typ, got) {
		return fmt.Errorf("%s: got %s %v, want type %v", at, got, v, typ)
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := v[r.(string)]; !ok {
				return fmt.Errorf("%s: required field %q is missing", at, r)
			}
		}
		for k, fv := range v {
			ps, ok := props[k]
			if !ok {
				if ap, ok := s["additionalProperties"]; ok {
					if ap == false {
						return fmt.Errorf("%s: field %q is not documented", at, k)
					}
					if err := validate(doc, ap, fv, at+"."+k); err != nil {
						return err
					}
				}
				continue
			}
			if err := validate(doc, ps, fv, at+"."+k); err != nil {
				return err
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, x := range v {
				if err := validate(doc, items, x, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
