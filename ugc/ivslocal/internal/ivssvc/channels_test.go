package ivssvc_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// as returns a predicate: err is (or wraps) a T.
func as[T error]() func(error) bool {
	return func(err error) bool {
		var target T
		return errors.As(err, &target)
	}
}

var (
	isValidation     = as[*types.ValidationException]()
	isNotFound       = as[*types.ResourceNotFoundException]()
	isConflict       = as[*types.ConflictException]()
	isQuota          = as[*types.ServiceQuotaExceededException]()
	isNotBroadcastng = as[*types.ChannelNotBroadcasting]()
	isThrottling     = as[*types.ThrottlingException]()
)

var ctx = context.Background()

// ignoreSDK ignores the unexported fields of SDK shapes.
var ignoreSDK = cmpopts.IgnoreUnexported(types.Channel{}, types.ChannelSummary{}, types.StreamKey{},
	types.StreamKeySummary{}, types.MultitrackInputConfiguration{}, types.Srt{}, types.BatchError{},
	types.Stream{}, types.StreamSummary{}, types.StreamSession{}, types.StreamSessionSummary{},
	types.StreamEvent{}, types.IngestConfiguration{}, types.IngestConfigurations{},
	types.VideoConfiguration{}, types.AudioConfiguration{}, types.RecordingConfiguration{})

func TestCreateChannelDefaults(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, &ivs.CreateChannelInput{Name: aws.String("demo"), Tags: map[string]string{"owner": "u1"}})

	formats := []struct {
		field, value string
		re           string
	}{
		{"arn", aws.ToString(ch.Arn), `^arn:aws:ivs:us-west-2:123456789012:channel/[a-zA-Z0-9]{12}$`},
		{"ingestEndpoint", aws.ToString(ch.IngestEndpoint), `^[0-9a-f]{12}\.global-contribute\.live-video\.net$`},
		{"playbackUrl", aws.ToString(ch.PlaybackUrl), `^https://[0-9a-f]{12}\.us-west-2\.playback\.live-video\.net/api/video/v1/us-west-2\.123456789012\.channel\.[a-zA-Z0-9]{12}\.m3u8$`},
		{"srt.endpoint", aws.ToString(ch.Srt.Endpoint), `^[0-9a-f]{12}\.srt\.live-video\.net$`},
		{"streamKey.arn", aws.ToString(key.Arn), `^arn:aws:ivs:us-west-2:123456789012:stream-key/[a-zA-Z0-9]{12}$`},
		{"streamKey.value", aws.ToString(key.Value), `^sk_us-west-2_[A-Za-z0-9_-]{43}$`},
	}
	for _, ff := range formats {
		if !regexp.MustCompile(ff.re).MatchString(ff.value) {
			t.Errorf("%s = %q, want match for %s", ff.field, ff.value, ff.re)
		}
	}
	if !strings.HasSuffix(aws.ToString(ch.PlaybackUrl), "channel."+strings.TrimPrefix(aws.ToString(ch.Arn), "arn:aws:ivs:us-west-2:123456789012:channel/")+".m3u8") {
		t.Errorf("playbackUrl %q does not name channel %q", aws.ToString(ch.PlaybackUrl), aws.ToString(ch.Arn))
	}

	want := &types.Channel{
		Arn: ch.Arn, Name: aws.String("demo"), LatencyMode: types.ChannelLatencyModeLowLatency,
		Type: types.ChannelTypeStandardChannelType, Authorized: false, InsecureIngest: false,
		IngestEndpoint: ch.IngestEndpoint, PlaybackUrl: ch.PlaybackUrl, Preset: "",
		RecordingConfigurationArn: aws.String(""), PlaybackRestrictionPolicyArn: aws.String(""),
		AdConfigurationArn: aws.String(""), ContainerFormat: types.ContainerFormatTs,
		MultitrackInputConfiguration: &types.MultitrackInputConfiguration{
			Enabled: false, MaximumResolution: types.MultitrackMaximumResolutionFullHd, Policy: types.MultitrackPolicyAllow,
		},
		Srt:  ch.Srt,
		Tags: map[string]string{"owner": "u1"},
	}
	if diff := cmp.Diff(want, ch, ignoreSDK); diff != "" {
		t.Errorf("CreateChannel channel mismatch (-want +got):\n%s", diff)
	}
	wantKey := &types.StreamKey{Arn: key.Arn, ChannelArn: ch.Arn, Value: key.Value, Tags: map[string]string{}}
	if diff := cmp.Diff(wantKey, key, ignoreSDK); diff != "" {
		t.Errorf("CreateChannel streamKey mismatch (-want +got):\n%s", diff)
	}

	got, err := f.client.GetChannel(ctx, &ivs.GetChannelInput{Arn: ch.Arn})
	if err != nil {
		t.Fatalf("GetChannel: %v", err)
	}
	if diff := cmp.Diff(ch, got.Channel, ignoreSDK); diff != "" {
		t.Errorf("GetChannel mismatch (-want +got):\n%s", diff)
	}
}

