package stagesvc

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var ctx = context.Background()

// ignoreSerde ignores the SDK types' unexported fields.
var ignoreSerde = cmpopts.IgnoreUnexported(
	types.Stage{}, types.StageEndpoints{}, types.StageSummary{}, types.ParticipantToken{},
	types.AutoParticipantRecordingConfiguration{}, types.ParticipantRecordingHlsConfiguration{},
	types.ParticipantThumbnailConfiguration{}, types.Participant{}, types.ParticipantSummary{},
	types.StageSession{}, types.StageSessionSummary{}, types.Event{},
)

func TestStageLifecycle(t *testing.T) {
	f := newFixture(t)
	out, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{
		Name: aws.String("my-stage"),
		Tags: map[string]string{"owner": "u1"},
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String("arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCD1234"),
		},
		ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{
			{UserId: aws.String("host"), Duration: aws.Int32(60), Capabilities: []types.ParticipantTokenCapability{types.ParticipantTokenCapabilityPublish}},
			{Attributes: map[string]string{"role": "viewer"}},
		},
	})
	if err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	st := out.Stage
	if !regexp.MustCompile(`^arn:aws:ivs:us-east-1:123456789012:stage/[a-zA-Z0-9]{12}$`).MatchString(aws.ToString(st.Arn)) {
		t.Errorf("stage ARN %q has the wrong form", aws.ToString(st.Arn))
	}
	for name, ep := range map[string]*string{"events": st.Endpoints.Events, "whip": st.Endpoints.Whip, "rtmp": st.Endpoints.Rtmp, "rtmps": st.Endpoints.Rtmps} {
		if aws.ToString(ep) == "" {
			t.Errorf("endpoint %s is empty", name)
		}
	}
	wantRec := &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn:         aws.String("arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCD1234"),
		MediaTypes:                      []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioVideo},
		HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(6)},
		ThumbnailConfiguration:          &types.ParticipantThumbnailConfiguration{RecordingMode: types.ThumbnailRecordingModeInterval, Storage: []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential}, TargetIntervalSeconds: aws.Int32(60)},
		RecordingReconnectWindowSeconds: 0,
	}
	wantStage := types.Stage{Arn: st.Arn, Name: aws.String("my-stage"), Endpoints: st.Endpoints, Tags: map[string]string{"owner": "u1"}, AutoParticipantRecordingConfiguration: wantRec}
	if diff := cmp.Diff(wantStage, *st, ignoreSerde); diff != "" {
		t.Errorf("CreateStage stage mismatch (-want +got):\n%s", diff)
	}
	wantTokens := []types.ParticipantToken{
		{UserId: aws.String("host"), Duration: aws.Int32(60), Capabilities: []types.ParticipantTokenCapability{"PUBLISH"}, ExpirationTime: aws.Time(testNow.Add(time.Hour))},
		{Attributes: map[string]string{"role": "viewer"}, Duration: aws.Int32(720), Capabilities: []types.ParticipantTokenCapability{"PUBLISH", "SUBSCRIBE"}, ExpirationTime: aws.Time(testNow.Add(12 * time.Hour))},
	}
	ignoreIDs := cmpopts.IgnoreFields(types.ParticipantToken{}, "ParticipantId", "Token")
	if diff := cmp.Diff(wantTokens, out.ParticipantTokens, ignoreSerde, ignoreIDs); diff != "" {
		t.Errorf("participant tokens mismatch (-want +got):\n%s", diff)
	}
	for _, tok := range out.ParticipantTokens {
		if aws.ToString(tok.Token) == "" || aws.ToString(tok.ParticipantId) == "" {
			t.Errorf("token %+v has no token or participant ID", tok)
		}
	}
	if tags, ok := f.env.Tags.Get(*st.Arn); !ok || tags["owner"] != "u1" {
		t.Errorf("env.Tags.Get(%s) = %v, %v; want the stage's tags", *st.Arn, tags, ok)
	}
	if !f.svc.HasStage(*st.Arn) {
		t.Errorf("HasStage(%s) = false after CreateStage", *st.Arn)
	}

	got, err := f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: st.Arn})
	if err != nil {
		t.Fatalf("GetStage: %v", err)
	}
	if diff := cmp.Diff(wantStage, *got.Stage, ignoreSerde); diff != "" {
		t.Errorf("GetStage mismatch (-want +got):\n%s", diff)
	}

	up, err := f.client.UpdateStage(ctx, &ivsrealtime.UpdateStageInput{Arn: st.Arn, Name: aws.String("renamed")})
	if err != nil {
		t.Fatalf("UpdateStage: %v", err)
	}
	if diff := cmp.Diff("renamed", aws.ToString(up.Stage.Name)); diff != "" {
		t.Errorf("UpdateStage name mismatch (-want +got):\n%s", diff)
	}

	if _, err := f.client.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: st.Arn}); err != nil {
		t.Fatalf("DeleteStage: %v", err)
	}
	_, err = f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: st.Arn})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("GetStage after DeleteStage: got %v, want ResourceNotFoundException", err)
	}
	if _, ok := f.env.Tags.Get(*st.Arn); ok || f.svc.HasStage(*st.Arn) {
		t.Errorf("stage still known after DeleteStage")
	}
}

