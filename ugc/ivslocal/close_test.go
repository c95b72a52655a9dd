package ivslocal_test

import (
	"errors"
	"io"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// Close does not wait for connections that never sent a request (an SDK
// client dials more than it uses; http.Server.Shutdown alone would wait
// 5 s for each): it closes them at once, as httptest.Server does.
func TestCloseDropsConnectionsWithoutRequests(t *testing.T) {
	srv := ivslocal.NewServer()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	// The bound is far above the expected microseconds and below the 5 s
	// Shutdown would wait: it catches a hang, it measures nothing.
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Close is still waiting for a connection that sent no request")
	}
	_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		var op *net.OpError
		if !errors.As(err, &op) || op.Timeout() {
			t.Errorf("reading the dropped connection: %v, want EOF or reset", err)
		}
	}
}