func TestCreateChannelSettings(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name       string
		in         ivs.CreateChannelInput
		wantType   types.ChannelType
		wantPreset types.TranscodePreset
		wantLat    types.ChannelLatencyMode
		wantFormat types.ContainerFormat
	}{
		{"basic normal", ivs.CreateChannelInput{Type: types.ChannelTypeBasicChannelType, LatencyMode: types.ChannelLatencyModeNormalLatency},
			types.ChannelTypeBasicChannelType, "", types.ChannelLatencyModeNormalLatency, types.ContainerFormatTs},
		{"advanced default preset", ivs.CreateChannelInput{Type: types.ChannelTypeAdvancedHDChannelType},
			types.ChannelTypeAdvancedHDChannelType, types.TranscodePresetHigherBandwidthTranscodePreset, types.ChannelLatencyModeLowLatency, types.ContainerFormatTs},
		{"advanced constrained", ivs.CreateChannelInput{Type: types.ChannelTypeAdvancedSDChannelType, Preset: types.TranscodePresetConstrainedBandwidthTranscodePreset},
			types.ChannelTypeAdvancedSDChannelType, types.TranscodePresetConstrainedBandwidthTranscodePreset, types.ChannelLatencyModeLowLatency, types.ContainerFormatTs},
		{"multitrack", ivs.CreateChannelInput{ContainerFormat: types.ContainerFormatFragmentedMP4,
			MultitrackInputConfiguration: &types.MultitrackInputConfiguration{Enabled: true, Policy: types.MultitrackPolicyRequire, MaximumResolution: types.MultitrackMaximumResolutionHd}},
			types.ChannelTypeStandardChannelType, "", types.ChannelLatencyModeLowLatency, types.ContainerFormatFragmentedMP4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, _ := f.createChannel(t, &tt.in)
			got := []string{string(ch.Type), string(ch.Preset), string(ch.LatencyMode), string(ch.ContainerFormat)}
			want := []string{string(tt.wantType), string(tt.wantPreset), string(tt.wantLat), string(tt.wantFormat)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("type/preset/latency/format mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCreateChannelValidation(t *testing.T) {
	f := newFixture(t)
	tooMany := map[string]string{}
	for i := range 51 {
		tooMany[fmt.Sprint("k", i)] = "v"
	}
	tests := []struct {
		name string
		in   ivs.CreateChannelInput
	}{
		{"bad name", ivs.CreateChannelInput{Name: aws.String("no spaces")}},
		{"long name", ivs.CreateChannelInput{Name: aws.String(strings.Repeat("a", 129))}},
		{"bad type", ivs.CreateChannelInput{Type: "PREMIUM"}},
		{"bad latency", ivs.CreateChannelInput{LatencyMode: "ULTRA"}},
		{"preset on standard", ivs.CreateChannelInput{Preset: types.TranscodePresetHigherBandwidthTranscodePreset}},
		{"multitrack needs fmp4", ivs.CreateChannelInput{MultitrackInputConfiguration: &types.MultitrackInputConfiguration{Enabled: true}}},
		{"multitrack needs standard", ivs.CreateChannelInput{Type: types.ChannelTypeBasicChannelType, ContainerFormat: types.ContainerFormatFragmentedMP4,
			MultitrackInputConfiguration: &types.MultitrackInputConfiguration{Enabled: true}}},
		{"bad container", ivs.CreateChannelInput{ContainerFormat: "MKV"}},
		{"bad recording arn", ivs.CreateChannelInput{RecordingConfigurationArn: aws.String("arn:aws:s3:::bucket")}},
		{"too many tags", ivs.CreateChannelInput{Tags: tooMany}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.CreateChannel(ctx, &tt.in)
			if !isValidation(err) {
				t.Fatalf("CreateChannel error = %v, want ValidationException", err)
			}
			var ve *types.ValidationException
			errors.As(err, &ve)
			if aws.ToString(ve.ExceptionMessage) == "" {
				t.Errorf("ValidationException has no exceptionMessage")
			}
		})
	}
}

func TestGetChannelErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		arn  string
		is   func(error) bool
	}{
		{"missing", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234", isNotFound},
		{"malformed", "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234", isValidation},
		{"empty", "", isValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(tt.arn)})
			if !tt.is(err) {
				t.Fatalf("GetChannel(%q) error = %v", tt.arn, err)
			}
		})
	}
	var rnf *types.ResourceNotFoundException
	_, err := f.client.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(tests[0].arn)})
	if !errors.As(err, &rnf) || !strings.Contains(aws.ToString(rnf.ExceptionMessage), tests[0].arn) {
		t.Errorf("ResourceNotFoundException message = %v, want it to name the ARN", err)
	}
}