func TestStageErrors(t *testing.T) {
	f := newFixture(t)
	st, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	if err != nil {
		t.Fatal(err)
	}
	arn := st.Stage.Arn
	missing := aws.String("arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD0000")
	thirteen := make([]types.ParticipantTokenConfiguration, 13)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"bad name", func() error {
			_, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("has space")})
			return err
		}, "ValidationException"},
		{"name too long", func() error {
			_, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String(strings.Repeat("a", 129))})
			return err
		}, "ValidationException"},
		{"13 token configurations", func() error {
			_, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{ParticipantTokenConfigurations: thirteen})
			return err
		}, "ValidationException"},
		{"bad token configuration", func() error {
			_, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{{Duration: aws.Int32(0)}}})
			return err
		}, "ValidationException"},
		{"recording with a malformed storage ARN", func() error {
			_, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
				StorageConfigurationArn: aws.String("arn:aws:s3:::bucket")}})
			return err
		}, "ValidationException"},
		{"aws: tag", func() error {
			_, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Tags: map[string]string{"aws:x": "y"}})
			return err
		}, "ValidationException"},
		{"GetStage of a malformed ARN", func() error {
			_, err := f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String("arn:aws:ivs:us-east-1:123456789012:channel/abc")})
			return err
		}, "ValidationException"},
		{"GetStage of a missing stage", func() error {
			_, err := f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: missing})
			return err
		}, "ResourceNotFoundException"},
		{"UpdateStage of a missing stage", func() error {
			_, err := f.client.UpdateStage(ctx, &ivsrealtime.UpdateStageInput{Arn: missing})
			return err
		}, "ResourceNotFoundException"},
		{"DeleteStage of a missing stage", func() error {
			_, err := f.client.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: missing})
			return err
		}, "ResourceNotFoundException"},
		{"ListStages maxResults 101", func() error {
			_, err := f.client.ListStages(ctx, &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(101)})
			return err
		}, "ValidationException"},
		{"ListStages bad token", func() error {
			_, err := f.client.ListStages(ctx, &ivsrealtime.ListStagesInput{NextToken: aws.String("nope")})
			return err
		}, "ValidationException"},
		{"GetStageSession of a missing session", func() error {
			_, err := f.client.GetStageSession(ctx, &ivsrealtime.GetStageSessionInput{StageArn: arn, SessionId: aws.String("st-abcdefghijklm")})
			return err
		}, "ResourceNotFoundException"},
		{"GetStageSession with a malformed ID", func() error {
			_, err := f.client.GetStageSession(ctx, &ivsrealtime.GetStageSessionInput{StageArn: arn, SessionId: aws.String("st-short")})
			return err
		}, "ValidationException"},
		{"DisconnectParticipant of an unknown participant", func() error {
			_, err := f.client.DisconnectParticipant(ctx, &ivsrealtime.DisconnectParticipantInput{StageArn: arn, ParticipantId: aws.String("nobody")})
			return err
		}, "ResourceNotFoundException"},
		{"DisconnectParticipant reason too long", func() error {
			_, err := f.client.DisconnectParticipant(ctx, &ivsrealtime.DisconnectParticipantInput{StageArn: arn, ParticipantId: aws.String("p"), Reason: aws.String(strings.Repeat("r", 129))})
			return err
		}, "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if diff := cmp.Diff(tt.want, errCode(err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}

	// Typed exceptions, and injected faults.
	_, err = f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String("bad")})
	var ve *types.ValidationException
	if !errors.As(err, &ve) {
		t.Errorf("GetStage(bad): got %T, want *types.ValidationException", err)
	}
	f.env.Faults.Add(emu.Fault{Operation: "CreateStage", Error: "ServiceQuotaExceededException", Message: "too many stages"})
	_, err = f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	var sq *types.ServiceQuotaExceededException
	// The typed IVS errors carry the text in ExceptionMessage, as with AWS.
	if !errors.As(err, &sq) || aws.ToString(sq.ExceptionMessage) != "too many stages" {
		t.Errorf("injected fault: got %v, want ServiceQuotaExceededException(too many stages)", err)
	}
}

