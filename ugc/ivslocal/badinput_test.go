package ivslocal_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// operations returns the names of the client's API operations: its
// methods taking a context and an *<Name>Input.
func operations(client any) []string {
	ctxType := reflect.TypeFor[context.Context]()
	var names []string
	t := reflect.TypeOf(client)
	for i := range t.NumMethod() {
		m := t.Method(i)
		if m.Type.NumIn() >= 3 && m.Type.In(1) == ctxType && m.Type.In(2).Kind() == reflect.Pointer &&
			m.Type.In(2).Elem().Name() == m.Name+"Input" {
			names = append(names, m.Name)
		}
	}
	return names
}

// TestBadInputNeverFails5xx sends malformed bodies to every operation of
// the four emulated APIs and to the control API: each answer must be a
// 4xx (AWS answers bad requests with validation errors, never a server
// error), and the server must go on serving.
func TestBadInputNeverFails5xx(t *testing.T) {
	srv := ivslocal.NewServer()
	defer srv.Close()
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	bodies := []string{"", "{", "null", "[]", "{}", `"x"`, "1e999", `{"arn":5,"name":[],"tags":"x","maxResults":-1}`,
		`{"arn":"arn:aws:ivs:us-east-1:123456789012:channel/` + strings.Repeat("a", 2000) + `","identifier":"\u0000",` +
			`"nextToken":"%%%","maxResults":99999999999,"metadata":"` + strings.Repeat("é", 2000) + `"}`,
		`{"roomIdentifier":"arn:aws:ivschat:us-east-1:123456789012:room/none","eventName":"","attributes":{"a":5}}`,
		`{"stageArn":"../../x","participantId":"","attributes":null,"duration":-1,"capabilities":["NOPE"]}`,
	}
	post := func(path, contentType string, header map[string]string, body string) int {
		req, err := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Errorf("POST %s %v with %.60q = %d %s", path, header, body, resp.StatusCode, raw)
		}
		return resp.StatusCode
	}
	sent := 0
	for _, client := range []any{&ivs.Client{}, &ivschat.Client{}, &ivsrealtime.Client{}} {
		for _, op := range operations(client) {
			for _, body := range bodies {
				post("/"+op, "application/json", nil, body)
				sent++
			}
		}
	}
	for _, op := range operations(&cloudwatch.Client{}) {
		for _, body := range bodies {
			post("/", "application/x-amz-json-1.0", map[string]string{"X-Amz-Target": "GraniteServiceVersion20100801." + op}, body)
			post("/service/GraniteServiceVersion20100801/operation/"+op, "application/cbor",
				map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}, body)
			sent += 2
		}
		post("/service/GraniteServiceVersion20100801/operation/"+op, "application/cbor",
			map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}, string(bytes.Repeat([]byte{0xbf, 0x9f, 0xff}, 100)))
		sent++
	}
	for _, path := range []string{"/_ivslocal/streams", "/_ivslocal/streams/x/starvation", "/_ivslocal/streams/x/limit-breach",
		"/_ivslocal/faults", "/_ivslocal/reset", "/_ivslocal/stages/x/participants", "/_ivslocal/stages/x/participants/y/publish"} {
		for _, body := range bodies {
			post(path, "application/json", nil, body)
			sent++
		}
	}
	if sent < 500 {
		t.Fatalf("only %d requests: the operation lists are too short", sent)
	}
	// Still serving.
	if code := post("/ListChannels", "application/json", nil, "{}"); code != http.StatusOK {
		t.Errorf("ListChannels after the sweep = %d", code)
	}
	t.Logf("%d requests", sent)
}
