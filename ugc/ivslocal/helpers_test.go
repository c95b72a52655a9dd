package ivslocal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var ctx = context.Background()

// newServer starts a server closed at the end of the test.
func newServer(t testing.TB, opts ...ivslocal.Option) *ivslocal.Server {
	t.Helper()
	srv := ivslocal.NewServer(opts...)
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}

// clients holds SDK clients of one server.
type clients struct {
	ivs   *ivs.Client
	chat  *ivschat.Client
	stage *ivsrealtime.Client
}

func newClients(srv *ivslocal.Server) clients {
	cfg := srv.AWSConfig()
	return clients{ivs: ivs.NewFromConfig(cfg), chat: ivschat.NewFromConfig(cfg), stage: ivsrealtime.NewFromConfig(cfg)}
}

// do sends a control request and decodes a JSON response into out (if not
// nil). It returns the status.
func do(t *testing.T, srv *ivslocal.Server, method, path, body string, out any) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// as returns a predicate: err is (or wraps) a T.
func as[T error]() func(error) bool {
	return func(err error) bool {
		var target T
		return errors.As(err, &target)
	}
}

// channelID returns the resource ID at the end of an ARN.
func channelID(arn *string) string {
	s := aws.ToString(arn)
	return s[strings.LastIndex(s, "/")+1:]
}
