package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// start runs the command with args until the returned stop is called and
// returns the URL it printed.
func start(t *testing.T, args ...string) (url string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		cancel()
		t.Fatalf("no output; run returned %v", <-done)
	}
	line := sc.Text()
	const prefix = "ivslocal listening on "
	if !strings.HasPrefix(line, prefix) {
		cancel()
		t.Fatalf("first line = %q", line)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimPrefix(line, prefix), func() error {
		cancel()
		return <-done
	}
}

func TestRun(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	url, stop := start(t, "-addr", "127.0.0.1:0", "-state", state)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL = %q", url)
	}
	resp, err := http.Post(url+"/CreateChannel", "application/json", strings.NewReader(`{"name":"cmd"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("CreateChannel = %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	b, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(b), `"name": "cmd"`) && !strings.Contains(string(b), `"name":"cmd"`) {
		t.Errorf("state file after shutdown = %q, %v; want the channel", b, err)
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestRunBadFlags(t *testing.T) {
	tests := [][]string{
		{"-nope"},
		{"-addr", "not-an-address"},
	}
	for _, args := range tests {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
