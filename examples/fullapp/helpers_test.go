package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
)

func TestMain(m *testing.M) {
	// TestSignalShutdown re-runs this binary as the app itself.
	if os.Getenv(runMainEnv) == "1" {
		os.Args = append([]string{"fullapp"}, strings.Fields(os.Getenv(mainArgsEnv))...)
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// Environment of a test binary re-run as the app.
const (
	runMainEnv  = "FULLAPP_TEST_RUN_MAIN"
	mainArgsEnv = "FULLAPP_TEST_ARGS"
)

// lightHash keeps argon2id cheap in tests; the app's default is
// accounts.DefaultHashParams.
var lightHash = accounts.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// testConfig is the configuration of an app under test: a free loopback
// port, the given data directory, SQLite and the embedded emulator.
func testConfig(dataDir string) Config {
	return Config{
		Addr: "127.0.0.1:0", DataDir: dataDir, Store: StoreSQLite, ChannelType: "STANDARD",
		PasswordHash: lightHash,
	}
}

// startApp runs an app until the test ends.
func startApp(t *testing.T, cfg Config) *App {
	t.Helper()
	app := NewApp(cfg)
	if err := app.Run(context.Background()); err != nil {
		app.Close()
		t.Fatalf("Run: %v", err)
	}
	t.Cleanup(func() {
		if err := app.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return app
}

// client talks to an app over real HTTP.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newClient(t *testing.T, base string) *client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, base: base, hc: &http.Client{Transport: tr}}
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it cannot.
func (r response) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// apiError is the error part of an error body.
type apiError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

// Err returns the status and error of the response (requestId dropped).
func (r response) Err(t *testing.T) apiError {
	t.Helper()
	var b struct {
		Error struct {
			Code, Message, Field, RequestID string
		} `json:"error"`
	}
	if len(r.Body) > 0 {
		r.JSON(t, &b)
	}
	return apiError{Status: r.Status, Code: b.Error.Code, Message: b.Error.Message, Field: b.Error.Field}
}

// do sends a request; body is JSON-encoded unless it is a string (sent as
// is, with Content-Type application/json) or nil.
func (c *client) do(method, path, token string, body any) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// must sends a request and fails the test unless the status is want.
func (c *client) must(want int, method, path, token string, body any) response {
	c.t.Helper()
	r := c.do(method, path, token, body)
	if r.Status != want {
		c.t.Fatalf("%s %s = %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	return r
}

// session is the answer to register and login.
type session struct {
	Token string `json:"token"`
	User  struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Email    string `json:"email"`
	} `json:"user"`
}

const password = "Correct-Horse-9"

func (c *client) register(username, email string) session {
	c.t.Helper()
	var s session
	c.must(http.StatusCreated, "POST", "/v1/auth/register", "",
		map[string]string{"username": username, "email": email, "password": password}).JSON(c.t, &s)
	return s
}

func (c *client) login(login, pwd string) response {
	c.t.Helper()
	return c.do("POST", "/v1/auth/login", "", map[string]string{"login": login, "password": pwd})
}

// me is the part of GET /v1/me the tests look at.
type me struct {
	User struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"user"`
	Channel struct {
		Arn          string `json:"arn"`
		StreamKey    string `json:"streamKey"`
		IngestServer string `json:"ingestServer"`
	} `json:"channel"`
}

func (c *client) me(token string) me {
	c.t.Helper()
	var m me
	c.must(http.StatusOK, "GET", "/v1/me", token, nil).JSON(c.t, &m)
	return m
}

// directory returns the usernames of the live directory.
func (c *client) directory() []string {
	c.t.Helper()
	var d struct {
		Channels []struct {
			Username string `json:"username"`
			LiveKind string `json:"liveKind"`
		} `json:"channels"`
	}
	c.must(http.StatusOK, "GET", "/v1/channels", "", nil).JSON(c.t, &d)
	names := []string{}
	for _, ch := range d.Channels {
		names = append(names, ch.Username+":"+ch.LiveKind)
	}
	return names
}

// resetToken returns the reset token of the last mail to addr in the
// app's outbox, read over HTTP.
func (c *client) resetToken(addr string) string {
	c.t.Helper()
	var o struct {
		Messages []accounts.Message `json:"messages"`
	}
	c.must(http.StatusOK, "GET", "/_dev/outbox", "", nil).JSON(c.t, &o)
	for i := len(o.Messages) - 1; i >= 0; i-- {
		if o.Messages[i].To != addr {
			continue
		}
		for line := range strings.Lines(o.Messages[i].Body) {
			if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "Reset token: "); ok {
				return tok
			}
		}
	}
	c.t.Fatalf("no reset mail to %s in %+v", addr, o.Messages)
	return ""
}
