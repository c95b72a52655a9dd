package reviewlambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/chat/reviewlambda"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

const roomArn = "arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl"

// TestHandler invokes the Lambda handler with the payload IVS Chat sends
// and checks the JSON it answers.
func TestHandler(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	owner := &ugc.User{ID: "u1", Username: "owner1", Email: "owner1@example.com", Channel: ugc.Channel{ChatRoomArn: roomArn}}
	if err := st.CreateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBlockedTerms(ctx, owner.ID, []string{"bad", "buy now"}); err != nil {
		t.Fatal(err)
	}
	payload := func(room, content string) []byte {
		return []byte(`{"Content":` + quote(content) + `,"MessageId":"ABCDEFGHIJKL","RoomArn":` + quote(room) +
			`,"Attributes":{"color":"blue"},"Sender":{"Attributes":{"displayName":"viewer1"},"UserId":"u2","Ip":"192.0.2.1"}}`)
	}
	tests := []struct {
		name    string
		mask    bool
		payload []byte
		want    string
	}{
		{"allow", false, payload(roomArn, "hello there"), `{"ReviewResult":"ALLOW"}`},
		{"deny", false, payload(roomArn, "so BAD"), `{"ReviewResult":"DENY","Reason":"message contains a blocked term"}`},
		{"deny phrase", false, payload(roomArn, "buy... NOW"), `{"ReviewResult":"DENY","Reason":"message contains a blocked term"}`},
		{"mask", true, payload(roomArn, "so bad!"), `{"ReviewResult":"ALLOW","Content":"so ***!"}`},
		{"other room", false, payload("arn:aws:ivschat:us-east-1:123456789012:room/zzzzzzzzzzzz", "bad"), `{"ReviewResult":"ALLOW"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := chat.NewReviewer(chat.ReviewerOptions{Store: st, Mask: tt.mask})
			if err != nil {
				t.Fatal(err)
			}
			out, err := reviewlambda.Handler(r).Invoke(ctx, tt.payload)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(out)); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type failing struct{}

func (failing) Review(context.Context, chat.ReviewRequest) (chat.ReviewResponse, error) {
	return chat.ReviewResponse{}, errors.New("store down")
}

// TestHandlerError: a failure is the invocation's error, so IVS Chat
// applies the room's fallback result.
func TestHandlerError(t *testing.T) {
	_, err := reviewlambda.Handler(failing{}).Invoke(context.Background(), []byte(`{"Content":"x","RoomArn":"`+roomArn+`"}`))
	if err == nil {
		t.Fatal("Invoke: nil error, want the review's error")
	}
	_, err = reviewlambda.Handler(failing{}).Invoke(context.Background(), []byte(`not json`))
	if err == nil {
		t.Fatal("Invoke(not json): nil error")
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