func TestListStagesPaging(t *testing.T) {
	f := newFixture(t)
	var want []string
	for i := range 5 {
		f.clock.Advance(time.Second)
		out, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("s" + string(rune('0'+i)))})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, *out.Stage.Arn)
	}
	var got []string
	pages := 0
	p := ivsrealtime.NewListStagesPaginator(f.client, &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.Stages {
			got = append(got, *s.Arn)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listed stages mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(3, pages); diff != "" {
		t.Errorf("page count mismatch (-want +got):\n%s", diff)
	}
}

func TestCreateParticipantToken(t *testing.T) {
	f := newFixture(t)
	st, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	if err != nil {
		t.Fatal(err)
	}
	arn := st.Stage.Arn
	bigAttrs := map[string]string{"k": strings.Repeat("v", 1024)}
	tests := []struct {
		name string
		in   ivsrealtime.CreateParticipantTokenInput
		want types.ParticipantToken
		err  string
	}{
		{"defaults", ivsrealtime.CreateParticipantTokenInput{StageArn: arn},
			types.ParticipantToken{Duration: aws.Int32(720), Capabilities: []types.ParticipantTokenCapability{"PUBLISH", "SUBSCRIBE"}, ExpirationTime: aws.Time(testNow.Add(720 * time.Minute))}, ""},
		{"everything", ivsrealtime.CreateParticipantTokenInput{StageArn: arn, UserId: aws.String("u1"), Duration: aws.Int32(20160),
			Attributes: map[string]string{"a": "b"}, Capabilities: []types.ParticipantTokenCapability{"SUBSCRIBE"}},
			types.ParticipantToken{UserId: aws.String("u1"), Duration: aws.Int32(20160), Attributes: map[string]string{"a": "b"},
				Capabilities: []types.ParticipantTokenCapability{"SUBSCRIBE"}, ExpirationTime: aws.Time(testNow.Add(14 * 24 * time.Hour))}, ""},
		{"duration 0", ivsrealtime.CreateParticipantTokenInput{StageArn: arn, Duration: aws.Int32(0)}, types.ParticipantToken{}, "ValidationException"},
		{"duration 20161", ivsrealtime.CreateParticipantTokenInput{StageArn: arn, Duration: aws.Int32(20161)}, types.ParticipantToken{}, "ValidationException"},
		{"userId 129", ivsrealtime.CreateParticipantTokenInput{StageArn: arn, UserId: aws.String(strings.Repeat("u", 129))}, types.ParticipantToken{}, "ValidationException"},
		{"attributes over 1 KB", ivsrealtime.CreateParticipantTokenInput{StageArn: arn, Attributes: bigAttrs}, types.ParticipantToken{}, "ValidationException"},
		{"unknown capability", ivsrealtime.CreateParticipantTokenInput{StageArn: arn, Capabilities: []types.ParticipantTokenCapability{"ADMIN"}}, types.ParticipantToken{}, "ValidationException"},
		{"missing stage", ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String("arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD0000")}, types.ParticipantToken{}, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.client.CreateParticipantToken(ctx, &tt.in)
			if diff := cmp.Diff(tt.err, errCode(err)); diff != "" {
				t.Fatalf("error mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil {
				return
			}
			got := *out.ParticipantToken
			if !regexp.MustCompile(`^[a-zA-Z0-9]{12}$`).MatchString(aws.ToString(got.ParticipantId)) || aws.ToString(got.Token) == "" {
				t.Errorf("participant ID %q or token %q malformed", aws.ToString(got.ParticipantId), aws.ToString(got.Token))
			}
			if diff := cmp.Diff(tt.want, got, ignoreSerde, cmpopts.IgnoreFields(types.ParticipantToken{}, "ParticipantId", "Token")); diff != "" {
				t.Errorf("token mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// newStage creates a stage and n participant tokens (PUBLISH and SUBSCRIBE,
// user IDs u0, u1, ...).
func newStage(t *testing.T, f *fixture, n int) (arn string, tokens []types.ParticipantToken) {
	t.Helper()
	st, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		out, err := f.client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{
			StageArn: st.Stage.Arn, UserId: aws.String("u" + string(rune('0'+i%10)) + strings.Repeat("x", i/10)),
		})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, *out.ParticipantToken)
	}
	return *st.Stage.Arn, tokens
}

func TestSessionLifecycle(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 2)
	id := stageID(arn)
	f.events.take()

	p0 := f.join(t, id, *toks[0].Token)
	if diff := cmp.Diff(*toks[0].ParticipantId, p0); diff != "" {
		t.Errorf("joined participant ID mismatch (-want +got):\n%s", diff)
	}
	g, err := f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	sid := aws.ToString(g.Stage.ActiveSessionId)
	if !regexp.MustCompile(`^st-[a-zA-Z0-9]{13}$`).MatchString(sid) {
		t.Fatalf("activeSessionId %q, want st- and 13 characters", sid)
	}
	f.clock.Advance(time.Second)
	p1 := f.join(t, id, *toks[1].Token)
	if st := f.publish(t, id, p0); st != http.StatusNoContent {
		t.Fatalf("publish: status %d", st)
	}
	f.clock.Advance(time.Second)
	if st, _ := f.ctl(t, http.MethodPost, "/_ivslocal/stages/"+id+"/participants/"+p0+"/unpublish", nil); st != http.StatusNoContent {
		t.Fatalf("unpublish: status %d", st)
	}
	if st := f.publish(t, id, p1); st != http.StatusNoContent {
		t.Fatalf("publish: status %d", st)
	}
	if st, _ := f.ctl(t, http.MethodDelete, "/_ivslocal/stages/"+id+"/participants/"+p0, nil); st != http.StatusNoContent {
		t.Fatalf("leave: status %d", st)
	}

	// Still active: p1 is connected.
	g, err = f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sid, aws.ToString(g.Stage.ActiveSessionId)); diff != "" {
		t.Errorf("activeSessionId mismatch (-want +got):\n%s", diff)
	}
	gp, err := f.client.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{StageArn: &arn, SessionId: &sid, ParticipantId: &p1})
	if err != nil {
		t.Fatal(err)
	}
	wantP := types.Participant{ParticipantId: &p1, UserId: aws.String("u1"), State: types.ParticipantStateConnected,
		FirstJoinTime: aws.Time(testNow.Add(time.Second)), Published: true, RecordingState: "DISABLED", Protocol: "UNKNOWN"}
	if diff := cmp.Diff(wantP, *gp.Participant, ignoreSerde); diff != "" {
		t.Errorf("GetParticipant mismatch (-want +got):\n%s", diff)
	}

	f.clock.Advance(time.Minute)
	if err := f.svc.Leave(id, p1); err != nil {
		t.Fatal(err)
	}
	g, err = f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if g.Stage.ActiveSessionId != nil {
		t.Errorf("activeSessionId = %q after everyone left, want none", *g.Stage.ActiveSessionId)
	}
	ss, err := f.client.GetStageSession(ctx, &ivsrealtime.GetStageSessionInput{StageArn: &arn, SessionId: &sid})
	if err != nil {
		t.Fatal(err)
	}
	wantS := types.StageSession{SessionId: &sid, StartTime: aws.Time(testNow), EndTime: aws.Time(testNow.Add(62 * time.Second))}
	if diff := cmp.Diff(wantS, *ss.StageSession, ignoreSerde); diff != "" {
		t.Errorf("GetStageSession mismatch (-want +got):\n%s", diff)
	}

	// A new join starts a second session; sessions list newest first.
	tok, err := f.client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	f.join(t, id, *tok.ParticipantToken.Token)
	ls, err := f.client.ListStageSessions(ctx, &ivsrealtime.ListStageSessionsInput{StageArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.StageSessions) != 2 || *ls.StageSessions[1].SessionId != sid || ls.StageSessions[0].EndTime != nil {
		t.Errorf("ListStageSessions = %+v, want the new open session then %s", ls.StageSessions, sid)
	}

	wantEvents := []evSummary{
		{"Session Created", "", ""},
		{"Participant Joined", p0, ""},
		{"Participant Joined", p1, ""},
		{"Participant Published", p0, ""},
		{"Participant Unpublished", p0, ""},
		{"Participant Published", p1, ""},
		{"Participant Left", p0, ""},
		{"Participant Unpublished", p1, ""},
		{"Participant Left", p1, ""},
		{"Session Ended", "", ""},
		{"Session Created", "", ""},
		{"Participant Joined", *tok.ParticipantToken.ParticipantId, ""},
	}
	evs := f.events.take()
	if diff := cmp.Diff(wantEvents, summarize(evs)); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	// The full shape of one event.
	want := emu.Event{Version: "0", DetailType: "IVS Stage Update", Source: "aws.ivs", Account: "123456789012",
		Time: testNow.Add(time.Second), Region: "us-east-1", Resources: []string{arn},
		Detail: map[string]any{"session_id": sid, "event_name": "Participant Published", "event_time": testNow.Add(time.Second).Format(time.RFC3339),
			"user_id": "u0", "participant_id": p0}}
	if diff := cmp.Diff(want, evs[3], cmpopts.IgnoreFields(emu.Event{}, "ID")); diff != "" {
		t.Errorf("event mismatch (-want +got):\n%s", diff)
	}

	// Participant events of p0.
	pe, err := f.client.ListParticipantEvents(ctx, &ivsrealtime.ListParticipantEventsInput{StageArn: &arn, SessionId: &sid, ParticipantId: &p0})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range pe.Events {
		names = append(names, string(e.Name))
	}
	if diff := cmp.Diff([]string{"JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT"}, names); diff != "" {
		t.Errorf("participant events mismatch (-want +got):\n%s", diff)
	}
}

func TestJoinErrors(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 3)
	id := stageID(arn)
	_, otherToks := newStage(t, f, 1)
	short, err := f.client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: &arn, Duration: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	f.join(t, id, *toks[0].Token)
	tampered := *toks[1].Token
	tampered = tampered[:len(tampered)-2] + "AA"
	if tampered == *toks[1].Token {
		tampered = tampered[:len(tampered)-2] + "BB"
	}
	f.clock.Advance(2 * time.Minute) // the 1-minute token expires

	tests := []struct {
		name    string
		stageID string
		body    any
		want    int
	}{
		{"reused token", id, map[string]string{"token": *toks[0].Token}, http.StatusConflict},
		{"garbage token", id, map[string]string{"token": "garbage"}, http.StatusBadRequest},
		{"tampered token", id, map[string]string{"token": tampered}, http.StatusBadRequest},
		{"token of another stage", id, map[string]string{"token": *otherToks[0].Token}, http.StatusBadRequest},
		{"expired token", id, map[string]string{"token": *short.ParticipantToken.Token}, http.StatusBadRequest},
		{"no token", id, map[string]string{}, http.StatusBadRequest},
		{"unknown stage", "abcdABCD0000", map[string]string{"token": *toks[2].Token}, http.StatusNotFound},
		{"valid token", id, map[string]string{"token": *toks[2].Token}, http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, body := f.ctl(t, http.MethodPost, "/_ivslocal/stages/"+tt.stageID+"/participants", tt.body)
			if diff := cmp.Diff(tt.want, st); diff != "" {
				t.Errorf("status mismatch (-want +got):\n%s\nbody: %v", diff, body)
			}
			if st >= 400 && body["error"] == "" {
				t.Errorf("error body %v has no error message", body)
			}
		})
	}

	// Control errors on participants.
	for _, tt := range []struct {
		name, method, path string
		want               int
	}{
		{"publish unknown participant", http.MethodPost, "/_ivslocal/stages/" + id + "/participants/nobody/publish", http.StatusNotFound},
		{"publish on unknown stage", http.MethodPost, "/_ivslocal/stages/abcdABCD0000/participants/nobody/publish", http.StatusNotFound},
		{"leave unknown participant", http.MethodDelete, "/_ivslocal/stages/" + id + "/participants/nobody", http.StatusNotFound},
		{"leave twice", http.MethodDelete, "/_ivslocal/stages/" + id + "/participants/" + *toks[0].ParticipantId, http.StatusNoContent},
		{"leave twice, second time", http.MethodDelete, "/_ivslocal/stages/" + id + "/participants/" + *toks[0].ParticipantId, http.StatusConflict},
		{"publish after leaving", http.MethodPost, "/_ivslocal/stages/" + id + "/participants/" + *toks[0].ParticipantId + "/publish", http.StatusConflict},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, body := f.ctl(t, tt.method, tt.path, nil)
			if diff := cmp.Diff(tt.want, st); diff != "" {
				t.Errorf("status mismatch (-want +got):\n%s\nbody: %v", diff, body)
			}
		})
	}
}

