package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
)

const testEventsSecret = "s3cret-events"

// newMetricsEnv is the channels env with the metrics routes mounted too,
// the emulator's events flowing into ingestion.
func newMetricsEnv(t *testing.T) (*channelsEnv, *metrics.Service) {
	t.Helper()
	e := newChannelsEnv(t, nil)
	cfg := e.ivs.AWSConfig()
	msvc, err := metrics.New(metrics.Options{Store: e.store, IVS: ivs.NewFromConfig(cfg), CloudWatch: cloudwatch.NewFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	e.h, err = httpapi.New(httpapi.Options{Channels: e.svc, Metrics: msvc, EventsSecret: testEventsSecret,
		Auth: bearerAuth, NewRequestID: func() string { return "rid" }})
	if err != nil {
		t.Fatal(err)
	}
	return e, msvc
}

func (e *channelsEnv) postEvent(secret string, body []byte) response {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/v1/stream-events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(httpapi.EventsSecretHeader, secret)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	_ = json.Unmarshal(res.Raw, &res.JSON)
	if err := httpapi.CheckResponse(e.h, req, rec.Code, rec.Header().Get("Content-Type"), res.Raw); err != nil {
		e.t.Errorf("POST /v1/stream-events: response does not match the OpenAPI document: %v", err)
	}
	return res
}

func TestMetricsRoutes(t *testing.T) {
	e, _ := newMetricsEnv(t)
	u := e.register("streamer")
	e.register("viewer1")

	ev := func(id, name string, at time.Time) []byte {
		b, _ := json.Marshal(map[string]any{
			"version": "0", "id": id, "detail-type": "IVS Stream State Change", "source": "aws.ivs",
			"account": "123456789012", "time": at.UTC().Format(time.RFC3339), "region": "us-east-1",
			"resources": []string{u.Channel.Arn},
			"detail":    map[string]any{"event_name": name, "channel_name": "x", "stream_id": "st-route"},
		})
		return b
	}
	start := time.Now().Add(-time.Minute)

	// Ingestion: secret checks, then acceptance, ignore and malformed.
	if r := e.postEvent("", ev("e1", "Stream Start", start)); r.Status != http.StatusUnauthorized {
		t.Errorf("no secret: status %d, want 401", r.Status)
	}
	if r := e.postEvent("wrong", ev("e1", "Stream Start", start)); r.Status != http.StatusUnauthorized {
		t.Errorf("wrong secret: status %d, want 401", r.Status)
	}
	for _, body := range [][]byte{ev("e0", "Session Created", start), ev("e1", "Stream Start", start), ev("e1", "Stream Start", start)} {
		if r := e.postEvent(testEventsSecret, body); r.Status != http.StatusAccepted || r.JSON["ignored"] != false {
			t.Fatalf("event: status %d %s, want 202 not ignored", r.Status, r.Raw)
		}
	}
	if r := e.postEvent(testEventsSecret, []byte(`{"detail-type":"IVS Composition State Change","time":"2026-11-25T12:00:00Z","source":"aws.ivs"}`)); r.Status != http.StatusAccepted || r.JSON["ignored"] != true {
		t.Errorf("unknown kind: status %d %s, want 202 ignored", r.Status, r.Raw)
	}
	if r := e.postEvent(testEventsSecret, []byte(`{"detail-type":`)); r.Status != http.StatusBadRequest {
		t.Errorf("malformed: status %d, want 400", r.Status)
	}

	// The channel is live everywhere.
	if r := e.call("GET", "/v1/me/live-status", u.ID, "", nil); r.Status != 200 || r.JSON["isBroadcasting"] != true {
		t.Errorf("live-status: %d %s", r.Status, r.Raw)
	}
	if r := e.call("GET", "/v1/channels/streamer", "", "", nil); r.JSON["isLive"] != true || r.JSON["liveKind"] != "low_latency" {
		t.Errorf("channel page: %s", r.Raw)
	}

	// Sessions.
	r := e.call("GET", "/v1/me/sessions", u.ID, "", nil)
	sessions, _ := r.JSON["sessions"].([]any)
	if r.Status != 200 || len(sessions) != 1 || sessions[0].(map[string]any)["isLive"] != true {
		t.Fatalf("sessions: %d %s", r.Status, r.Raw)
	}
	r = e.call("GET", "/v1/me/sessions/st-route", u.ID, "", nil)
	if r.Status != 200 || len(r.JSON["events"].([]any)) != 2 || len(r.JSON["metrics"].([]any)) != 5 {
		t.Fatalf("session detail: %d %s", r.Status, r.Raw)
	}
	if r := e.call("GET", "/v1/me/sessions/st-route", "viewer1-id-unknown", "", nil); r.Status != http.StatusNotFound {
		t.Errorf("another user's session: status %d, want 404", r.Status)
	}
	if r := e.call("GET", "/v1/me/sessions/st-route", "", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous: status %d, want 401", r.Status)
	}

	// The stream ends.
	if r := e.postEvent(testEventsSecret, ev("e2", "Stream End", start.Add(30*time.Second))); r.Status != http.StatusAccepted {
		t.Fatalf("end: %d %s", r.Status, r.Raw)
	}
	if r := e.call("GET", "/v1/me/live-status", u.ID, "", nil); r.JSON["isBroadcasting"] != false {
		t.Errorf("live-status after end: %s", r.Raw)
	}
	if r := e.call("GET", "/v1/me/sessions?cursor=bogus", u.ID, "", nil); r.Status != http.StatusBadRequest {
		t.Errorf("bogus cursor: status %d, want 400", r.Status)
	}
}

// Session lists come in full pages with a working cursor.
func TestSessionsPaging(t *testing.T) {
	e, msvc := newMetricsEnv(t)
	u := e.register("streamer")
	base := time.Now().Add(-24 * time.Hour)
	for i := range 7 {
		b, _ := json.Marshal(map[string]any{
			"id": fmt.Sprintf("ev%d", i), "detail-type": "IVS Stream State Change", "source": "aws.ivs",
			"time": base.Add(time.Duration(i) * time.Minute).UTC().Format(time.RFC3339), "resources": []string{u.Channel.Arn},
			"detail": map[string]any{"event_name": "Session Created", "stream_id": fmt.Sprintf("st-%d", i)},
		})
		if _, err := msvc.Ingest(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		path := "/v1/me/sessions?limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := e.call("GET", path, u.ID, "", nil)
		if r.Status != 200 {
			t.Fatalf("page %d: %d %s", page, r.Status, r.Raw)
		}
		list := r.JSON["sessions"].([]any)
		if next, _ := r.JSON["nextCursor"].(string); next != "" && len(list) != 3 {
			t.Fatalf("page %d has %d sessions but is not the last", page, len(list))
		}
		for _, s := range list {
			got = append(got, s.(map[string]any)["id"].(string))
		}
		next, _ := r.JSON["nextCursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	want := []string{"st-6", "st-5", "st-4", "st-3", "st-2", "st-1", "st-0"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sessions = %v, want %v", got, want)
	}
}
