package awserr_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

// TestMapSDKErrors maps errors the unmodified SDK client returns from
// ivslocal: real wire errors, real deserialization.
func TestMapSDKErrors(t *testing.T) {
	srv := ivslocal.NewServer()
	defer srv.Close()
	client := ivs.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	missing := "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234"
	tests := []struct {
		name     string
		fault    string // injected error code, "" for none
		call     func() error
		kind     error
		code     string
		wantCode string // the AWS code errors.As must reach
	}{
		{"not found", "", func() error {
			_, err := client.GetChannel(ctx, &ivs.GetChannelInput{Arn: aws.String(missing)})
			return err
		}, ugc.ErrNotFound, "not_found", "ResourceNotFoundException"},
		{"validation", "", func() error {
			_, err := client.CreateChannel(ctx, &ivs.CreateChannelInput{Name: aws.String("bad name!")})
			return err
		}, ugc.ErrInvalidArgument, "invalid_argument", "ValidationException"},
		{"internal", "InternalServerException", func() error {
			_, err := client.ListChannels(ctx, &ivs.ListChannelsInput{})
			return err
		}, ugc.ErrUnavailable, "unavailable", "InternalServerException"},
		{"throttling", "ThrottlingException", func() error {
			_, err := client.ListChannels(ctx, &ivs.ListChannelsInput{})
			return err
		}, ugc.ErrThrottled, "throttled", "ThrottlingException"},
		{"quota", "ServiceQuotaExceededException", func() error {
			_, err := client.ListChannels(ctx, &ivs.ListChannelsInput{})
			return err
		}, ugc.ErrUnavailable, "quota_exceeded", "ServiceQuotaExceededException"},
		{"conflict", "ConflictException", func() error {
			_, err := client.ListChannels(ctx, &ivs.ListChannelsInput{})
			return err
		}, ugc.ErrFailedPrecondition, "failed_precondition", "ConflictException"},
		{"access denied", "AccessDeniedException", func() error {
			_, err := client.ListChannels(ctx, &ivs.ListChannelsInput{})
			return err
		}, ugc.ErrPermissionDenied, "permission_denied", "AccessDeniedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != "" {
				srv.InjectFault(ivslocal.Fault{Operation: "ListChannels", Error: tt.fault, Count: 1})
			}
			err := awserr.Map(tt.call())
			if !errors.Is(err, tt.kind) || ugc.CodeOf(err) != tt.code {
				t.Errorf("Map = %v (code %q), want %v with code %q", err, ugc.CodeOf(err), tt.kind, tt.code)
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.wantCode {
				t.Errorf("errors.As(smithy.APIError) = %v, want code %q", ae, tt.wantCode)
			}
			if awserr.Code(err) != tt.wantCode {
				t.Errorf("Code = %q, want %q", awserr.Code(err), tt.wantCode)
			}
		})
	}
}

func TestMapNetworkAndPassThrough(t *testing.T) {
	srv := ivslocal.NewServer()
	cfg := srv.AWSConfig()
	srv.Close() // nothing listens any more
	client := ivs.NewFromConfig(cfg)
	_, err := client.ListChannels(context.Background(), &ivs.ListChannelsInput{})
	if got := awserr.Map(err); !errors.Is(got, ugc.ErrUnavailable) {
		t.Errorf("Map(network error) = %v, want ErrUnavailable", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"nil", nil, nil},
		{"canceled", context.Canceled, context.Canceled},
		{"already mapped", ugc.ErrNotFound, ugc.ErrNotFound},
		{"unknown", errors.New("boom"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := awserr.Map(tt.in)
			if tt.want != nil && !errors.Is(got, tt.want) || tt.want == nil && tt.in == nil && got != nil {
				t.Errorf("Map(%v) = %v, want %v", tt.in, got, tt.want)
			}
			if tt.name == "unknown" && ugc.KindOf(got) != nil {
				t.Errorf("Map(unknown) has kind %v, want none (internal)", ugc.KindOf(got))
			}
		})
	}
	_, err = client.ListChannels(ctx, &ivs.ListChannelsInput{})
	if got := awserr.Map(err); !errors.Is(got, context.Canceled) {
		t.Errorf("Map(canceled SDK call) = %v, want context.Canceled", got)
	}
}

func ExampleMap() {
	srv := ivslocal.NewServer()
	defer srv.Close()
	client := ivs.NewFromConfig(srv.AWSConfig())
	_, err := client.GetChannel(context.Background(), &ivs.GetChannelInput{
		Arn: aws.String("arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234"),
	})
	err = awserr.Map(err)
	var ae smithy.APIError
	fmt.Println(errors.Is(err, ugc.ErrNotFound), errors.As(err, &ae), ae.ErrorCode())
	// Output: true true ResourceNotFoundException
}
