package ivslocal_test

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	chattypes "github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	rttypes "github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func TestControlStreams(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	var mu sync.Mutex
	var events []string
	cancel := srv.Subscribe(func(ev ivslocal.Event) {
		mu.Lock()
		defer mu.Unlock()
		n, _ := ev.Detail["event_name"].(string)
		if n == "" {
			n, _ = ev.Detail["limit_name"].(string)
		}
		events = append(events, ev.DetailType+"/"+n)
	})
	defer cancel()

	out, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("ctl")})
	if err != nil {
		t.Fatal(err)
	}
	id := channelID(out.Channel.Arn)
	key := aws.ToString(out.StreamKey.Value)

	var started struct{ ChannelArn, StreamID string }
	steps := []struct {
		name, method, path, body string
		wantStatus               int
		wantCode                 string
		out                      any
	}{
		{"unknown key", "POST", "/_ivslocal/streams", `{"streamKey":"sk_us-east-1_nope"}`, 404, "ResourceNotFoundException", nil},
		{"missing key", "POST", "/_ivslocal/streams", `{}`, 400, "ValidationException", nil},
		{"bad json", "POST", "/_ivslocal/streams", `{`, 400, "ValidationException", nil},
		{"start", "POST", "/_ivslocal/streams", `{"streamKey":"` + key + `"}`, 201, "", &started},
		{"start again", "POST", "/_ivslocal/streams", `{"streamKey":"` + key + `"}`, 409, "ConflictException", nil},
		{"starve", "POST", "/_ivslocal/streams/" + id + "/starvation", `{"active":true}`, 204, "", nil},
		{"starvation without active", "POST", "/_ivslocal/streams/" + id + "/starvation", `{}`, 400, "ValidationException", nil},
		{"recover", "POST", "/_ivslocal/streams/" + id + "/starvation", `{"active":false}`, 204, "", nil},
		{"limit breach", "POST", "/_ivslocal/streams/" + id + "/limit-breach", `{"limitName":"Ingest Bitrate"}`, 204, "", nil},
		{"unknown limit", "POST", "/_ivslocal/streams/" + id + "/limit-breach", `{"limitName":"Volume"}`, 400, "ValidationException", nil},
		{"starve unknown channel", "POST", "/_ivslocal/streams/abcdABCD1234/starvation", `{"active":true}`, 404, "ResourceNotFoundException", nil},
		{"end", "DELETE", "/_ivslocal/streams/" + id, "", 204, "", nil},
		{"end again", "DELETE", "/_ivslocal/streams/" + id, "", 404, "ChannelNotBroadcasting", nil},
		{"starve offline", "POST", "/_ivslocal/streams/" + id + "/starvation", `{"active":true}`, 404, "ChannelNotBroadcasting", nil},
		{"unknown route", "GET", "/_ivslocal/nothing", "", 404, "ResourceNotFoundException", nil},
	}
	for _, st := range steps {
		var errBody struct{ Error, Code string }
		out := st.out
		if out == nil {
			out = &errBody
		}
		status := do(t, srv, st.method, st.path, st.body, out)
		if status != st.wantStatus || errBody.Code != st.wantCode {
			t.Errorf("%s: %s %s = %d %q, want %d %q", st.name, st.method, st.path, status, errBody.Code, st.wantStatus, st.wantCode)
		}
		if st.wantCode != "" && errBody.Error == "" {
			t.Errorf("%s: error body has no message", st.name)
		}
	}
	if started.ChannelArn != aws.ToString(out.Channel.Arn) || !strings.HasPrefix(started.StreamID, "st-") {
		t.Errorf("start response = %+v", started)
	}

	mu.Lock()
	got := append([]string(nil), events...)
	mu.Unlock()
	want := []string{
		"IVS Stream State Change/Session Created",
		"IVS Stream State Change/Stream Start",
		"IVS Stream Health Change/Starvation Start",
		"IVS Stream Health Change/Starvation End",
		"IVS Limit Breach/Ingest Bitrate",
		"IVS Stream State Change/Stream End",
		"IVS Stream State Change/Session Ended",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
}

