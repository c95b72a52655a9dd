package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestSignalShutdown runs the app as a process, sends SIGTERM while a
// request is in flight and checks that the request is answered and the
// process exits 0.
func TestSignalShutdown(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), runMainEnv+"=1",
		mainArgsEnv+"=-addr 127.0.0.1:0 -data "+t.TempDir()+" -store memory")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := false
	defer func() {
		if !waited {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	lines := bufio.NewScanner(stdout)
	// waitFor reads stdout up to a line containing s and returns it.
	waitFor := func(s string) string {
		t.Helper()
		for lines.Scan() {
			if strings.Contains(lines.Text(), s) {
				return lines.Text()
			}
		}
		t.Fatalf("the app's output ended before %q (err %v); stderr:\n%s", s, lines.Err(), stderr.String())
		return ""
	}
	_, url, _ := strings.Cut(waitFor("listening on "), "listening on ")
	addr := strings.TrimPrefix(url, "http://")

	// Start a request and wait for the handler to ask for its body
	// (100 Continue): it is now in flight.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"login":"nobody","password":"Some-Pass-1"}`
	fmt.Fprintf(conn, "POST /v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, len(body))
	br := bufio.NewReader(conn)
	cont, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading 100 Continue: %v", err)
	}
	if cont.StatusCode != http.StatusContinue {
		t.Fatalf("interim status = %d, want 100", cont.StatusCode)
	}

	// Shut down while the request waits for its body.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor("draining in-flight requests")
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("in-flight login = %d, want 401", resp.StatusCode)
	}
	io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	waited = true
	var exit *exec.ExitError
	if errors.As(err, &exit) || err != nil {
		t.Errorf("exit: %v, want status 0; stderr:\n%s", err, stderr.String())
	}
	// New connections are refused after the shutdown.
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("the app still accepts connections after exiting")
	}
}
