package ivssvc_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/ivssvc"
)

func channelID(arn *string) string {
	s := aws.ToString(arn)
	return s[strings.LastIndex(s, "/")+1:]
}

func TestStreamLifecycle(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, &ivs.CreateChannelInput{Name: aws.String("show")})
	id := channelID(ch.Arn)

	if _, err := f.client.GetStream(ctx, &ivs.GetStreamInput{ChannelArn: ch.Arn}); !isNotBroadcastng(err) {
		t.Fatalf("GetStream offline: error = %v, want ChannelNotBroadcasting", err)
	}
	if _, err := f.client.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: ch.Arn}); !isNotBroadcastng(err) {
		t.Fatalf("StopStream offline: error = %v, want ChannelNotBroadcasting", err)
	}
	if _, err := f.client.GetStreamSession(ctx, &ivs.GetStreamSessionInput{ChannelArn: ch.Arn}); !isNotFound(err) {
		t.Fatalf("GetStreamSession before any stream: error = %v, want ResourceNotFoundException", err)
	}

	arn, streamID, err := f.srv.StartStream(aws.ToString(key.Value))
	if err != nil {
		t.Fatalf("StartStream: %v", err)
	}
	if arn != aws.ToString(ch.Arn) || !regexp.MustCompile(`^st-[a-zA-Z0-9]{23}$`).MatchString(streamID) {
		t.Fatalf("StartStream = %q, %q", arn, streamID)
	}
	if _, _, err := f.srv.StartStream(aws.ToString(key.Value)); !errors.Is(err, ivslocal.ErrConflict) {
		t.Fatalf("second StartStream: error = %v, want ConflictException", err)
	}
	if _, _, err := f.srv.StartStream("sk_us-west-2_unknown"); !errors.Is(err, ivslocal.ErrNotFound) {
		t.Fatalf("StartStream with unknown key: error = %v, want ResourceNotFoundException", err)
	}

	got, err := f.client.GetStream(ctx, &ivs.GetStreamInput{ChannelArn: ch.Arn})
	if err != nil {
		t.Fatalf("GetStream: %v", err)
	}
	start := f.clock.Now()
	want := &types.Stream{
		ChannelArn: ch.Arn, StreamId: aws.String(streamID), PlaybackUrl: ch.PlaybackUrl, StartTime: &start,
		State: types.StreamStateStreamLive, Health: types.StreamHealthStreamHealthy, ViewerCount: got.Stream.ViewerCount,
	}
	if diff := cmp.Diff(want, got.Stream, ignoreSDK); diff != "" {
		t.Errorf("GetStream mismatch (-want +got):\n%s", diff)
	}

	if err := f.srv.SetStarvation(id, true); err != nil {
		t.Fatalf("SetStarvation: %v", err)
	}
	health := func(filter types.StreamHealth) []string {
		t.Helper()
		in := &ivs.ListStreamsInput{}
		if filter != "" {
			in.FilterBy = &types.StreamFilters{Health: filter}
		}
		out, err := f.client.ListStreams(ctx, in)
		if err != nil {
			t.Fatalf("ListStreams: %v", err)
		}
		res := []string{}
		for _, s := range out.Streams {
			res = append(res, aws.ToString(s.StreamId)+"/"+string(s.Health))
		}
		return res
	}
	if diff := cmp.Diff([]string{streamID + "/STARVING"}, health(types.StreamHealthStarving)); diff != "" {
		t.Errorf("ListStreams STARVING mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{}, health(types.StreamHealthStreamHealthy)); diff != "" {
		t.Errorf("ListStreams HEALTHY mismatch (-want +got):\n%s", diff)
	}
	if _, err := f.client.ListStreams(ctx, &ivs.ListStreamsInput{FilterBy: &types.StreamFilters{Health: "SICK"}}); !isValidation(err) {
		t.Errorf("ListStreams bad health: error = %v, want ValidationException", err)
	}
	f.clock.Advance(time.Second)
	if err := f.srv.SetStarvation(id, false); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{streamID + "/HEALTHY"}, health("")); diff != "" {
		t.Errorf("ListStreams after starvation end mismatch (-want +got):\n%s", diff)
	}
	f.clock.Advance(time.Second)
	if err := f.srv.LimitBreach(id, "Ingest Bitrate"); err != nil {
		t.Fatalf("LimitBreach: %v", err)
	}
	if err := f.srv.LimitBreach(id, "Too Loud"); !errors.Is(err, ivslocal.ErrInvalid) {
		t.Errorf("LimitBreach with unknown limit: error = %v, want ValidationException", err)
	}

	f.clock.Advance(time.Second)
	if _, err := f.client.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: ch.Arn}); err != nil {
		t.Fatalf("StopStream: %v", err)
	}
	if _, err := f.client.GetStream(ctx, &ivs.GetStreamInput{ChannelArn: ch.Arn}); !isNotBroadcastng(err) {
		t.Fatalf("GetStream after stop: error = %v, want ChannelNotBroadcasting", err)
	}
	if err := f.srv.EndStream(id); !errors.Is(err, ivslocal.ErrNotBroadcasting) {
		t.Errorf("EndStream offline: error = %v, want ChannelNotBroadcasting", err)
	}

	wantEvents := []string{
		"IVS Stream State Change/Session Created",
		"IVS Stream State Change/Stream Start",
		"IVS Stream Health Change/Starvation Start",
		"IVS Stream Health Change/Starvation End",
		"IVS Limit Breach/Ingest Bitrate",
		"IVS Stream State Change/Stream End",
		"IVS Stream State Change/Session Ended",
	}
	if diff := cmp.Diff(wantEvents, f.events.names()); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	evs := f.events.list()
	wantDetail := map[string]any{"event_name": "Session Created", "channel_name": "show", "stream_id": streamID}
	if diff := cmp.Diff(wantDetail, evs[0].Detail); diff != "" {
		t.Errorf("Session Created detail mismatch (-want +got):\n%s", diff)
	}
	wantBreach := map[string]any{"limit_name": "Ingest Bitrate", "limit_value": 8.5e6, "exceeded_by": 5e5,
		"limit_unit": "bits per second", "channel_name": "show", "stream_id": streamID}
	if diff := cmp.Diff(wantBreach, evs[4].Detail); diff != "" {
		t.Errorf("Limit Breach detail mismatch (-want +got):\n%s", diff)
	}
	for _, ev := range evs {
		if ev.Source != "aws.ivs" || ev.Account != "123456789012" || ev.Region != "us-west-2" || ev.Version != "0" ||
			len(ev.Resources) != 1 || ev.Resources[0] != aws.ToString(ch.Arn) {
			t.Errorf("event envelope = %+v", ev)
		}
	}

	sess, err := f.client.GetStreamSession(ctx, &ivs.GetStreamSessionInput{ChannelArn: ch.Arn})
	if err != nil {
		t.Fatalf("GetStreamSession: %v", err)
	}
	ss := sess.StreamSession
	var evNames []string
	for _, e := range ss.TruncatedEvents {
		evNames = append(evNames, aws.ToString(e.Type)+"/"+aws.ToString(e.Name))
	}
	wantTrunc := []string{
		"IVS Stream State Change/Session Ended",
		"IVS Stream State Change/Stream End",
		"IVS Limit Breach/Ingest Bitrate",
		"IVS Stream Health Change/Starvation End",
		"IVS Stream Health Change/Starvation Start",
		"IVS Stream State Change/Stream Start",
		"IVS Stream State Change/Session Created",
	}
	if diff := cmp.Diff(wantTrunc, evNames); diff != "" {
		t.Errorf("truncatedEvents (newest first) mismatch (-want +got):\n%s", diff)
	}
	end := start.Add(3 * time.Second)
	if aws.ToString(ss.StreamId) != streamID || !ss.StartTime.Equal(start) || ss.EndTime == nil || !ss.EndTime.Equal(end) {
		t.Errorf("session id/start/end = %s %v %v", aws.ToString(ss.StreamId), ss.StartTime, ss.EndTime)
	}
	if diff := cmp.Diff(ch, ss.Channel, ignoreSDK); diff != "" {
		t.Errorf("session channel mismatch (-want +got):\n%s", diff)
	}
	wantVideo := &types.VideoConfiguration{
		AvcLevel: aws.String("3.1"), AvcProfile: aws.String("High"), Codec: aws.String("avc1.64001F"),
		Encoder: aws.String("ivslocal simulated encoder"), Level: aws.String("3.1"), Profile: aws.String("High"),
		TargetBitrate: 6000000, TargetFramerate: 30, Track: aws.String("Track0"), VideoHeight: 1080, VideoWidth: 1920,
	}
	wantAudio := &types.AudioConfiguration{Channels: 2, Codec: aws.String("mp4a.40.2"), SampleRate: 48000, TargetBitrate: 160000, Track: aws.String("Track0")}
	if diff := cmp.Diff(&types.IngestConfiguration{Video: wantVideo, Audio: wantAudio}, ss.IngestConfiguration, ignoreSDK); diff != "" {
		t.Errorf("ingestConfiguration mismatch (-want +got):\n%s", diff)
	}
	wantConfigs := &types.IngestConfigurations{VideoConfigurations: []types.VideoConfiguration{*wantVideo}, AudioConfigurations: []types.AudioConfiguration{*wantAudio}}
	if diff := cmp.Diff(wantConfigs, ss.IngestConfigurations, ignoreSDK); diff != "" {
		t.Errorf("ingestConfigurations mismatch (-want +got):\n%s", diff)
	}
	if ss.RecordingConfiguration == nil {
		t.Errorf("recordingConfiguration missing")
	}
	byID, err := f.client.GetStreamSession(ctx, &ivs.GetStreamSessionInput{ChannelArn: ch.Arn, StreamId: aws.String(streamID)})
	if err != nil || aws.ToString(byID.StreamSession.StreamId) != streamID {
		t.Errorf("GetStreamSession by id = %v, %v", byID, err)
	}
	sessErrs := []struct {
		id string
		is func(error) bool
	}{
		{"st-short", isValidation},
		{"st-" + strings.Repeat("A", 23), isNotFound},
	}
	for _, tt := range sessErrs {
		if _, err := f.client.GetStreamSession(ctx, &ivs.GetStreamSessionInput{ChannelArn: ch.Arn, StreamId: aws.String(tt.id)}); !tt.is(err) {
			t.Errorf("GetStreamSession(%q) error = %v", tt.id, err)
		}
	}
}

