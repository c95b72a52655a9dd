package chatsvc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/google/go-cmp/cmp"
)

// nodeHarness is testdata/node of the ivslocal package.
const nodeHarness = "../../testdata/node"

// skipIntegration skips the test, or fails it when UGC_REQUIRE_INTEGRATION=1.
func skipIntegration(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("UGC_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("%s (UGC_REQUIRE_INTEGRATION=1, so this is a failure)", msg)
	}
	t.Skip(msg)
}

// nodeE2EResult is what chat_e2e.mjs prints.
type nodeE2EResult struct {
	Connected []string `json:"connected"`
	Send      struct {
		Content          string            `json:"content"`
		Attributes       map[string]string `json:"attributes"`
		Sender           string            `json:"sender"`
		SenderAttributes map[string]string `json:"senderAttributes"`
		IDLength         int               `json:"idLength"`
		SendTimeIsDate   bool              `json:"sendTimeIsDate"`
		ReceivedContent  string            `json:"receivedContent"`
		SameID           bool              `json:"sameId"`
	} `json:"send"`
	Event struct {
		Status     int               `json:"status"`
		EventName  string            `json:"eventName"`
		Attributes map[string]string `json:"attributes"`
		SameID     bool              `json:"sameId"`
	} `json:"event"`
	CapabilityError *struct {
		ErrorCode    int    `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
		HasRequestID bool   `json:"hasRequestId"`
	} `json:"capabilityError"`
	Delete struct {
		MessageIDMatches    bool   `json:"messageIdMatches"`
		Reason              string `json:"reason"`
		BobMessageIDMatches bool   `json:"bobMessageIdMatches"`
	} `json:"delete"`
	Disconnect struct {
		UserID              string `json:"userId"`
		Reason              string `json:"reason"`
		BobSawUserID        string `json:"bobSawUserId"`
		BobDisconnectReason string `json:"bobDisconnectReason"`
		AliceState          string `json:"aliceState"`
	} `json:"disconnect"`
	RefusedTokenReason    string `json:"refusedTokenReason"`
	AliceDisconnectReason string `json:"aliceDisconnectReason"`
}

// TestNodeChatClient drives the emulator with the official JS chat SDK:
// two ChatRoom clients send, receive, get an API event, delete, disconnect
// and hit a capability error, and a third is refused a used token.
func TestNodeChatClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		skipIntegration(t, "node is not installed: %v", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipIntegration(t, "npm is not installed: %v", err)
	}
	dir, err := filepath.Abs(nodeHarness)
	if err != nil {
		t.Fatal(err)
	}
	installed := true
	for _, pkg := range []string{"amazon-ivs-chat-messaging", "ws"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			installed = false
		}
	}
	if !installed {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			skipIntegration(t, "npm install in %s failed: %v\n%s", dir, err, out)
		}
	}

	f := newFixture(t)
	// The SDK schedules token refreshes against the real clock.
	f.env.Now = time.Now
	room := f.createRoom(t, &ivschat.CreateRoomInput{Name: aws.String("node-e2e")})
	tokens := map[string]map[string]string{}
	for user, caps := range map[string][]types.ChatTokenCapability{
		"alice":   {capSend, capDelete, capDisconnect},
		"bob":     {capSend},
		"mallory": {capSend},
	} {
		out, err := f.client.CreateChatToken(context.Background(), &ivschat.CreateChatTokenInput{
			RoomIdentifier: room.Arn, UserId: aws.String(user), Capabilities: caps,
			Attributes: map[string]string{"displayName": strings.ToUpper(user[:1]) + user[1:]},
		})
		if err != nil {
			t.Fatalf("CreateChatToken(%s): %v", user, err)
		}
		tokens[user] = map[string]string{
			"token":                 aws.ToString(out.Token),
			"tokenExpirationTime":   aws.ToTime(out.TokenExpirationTime).Format(time.RFC3339Nano),
			"sessionExpirationTime": aws.ToTime(out.SessionExpirationTime).Format(time.RFC3339Nano),
		}
	}
	// mallory's token is used up before the script gets it.
	f.dial(t, tokens["mallory"]["token"]).close()
	tokensJSON, err := json.Marshal(tokens)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "chat_e2e.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHAT_URL="+f.wsURL(), "CHAT_TOKENS="+string(tokensJSON), "CHAT_ROOM="+aws.ToString(room.Arn))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node chat_e2e.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("node stderr (the SDK logs the expected 403 and 401 as errors):\n%s", stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var got nodeE2EResult
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatalf("decode the script's result: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}

	var want nodeE2EResult
	want.Connected = []string{"connected", "connected"}
	want.Send.Content = "héllo from node ✓"
	want.Send.Attributes = map[string]string{"color": "blue"}
	want.Send.Sender = "bob"
	want.Send.SenderAttributes = map[string]string{"displayName": "Bob"}
	want.Send.IDLength = 12
	want.Send.SendTimeIsDate = true
	want.Send.ReceivedContent = "héllo from node ✓"
	want.Send.SameID = true
	want.Event.Status = 200
	want.Event.EventName = "poll:update"
	want.Event.Attributes = map[string]string{"votes": "3"}
	want.Event.SameID = true
	want.CapabilityError = &struct {
		ErrorCode    int    `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
		HasRequestID bool   `json:"hasRequestId"`
	}{403, capabilityMessage(capDeleteMessage), true}
	want.Delete.MessageIDMatches = true
	want.Delete.Reason = "spam"
	want.Delete.BobMessageIDMatches = true
	want.Disconnect.UserID = "bob"
	want.Disconnect.Reason = "bye"
	want.Disconnect.BobSawUserID = "bob"
	want.Disconnect.BobDisconnectReason = "serverDisconnect"
	want.Disconnect.AliceState = "connected"
	want.RefusedTokenReason = "socketError"
	want.AliceDisconnectReason = "clientDisconnect"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JS SDK results mismatch (-want +got):\n%s\nstderr:\n%s", diff, stderr.String())
	}
}
