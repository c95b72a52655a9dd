package main

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// TestAWSMode runs the app with -aws: the standard AWS config chain,
// pointed by AWS_ENDPOINT_URL at an emulator the app does not own, so the
// code path is the one used against real AWS.
func TestAWSMode(t *testing.T) {
	srv := ivslocal.NewServer()
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            srv.URL,
		"AWS_REGION":                  srv.Region(),
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
	cfg := testConfig(dir)
	cfg.AWS = true
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