func TestListStreamSessions(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, nil)
	var ids []string
	for i := range 3 {
		_, id, err := f.srv.StartStream(aws.ToString(key.Value))
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := f.srv.LimitBreach(channelID(ch.Arn), "Ingest Resolution"); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Advance(time.Minute)
		if i < 2 {
			if err := f.srv.EndStream(channelID(ch.Arn)); err != nil {
				t.Fatal(err)
			}
		}
		ids = append([]string{id}, ids...) // newest first
	}
	type row struct {
		ID       string
		Ended    bool
		HasError bool
	}
	var got []row
	p := ivs.NewListStreamSessionsPaginator(f.client, &ivs.ListStreamSessionsInput{ChannelArn: ch.Arn, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListStreamSessions: %v", err)
		}
		for _, s := range out.StreamSessions {
			got = append(got, row{aws.ToString(s.StreamId), s.EndTime != nil, s.HasErrorEvent})
		}
	}
	want := []row{{ids[0], false, false}, {ids[1], true, true}, {ids[2], true, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListStreamSessions mismatch (-want +got):\n%s", diff)
	}
	if _, err := f.client.ListStreamSessions(ctx, &ivs.ListStreamSessionsInput{ChannelArn: aws.String("arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234")}); !isNotFound(err) {
		t.Errorf("ListStreamSessions missing channel: error = %v", err)
	}
	latest, err := f.client.GetStreamSession(ctx, &ivs.GetStreamSessionInput{ChannelArn: ch.Arn})
	if err != nil || aws.ToString(latest.StreamSession.StreamId) != ids[0] || latest.StreamSession.EndTime != nil {
		t.Errorf("GetStreamSession latest = %v, %v; want live session %s", latest, err, ids[0])
	}
}