func TestControlMetadata(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	out, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	id := channelID(out.Channel.Arn)
	var empty struct {
		Metadata []struct{ Time, Payload string }
	}
	if status := do(t, srv, "GET", "/_ivslocal/channels/"+id+"/metadata", "", &empty); status != 200 || empty.Metadata == nil || len(empty.Metadata) != 0 {
		t.Errorf("metadata of a new channel = %d %+v, want 200 and an empty list", status, empty)
	}
	if _, _, err := srv.StartStream(aws.ToString(out.StreamKey.Value)); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"poll":1}`, "second"}
	for _, m := range want {
		if _, err := c.ivs.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: out.Channel.Arn, Metadata: aws.String(m)}); err != nil {
			t.Fatal(err)
		}
	}
	var got struct {
		Metadata []struct{ Time, Payload string }
	}
	if status := do(t, srv, "GET", "/_ivslocal/channels/"+id+"/metadata", "", &got); status != 200 {
		t.Fatalf("GET metadata = %d", status)
	}
	var payloads []string
	for _, m := range got.Metadata {
		if m.Time == "" {
			t.Errorf("metadata entry without time: %+v", m)
		}
		payloads = append(payloads, m.Payload)
	}
	if diff := cmp.Diff(want, payloads); diff != "" {
		t.Errorf("HTTP metadata mismatch (-want +got):\n%s", diff)
	}
	goPayloads, err := srv.Metadata(id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, goPayloads); diff != "" {
		t.Errorf("Go metadata mismatch (-want +got):\n%s", diff)
	}
	if status := do(t, srv, "GET", "/_ivslocal/channels/abcdABCD1234/metadata", "", nil); status != 404 {
		t.Errorf("metadata of unknown channel = %d, want 404", status)
	}
}

func TestGoControlErrors(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	out, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{})
	if err != nil {
		t.Fatal(err)
	}
	id := channelID(out.Channel.Arn)
	key := aws.ToString(out.StreamKey.Value)
	if _, _, err := srv.StartStream(key); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unknown key", second(srv.StartStream("sk_nope")), ivslocal.ErrNotFound},
		{"already live", second(srv.StartStream(key)), ivslocal.ErrConflict},
		{"unknown limit", srv.LimitBreach(id, "Nope"), ivslocal.ErrInvalid},
		{"unknown channel metadata", errOf(srv.Metadata("abcdABCD1234")), ivslocal.ErrNotFound},
		{"end", srv.EndStream(id), nil},
		{"end offline", srv.EndStream(id), ivslocal.ErrNotBroadcasting},
		{"starve offline", srv.SetStarvation(id, true), ivslocal.ErrNotBroadcasting},
		{"join unknown stage", errOf(srv.JoinStage("abcdABCD1234", "token")), ivslocal.ErrNotFound},
		{"publish unknown stage", srv.PublishParticipant("abcdABCD1234", "p"), ivslocal.ErrNotFound},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) || (tt.want == nil) != (tt.err == nil) {
			t.Errorf("%s: error = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
}

func second[A, B any](_ A, _ B, err error) error { return err }

func errOf[A any](_ A, err error) error { return err }

func TestStageForwarding(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)
	st, err := c.stage.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("room")})
	if err != nil {
		t.Fatal(err)
	}
	stageID := channelID(st.Stage.Arn)
	tok, err := c.stage.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: st.Stage.Arn, UserId: aws.String("u1")})
	if err != nil {
		t.Fatal(err)
	}
	pid, err := srv.JoinStage(stageID, aws.ToString(tok.ParticipantToken.Token))
	if err != nil {
		t.Fatalf("JoinStage: %v", err)
	}
	if pid != aws.ToString(tok.ParticipantToken.ParticipantId) {
		t.Errorf("JoinStage = %q, want the token's participant %q", pid, aws.ToString(tok.ParticipantToken.ParticipantId))
	}
	if _, err := srv.JoinStage(stageID, aws.ToString(tok.ParticipantToken.Token)); !errors.Is(err, ivslocal.ErrConflict) {
		t.Errorf("JoinStage with a used token: error = %v, want ErrConflict", err)
	}
	if err := srv.PublishParticipant(stageID, pid); err != nil {
		t.Fatalf("PublishParticipant: %v", err)
	}
	stage, err := c.stage.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: st.Stage.Arn})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.stage.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{StageArn: st.Stage.Arn, SessionId: stage.Stage.ActiveSessionId, ParticipantId: aws.String(pid)})
	if err != nil {
		t.Fatalf("GetParticipant: %v", err)
	}
	if !p.Participant.Published || p.Participant.State != rttypes.ParticipantStateConnected {
		t.Errorf("participant = published %v state %s, want published and CONNECTED", p.Participant.Published, p.Participant.State)
	}
	if err := srv.UnpublishParticipant(stageID, pid); err != nil {
		t.Fatalf("UnpublishParticipant: %v", err)
	}
	if err := srv.LeaveStage(stageID, pid); err != nil {
		t.Fatalf("LeaveStage: %v", err)
	}
	if err := srv.LeaveStage(stageID, "nobody"); !errors.Is(err, ivslocal.ErrNotFound) {
		t.Errorf("LeaveStage unknown participant: error = %v, want ErrNotFound", err)
	}
}

func TestFaultsAndCalls(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)

	if status := do(t, srv, "POST", "/_ivslocal/faults", `{"operation":"CreateRoom","error":"InternalServerException","count":1}`, nil); status != http.StatusCreated {
		t.Fatalf("POST faults = %d", status)
	}
	if status := do(t, srv, "POST", "/_ivslocal/faults", `{"operation":"CreateRoom"}`, nil); status != http.StatusBadRequest {
		t.Errorf("POST incomplete fault = %d, want 400", status)
	}
	// CreateRoom does not model InternalServerException, so the SDK returns
	// a generic smithy.APIError carrying the code.
	_, err := c.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InternalServerException" {
		t.Fatalf("CreateRoom with fault: error = %v, want InternalServerException", err)
	}
	srv.InjectFault(ivslocal.Fault{Operation: "GetRoom", Error: "AccessDeniedException"})
	if _, err := c.chat.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: aws.String("abcdABCD1234")}); !as[*chattypes.AccessDeniedException]()(err) {
		t.Fatalf("GetRoom with fault: error = %v, want AccessDeniedException", err)
	}
	if _, err := c.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{}); err != nil {
		t.Fatalf("CreateRoom after the fault was used up: %v", err)
	}

	do(t, srv, "POST", "/_ivslocal/faults", `{"operation":"GetChannel","error":"ThrottlingException","count":2}`, nil)
	var faults struct{ Faults []ivslocal.Fault }
	do(t, srv, "GET", "/_ivslocal/faults", "", &faults)
	if diff := cmp.Diff([]ivslocal.Fault{{Operation: "GetChannel", Error: "ThrottlingException", Count: 2}}, faults.Faults); diff != "" {
		t.Errorf("GET faults mismatch (-want +got):\n%s", diff)
	}
	missing := aws.String("arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234")
	if _, err := c.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: missing}); !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
		t.Errorf("GetChannel with fault: error = %v, want ThrottlingException", err)
	}
	if status := do(t, srv, "DELETE", "/_ivslocal/faults", "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE faults = %d", status)
	}
	if _, err := c.ivs.GetChannel(ctx, &ivs.GetChannelInput{Arn: missing}); !as[*ivstypes.ResourceNotFoundException]()(err) {
		t.Errorf("GetChannel after clearing faults: error = %v, want ResourceNotFoundException", err)
	}

	srv.InjectFault(ivslocal.Fault{Operation: "CreateStage", Error: "ServiceQuotaExceededException", Message: "too many stages"})
	_, err = c.stage.CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	var sqe *rttypes.ServiceQuotaExceededException
	if !errors.As(err, &sqe) || aws.ToString(sqe.ExceptionMessage) != "too many stages" {
		t.Errorf("CreateStage with Go fault: error = %v, want ServiceQuotaExceededException 'too many stages'", err)
	}
	srv.InjectFault(ivslocal.Fault{Operation: "ListTagsForResource", Error: "InternalServerException"})
	srv.ClearFaults()

	type row struct {
		Service, Operation string
		Status             int
		Error              string
	}
	want := []row{
		{"ivschat", "CreateRoom", 500, "InternalServerException"},
		{"ivschat", "GetRoom", 403, "AccessDeniedException"},
		{"ivschat", "CreateRoom", 200, ""},
		{"ivs", "GetChannel", 429, "ThrottlingException"},
		{"ivs", "GetChannel", 404, "ResourceNotFoundException"},
		{"ivsrealtime", "CreateStage", 402, "ServiceQuotaExceededException"},
	}
	var calls struct{ Calls []ivslocal.Call }
	if status := do(t, srv, "GET", "/_ivslocal/calls", "", &calls); status != 200 {
		t.Fatalf("GET calls = %d", status)
	}
	for name, list := range map[string][]ivslocal.Call{"HTTP": calls.Calls, "Go": srv.Calls()} {
		var got []row
		for _, c := range list {
			if c.Time.IsZero() {
				t.Errorf("%s call without time: %+v", name, c)
			}
			got = append(got, row{c.Service, c.Operation, c.Status, c.Error})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s calls mismatch (-want +got):\n%s", name, diff)
		}
	}

	if status := do(t, srv, "POST", "/_ivslocal/reset", "", nil); status != http.StatusNoContent {
		t.Fatalf("POST reset = %d", status)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("calls after reset = %d, want 0", n)
	}
	rooms, err := c.chat.ListRooms(ctx, &ivschat.ListRoomsInput{})
	if err != nil || len(rooms.Rooms) != 0 {
		t.Errorf("ListRooms after reset = %v, %v; want none", rooms, err)
	}
}

func TestUnknownOperation(t *testing.T) {
	srv := newServer(t)
	var body struct{ Message, ExceptionMessage string }
	if status := do(t, srv, "POST", "/CreatePlaybackKeyPair", "{}", &body); status != http.StatusNotFound || body.Message == "" {
		t.Errorf("unknown operation = %d %+v, want 404 with a message", status, body)
	}
}

// CloudWatch also answers awsJson1_0 on the shared listener, as SDKs other
// than the current Go one send it.
func TestCloudWatchJSONProtocol(t *testing.T) {
	srv := ivslocal.NewServer()
	defer srv.Close()
	body := `{"Namespace":"Test","MetricData":[{"MetricName":"m","Value":1,"Timestamp":` +
		strconv.FormatInt(time.Now().Unix(), 10) + `}]}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "GraniteServiceVersion20100801.PutMetricData")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("PutMetricData over awsJson1_0: %d %s", resp.StatusCode, b)
	}
	http.DefaultClient.CloseIdleConnections()
}
