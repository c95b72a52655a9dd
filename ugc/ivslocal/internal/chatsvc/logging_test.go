package chatsvc

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// createLogging creates an S3 logging configuration and returns its ARN.
func (f *fixture) createLogging(tb testing.TB, name string) string {
	tb.Helper()
	out, err := f.client.CreateLoggingConfiguration(context.Background(), &ivschat.CreateLoggingConfigurationInput{
		Name: aws.String(name),
		DestinationConfiguration: &types.DestinationConfigurationMemberS3{
			Value: types.S3DestinationConfiguration{BucketName: aws.String("chat-logs")}},
	})
	if err != nil {
		tb.Fatalf("CreateLoggingConfiguration: %v", err)
	}
	return aws.ToString(out.Arn)
}

type logView struct {
	Name        string
	Destination types.DestinationConfiguration
	State       string
	Tags        map[string]string
	Created     time.Time
	Updated     time.Time
}

var ignoreUnionNoCopy = cmpopts.IgnoreUnexported(
	types.DestinationConfigurationMemberS3{}, types.S3DestinationConfiguration{},
	types.DestinationConfigurationMemberCloudWatchLogs{}, types.CloudWatchLogsDestinationConfiguration{},
	types.DestinationConfigurationMemberFirehose{}, types.FirehoseDestinationConfiguration{})

func TestLoggingConfigurationLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	t0 := f.clock.Now()
	s3 := &types.DestinationConfigurationMemberS3{Value: types.S3DestinationConfiguration{BucketName: aws.String("chat-logs")}}
	created, err := f.client.CreateLoggingConfiguration(ctx, &ivschat.CreateLoggingConfigurationInput{
		Name: aws.String("audit"), DestinationConfiguration: s3, Tags: map[string]string{"team": "trust"}})
	if err != nil {
		t.Fatalf("CreateLoggingConfiguration: %v", err)
	}
	arn := aws.ToString(created.Arn)
	if !regexpLogARN.MatchString(arn) {
		t.Fatalf("arn %q is not a logging-configuration ARN", arn)
	}
	want := logView{"audit", s3, "ACTIVE", map[string]string{"team": "trust"}, t0, t0}
	got := logView{aws.ToString(created.Name), created.DestinationConfiguration, string(created.State), created.Tags,
		aws.ToTime(created.CreateTime), aws.ToTime(created.UpdateTime)}
	if diff := cmp.Diff(want, got, ignoreUnionNoCopy); diff != "" {
		t.Errorf("Create mismatch (-want +got):\n%s", diff)
	}

	f.clock.Add(time.Minute)
	cw := &types.DestinationConfigurationMemberCloudWatchLogs{Value: types.CloudWatchLogsDestinationConfiguration{LogGroupName: aws.String("/ivs/chat")}}
	if _, err := f.client.UpdateLoggingConfiguration(ctx, &ivschat.UpdateLoggingConfigurationInput{
		Identifier: aws.String(arn), DestinationConfiguration: cw}); err != nil {
		t.Fatalf("UpdateLoggingConfiguration: %v", err)
	}
	g, err := f.client.GetLoggingConfiguration(ctx, &ivschat.GetLoggingConfigurationInput{Identifier: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetLoggingConfiguration: %v", err)
	}
	want = logView{"audit", cw, "ACTIVE", map[string]string{"team": "trust"}, t0, t0.Add(time.Minute)}
	got = logView{aws.ToString(g.Name), g.DestinationConfiguration, string(g.State), g.Tags, aws.ToTime(g.CreateTime), aws.ToTime(g.UpdateTime)}
	if diff := cmp.Diff(want, got, ignoreUnionNoCopy); diff != "" {
		t.Errorf("Get after update mismatch (-want +got):\n%s", diff)
	}

	// A room may use it; deleting it detaches it from the room.
	room := f.createRoom(t, &ivschat.CreateRoomInput{LoggingConfigurationIdentifiers: []string{arn}})
	other := f.createLogging(t, "other")
	var list []string
	p := ivschat.NewListLoggingConfigurationsPaginator(f.client, &ivschat.ListLoggingConfigurationsInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListLoggingConfigurations: %v", err)
		}
		for _, c := range out.LoggingConfigurations {
			list = append(list, aws.ToString(c.Arn))
		}
	}
	if diff := cmp.Diff([]string{arn, other}, list, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("list mismatch (-want +got):\n%s", diff)
	}
	if _, err := f.client.DeleteLoggingConfiguration(ctx, &ivschat.DeleteLoggingConfigurationInput{Identifier: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteLoggingConfiguration: %v", err)
	}
	r, err := f.client.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: room.Arn})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{}, r.LoggingConfigurationIdentifiers); diff != "" {
		t.Errorf("room logging after delete mismatch (-want +got):\n%s", diff)
	}
	_, err = f.client.GetLoggingConfiguration(ctx, &ivschat.GetLoggingConfigurationInput{Identifier: aws.String(arn)})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("Get after delete: %v, want ResourceNotFoundException", err)
	}
	if _, err := f.client.CreateRoom(ctx, &ivschat.CreateRoomInput{LoggingConfigurationIdentifiers: []string{arn}}); !errors.As(err, &nf) {
		t.Errorf("CreateRoom with a deleted logging configuration: %v, want ResourceNotFoundException", err)
	}
}

func TestLoggingConfigurationValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		in     *ivschat.CreateLoggingConfigurationInput
		fields []string
	}{
		{"bucket name", &ivschat.CreateLoggingConfigurationInput{DestinationConfiguration: &types.DestinationConfigurationMemberS3{
			Value: types.S3DestinationConfiguration{BucketName: aws.String("Bad_Bucket")}}}, []string{"destinationConfiguration.s3.bucketName"}},
		{"stream name", &ivschat.CreateLoggingConfigurationInput{DestinationConfiguration: &types.DestinationConfigurationMemberFirehose{
			Value: types.FirehoseDestinationConfiguration{DeliveryStreamName: aws.String("a b")}}}, []string{"destinationConfiguration.firehose.deliveryStreamName"}},
		{"name", &ivschat.CreateLoggingConfigurationInput{Name: aws.String("a b"), DestinationConfiguration: &types.DestinationConfigurationMemberCloudWatchLogs{
			Value: types.CloudWatchLogsDestinationConfiguration{LogGroupName: aws.String("g")}}}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.CreateLoggingConfiguration(ctx, tt.in)
			reason, fields := validationFields(t, err)
			if diff := cmp.Diff(append([]string{"FIELD_VALIDATION_FAILED"}, tt.fields...), append([]string{reason}, fields...)); diff != "" {
				t.Errorf("validation mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
