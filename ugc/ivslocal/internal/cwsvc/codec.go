package cwsvc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// codec is a wire protocol of CloudWatch. Both decode into the same CBOR
// request shapes: JSON bodies are converted to CBOR first.
type codec struct {
	contentType string
	protocol    string // Smithy-Protocol response header; empty for JSON
	toCBOR      func([]byte) ([]byte, error)
	encode      func(any) ([]byte, error)
}

func (c codec) write(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", c.contentType)
	if c.protocol != "" {
		h.Set("Smithy-Protocol", c.protocol)
	}
	w.WriteHeader(status)
	w.Write(b)
}

var cborCodec = codec{
	contentType: "application/cbor",
	protocol:    "rpc-v2-cbor",
	toCBOR:      func(b []byte) ([]byte, error) { return b, nil },
	encode:      encMode.Marshal,
}

var jsonCodec = codec{
	contentType: "application/x-amz-json-1.0",
	toCBOR:      jsonToCBOR,
	encode:      cborToJSON,
}

// jsonToCBOR re-encodes an awsJson1_0 body as CBOR. Timestamps are epoch
// seconds in JSON; the CBOR decoder accepts untagged numbers for them.
func jsonToCBOR(b []byte) ([]byte, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, invalid("InvalidParameterValue", "malformed JSON request body: %v", err)
	}
	out, err := cbor.Marshal(fromJSON(v))
	if err != nil {
		return nil, invalid("InvalidParameterValue", "malformed JSON request body: %v", err)
	}
	return out, nil
}

func fromJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = fromJSON(x)
		}
	case []any:
		for i, x := range v {
			v[i] = fromJSON(x)
		}
	}
	return v
}

var genericDec = func() cbor.DecMode {
	m, err := cbor.DecOptions{DefaultMapType: reflect.TypeOf(map[string]any(nil))}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// cborToJSON encodes an output shape as awsJson1_0: its CBOR form is
// decoded generically and timestamps become epoch-seconds numbers.
func cborToJSON(v any) ([]byte, error) {
	b, err := encMode.Marshal(v)
	if err != nil {
		return nil, err
	}
	var g any
	if err := genericDec.Unmarshal(b, &g); err != nil {
		return nil, err
	}
	return json.Marshal(toJSON(g))
}

func toJSON(v any) any {
	switch v := v.(type) {
	case time.Time:
		return epoch(v)
	case cbor.Tag:
		if v.Number == 1 {
			return v.Content
		}
		return toJSON(v.Content)
	case map[string]any:
		for k, x := range v {
			v[k] = toJSON(x)
		}
	case []any:
		for i, x := range v {
			v[i] = toJSON(x)
		}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprint(v)
		}
	}
	return v
}

// epoch returns t as epoch seconds, an integer when t is whole seconds.
func epoch(t time.Time) any {
	if t.Nanosecond() == 0 {
		return t.Unix()
	}
	return float64(t.UnixNano()) / 1e9
}