func TestPublisherLimit(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 14)
	id := stageID(arn)
	sub, err := f.client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: &arn,
		Capabilities: []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe}})
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, tok := range toks {
		pids = append(pids, f.join(t, id, *tok.Token))
	}
	subID := f.join(t, id, *sub.ParticipantToken.Token)
	for i := range 12 {
		if st := f.publish(t, id, pids[i]); st != http.StatusNoContent {
			t.Fatalf("publisher %d: status %d", i+1, st)
		}
	}
	f.events.take()
	if st := f.publish(t, id, pids[12]); st != http.StatusConflict {
		t.Errorf("13th publisher: status %d, want 409", st)
	}
	if err := f.svc.Publish(id, pids[12]); !errors.Is(err, ErrPublisherLimit) {
		t.Errorf("Publish of a 13th publisher: %v, want ErrPublisherLimit", err)
	}
	if st := f.publish(t, id, subID); st != http.StatusBadRequest {
		t.Errorf("subscribe-only publisher: status %d, want 400", st)
	}
	if st := f.publish(t, id, pids[0]); st != http.StatusNoContent {
		t.Errorf("publishing again: status %d, want 204 (no-op)", st)
	}
	if err := f.svc.Unpublish(id, pids[0]); err != nil {
		t.Fatal(err)
	}
	if st := f.publish(t, id, pids[12]); st != http.StatusNoContent {
		t.Errorf("publisher after a seat freed: status %d, want 204", st)
	}
	want := []evSummary{
		{"Participant Publish Error", pids[12], "QUOTA_EXCEEDED"},
		{"Participant Publish Error", pids[12], "QUOTA_EXCEEDED"},
		{"Participant Publish Error", subID, "INSUFFICIENT_CAPABILITIES"},
		{"Participant Unpublished", pids[0], ""},
		{"Participant Published", pids[12], ""},
	}
	if diff := cmp.Diff(want, summarize(f.events.take())); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
}