func TestUpdateChannel(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, &ivs.CreateChannelInput{Name: aws.String("before")})
	out, err := f.client.UpdateChannel(ctx, &ivs.UpdateChannelInput{
		Arn: ch.Arn, Name: aws.String("after"), LatencyMode: types.ChannelLatencyModeNormalLatency,
		Type: types.ChannelTypeAdvancedSDChannelType, Authorized: true,
		RecordingConfigurationArn: aws.String("arn:aws:ivs:us-west-2:123456789012:recording-configuration/abcdABCD1234"),
	})
	if err != nil {
		t.Fatalf("UpdateChannel: %v", err)
	}
	want := *ch
	want.Name = aws.String("after")
	want.LatencyMode = types.ChannelLatencyModeNormalLatency
	want.Type = types.ChannelTypeAdvancedSDChannelType
	want.Preset = types.TranscodePresetHigherBandwidthTranscodePreset
	want.Authorized = true
	want.RecordingConfigurationArn = aws.String("arn:aws:ivs:us-west-2:123456789012:recording-configuration/abcdABCD1234")
	if diff := cmp.Diff(&want, out.Channel, ignoreSDK); diff != "" {
		t.Errorf("UpdateChannel mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		name string
		in   ivs.UpdateChannelInput
		is   func(error) bool
	}{
		{"not found", ivs.UpdateChannelInput{Arn: aws.String("arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234")}, isNotFound},
		{"bad name", ivs.UpdateChannelInput{Arn: ch.Arn, Name: aws.String("a b")}, isValidation},
		{"bad type", ivs.UpdateChannelInput{Arn: ch.Arn, Type: "X"}, isValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.client.UpdateChannel(ctx, &tt.in); !tt.is(err) {
				t.Fatalf("UpdateChannel error = %v", err)
			}
		})
	}
	// A failed update changes nothing.
	got, err := f.client.GetChannel(ctx, &ivs.GetChannelInput{Arn: ch.Arn})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got.Channel, ignoreSDK); diff != "" {
		t.Errorf("channel after failed updates mismatch (-want +got):\n%s", diff)
	}

	if _, _, err := f.srv.StartStream(aws.ToString(key.Value)); err != nil {
		t.Fatal(err)
	}
	_, err = f.client.UpdateChannel(ctx, &ivs.UpdateChannelInput{Arn: ch.Arn, Name: aws.String("live")})
	if !isConflict(err) {
		t.Fatalf("UpdateChannel on a live channel: error = %v, want ConflictException", err)
	}
}

func TestDeleteChannel(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, nil)

	if _, _, err := f.srv.StartStream(aws.ToString(key.Value)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: ch.Arn}); !isConflict(err) {
		t.Fatalf("DeleteChannel on a live channel: error = %v, want ConflictException", err)
	}
	if _, err := f.client.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: ch.Arn}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: ch.Arn}); err != nil {
		t.Fatalf("DeleteChannel: %v", err)
	}
	if _, err := f.client.GetChannel(ctx, &ivs.GetChannelInput{Arn: ch.Arn}); !isNotFound(err) {
		t.Errorf("GetChannel after delete: error = %v, want ResourceNotFoundException", err)
	}
	if _, err := f.client.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: key.Arn}); !isNotFound(err) {
		t.Errorf("GetStreamKey after channel delete: error = %v, want ResourceNotFoundException", err)
	}
	if _, err := f.client.DeleteChannel(ctx, &ivs.DeleteChannelInput{Arn: ch.Arn}); !isNotFound(err) {
		t.Errorf("second DeleteChannel: error = %v, want ResourceNotFoundException", err)
	}
	if _, err := f.client.ListTagsForResource(ctx, &ivs.ListTagsForResourceInput{ResourceArn: ch.Arn}); !isNotFound(err) {
		t.Errorf("ListTagsForResource of the deleted channel: error = %v, want ResourceNotFoundException", err)
	}
}

