package cwsvc

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// serviceName is the name under which calls are logged.
const serviceName = "cloudwatch"

// PathPrefix is the path of every rpcv2Cbor CloudWatch operation; the
// operation name follows it.
const PathPrefix = "/service/GraniteServiceVersion20100801/operation/"

// Service emulates the CloudWatch metric API over the rpcv2Cbor protocol.
// Build it with New; the zero value is not usable. It is safe for
// concurrent use and implements emu.MetricSink.
type Service struct {
	env   *emu.Env
	store *store
}

var _ emu.MetricSink = (*Service)(nil)

// New returns an empty service bound to env.
func New(env *emu.Env) *Service {
	return &Service{env: env, store: newStore()}
}

// Reset drops every stored data point.
func (s *Service) Reset() { s.store.reset() }

// Close releases the stored data. The service starts no goroutines, so
// Close never blocks; calling it twice is harmless.
func (s *Service) Close() { s.store.reset() }

// PutPoint stores one data point, as a simulated stream publishes it. It
// bypasses PutMetricData's validation (time window, reserved namespaces) so
// tests can seed data of any age; res is the storage resolution, 1 or 60
// (anything else is taken as 60). An unknown unit is stored as None.
func (s *Service) PutPoint(namespace, name string, dims map[string]string, t time.Time, value float64, unit string, res int) {
	var da [8]dim
	ds := da[:0]
	for k, v := range dims {
		ds = append(ds, dim{Name: k, Value: v})
	}
	sortDims(ds)
	var kb [256]byte
	key := appendKey(kb[:0], namespace, name, ds)
	r := uint8(60)
	if res == 1 {
		r = 1
	}
	s.store.add(key, s.env.Now(), point{
		t: t.UnixMilli(), n: 1, sum: value, min: value, max: value, unit: unitIndex[unit], res: r,
	})
}

// JSONTargetPrefix starts the X-Amz-Target header of a CloudWatch awsJson1_0
// request; the operation name follows it.
const JSONTargetPrefix = "GraniteServiceVersion20100801."

// ServeHTTP serves POST /service/GraniteServiceVersion20100801/operation/{Op}
// with CBOR request and response bodies (rpcv2Cbor). A request with an
// X-Amz-Target header of JSONTargetPrefix + operation, at any path, is
// served as awsJson1_0 instead. Gzip request bodies are accepted.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := cborCodec
	op, ok := strings.CutPrefix(r.URL.Path, PathPrefix)
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		c = jsonCodec
		op, ok = strings.CutPrefix(target, JSONTargetPrefix)
	}
	if !ok || r.Method != http.MethodPost || op == "" || strings.Contains(op, "/") {
		s.fail(w, c, op, &apiError{code: "UnknownOperationException", status: http.StatusNotFound,
			msg: fmt.Sprintf("%s %s is not a CloudWatch operation", r.Method, r.URL.Path)})
		return
	}
	if f := s.env.Faults.Take(op); f != nil {
		s.fail(w, c, op, faultError(f))
		return
	}
	var out any
	body, err := emu.ReadBody(r)
	if err != nil {
		err = invalid("InvalidParameterValue", "cannot read request body: %v", err)
	} else if body, err = c.toCBOR(body); err == nil {
		switch op {
		case "PutMetricData":
			err = s.putMetricData(body)
			out = struct{}{}
		case "GetMetricData":
			out, err = s.getMetricData(body)
		case "GetMetricStatistics":
			out, err = s.getMetricStatistics(body)
		default:
			err = &apiError{code: "UnknownOperationException", status: http.StatusBadRequest,
				msg: "the emulator does not implement CloudWatch operation " + op}
		}
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = invalid("InternalServiceError", "%v", err)
		}
		s.fail(w, c, op, ae)
		return
	}
	b, err := c.encode(out)
	if err != nil {
		s.fail(w, c, op, invalid("InternalServiceError", "encode response: %v", err))
		return
	}
	s.env.Calls.Add(emu.Call{Time: s.env.Now(), Service: serviceName, Operation: op, Status: http.StatusOK})
	c.write(w, http.StatusOK, b)
}

// fail logs a failed call and writes its error.
func (s *Service) fail(w http.ResponseWriter, c codec, op string, e *apiError) {
	s.env.Calls.Add(emu.Call{Time: s.env.Now(), Service: serviceName, Operation: op, Status: e.status, Error: e.code})
	writeError(w, c, e)
}

var encMode = func() cbor.EncMode {
	m, err := cbor.EncOptions{Time: cbor.TimeUnixDynamic, TimeTag: cbor.EncTagRequired}.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

var decMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{DefaultMapType: nil}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// decode decodes a CBOR request body; an empty body decodes as {}.
func decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := decMode.Unmarshal(body, v); err != nil {
		return invalid("InvalidParameterValue", "malformed CBOR request body: %v", err)
	}
	return nil
}

// apiError is a CloudWatch error: code is the awsQuery error code the SDK
// reports (ErrorCode()), as in X-Amzn-Query-Error.
type apiError struct {
	code   string
	status int
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

// errorShapes maps awsQuery error codes to the Smithy error shape, the
// casing of the shape's message member and the HTTP status.
var errorShapes = map[string]struct {
	shape  string
	msgKey string
	status int
}{
	"InvalidParameterValue":       {"InvalidParameterValueException", "message", 400},
	"MissingParameter":            {"MissingRequiredParameterException", "message", 400},
	"InvalidParameterCombination": {"InvalidParameterCombinationException", "message", 400},
	"InvalidNextToken":            {"InvalidNextToken", "message", 400},
	"InternalServiceError":        {"InternalServiceFault", "Message", 500},
	"LimitExceeded":               {"LimitExceededFault", "message", 400},
	"ValidationError":             {"ValidationException", "message", 400},
	"ResourceNotFound":            {"ResourceNotFound", "message", 404},
}

// invalid returns an apiError with the status of its awsQuery code.
func invalid(code, format string, args ...any) *apiError {
	st := http.StatusBadRequest
	if sh, ok := errorShapes[code]; ok {
		st = sh.status
	}
	return &apiError{code: code, status: st, msg: fmt.Sprintf(format, args...)}
}

// faultError converts an injected fault, named by its awsQuery code or its
// shape name, to an apiError.
func faultError(f *emu.Error) *apiError {
	for code, sh := range errorShapes {
		if f.Code == sh.shape {
			return &apiError{code: code, status: sh.status, msg: f.Message}
		}
	}
	if sh, ok := errorShapes[f.Code]; ok {
		return &apiError{code: f.Code, status: sh.status, msg: f.Message}
	}
	return &apiError{code: f.Code, status: f.Status, msg: f.Message}
}

// writeError writes e as an error of a query-compatible service: the shape
// ID in __type, the message, and X-Amzn-Query-Error.
func writeError(w http.ResponseWriter, c codec, e *apiError) {
	shape, key := e.code, "message"
	if sh, ok := errorShapes[e.code]; ok {
		shape, key = sh.shape, sh.msgKey
	}
	body := map[string]any{"__type": "com.amazonaws.cloudwatch#" + shape, key: e.msg}
	b, err := c.encode(body)
	if err != nil {
		b = nil
	}
	fault := "Sender"
	if e.status >= 500 {
		fault = "Receiver"
	}
	w.Header().Set("X-Amzn-Query-Error", e.code+";"+fault)
	c.write(w, e.status, b)
}
