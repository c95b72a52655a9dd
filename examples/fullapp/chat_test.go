package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// chatFrame is the part of an IVS Chat WebSocket frame the test reads.
type chatFrame struct {
	Type         string `json:"Type"`
	RequestID    string `json:"RequestId"`
	Content      string `json:"Content"`
	ErrorCode    int    `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

// TestChat gets chat tokens from the app and chats over the emulator's
// WebSocket; blocked terms reach the review handler the app wires into
// the emulator.
func TestChat(t *testing.T) {
	app := startApp(t, testConfig(t.TempDir()))
	c := newClient(t, app.URL())
	owner := c.register("kate", "kate@example.com")
	viewer := c.register("leo_l", "leo@example.com")

	c.must(http.StatusOK, "PUT", "/v1/me/chat/blocked-terms", owner.Token, map[string][]string{"terms": {"darn"}})

	var anon struct {
		Capabilities []string `json:"capabilities"`
	}
	c.must(http.StatusOK, "POST", "/v1/channels/kate/chat/token", "", nil).JSON(t, &anon)
	if len(anon.Capabilities) != 0 {
		t.Errorf("anonymous capabilities = %v, want none", anon.Capabilities)
	}
	var tok struct {
		Token    string `json:"token"`
		Endpoint string `json:"endpoint"`
	}
	c.must(http.StatusOK, "POST", "/v1/channels/kate/chat/token", viewer.Token, nil).JSON(t, &tok)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, tok.Endpoint, &websocket.DialOptions{Subprotocols: []string{tok.Token}})
	if err != nil {
		t.Fatalf("dial %s: %v", tok.Endpoint, err)
	}
	defer ws.CloseNow()

	// send sends a message and returns the frame answering it.
	send := func(id, content string) chatFrame {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"Action": "SEND_MESSAGE", "RequestId": id, "Content": content})
		if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatalf("write: %v", err)
		}
		for {
			_, b, err := ws.Read(ctx)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			var f chatFrame
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatalf("frame %s: %v", b, err)
			}
			if f.RequestID == id {
				return f
			}
		}
	}
	if f := send("r1", "hello kate"); f.Type != "MESSAGE" || f.Content != "hello kate" {
		t.Errorf("plain message answered with %+v, want the MESSAGE", f)
	}
	if f := send("r2", "well, DARN it"); f.Type != "ERROR" {
		t.Errorf("message with a blocked term answered with %+v, want an ERROR", f)
	}
}
