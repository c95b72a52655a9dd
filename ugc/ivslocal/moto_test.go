package ivslocal_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// startMoto starts moto_server on a free loopback port and returns its URL.
// It skips the test when moto_server is not installed, unless
// UGC_REQUIRE_INTEGRATION=1, in which case it fails.
func startMoto(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("UGC_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("moto_server not on PATH and UGC_REQUIRE_INTEGRATION=1: %v", err)
		}
		t.Skip("moto_server not on PATH (pip install 'moto[server]'); skipping the moto cross-check")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	var logs bytes.Buffer
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout = &logs
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto_server: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server did not listen on %s within 60s: %v\n%s", addr, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "http://" + addr
}

// bodyRecorder is an aws.HTTPClient that keeps the last response's status
// and body.
type bodyRecorder struct {
	mu     sync.Mutex
	status int
	body   []byte
}

func (r *bodyRecorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	r.mu.Lock()
	r.status, r.body = resp.StatusCode, b
	r.mu.Unlock()
	return resp, nil
}

func (r *bodyRecorder) last() (int, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.body
}

// shape is what the cross-check compares: the status class, the error code
// and the set of JSON key paths of a response (values are ignored; maps of
// tags count as one leaf).
type shape struct {
	Status string
	Error  string
	Keys   []string
}

func keyPaths(prefix string, v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if child == nil {
				continue // a JSON null reads as an absent member
			}
			p := prefix + k
			out[p] = true
			if k != "tags" {
				keyPaths(p+".", child, out)
			}
		}
	case []any:
		for _, child := range v {
			keyPaths(prefix+"[].", child, out)
		}
	}
}

// channelSequence runs the cross-check sequence against endpoint and
// returns the shape of each step.
func channelSequence(t *testing.T, endpoint string) map[string]shape {
	t.Helper()
	rec := &bodyRecorder{}
	client := ivs.New(ivs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   rec,
	})
	out := map[string]shape{}
	record := func(step string, err error) {
		status, body := rec.last()
		s := shape{Status: fmt.Sprintf("%dxx", status/100)}
		var ae smithy.APIError
		if errors.As(err, &ae) {
			s.Error = ae.ErrorCode()
		} else if err != nil {
			t.Fatalf("%s against %s: %v", step, endpoint, err)
		}
		var v any
		if err == nil && len(bytes.TrimSpace(body)) > 0 {
			if jerr := json.Unmarshal(body, &v); jerr != nil {
				t.Fatalf("%s against %s: body %q: %v", step, endpoint, body, jerr)
			}
		}
		keys := map[string]bool{}
		keyPaths("", v, keys)
		for k := range keys {
			s.Keys = append(s.Keys, k)
		}
		sort.Strings(s.Keys)
		out[step] = s
	}

	created, err := client.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("xcheck"), Tags: map[string]string{"k": "v"}})
	record("CreateChannel", err)
	if err != nil {
		return out
	}
	arn := created.Channel.Arn
	_, err = client.GetChannel(ctx, &ivs.GetChannelInput{Arn: arn})
	record("GetChannel", err)
	_, err = client.ListChannels(ctx, &ivs.ListChannelsInput{})
	record("ListChannels", err)
	_, err = client.UpdateChannel(ctx, &ivs.UpdateChannelInput{Arn: arn, Name: aws.String("renamed"), LatencyMode: "NORMAL"})
	record("UpdateChannel", err)
	_, err = client.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: arn})
	record("DeleteChannel", err)
	_, err = client.GetChannel(ctx, &ivs.GetChannelInput{Arn: arn})
	record("GetChannel (deleted)", err)
	return out
}

// notInModel lists keys moto returns that the IVS model (the SDK's
// deserializers) does not have for the step: moto lists full channels where
// AWS returns ChannelSummary, which has no ingestEndpoint or playbackUrl.
var notInModel = map[string]map[string]bool{
	"ListChannels": {"channels.[].ingestEndpoint": true, "channels.[].playbackUrl": true},
}

// TestCrossCheckMoto runs one channel-operation sequence against ivslocal
// and against moto and compares the response shapes: every key moto returns
// must be in ivslocal's response, and errors must have the same code.
func TestCrossCheckMoto(t *testing.T) {
	motoURL := startMoto(t)
	srv := newServer(t)

	ours := channelSequence(t, srv.URL)
	theirs := channelSequence(t, motoURL)

	steps := []string{"CreateChannel", "GetChannel", "ListChannels", "UpdateChannel", "DeleteChannel", "GetChannel (deleted)"}
	for _, step := range steps {
		o, m := ours[step], theirs[step]
		if diff := cmp.Diff(m.Status+" "+m.Error, o.Status+" "+o.Error); diff != "" {
			t.Errorf("%s status/error, moto vs ivslocal mismatch (-want +got):\n%s", step, diff)
		}
		have := map[string]bool{}
		for _, k := range o.Keys {
			have[k] = true
		}
		var missing []string
		for _, k := range m.Keys {
			if !have[k] && !notInModel[step][k] {
				missing = append(missing, k)
			}
		}
		if diff := cmp.Diff([]string(nil), missing); diff != "" {
			t.Errorf("%s: keys moto returns that ivslocal lacks (-want +got):\n%s", step, diff)
		}
		mset := strings.Join(m.Keys, " ")
		var extra []string
		for _, k := range o.Keys {
			if !strings.Contains(" "+mset+" ", " "+k+" ") {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			t.Logf("%s: keys only ivslocal returns (moto models fewer fields): %v", step, extra)
		}
	}
}