func TestListChannels(t *testing.T) {
	f := newFixture(t)
	rc := "arn:aws:ivs:us-west-2:123456789012:recording-configuration/abcdABCD1234"
	var all []string
	for i := range 5 {
		in := &ivs.CreateChannelInput{Name: aws.String(fmt.Sprint("ch", i))}
		if i == 3 {
			in.RecordingConfigurationArn = aws.String(rc)
		}
		ch, _ := f.createChannel(t, in)
		all = append(all, aws.ToString(ch.Arn))
	}
	sort.Strings(all)

	var got []string
	pages := 0
	p := ivs.NewListChannelsPaginator(f.client, &ivs.ListChannelsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListChannels page %d: %v", pages, err)
		}
		pages++
		for _, c := range out.Channels {
			got = append(got, aws.ToString(c.Arn))
		}
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("paged ListChannels mismatch (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}

	filters := []struct {
		name string
		in   ivs.ListChannelsInput
		want []string
	}{
		{"by name", ivs.ListChannelsInput{FilterByName: aws.String("ch2")}, []string{"ch2"}},
		{"by recording configuration", ivs.ListChannelsInput{FilterByRecordingConfigurationArn: aws.String(rc)}, []string{"ch3"}},
		{"no match", ivs.ListChannelsInput{FilterByName: aws.String("nope")}, []string{}},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.client.ListChannels(ctx, &tt.in)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{}
			for _, c := range out.Channels {
				names = append(names, aws.ToString(c.Name))
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("filtered names mismatch (-want +got):\n%s", diff)
			}
		})
	}

	errs := []struct {
		name string
		in   ivs.ListChannelsInput
		is   func(error) bool
	}{
		{"two filters", ivs.ListChannelsInput{FilterByName: aws.String("a"), FilterByRecordingConfigurationArn: aws.String(rc)}, isConflict},
		{"maxResults 101", ivs.ListChannelsInput{MaxResults: aws.Int32(101)}, isValidation},
		{"maxResults negative", ivs.ListChannelsInput{MaxResults: aws.Int32(-1)}, isValidation},
		{"bad token", ivs.ListChannelsInput{NextToken: aws.String("bm90LWEtdG9rZW4")}, isValidation},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.client.ListChannels(ctx, &tt.in); !tt.is(err) {
				t.Fatalf("ListChannels error = %v", err)
			}
		})
	}
}

func TestBatchGetChannel(t *testing.T) {
	f := newFixture(t)
	ch, _ := f.createChannel(t, nil)
	missing := "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"
	out, err := f.client.BatchGetChannel(ctx, &ivs.BatchGetChannelInput{Arns: []string{aws.ToString(ch.Arn), missing}})
	if err != nil {
		t.Fatalf("BatchGetChannel: %v", err)
	}
	if diff := cmp.Diff([]types.Channel{*ch}, out.Channels, ignoreSDK); diff != "" {
		t.Errorf("channels mismatch (-want +got):\n%s", diff)
	}
	wantErrs := []types.BatchError{{Arn: aws.String(missing), Code: aws.String("ResourceNotFoundException"), Message: aws.String("Resource: " + missing + " not found")}}
	if diff := cmp.Diff(wantErrs, out.Errors, ignoreSDK); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}

	tooMany := make([]string, 51)
	for i := range tooMany {
		tooMany[i] = missing
	}
	for _, arns := range [][]string{{}, tooMany, {"not-an-arn"}} {
		if _, err := f.client.BatchGetChannel(ctx, &ivs.BatchGetChannelInput{Arns: arns}); !isValidation(err) {
			t.Errorf("BatchGetChannel(%d arns) error = %v, want ValidationException", len(arns), err)
		}
	}
}

