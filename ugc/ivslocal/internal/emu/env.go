package emu

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Env is what every emulated service shares. Build it with NewEnv.
type Env struct {
	Region  string
	Account string
	Now     func() time.Time

	Faults  *Faults
	Calls   *CallLog
	Tags    *Tags
	Bus     *Bus
	Metrics MetricSink // set by the root package; nil drops points
}

// NewEnv returns an Env with empty registries and the real clock.
func NewEnv(region, account string) *Env {
	return &Env{
		Region:  region,
		Account: account,
		Now:     time.Now,
		Faults:  &Faults{},
		Calls:   &CallLog{},
		Tags:    NewTags(),
		Bus:     &Bus{},
	}
}

// ARN builds arn:aws:<service>:<region>:<account>:<resource>.
func (e *Env) ARN(service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, e.Region, e.Account, resource)
}

// Handler is the body of one restJson1 operation: it returns the success
// status and output, or an error (an *Error for AWS errors).
type Handler func(r *http.Request) (status int, out any, err error)

// Op wraps a restJson1 operation: it records the call, applies an injected
// fault for the operation if one is armed, runs h and writes its result.
func (e *Env) Op(service, op string, flavor Flavor, h Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f := e.Faults.Take(op); f != nil {
			e.Calls.Add(Call{Time: e.Now(), Service: service, Operation: op, Status: f.Status, Error: f.Code})
			WriteError(w, flavor, f)
			return
		}
		status, out, err := h(r)
		if err != nil {
			ae, ok := err.(*Error)
			if !ok {
				ae = Errorf("InternalServerException", "%v", err)
			}
			e.Calls.Add(Call{Time: e.Now(), Service: service, Operation: op, Status: ae.Status, Error: ae.Code})
			WriteError(w, flavor, ae)
			return
		}
		e.Calls.Add(Call{Time: e.Now(), Service: service, Operation: op, Status: status})
		WriteJSON(w, status, out)
	}
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// RandomID returns n random characters of [a-zA-Z0-9], the form of IVS
// resource IDs.
func RandomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}

// Call is one API call as the call log keeps it.
type Call struct {
	Time      time.Time `json:"time"`
	Service   string    `json:"service"`
	Operation string    `json:"operation"`
	Status    int       `json:"status"`
	Error     string    `json:"error,omitempty"`
}

// CallLog is the log of API calls, safe for concurrent use.
type CallLog struct {
	mu    sync.Mutex
	calls []Call
}

// maxCalls bounds the log; older calls are dropped.
const maxCalls = 100_000

// Add appends c.
func (l *CallLog) Add(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.calls) >= maxCalls {
		l.calls = append(l.calls[:0], l.calls[len(l.calls)-maxCalls/2:]...)
	}
	l.calls = append(l.calls, c)
}

// List returns a copy of the log, oldest first.
func (l *CallLog) List() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Call(nil), l.calls...)
}

// Reset empties the log.
func (l *CallLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = nil
}

// Fault is an injected error: the next Count calls of Operation fail with
// the AWS error type Error.
type Fault struct {
	Operation string `json:"operation"`
	Error     string `json:"error"`
	Message   string `json:"message,omitempty"`
	Count     int    `json:"count"`
}

// Faults is the set of armed faults, safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	armed []Fault
}

// Add arms f. A Count of 0 or less means 1.
func (f *Faults) Add(ft Fault) {
	if ft.Count <= 0 {
		ft.Count = 1
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.armed = append(f.armed, ft)
}

// Clear disarms every fault.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.armed = nil
}

// Take consumes one use of the first fault armed for op and returns its
// error, or nil when none is armed.
func (f *Faults) Take(op string) *Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.armed {
		ft := &f.armed[i]
		if ft.Operation != op {
			continue
		}
		ft.Count--
		e := &Error{Code: ft.Error, Status: StatusOf(ft.Error), Message: ft.Message}
		if e.Message == "" {
			e.Message = "injected fault"
		}
		if ft.Count <= 0 {
			f.armed = append(f.armed[:i], f.armed[i+1:]...)
		}
		return e
	}
	return nil
}

// List returns a copy of the armed faults, in arming order, with their
// remaining counts.
func (f *Faults) List() []Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Fault{}, f.armed...)
}