func TestListParticipants(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 4)
	id := stageID(arn)
	var pids []string
	for _, tok := range toks {
		pids = append(pids, f.join(t, id, *tok.Token))
	}
	f.publish(t, id, pids[1])
	f.publish(t, id, pids[2])
	if err := f.svc.Leave(id, pids[3]); err != nil {
		t.Fatal(err)
	}
	g, err := f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	sid := g.Stage.ActiveSessionId
	tests := []struct {
		name string
		in   ivsrealtime.ListParticipantsInput
		want []string
		err  string
	}{
		{"all", ivsrealtime.ListParticipantsInput{}, pids, ""},
		{"by user", ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("u2")}, pids[2:3], ""},
		// The SDK sends filterByPublished only when true.
		{"published", ivsrealtime.ListParticipantsInput{FilterByPublished: true}, pids[1:3], ""},
		{"connected", ivsrealtime.ListParticipantsInput{FilterByState: types.ParticipantStateConnected}, pids[:3], ""},
		{"disconnected", ivsrealtime.ListParticipantsInput{FilterByState: types.ParticipantStateDisconnected}, pids[3:], ""},
		{"recording active", ivsrealtime.ListParticipantsInput{FilterByRecordingState: "ACTIVE"}, nil, ""},
		{"two filters", ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("u1"), FilterByPublished: true}, nil, "ValidationException"},
		{"bad state", ivsrealtime.ListParticipantsInput{FilterByState: "GONE"}, nil, "ValidationException"},
		{"unknown session", ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-abcdefghijklm")}, nil, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.StageArn = &arn
			if in.SessionId == nil {
				in.SessionId = sid
			}
			out, err := f.client.ListParticipants(ctx, &in)
			if diff := cmp.Diff(tt.err, errCode(err)); diff != "" {
				t.Fatalf("error mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil {
				return
			}
			var got []string
			for _, p := range out.Participants {
				got = append(got, *p.ParticipantId)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("participants mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// Paging.
	var got []string
	p := ivsrealtime.NewListParticipantsPaginator(f.client, &ivsrealtime.ListParticipantsInput{StageArn: &arn, SessionId: sid, MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range out.Participants {
			got = append(got, *p.ParticipantId)
		}
	}
	if diff := cmp.Diff(pids, got); diff != "" {
		t.Errorf("paged participants mismatch (-want +got):\n%s", diff)
	}
}

func TestDisconnectAndDelete(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 2)
	id := stageID(arn)
	p0 := f.join(t, id, *toks[0].Token)
	p1 := f.join(t, id, *toks[1].Token)
	f.publish(t, id, p0)
	f.events.take()

	if _, err := f.client.DisconnectParticipant(ctx, &ivsrealtime.DisconnectParticipantInput{StageArn: &arn, ParticipantId: &p0, Reason: aws.String("kicked")}); err != nil {
		t.Fatal(err)
	}
	_, err := f.client.DisconnectParticipant(ctx, &ivsrealtime.DisconnectParticipantInput{StageArn: &arn, ParticipantId: &p0})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("second DisconnectParticipant: %v, want ResourceNotFoundException", err)
	}
	if st, _ := f.ctl(t, http.MethodPost, "/_ivslocal/stages/"+id+"/participants", map[string]string{"token": *toks[0].Token}); st != http.StatusConflict {
		t.Errorf("rejoin with the token of a disconnected participant: status %d, want 409", st)
	}
	if _, err := f.client.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: &arn}); err != nil {
		t.Fatal(err)
	}
	want := []evSummary{
		{"Participant Unpublished", p0, ""},
		{"Participant Left", p0, "kicked"},
		{"Participant Left", p1, "stage deleted"},
		{"Session Ended", "", ""},
	}
	if diff := cmp.Diff(want, summarize(f.events.take())); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	if err := f.svc.Publish(id, p1); !errors.Is(err, ErrStageNotFound) {
		t.Errorf("Publish on a deleted stage: %v, want ErrStageNotFound", err)
	}
}