func TestPutMetadata(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, nil)
	put := func(payload string) error {
		_, err := f.client.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: ch.Arn, Metadata: aws.String(payload)})
		return err
	}
	if err := put("offline"); !isNotBroadcastng(err) {
		t.Fatalf("PutMetadata offline: error = %v, want ChannelNotBroadcasting", err)
	}
	if _, _, err := f.srv.StartStream(aws.ToString(key.Value)); err != nil {
		t.Fatal(err)
	}
	if err := put(strings.Repeat("x", 1025)); !isValidation(err) {
		t.Errorf("PutMetadata 1025 bytes: error = %v, want ValidationException", err)
	}
	if err := put(strings.Repeat("é", 513)); !isValidation(err) {
		t.Errorf("PutMetadata 1026 UTF-8 bytes: error = %v, want ValidationException", err)
	}
	if _, err := f.client.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: aws.String("arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"), Metadata: aws.String("x")}); !isNotFound(err) {
		t.Errorf("PutMetadata missing channel: error = %v, want ResourceNotFoundException", err)
	}

	var want []string
	for i := range 5 {
		p := strings.Repeat("a", 1023) + string(rune('0'+i))
		if err := put(p); err != nil {
			t.Fatalf("PutMetadata %d: %v", i, err)
		}
		want = append(want, p)
	}
	err := put("sixth")
	if !isThrottling(err) {
		t.Fatalf("sixth PutMetadata in one second: error = %v, want ThrottlingException", err)
	}
	f.clock.Advance(time.Second)
	if err := put("later"); err != nil {
		t.Fatalf("PutMetadata after a second: %v", err)
	}
	want = append(want, "later")

	payloads, err := f.srv.Metadata(channelID(ch.Arn))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, payloads); diff != "" {
		t.Errorf("Metadata mismatch (-want +got):\n%s", diff)
	}
}

func TestMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := emu.NewEnv("us-west-2", "123456789012")
		sk := &sink{}
		env.Metrics = sk
		svc := ivssvc.New(env)
		defer svc.Close()
		svc.SetMetricsInterval(5 * time.Second)
		mux := http.NewServeMux()
		svc.Register(mux)

		rr := httptest.NewRecorder()
		mux.ServeHTTP(rr, httptest.NewRequest(http.MethodPost, "/CreateChannel", strings.NewReader(`{"name":"m"}`)))
		var out struct {
			Channel   struct{ Arn string }
			StreamKey struct{ Value string }
		}
		if err := jsonDecode(rr.Body.String(), &out); err != nil || rr.Code != http.StatusOK {
			t.Fatalf("CreateChannel = %d %s", rr.Code, rr.Body)
		}
		id := channelID(&out.Channel.Arn)

		if _, _, err := svc.StartStream(out.StreamKey.Value); err != nil {
			t.Fatal(err)
		}
		names := func() []string {
			var n []string
			for _, p := range sk.list() {
				if p.Namespace != "AWS/IVS" || p.Dims["Channel"] != id || p.Res != 1 || len(p.Dims) != 1 {
					t.Errorf("point %+v: want AWS/IVS, Channel=%s, resolution 1", p, id)
				}
				n = append(n, p.Name)
			}
			sort.Strings(n)
			return n
		}
		one := []string{"ConcurrentViews", "IngestAudioBitrate", "IngestFramerate", "IngestVideoBitrate", "KeyframeInterval"}
		if diff := cmp.Diff(one, names()); diff != "" {
			t.Errorf("points at start mismatch (-want +got):\n%s", diff)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		var two []string
		for _, n := range one {
			two = append(two, n, n)
		}
		if diff := cmp.Diff(two, names()); diff != "" {
			t.Errorf("points after one interval mismatch (-want +got):\n%s", diff)
		}
		for _, p := range sk.list() {
			if p.Name == "IngestVideoBitrate" && (p.Value < 5e6 || p.Value > 7e6 || p.Unit != "Bits/Second") {
				t.Errorf("IngestVideoBitrate point %+v is not plausible", p)
			}
		}
		if err := svc.EndStream(id); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := len(sk.list()); got != 10 {
			t.Errorf("points after EndStream and a minute = %d, want 10", got)
		}
	})
}
