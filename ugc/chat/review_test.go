package chat_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

// roomHandler returns the review handler URI and fallback of a room.
func (e *env) roomHandler(arn string) (uri, fallback string) {
	e.t.Helper()
	out, err := e.chat.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: aws.String(arn)})
	if err != nil {
		e.t.Fatal(err)
	}
	if h := out.MessageReviewHandler; h != nil {
		return aws.ToString(h.Uri), string(h.FallbackResult)
	}
	return "", ""
}

// TestBlockedTermDenied: a message with a blocked term is refused to its
// sender and never delivered; the room's handler follows the terms.
func TestBlockedTermDenied(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	other := e.register("other1")

	got, err := e.svc.SetBlockedTerms(ctx, owner.ID, []string{"  Bad ", "buy   now", "BAD"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Bad", "buy now"}, got); diff != "" {
		t.Errorf("SetBlockedTerms mismatch (-want +got):\n%s", diff)
	}
	if uri, fb := e.roomHandler(owner.Channel.ChatRoomArn); uri != reviewARN || fb != "ALLOW" {
		t.Errorf("room handler = %q, %q; want %q, ALLOW", uri, fb, reviewARN)
	}
	stored, err := e.svc.BlockedTerms(ctx, owner.ID)
	if err != nil || cmp.Diff(got, stored) != "" {
		t.Errorf("BlockedTerms = %v, %v; want %v", stored, err, got)
	}

	sender := e.connect("owner1", viewer.ID)
	watcher := e.connect("owner1", other.ID)
	for _, blocked := range []string{"this is BAD!", "BUY... now"} {
		sender.send(blocked)
		f := sender.next()
		if f.Type != "ERROR" || f.ErrorCode != 406 || !strings.Contains(f.ErrorMessage, chat.DenyReason) {
			t.Errorf("send %q: got %+v, want ERROR 406 with the reason", blocked, f)
		}
	}
	sender.send("badly fine")
	// The watcher's first message is the clean one: the denied ones were
	// never delivered.
	if f := watcher.nextOf("MESSAGE"); f.Content != "badly fine" {
		t.Errorf("watcher got %q first, want %q", f.Content, "badly fine")
	}

	// Clearing the terms removes the handler and takes effect at once.
	if _, err := e.svc.SetBlockedTerms(ctx, owner.ID, nil); err != nil {
		t.Fatal(err)
	}
	if uri, _ := e.roomHandler(owner.Channel.ChatRoomArn); uri != "" {
		t.Errorf("room handler after clearing = %q, want none", uri)
	}
	sender.send("bad")
	if f := watcher.nextOf("MESSAGE"); f.Content != "bad" {
		t.Errorf("watcher got %q, want %q", f.Content, "bad")
	}
	st, err := e.svc.RoomSettings(ctx, owner.ID)
	if err != nil || st.ReviewHandler {
		t.Errorf("RoomSettings = %+v, %v; want no review handler", st, err)
	}
}

func TestBlockedTermMasked(t *testing.T) {
	e := newEnv(t, func(o *chat.Options) { o.MaskBlockedTerms = true })
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	if _, err := e.svc.SetBlockedTerms(ctx, owner.ID, []string{"bad"}); err != nil {
		t.Fatal(err)
	}
	c := e.connect("owner1", viewer.ID)
	c.send("not Bad at all")
	if f := c.nextOf("MESSAGE"); f.Content != "not *** at all" {
		t.Errorf("delivered %q, want the term masked", f.Content)
	}
}

func TestSetBlockedTermsErrors(t *testing.T) {
	e := newEnv(t, func(o *chat.Options) { o.ReviewHandlerURI = "" })
	owner := e.register("owner1")
	_, err := e.svc.SetBlockedTerms(ctx, owner.ID, []string{"bad"})
	if errCode(err) != "review_handler_unconfigured" || !errors.Is(err, ugc.ErrFailedPrecondition) {
		t.Errorf("SetBlockedTerms without a handler URI: %v, want review_handler_unconfigured", err)
	}
	if _, err := e.svc.SetBlockedTerms(ctx, owner.ID, nil); err != nil {
		t.Errorf("clearing terms without a handler URI: %v", err)
	}
	_, err = e.svc.SetBlockedTerms(ctx, owner.ID, []string{"!!"})
	if ugc.FieldOf(err) != "terms" {
		t.Errorf("SetBlockedTerms([!!]): %v, want an error naming terms", err)
	}
	_, err = e.svc.SetBlockedTerms(ctx, "nobody", []string{"x"})
	if errCode(err) != "review_handler_unconfigured" {
		t.Errorf("SetBlockedTerms(unknown owner): %v", err)
	}
}

// TestEnsureReviewHandler: a room made before terms existed, or changed
// behind the service's back, is repaired, and a foreign handler is kept.
func TestEnsureReviewHandler(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	room := aws.String(owner.Channel.ChatRoomArn)
	if err := e.store.PutBlockedTerms(ctx, owner.ID, []string{"bad"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.EnsureReviewHandler(ctx, owner.ID); err != nil {
		t.Fatal(err)
	}
	if uri, fb := e.roomHandler(*room); uri != reviewARN || fb != "ALLOW" {
		t.Errorf("handler = %q, %q; want ours with ALLOW", uri, fb)
	}
	before := len(e.ivs.Calls())
	if err := e.svc.EnsureReviewHandler(ctx, owner.ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range e.ivs.Calls()[before:] {
		if c.Operation == "UpdateRoom" {
			t.Errorf("EnsureReviewHandler updated a room that was already right")
		}
	}
	foreign := "arn:aws:lambda:us-east-1:123456789012:function:someone-else"
	if _, err := e.chat.UpdateRoom(ctx, &ivschat.UpdateRoomInput{Identifier: room,
		MessageReviewHandler: &types.MessageReviewHandler{Uri: aws.String(foreign)}}); err != nil {
		t.Fatal(err)
	}
	if err := e.store.PutBlockedTerms(ctx, owner.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.EnsureReviewHandler(ctx, owner.ID); err != nil {
		t.Fatal(err)
	}
	if uri, _ := e.roomHandler(*room); uri != foreign {
		t.Errorf("handler = %q, want the foreign one kept", uri)
	}
}

// TestReviewer covers the review contract directly: unknown rooms, the
// cache and its TTL, store failures.
func TestReviewer(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	room := owner.Channel.ChatRoomArn
	if err := e.store.PutBlockedTerms(ctx, owner.ID, []string{"bad"}); err != nil {
		t.Fatal(err)
	}
	fs := &failingStore{TermsStore: e.store}
	r, err := chat.NewReviewer(chat.ReviewerOptions{Store: fs, CacheTTL: time.Minute, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	review := func(roomArn, content string) string {
		t.Helper()
		resp, err := r.Review(ctx, chat.ReviewRequest{RoomArn: roomArn, Content: content})
		if err != nil {
			return "error: " + errCode(err)
		}
		return resp.ReviewResult + " " + resp.Reason
	}
	steps := []struct {
		name string
		do   func()
		room string
		text string
		want string
	}{
		{"blocked", nil, room, "so bad", "DENY " + chat.DenyReason},
		{"clean", nil, room, "so good", "ALLOW "},
		{"unknown room", nil, "arn:aws:ivschat:us-east-1:123456789012:room/nothinghere1", "bad", "ALLOW "},
		{"not an ARN", nil, "room", "bad", "ALLOW "},
		{"cached: a store change is not seen yet", func() { _ = e.store.PutBlockedTerms(ctx, owner.ID, []string{"good"}) }, room, "so good", "ALLOW "},
		{"after the TTL it is", func() { e.clock.Add(time.Minute) }, room, "so good", "DENY " + chat.DenyReason},
		{"Forget drops the cache", func() { _ = e.store.PutBlockedTerms(ctx, owner.ID, nil); r.Forget(room) }, room, "so good", "ALLOW "},
		{"store failure is an error", func() { fs.fail = true; r.Forget(room) }, room, "so good", "error: unavailable"},
	}
	for _, st := range steps {
		if st.do != nil {
			st.do()
		}
		if got := review(st.room, st.text); got != st.want {
			t.Errorf("%s: Review = %q, want %q", st.name, got, st.want)
		}
	}
	if _, err := chat.NewReviewer(chat.ReviewerOptions{}); ugc.FieldOf(err) != "Store" {
		t.Errorf("NewReviewer without a store: %v, want an error naming Store", err)
	}
}

// failingStore fails GetUserByResource when fail is set.
type failingStore struct {
	chat.TermsStore
	fail bool
}

func (f *failingStore) GetUserByResource(ctx context.Context, arn string) (*ugc.User, error) {
	if f.fail {
		return nil, ugc.Errorf(ugc.ErrUnavailable, "store down")
	}
	return f.TermsStore.GetUserByResource(ctx, arn)
}

// TestRoomSettings: the settings reach the room, and the room enforces
// them.
func TestRoomSettings(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	st, err := e.svc.RoomSettings(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&chat.RoomSettings{MaxMessageLength: 500, SlowModeMessagesPerSecond: 10}, st); diff != "" {
		t.Errorf("default settings mismatch (-want +got):\n%s", diff)
	}
	ten, two := 10, 2
	st, err = e.svc.UpdateRoomSettings(ctx, owner.ID, chat.RoomSettingsUpdate{MaxMessageLength: &ten})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&chat.RoomSettings{MaxMessageLength: 10, SlowModeMessagesPerSecond: 10}, st); diff != "" {
		t.Errorf("updated settings mismatch (-want +got):\n%s", diff)
	}
	st, err = e.svc.UpdateRoomSettings(ctx, owner.ID, chat.RoomSettingsUpdate{SlowModeMessagesPerSecond: &two})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&chat.RoomSettings{MaxMessageLength: 10, SlowModeMessagesPerSecond: 2}, st); diff != "" {
		t.Errorf("updated settings mismatch (-want +got):\n%s", diff)
	}
	c := e.connect("owner1", viewer.ID)
	c.send("12345678901")
	if f := c.next(); f.Type != "ERROR" || f.ErrorCode != 413 {
		t.Errorf("an 11-character message: got %+v, want ERROR 413", f)
	}

	bad := []struct {
		in    chat.RoomSettingsUpdate
		field string
	}{
		{chat.RoomSettingsUpdate{MaxMessageLength: aws.Int(0)}, "maxMessageLength"},
		{chat.RoomSettingsUpdate{MaxMessageLength: aws.Int(501)}, "maxMessageLength"},
		{chat.RoomSettingsUpdate{SlowModeMessagesPerSecond: aws.Int(0)}, "slowModeMessagesPerSecond"},
		{chat.RoomSettingsUpdate{SlowModeMessagesPerSecond: aws.Int(101)}, "slowModeMessagesPerSecond"},
	}
	for _, tt := range bad {
		if _, err := e.svc.UpdateRoomSettings(ctx, owner.ID, tt.in); ugc.FieldOf(err) != tt.field {
			t.Errorf("UpdateRoomSettings: %v, want an error naming %s", err, tt.field)
		}
	}
	if _, err := e.svc.RoomSettings(ctx, "nobody"); errCode(err) != "channel_not_found" {
		t.Errorf("RoomSettings(unknown): %v, want channel_not_found", err)
	}
}
