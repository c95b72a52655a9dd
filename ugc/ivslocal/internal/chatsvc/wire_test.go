package chatsvc

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// post sends a raw restJson1 request and returns the status, the error
// type header and the decoded body.
func (f *fixture) post(t *testing.T, op, body string) (int, string, map[string]any) {
	t.Helper()
	resp, err := http.Post(f.srv.URL+"/"+op, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: body %q is not JSON: %v", op, b, err)
		}
	}
	return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), m
}

func TestWireShapes(t *testing.T) {
	f := newFixture(t)
	isoRe := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

	status, _, room := f.post(t, "CreateRoom", `{"name":"wire"}`)
	if status != http.StatusOK {
		t.Fatalf("CreateRoom status %d", status)
	}
	wantKeys := []string{"arn", "createTime", "id", "loggingConfigurationIdentifiers", "maximumMessageLength",
		"maximumMessageRatePerSecond", "name", "tags", "updateTime"}
	if diff := cmp.Diff(wantKeys, slices.Sorted(maps.Keys(room))); diff != "" {
		t.Errorf("Room keys mismatch (-want +got):\n%s", diff)
	}
	for _, k := range []string{"createTime", "updateTime"} {
		if s, _ := room[k].(string); !isoRe.MatchString(s) {
			t.Errorf("%s = %v, want an ISO 8601 string with milliseconds", k, room[k])
		}
	}

	_, _, list := f.post(t, "ListRooms", `{}`)
	rooms, _ := list["rooms"].([]any)
	if len(rooms) != 1 {
		t.Fatalf("ListRooms = %v", list)
	}
	wantKeys = []string{"arn", "createTime", "id", "loggingConfigurationIdentifiers", "name", "tags", "updateTime"}
	if diff := cmp.Diff(wantKeys, slices.Sorted(maps.Keys(rooms[0].(map[string]any)))); diff != "" {
		t.Errorf("RoomSummary keys mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		name, op, body string
		wantStatus     int
		wantType       string
		wantBody       map[string]any // members other than message
	}{
		{"malformed", "CreateRoom", `{"maximumMessageLength":"ten"}`, 400, "ValidationException", map[string]any{"reason": "OTHER"}},
		{"field", "CreateRoom", `{"maximumMessageLength":0}`, 400, "ValidationException", map[string]any{"reason": "FIELD_VALIDATION_FAILED",
			"fieldList": []any{map[string]any{"name": "maximumMessageLength", "message": "Member must have value greater than or equal to 1"}}}},
		{"not found", "GetRoom", `{"identifier":"arn:aws:ivschat:us-east-1:123456789012:room/abcdefABCDEF"}`, 404, "ResourceNotFoundException",
			map[string]any{"resourceId": "abcdefABCDEF", "resourceType": "ROOM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, typ, body := f.post(t, tt.op, tt.body)
			msg, _ := body["message"].(string)
			if msg == "" {
				t.Errorf("no message in %v", body)
			}
			delete(body, "message")
			if diff := cmp.Diff(tt.wantBody, body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]any{tt.wantStatus, tt.wantType}, []any{status, typ}); diff != "" {
				t.Errorf("status/type mismatch (-want +got):\n%s", diff)
			}
		})
	}

	status, _, body := f.post(t, "DeleteRoom", `{"identifier":"`+room["arn"].(string)+`"}`)
	if status != http.StatusNoContent || body != nil {
		t.Errorf("DeleteRoom = %d %v, want 204 and no body", status, body)
	}
}