func TestUpdateStageRecordingConflict(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 1)
	f.join(t, stageID(arn), *toks[0].Token)
	_, err := f.client.UpdateStage(ctx, &ivsrealtime.UpdateStageInput{Arn: &arn,
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String("arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCD1234")}})
	var ce *types.ConflictException
	if !errors.As(err, &ce) {
		t.Errorf("enabling recording during a session: %v, want ConflictException", err)
	}
}

func TestRecordingState(t *testing.T) {
	f := newFixture(t)
	st, err := f.client.CreateStage(ctx, &ivsrealtime.CreateStageInput{AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn: aws.String("arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCD1234")}})
	if err != nil {
		t.Fatal(err)
	}
	arn := *st.Stage.Arn
	tok, err := f.client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	pid := f.join(t, stageID(arn), *tok.ParticipantToken.Token)
	state := func() string {
		g, _ := f.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: &arn})
		p, err := f.client.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{StageArn: &arn, SessionId: g.Stage.ActiveSessionId, ParticipantId: &pid})
		if err != nil {
			t.Fatal(err)
		}
		return string(p.Participant.RecordingState)
	}
	var got []string
	got = append(got, state())
	f.publish(t, stageID(arn), pid)
	got = append(got, state())
	if err := f.svc.Unpublish(stageID(arn), pid); err != nil {
		t.Fatal(err)
	}
	got = append(got, state())
	if diff := cmp.Diff([]string{"STOPPED", "ACTIVE", "STOPPED"}, got); diff != "" {
		t.Errorf("recording states mismatch (-want +got):\n%s", diff)
	}
}

