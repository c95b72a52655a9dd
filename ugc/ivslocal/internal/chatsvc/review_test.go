package chatsvc

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/google/go-cmp/cmp"
)

const reviewURI = "arn:aws:lambda:us-east-1:123456789012:function:review"

func TestReviewHandler(t *testing.T) {
	denyFrame := func(msg string) frame {
		return frame{Type: "ERROR", RequestId: "r", ErrorCode: 406, ErrorMessage: msg}
	}
	delivered := func(content string, attrs map[string]string) frame {
		return frame{Type: "MESSAGE", RequestId: "r", Content: content, Attributes: attrs,
			Sender: &sender{UserId: "alice", Attributes: map[string]string{"badge": "vip"}}}
	}
	original := map[string]string{"color": "red"}
	tests := []struct {
		name     string
		fallback types.FallbackResult
		noURI    bool
		handler  ReviewHandler // nil: none registered
		timeout  time.Duration
		want     frame
		reviewed bool // the handler must have been called
	}{
		{name: "allow", handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{ReviewResult: ReviewAllow}, nil
		}, want: delivered("hello", original), reviewed: true},
		{name: "rewrite", handler: func(_ context.Context, r ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{ReviewResult: ReviewAllow, Content: "h***o", Attributes: map[string]string{"filtered": "true"}}, nil
		}, want: delivered("h***o", map[string]string{"filtered": "true"}), reviewed: true},
		{name: "deny", handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{ReviewResult: ReviewDeny, Reason: "rude"}, nil
		}, want: denyFrame("Message rejected during message review: rude"), reviewed: true},
		{name: "error falls back to allow", handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{}, errors.New("boom")
		}, want: delivered("hello", original), reviewed: true},
		{name: "error falls back to deny", fallback: types.FallbackResultDeny, handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{}, errors.New("boom")
		}, want: denyFrame("Message rejected during message review"), reviewed: true},
		{name: "invalid result", handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{ReviewResult: "MAYBE", Content: "ignored"}, nil
		}, want: delivered("hello", original), reviewed: true},
		{name: "panic", fallback: types.FallbackResultDeny, handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			panic("handler bug")
		}, want: denyFrame("Message rejected during message review"), reviewed: true},
		{name: "timeout falls back to deny", fallback: types.FallbackResultDeny, timeout: time.Millisecond,
			handler: func(ctx context.Context, _ ReviewRequest) (ReviewResponse, error) {
				<-ctx.Done()
				return ReviewResponse{ReviewResult: ReviewAllow}, nil
			}, want: denyFrame("Message rejected during message review"), reviewed: true},
		{name: "timeout falls back to allow", timeout: time.Millisecond,
			handler: func(ctx context.Context, _ ReviewRequest) (ReviewResponse, error) {
				<-ctx.Done()
				return ReviewResponse{ReviewResult: ReviewDeny}, nil
			}, want: delivered("hello", original), reviewed: true},
		{name: "no handler registered", fallback: types.FallbackResultDeny, want: denyFrame("Message rejected during message review")},
		{name: "room without handler", noURI: true, handler: func(context.Context, ReviewRequest) (ReviewResponse, error) {
			return ReviewResponse{ReviewResult: ReviewDeny}, nil
		}, want: delivered("hello", original)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			in := &ivschat.CreateRoomInput{}
			if !tt.noURI {
				in.MessageReviewHandler = &types.MessageReviewHandler{Uri: aws.String(reviewURI), FallbackResult: tt.fallback}
			}
			arn := aws.ToString(f.createRoom(t, in).Arn)
			var (
				mu   sync.Mutex
				seen []ReviewRequest
			)
			if tt.handler != nil {
				f.svc.SetReviewHandler(func(ctx context.Context, r ReviewRequest) (ReviewResponse, error) {
					mu.Lock()
					seen = append(seen, r)
					mu.Unlock()
					return tt.handler(ctx, r)
				})
			}
			timeout := tt.timeout
			if timeout == 0 {
				// Generous, so that a loaded machine cannot turn an answer
				// into a timeout.
				timeout = waitLimit
			}
			f.svc.SetReviewTimeout(timeout)
			alice := f.dial(t, f.token(t, arn, "alice", map[string]string{"badge": "vip"}, capSend))
			viewer := f.dial(t, f.token(t, arn, "viewer", nil))

			alice.send(map[string]any{"Action": "SEND_MESSAGE", "RequestId": "r", "Content": "hello", "Attributes": original})
			got := alice.next()
			checkFrame(t, "sender", tt.want, got)

			mu.Lock()
			reqs := append([]ReviewRequest(nil), seen...)
			mu.Unlock()
			if !tt.reviewed {
				if len(reqs) != 0 {
					t.Errorf("handler called %d times, want 0", len(reqs))
				}
			} else {
				msgID := ""
				if len(reqs) == 1 {
					msgID = reqs[0].MessageId
				}
				want := []ReviewRequest{{Content: "hello", MessageId: msgID, RoomArn: arn, Attributes: original,
					Sender: ReviewSender{UserId: "alice", Attributes: map[string]string{"badge": "vip"}, Ip: "127.0.0.1"}}}
				if diff := cmp.Diff(want, reqs); diff != "" {
					t.Errorf("review requests mismatch (-want +got):\n%s", diff)
				}
				if !frameIDRe.MatchString(msgID) {
					t.Errorf("MessageId %q is not 12 alphanumerics", msgID)
				}
				if got.Type == "MESSAGE" && got.Id != msgID {
					t.Errorf("delivered Id %q, reviewed MessageId %q", got.Id, msgID)
				}
			}

			// The viewer sees the delivered message, or nothing: the next
			// frame it sees is the event sent afterwards.
			if _, err := f.client.SendEvent(context.Background(), &ivschat.SendEventInput{RoomIdentifier: aws.String(arn), EventName: aws.String("after")}); err != nil {
				t.Fatal(err)
			}
			if tt.want.Type == "MESSAGE" {
				checkFrame(t, "viewer", tt.want, viewer.next())
			}
			if next := viewer.next(); next.EventName != "after" {
				t.Errorf("viewer got %+v, want the event sent after the message", next)
			}
		})
	}
}

func TestSetReviewTimeout(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ set, want time.Duration }{
		{time.Second, time.Second},
		{0, DefaultReviewTimeout},
		{-time.Second, DefaultReviewTimeout},
	} {
		f.svc.SetReviewTimeout(tt.set)
		f.svc.mu.Lock()
		got := f.svc.reviewTimeout
		f.svc.mu.Unlock()
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SetReviewTimeout(%v) mismatch (-want +got):\n%s", tt.set, diff)
		}
	}
}
