package chat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

// skipIntegration skips the test, or fails it when UGC_REQUIRE_INTEGRATION=1.
func skipIntegration(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("UGC_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("%s (UGC_REQUIRE_INTEGRATION=1, so this is a failure)", msg)
	}
	t.Skip(msg)
}

// nodeHarness prepares testdata/node (npm install when needed) and
// returns the node binary and the directory.
func nodeHarness(t *testing.T) (node, dir string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipIntegration(t, "node is not installed: %v", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipIntegration(t, "npm is not installed: %v", err)
	}
	dir, err = filepath.Abs("testdata/node")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"amazon-ivs-chat-messaging", "ws"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			skipIntegration(t, "npm install in %s failed: %v\n%s", dir, err, out)
		}
		break
	}
	return node, dir
}

// nodeResult is what chat_moderation.mjs prints.
type nodeResult struct {
	Blocked *struct {
		ErrorCode    int    `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
	} `json:"blocked"`
	FirstDelivered struct {
		Content              string `json:"content"`
		SenderIsViewerUserID bool   `json:"senderIsViewerUserId"`
		DisplayName          string `json:"displayName"`
	} `json:"firstDelivered"`
	Ban struct {
		Status                 int    `json:"status"`
		ViewerDisconnectReason string `json:"viewerDisconnectReason"`
		OwnerSawUserID         bool   `json:"ownerSawUserId"`
		OwnerSawReason         string `json:"ownerSawReason"`
	} `json:"ban"`
	TokenAfterBan struct {
		Status int    `json:"status"`
		Code   string `json:"code"`
	} `json:"tokenAfterBan"`
}

// TestNodeModeration drives moderation with the official JS chat SDK: its
// token provider asks a backend built on the service; a blocked term is
// refused and never delivered; a server-side ban disconnects the viewer at
// once and the viewer gets no new token.
func TestNodeModeration(t *testing.T) {
	node, dir := nodeHarness(t)
	e := newEnv(t, func(o *chat.Options) { o.Now = time.Now }) // the SDK checks expiry times against the real clock
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	if _, err := e.svc.SetBlockedTerms(ctx, owner.ID, []string{"bad"}); err != nil {
		t.Fatal(err)
	}
	users := map[string]string{"owner": owner.ID, "viewer": viewer.ID}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ User string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || users[in.User] == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/token":
			tok, err := e.svc.Token(r.Context(), "owner1", users[in.User])
			if err != nil {
				status := http.StatusInternalServerError
				if ugc.KindOf(err) == ugc.ErrPermissionDenied {
					status = http.StatusForbidden
				}
				w.WriteHeader(status)
				_ = json.NewEncoder(w).Encode(map[string]string{"code": ugc.CodeOf(err)})
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{
				"token": tok.Token.Reveal(), "tokenExpirationTime": tok.TokenExpirationTime, "sessionExpirationTime": tok.SessionExpirationTime,
			})
		case "/ban":
			if _, err := e.svc.Ban(r.Context(), owner.ID, owner.ID, chat.BanInput{Username: "viewer1", Reason: "spam"}); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			http.NotFound(w, r)
		}
	}))
	defer api.Close()

	rctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(rctx, node, "chat_moderation.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHAT_URL="+e.ivs.ChatEndpoint(), "API_URL="+api.URL)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node chat_moderation.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var got nodeResult
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatalf("decode the script's result: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var want nodeResult
	want.Blocked = &struct {
		ErrorCode    int    `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
	}{406, "Message rejected during message review: " + chat.DenyReason}
	want.FirstDelivered.Content = "hello"
	want.FirstDelivered.SenderIsViewerUserID = true
	want.FirstDelivered.DisplayName = "viewer1"
	want.Ban.Status = 204
	want.Ban.ViewerDisconnectReason = "serverDisconnect"
	want.Ban.OwnerSawUserID = true
	want.Ban.OwnerSawReason = "spam"
	want.TokenAfterBan.Status = 403
	want.TokenAfterBan.Code = "banned"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JS SDK results mismatch (-want +got):\n%s\nstderr:\n%s", diff, stderr.String())
	}
}
