package httpapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"
)

// schemaGen derives JSON Schemas (OpenAPI 3.1 dialect) from Go types, so the
// documented shapes are the encoded ones. Rules: every field without
// omitempty is required (always present); a pointer is nullable; a named
// struct becomes a component; the struct tags `doc:"..."` and
// `enum:"a,b"` add a description and an enumeration.
type schemaGen struct {
	components map[string]any
	names      map[reflect.Type]string
	owners     map[string]reflect.Type
}

func newSchemaGen() *schemaGen {
	return &schemaGen{components: map[string]any{}, names: map[reflect.Type]string{}, owners: map[string]reflect.Type{}}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// jsonType returns the JSON Schema type name of a Go type.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return t.String()
}

// schema returns the schema of t, registering components as needed.
func (g *schemaGen) schema(t reflect.Type) (map[string]any, error) {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}, nil
	case t == rawType:
		return map[string]any{}, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		s, err := g.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return nullable(s), nil
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return map[string]any{"type": jsonType(t)}, nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}, nil
		}
		items, err := g.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "array", "items": items}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("schema of %s: map keys must be strings", t)
		}
		v, err := g.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "object", "additionalProperties": v}, nil
	case reflect.Interface:
		return map[string]any{}, nil
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name, err := g.component(t)
		if err != nil {
			return nil, err
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}, nil
	}
	return nil, fmt.Errorf("schema of %s: unsupported kind %s", t, t.Kind())
}

// nullable makes s also accept null.
func nullable(s map[string]any) map[string]any {
	if typ, ok := s["type"].(string); ok {
		c := make(map[string]any, len(s))
		for k, v := range s {
			c[k] = v
		}
		c["type"] = []string{typ, "null"}
		return c
	}
	return map[string]any{"oneOf": []any{s, map[string]any{"type": "null"}}}
}

// component registers the named struct t and returns its component name.
func (g *schemaGen) component(t reflect.Type) (string, error) {
	if name, ok := g.names[t]; ok {
		return name, nil
	}
	name := exportName(t.Name())
	if owner, ok := g.owners[name]; ok && owner != t {
		pkg := t.PkgPath()
		name = exportName(pkg[strings.LastIndex(pkg, "/")+1:]) + name
	}
	g.names[t], g.owners[name] = name, t
	s, err := g.object(t)
	if err != nil {
		return "", err
	}
	g.components[name] = s
	return name, nil
}

func exportName(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// object returns the schema of a struct: its JSON fields (embedded structs
// flattened), the ones without omitempty required, no others allowed.
func (g *schemaGen) object(t reflect.Type) (map[string]any, error) {
	props := map[string]any{}
	required := []string{}
	if err := g.fields(t, props, &required); err != nil {
		return nil, err
	}
	return map[string]any{
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}, nil
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) error {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if err := g.fields(ft, props, required); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s, err := g.schema(f.Type)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		if d := f.Tag.Get("doc"); d != "" || f.Tag.Get("enum") != "" {
			s = annotate(s, d, f.Tag.Get("enum"), f.Type.Kind() == reflect.Pointer)
		}
		props[name] = s
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
	return nil
}

// annotate adds a description and an enumeration to a field's schema. A
// $ref cannot carry siblings usefully in every tool, so it is wrapped.
func annotate(s map[string]any, doc, enum string, isNullable bool) map[string]any {
	c := map[string]any{}
	if _, isRef := s["$ref"]; isRef {
		c["allOf"] = []any{s}
	} else {
		for k, v := range s {
			c[k] = v
		}
	}
	if doc != "" {
		c["description"] = doc
	}
	if enum != "" {
		var vals []any
		for v := range strings.SplitSeq(enum, ",") {
			vals = append(vals, v)
		}
		if isNullable {
			vals = append(vals, nil)
		}
		c["enum"] = vals
	}
	return c
}