func TestStateRoundTrip(t *testing.T) {
	f := newFixture(t)
	arn, toks := newStage(t, f, 2)
	id := stageID(arn)
	p0 := f.join(t, id, *toks[0].Token)
	f.publish(t, id, p0)
	b, err := f.svc.MarshalState()
	if err != nil {
		t.Fatal(err)
	}

	g := newFixture(t)
	g.clock.Advance(time.Hour)
	if err := g.svc.UnmarshalState(b); err != nil {
		t.Fatal(err)
	}
	if !g.svc.HasStage(arn) {
		t.Fatalf("stage lost across restart")
	}
	gs, err := g.client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if gs.Stage.ActiveSessionId != nil {
		t.Errorf("activeSessionId %q after restart, want none", *gs.Stage.ActiveSessionId)
	}
	ls, err := g.client.ListStageSessions(ctx, &ivsrealtime.ListStageSessionsInput{StageArn: &arn})
	if err != nil || len(ls.StageSessions) != 1 {
		t.Fatalf("ListStageSessions after restart: %v %+v", err, ls)
	}
	if diff := cmp.Diff(testNow.Add(time.Hour), *ls.StageSessions[0].EndTime); diff != "" {
		t.Errorf("session end mismatch (-want +got):\n%s", diff)
	}
	lp, err := g.client.ListParticipants(ctx, &ivsrealtime.ListParticipantsInput{StageArn: &arn, SessionId: ls.StageSessions[0].SessionId})
	if err != nil {
		t.Fatal(err)
	}
	type ps struct {
		ID, State string
		Published bool
	}
	var got []ps
	for _, p := range lp.Participants {
		got = append(got, ps{*p.ParticipantId, string(p.State), p.Published})
	}
	if diff := cmp.Diff([]ps{{p0, "DISCONNECTED", false}}, got); diff != "" {
		t.Errorf("participants after restart mismatch (-want +got):\n%s", diff)
	}
	// The used token stays used; the unused one still joins.
	if st, _ := g.ctl(t, http.MethodPost, "/_ivslocal/stages/"+id+"/participants", map[string]string{"token": *toks[0].Token}); st != http.StatusConflict {
		t.Errorf("used token after restart: status %d, want 409", st)
	}
	g.join(t, id, *toks[1].Token)

	if err := g.svc.UnmarshalState([]byte(`{"version":99}`)); err == nil {
		t.Errorf("UnmarshalState of a future version succeeded")
	}
	g.svc.Reset()
	if g.svc.HasStage(arn) {
		t.Errorf("stage survives Reset")
	}
	if _, ok := g.env.Tags.Get(arn); ok {
		t.Errorf("tags survive Reset")
	}
	if _, err := g.svc.Join(id, *toks[1].Token); !errors.Is(err, ErrStageNotFound) {
		t.Errorf("Join after Reset: %v, want ErrStageNotFound", err)
	}
}
