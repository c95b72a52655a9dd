package cwsvc

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func FuzzExpression(f *testing.F) {
	for _, s := range []string{"FILL(m, REPEAT)", "TIME_SERIES(AVG(m))", "FILL(m, 0) * 2 - -1", "ABS(m)/(m+1)", "MAX(m", "1e5+m", "((m))"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := parseExpr(src)
		if err != nil {
			return
		}
		m := &val{period: 60, ts: []int64{0, 60_000, 180_000}, vs: []float64{1, 2, 3}}
		ev := &evaluator{
			lookup:        func(string) (*val, error) { return m, nil },
			defaultPeriod: 60,
			grid: func(p int64) ([]int64, error) {
				var g []int64
				for t := int64(0); t < 300_000; t += p * 1000 {
					g = append(g, t)
				}
				return g, nil
			},
		}
		v, err := ev.eval(n)
		if err == nil && !v.scalar && len(v.ts) != len(v.vs) {
			t.Errorf("%q: %d timestamps for %d values", src, len(v.ts), len(v.vs))
		}
	})
}

func FuzzNextToken(f *testing.F) {
	f.Add(3, 100, 5, "")
	f.Add(0, 0, 1, "Z21kOjA6MA")
	f.Fuzz(func(t *testing.T, q, off, nq int, raw string) {
		if q >= 0 && off >= 0 && q < nq {
			gq, goff, ok := parseNextToken(nextToken(q, off), nq)
			if !ok || gq != q || goff != off {
				t.Errorf("parseNextToken(nextToken(%d, %d)) = %d, %d, %v", q, off, gq, goff, ok)
			}
		}
		if gq, goff, ok := parseNextToken(raw, nq); ok && (gq < 0 || gq >= nq || goff < 0) {
			t.Errorf("parseNextToken(%q) = %d, %d out of range", raw, gq, goff)
		}
	})
}

// FuzzRequests sends arbitrary bodies to every operation: the service must
// answer with a CBOR success or a client error, never a 5xx or a panic.
func FuzzRequests(f *testing.F) {
	f.Add("PutMetricData", []byte{0xa0})
	f.Add("GetMetricData", []byte{0xa1, 0x69, 'S', 't', 'a', 'r', 't', 'T', 'i', 'm', 'e', 0xc1, 0x00})
	f.Add("GetMetricStatistics", []byte{0xff})
	env := emu.NewEnv("us-east-1", "123456789012")
	env.Now = func() time.Time { return testNow }
	svc := New(env)
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, PathPrefix+"GetMetricData", bytes.NewReader(body))
		switch op {
		case "PutMetricData", "GetMetricStatistics":
			req.URL.Path = PathPrefix + op
		}
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("%s: status %d: %x", op, rec.Code, rec.Body.Bytes())
		}
	})
}
