package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// getter sends GET requests to one URL over one keep-alive connection and
// records their latencies.
type getter struct {
	b      *testing.B
	client *http.Client
	req    *http.Request
	lat    []time.Duration
}

func newGetter(b *testing.B, url, token string) *getter {
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	b.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		b.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return &getter{b: b, client: &http.Client{Transport: tr}, req: req, lat: make([]time.Duration, 0, 1<<16)}
}

func (g *getter) get() {
	t0 := time.Now()
	resp, err := g.client.Do(g.req)
	if err != nil {
		g.b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		g.b.Fatalf("GET %s: status %d", g.req.URL, resp.StatusCode)
	}
	g.lat = append(g.lat, time.Since(t0))
}

// report adds req/s (1 / mean latency, one connection) and p99 latency
// metrics named after prefix, and returns the req/s.
func (g *getter) report(prefix string) float64 {
	var sum time.Duration
	for _, d := range g.lat {
		sum += d
	}
	rps := float64(len(g.lat)) / sum.Seconds()
	slices.Sort(g.lat)
	g.b.ReportMetric(rps, prefix+"-req/s")
	g.b.ReportMetric(float64(g.lat[len(g.lat)*99/100].Microseconds()), prefix+"-p99-µs")
	return rps
}

// compare alternates requests to a trivial handler and to url (one each
// per iteration, each over its own keep-alive loopback connection), so
// both see the same machine load, and reports both rates, both p99
// latencies and their ratio.
func compare(b *testing.B, url, token string) {
	trivial := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true}`+"\n")
	}))
	defer trivial.Close()
	base, target := newGetter(b, trivial.URL+"/v1/channels/streamer1", ""), newGetter(b, url, token)
	for b.Loop() {
		base.get()
		target.get()
	}
	t := base.report("trivial")
	p := target.report("page")
	b.ReportMetric(p/t, "ratio")
}

// BenchmarkChannelPage serves GET /v1/channels/{username} to a signed-in
// viewer who follows the channel, over loopback HTTP, next to a trivial
// handler in the same loop.
func BenchmarkChannelPage(b *testing.B) {
	b.Run("framework-healthz", func(b *testing.B) {
		h, err := httpapi.New(httpapi.Options{Auth: bearerAuth})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		compare(b, srv.URL+"/healthz", "")
	})
	for _, tc := range []struct {
		name   string
		sqlite bool
		ttl    time.Duration
	}{
		{"memstore", false, 0},
		{"sqlstore", true, 0},
		{"sqlstore-pagecache-1s", true, time.Second},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e := newBenchEnv(b, tc.sqlite, tc.ttl)
			e.register("streamer1")
			viewer := e.register("viewer1")
			if got := e.call("PUT", "/v1/me/following/streamer1", viewer.ID, "", nil); got.Status != 204 {
				b.Fatalf("follow: status %d", got.Status)
			}
			srv := httptest.NewServer(e.h)
			defer srv.Close()
			compare(b, srv.URL+"/v1/channels/streamer1", viewer.ID)
		})
	}
}

func newBenchEnv(b *testing.B, sqlite bool, ttl time.Duration) *channelsEnv {
	withTTL := func(o *channels.Options) { o.PageCacheTTL = ttl }
	if !sqlite {
		return newChannelsEnv(b, nil, withTTL)
	}
	st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "ugc.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	return newChannelsEnv(b, st, withTTL)
}

// BenchmarkInProcess measures the handler without the network: the
// framework alone (GET /healthz through every middleware) and the channel
// page on memstore.
func BenchmarkInProcess(b *testing.B) {
	trivial := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true}`+"\n")
	})
	h, err := httpapi.New(httpapi.Options{Auth: bearerAuth})
	if err != nil {
		b.Fatal(err)
	}
	e := newChannelsEnv(b, nil)
	e.register("streamer1")
	viewer := e.register("viewer1")
	for _, tc := range []struct {
		name  string
		h     http.Handler
		path  string
		token string
	}{
		{"trivial", trivial, "/healthz", ""},
		{"framework-healthz", h, "/healthz", ""},
		{"page-memstore", e.h, "/v1/channels/streamer1", viewer.ID},
	} {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				tc.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
