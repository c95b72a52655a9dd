package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// TestAWSMode runs the app with -aws: the standard AWS config chain,
// pointed by AWS_ENDPOINT_URL at an emulator the app does not own, so the
// code path is the one used against real AWS.
func TestAWSMode(t *testing.T) {
	srv := ivslocal.NewServer()
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	setAWSEnv(t, dir, "AWS_ENDPOINT_URL", srv.URL)
	// Capture the emulator's events, as EventBridge would.
	var events struct {
		mu  sync.Mutex
		raw [][]byte
	}
	cancel := srv.Subscribe(func(ev ivslocal.Event) {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Error(err)
			return
		}
		events.mu.Lock()
		defer events.mu.Unlock()
		events.raw = append(events.raw, b)
	})
	defer cancel()

	cfg := testConfig(dir)
	cfg.AWS = true
	cfg.EventsSecret = "s3cret-for-eventbridge"
	app := startApp(t, cfg)
	if app.EmulatorURL() != "" {
		t.Errorf("EmulatorURL = %q with -aws, want none", app.EmulatorURL())
	}
	c := newClient(t, app.URL())
	s := c.register("judy", "judy@example.com")
	m := c.me(s.Token)

	// The channel is in the account AWS_ENDPOINT_URL points at.
	arn, _, err := srv.StartStream(m.Channel.StreamKey)
	if err != nil {
		t.Fatalf("StartStream with judy's key: %v", err)
	}
	if arn != m.Channel.Arn {
		t.Errorf("stream key belongs to %s, want %s", arn, m.Channel.Arn)
	}
	// With -aws, IVS events come from EventBridge: until they are pushed,
	// the live index does not know the stream.
	if diff := cmp.Diff([]string{}, c.directory()); diff != "" {
		t.Errorf("directory before the event is pushed mismatch (-want +got):\n%s", diff)
	}
	push := func(secret string, body []byte) response {
		req, err := http.NewRequest("POST", app.URL()+"/v1/stream-events", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(httpapi.EventsSecretHeader, secret)
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	}
	events.mu.Lock()
	pushed := slices.Clone(events.raw)
	events.mu.Unlock()
	if len(pushed) == 0 {
		t.Fatal("the emulator emitted no event for the stream start")
	}
	for _, secret := range []string{"", "wrong"} {
		if got := push(secret, pushed[0]).Err(t); got.Status != http.StatusUnauthorized {
			t.Errorf("push with secret %q = %+v, want 401", secret, got)
		}
	}
	for _, raw := range pushed {
		if r := push(cfg.EventsSecret, raw); r.Status != http.StatusAccepted {
			t.Fatalf("push = %d %s, want 202", r.Status, r.Body)
		}
	}
	if diff := cmp.Diff([]string{"judy:low_latency"}, c.directory()); diff != "" {
		t.Errorf("directory after the events are pushed mismatch (-want +got):\n%s", diff)
	}
	if got := push(cfg.EventsSecret, []byte(`{"detail-type":`)).Err(t); got.Status != http.StatusBadRequest {
		t.Errorf("push of malformed JSON = %+v, want 400", got)
	}

	// Dev controls exist only with the embedded emulator.
	for _, path := range []string{"/_dev/channels/judy/stream/start", "/_dev/outbox"} {
		method := "POST"
		if path == "/_dev/outbox" {
			method = "GET"
		}
		if got := c.do(method, path, "", nil).Status; got != http.StatusNotFound {
			t.Errorf("%s %s with -aws = %d, want 404", method, path, got)
		}
	}
}

// setAWSEnv points the standard AWS config chain at a local endpoint
// (endpointVar is AWS_ENDPOINT_URL or a service's AWS_ENDPOINT_URL_*),
// with fake credentials and no shared config files, for this test.
func setAWSEnv(t *testing.T, dir, endpointVar, url string) {
	t.Helper()
	for k, v := range map[string]string{
		endpointVar:                   url,
		"AWS_REGION":                  ivslocal.DefaultRegion,
		"AWS_ACCESS_KEY_ID":           ivslocal.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":       ivslocal.SecretAccessKey,
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "no-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "no-credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
}