func TestStreamKeys(t *testing.T) {
	f := newFixture(t)
	ch, key := f.createChannel(t, nil)

	_, err := f.client.CreateStreamKey(ctx, &ivs.CreateStreamKeyInput{ChannelArn: ch.Arn})
	if !isQuota(err) {
		t.Fatalf("second CreateStreamKey: error = %v, want ServiceQuotaExceededException", err)
	}
	got, err := f.client.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: key.Arn})
	if err != nil {
		t.Fatalf("GetStreamKey: %v", err)
	}
	if diff := cmp.Diff(key, got.StreamKey, ignoreSDK); diff != "" {
		t.Errorf("GetStreamKey mismatch (-want +got):\n%s", diff)
	}
	list, err := f.client.ListStreamKeys(ctx, &ivs.ListStreamKeysInput{ChannelArn: ch.Arn})
	if err != nil {
		t.Fatalf("ListStreamKeys: %v", err)
	}
	wantList := []types.StreamKeySummary{{Arn: key.Arn, ChannelArn: ch.Arn, Tags: map[string]string{}}}
	if diff := cmp.Diff(wantList, list.StreamKeys, ignoreSDK); diff != "" {
		t.Errorf("ListStreamKeys mismatch (-want +got):\n%s", diff)
	}

	if _, err := f.client.DeleteStreamKey(ctx, &ivs.DeleteStreamKeyInput{Arn: key.Arn}); err != nil {
		t.Fatalf("DeleteStreamKey: %v", err)
	}
	if _, err := f.client.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: key.Arn}); !isNotFound(err) {
		t.Errorf("GetStreamKey after delete: error = %v, want ResourceNotFoundException", err)
	}
	if _, err := f.client.DeleteStreamKey(ctx, &ivs.DeleteStreamKeyInput{Arn: key.Arn}); !isNotFound(err) {
		t.Errorf("second DeleteStreamKey: error = %v, want ResourceNotFoundException", err)
	}
	if _, _, err := f.srv.StartStream(aws.ToString(key.Value)); err == nil {
		t.Errorf("StartStream with a deleted key succeeded")
	}

	created, err := f.client.CreateStreamKey(ctx, &ivs.CreateStreamKeyInput{ChannelArn: ch.Arn, Tags: map[string]string{"a": "b"}})
	if err != nil {
		t.Fatalf("CreateStreamKey after delete: %v", err)
	}
	if diff := cmp.Diff(map[string]string{"a": "b"}, created.StreamKey.Tags); diff != "" {
		t.Errorf("stream key tags mismatch (-want +got):\n%s", diff)
	}

	errs := []struct {
		name string
		call func() error
		is   func(error) bool
	}{
		{"create on missing channel", func() error {
			_, err := f.client.CreateStreamKey(ctx, &ivs.CreateStreamKeyInput{ChannelArn: aws.String("arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234")})
			return err
		}, isNotFound},
		{"list on missing channel", func() error {
			_, err := f.client.ListStreamKeys(ctx, &ivs.ListStreamKeysInput{ChannelArn: aws.String("arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234")})
			return err
		}, isNotFound},
		{"list maxResults 51", func() error {
			_, err := f.client.ListStreamKeys(ctx, &ivs.ListStreamKeysInput{ChannelArn: ch.Arn, MaxResults: aws.Int32(51)})
			return err
		}, isValidation},
		{"get malformed", func() error {
			_, err := f.client.GetStreamKey(ctx, &ivs.GetStreamKeyInput{Arn: ch.Arn})
			return err
		}, isValidation},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !tt.is(err) {
				t.Fatalf("error = %v", err)
			}
		})
	}
}

func TestBatchGetStreamKey(t *testing.T) {
	f := newFixture(t)
	_, key := f.createChannel(t, nil)
	missing := "arn:aws:ivs:us-west-2:123456789012:stream-key/abcdABCD1234"
	out, err := f.client.BatchGetStreamKey(ctx, &ivs.BatchGetStreamKeyInput{Arns: []string{aws.ToString(key.Arn), missing}})
	if err != nil {
		t.Fatalf("BatchGetStreamKey: %v", err)
	}
	if diff := cmp.Diff([]types.StreamKey{*key}, out.StreamKeys, ignoreSDK); diff != "" {
		t.Errorf("streamKeys mismatch (-want +got):\n%s", diff)
	}
	wantErrs := []types.BatchError{{Arn: aws.String(missing), Code: aws.String("ResourceNotFoundException"), Message: aws.String("Resource: " + missing + " not found")}}
	if diff := cmp.Diff(wantErrs, out.Errors, ignoreSDK); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	for _, arns := range [][]string{{}, {"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"}} {
		if _, err := f.client.BatchGetStreamKey(ctx, &ivs.BatchGetStreamKeyInput{Arns: arns}); !isValidation(err) {
			t.Errorf("BatchGetStreamKey(%v) error = %v, want ValidationException", arns, err)
		}
	}
}
