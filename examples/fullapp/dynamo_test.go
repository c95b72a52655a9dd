package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/internal/mototest"
)

// TestDynamoDBStore runs the app on -store dynamodb against moto's
// DynamoDB (reached through AWS_ENDPOINT_URL_DYNAMODB, next to the
// embedded IVS emulator), then restarts it on the same table.
func TestDynamoDBStore(t *testing.T) {
	moto := mototest.Start(t)
	dir := t.TempDir()
	setAWSEnv(t, dir, "AWS_ENDPOINT_URL_DYNAMODB", moto.URL)
	cfg := testConfig(dir)
	cfg.Store, cfg.Table = StoreDynamoDB, "ugc-fullapp-test"

	first := NewApp(cfg)
	if err := first.Run(context.Background()); err != nil {
		first.Close()
		t.Fatalf("Run: %v", err)
	}
	c1 := newClient(t, first.URL())
	pia := c1.register("pia_p", "pia@example.com")
	before := c1.me(pia.Token)
	c1.must(http.StatusCreated, "POST", "/_dev/channels/pia_p/stream/start", "", nil)
	if diff := cmp.Diff([]string{"pia_p:low_latency"}, c1.directory()); diff != "" {
		t.Errorf("directory mismatch (-want +got):\n%s", diff)
	}
	c1.hc.Transport.(interface{ CloseIdleConnections() }).CloseIdleConnections()
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := startApp(t, cfg) // the table exists now
	c2 := newClient(t, second.URL())
	if diff := cmp.Diff(before, c2.me(pia.Token)); diff != "" {
		t.Errorf("GET /v1/me after restart mismatch (-before +after):\n%s", diff)
	}
	c2.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "pia@example.com", "password": password})
	if diff := cmp.Diff([]string{}, c2.directory()); diff != "" {
		t.Errorf("directory after restart mismatch (-want +got):\n%s", diff)
	}
}
