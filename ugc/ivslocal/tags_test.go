package ivslocal_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	chattypes "github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	rttypes "github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/google/go-cmp/cmp"
)

// tagAPI is the tag operations of one service, over its SDK client.
type tagAPI struct {
	list  func(arn string) (map[string]string, error)
	tag   func(arn string, tags map[string]string) error
	untag func(arn string, keys []string) error
}

func TestTags(t *testing.T) {
	srv := newServer(t)
	c := newClients(srv)

	ivsTags := tagAPI{
		list: func(arn string) (map[string]string, error) {
			out, err := c.ivs.ListTagsForResource(ctx, &ivs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return nil, err
			}
			return out.Tags, nil
		},
		tag: func(arn string, tags map[string]string) error {
			_, err := c.ivs.TagResource(ctx, &ivs.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
			return err
		},
		untag: func(arn string, keys []string) error {
			_, err := c.ivs.UntagResource(ctx, &ivs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
			return err
		},
	}
	chatTags := tagAPI{
		list: func(arn string) (map[string]string, error) {
			out, err := c.chat.ListTagsForResource(ctx, &ivschat.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return nil, err
			}
			return out.Tags, nil
		},
		tag: func(arn string, tags map[string]string) error {
			_, err := c.chat.TagResource(ctx, &ivschat.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
			return err
		},
		untag: func(arn string, keys []string) error {
			_, err := c.chat.UntagResource(ctx, &ivschat.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
			return err
		},
	}
	stageTags := tagAPI{
		list: func(arn string) (map[string]string, error) {
			out, err := c.stage.ListTagsForResource(ctx, &ivsrealtime.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return nil, err
			}
			return out.Tags, nil
		},
		tag: func(arn string, tags map[string]string) error {
			_, err := c.stage.TagResource(ctx, &ivsrealtime.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
			return err
		},
		untag: func(arn string, keys []string) error {
			_, err := c.stage.UntagResource(ctx, &ivsrealtime.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
			return err
		},
	}

	ch, err := c.ivs.CreateChannel(ctx, &ivs.CreateChannelInput{Tags: map[string]string{"owner": "u1"}})
	if err != nil {
		t.Fatal(err)
	}
	room, err := c.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{Tags: map[string]string{"owner": "u1"}})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := c.stage.CreateStage(ctx, &ivsrealtime.CreateStageInput{Tags: map[string]string{"owner": "u1"}})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		api        tagAPI
		arn        string
		initial    map[string]string
		missingARN string
		isNotFound func(error) bool
		isInvalid  func(error) bool
	}{
		{"ivs channel", ivsTags, aws.ToString(ch.Channel.Arn), map[string]string{"owner": "u1"},
			"arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234",
			as[*ivstypes.ResourceNotFoundException](), as[*ivstypes.ValidationException]()},
		{"ivs stream key", ivsTags, aws.ToString(ch.StreamKey.Arn), map[string]string{},
			"arn:aws:ivs:us-east-1:123456789012:stream-key/abcdABCD1234",
			as[*ivstypes.ResourceNotFoundException](), as[*ivstypes.ValidationException]()},
		{"chat room", chatTags, aws.ToString(room.Arn), map[string]string{"owner": "u1"},
			"arn:aws:ivschat:us-east-1:123456789012:room/abcdABCD1234",
			as[*chattypes.ResourceNotFoundException](), as[*chattypes.ValidationException]()},
		{"real-time stage", stageTags, aws.ToString(stage.Stage.Arn), map[string]string{"owner": "u1"},
			"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD1234",
			as[*rttypes.ResourceNotFoundException](), as[*rttypes.ValidationException]()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.api.list(tt.arn)
			if err != nil {
				t.Fatalf("ListTagsForResource: %v", err)
			}
			if diff := cmp.Diff(tt.initial, got); diff != "" {
				t.Errorf("initial tags mismatch (-want +got):\n%s", diff)
			}
			if err := tt.api.tag(tt.arn, map[string]string{"a": "1", "b": "2", "owner": "u2"}); err != nil {
				t.Fatalf("TagResource: %v", err)
			}
			if err := tt.api.untag(tt.arn, []string{"a", "absent"}); err != nil {
				t.Fatalf("UntagResource: %v", err)
			}
			got, err = tt.api.list(tt.arn)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[string]string{"b": "2", "owner": "u2"}, got); diff != "" {
				t.Errorf("tags after tag+untag mismatch (-want +got):\n%s", diff)
			}

			if _, err := tt.api.list(tt.missingARN); !tt.isNotFound(err) {
				t.Errorf("ListTagsForResource(missing) error = %v, want ResourceNotFoundException", err)
			}
			if err := tt.api.tag(tt.missingARN, map[string]string{"a": "1"}); !tt.isNotFound(err) {
				t.Errorf("TagResource(missing) error = %v, want ResourceNotFoundException", err)
			}
			if err := tt.api.untag(tt.missingARN, []string{"a"}); !tt.isNotFound(err) {
				t.Errorf("UntagResource(missing) error = %v, want ResourceNotFoundException", err)
			}
			tooMany := map[string]string{}
			for i := range 49 {
				tooMany[string(rune('A'+i%26))+string(rune('a'+i/26))] = "x"
			}
			if err := tt.api.tag(tt.arn, tooMany); !tt.isInvalid(err) {
				t.Errorf("TagResource beyond 50 tags: error = %v, want ValidationException", err)
			}
		})
	}

	if _, err := ivsTags.list("arn:aws:s3:::bucket"); !as[*ivstypes.ValidationException]()(err) {
		t.Errorf("ListTagsForResource(bad ARN) error = %v, want ValidationException", err)
	}
}
