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

// loadLoop sends GET requests to url over one keep-alive connection until
// the benchmark ends and reports req/s and the p99 latency.
func loadLoop(b *testing.B, url, token string) {
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		b.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	lat := make([]time.Duration, 0, 1<<16)
	start := time.Now()
	for b.Loop() {
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(t0))
	}
	elapsed := time.Since(start)
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkChannelPage serves GET /v1/channels/{username} (signed-in
// viewer, sqlstore in memory) over loopback HTTP, next to a trivial
// handler in the same run as the baseline.
func BenchmarkChannelPage(b *testing.B) {
	b.Run("trivial", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true}`+"\n")
		}))
		defer srv.Close()
		loadLoop(b, srv.URL+"/v1/channels/streamer1", "")
	})
	b.Run("httpapi-healthz", func(b *testing.B) {
		h, err := httpapi.New(httpapi.Options{Auth: bearerAuth})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		loadLoop(b, srv.URL+"/healthz", "")
	})
	for _, ttl := range []time.Duration{0, time.Second} {
		name := "sqlstore"
		if ttl > 0 {
			name = "sqlstore-pagecache-1s"
		}
		b.Run(name, func(b *testing.B) {
			st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "ugc.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			e := newChannelsEnv(b, st, func(o *channels.Options) { o.PageCacheTTL = ttl })
			e.register("streamer1")
			viewer := e.register("viewer1")
			if got := e.call("PUT", "/v1/me/following/streamer1", viewer.ID, "", nil); got.Status != 204 {
				b.Fatalf("follow: status %d", got.Status)
			}
			srv := httptest.NewServer(e.h)
			defer srv.Close()
			loadLoop(b, srv.URL+"/v1/channels/streamer1", viewer.ID)
		})
	}
	b.Run("memstore", func(b *testing.B) {
		e := newChannelsEnv(b, nil)
		e.register("streamer1")
		viewer := e.register("viewer1")
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		loadLoop(b, srv.URL+"/v1/channels/streamer1", viewer.ID)
	})
}
