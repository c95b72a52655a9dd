package chatsvc

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

var (
	roomARNRe    = regexp.MustCompile(`^arn:aws:ivschat:us-east-1:123456789012:room/[a-zA-Z0-9]{12}$`)
	regexpLogARN = regexp.MustCompile(`^arn:aws:ivschat:us-east-1:123456789012:logging-configuration/[a-zA-Z0-9]{12}$`)
)

// roomView is the comparable part of a room as the SDK returns it.
type roomView struct {
	Name                string
	MaxLength, MaxRate  int32
	Handler             *types.MessageReviewHandler
	Logging             []string
	Tags                map[string]string
	CreateTime, Updated time.Time
}

var ignoreHandlerNoCopy = cmpopts.IgnoreUnexported(types.MessageReviewHandler{})

func viewOfGet(o *ivschat.GetRoomOutput) roomView {
	return roomView{aws.ToString(o.Name), aws.ToInt32(o.MaximumMessageLength), aws.ToInt32(o.MaximumMessageRatePerSecond),
		o.MessageReviewHandler, o.LoggingConfigurationIdentifiers, o.Tags, aws.ToTime(o.CreateTime), aws.ToTime(o.UpdateTime)}
}

func TestRoomLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	t0 := f.clock.Now()

	created := f.createRoom(t, &ivschat.CreateRoomInput{Name: aws.String("lobby"), Tags: map[string]string{"owner": "u1"}})
	arn, id := aws.ToString(created.Arn), aws.ToString(created.Id)
	if !roomARNRe.MatchString(arn) || !strings.HasSuffix(arn, "/"+id) {
		t.Fatalf("CreateRoom arn %q id %q: not a room ARN of this account", arn, id)
	}
	want := roomView{Name: "lobby", MaxLength: 500, MaxRate: 10, Logging: []string{}, Tags: map[string]string{"owner": "u1"}, CreateTime: t0, Updated: t0}
	got := roomView{aws.ToString(created.Name), aws.ToInt32(created.MaximumMessageLength), aws.ToInt32(created.MaximumMessageRatePerSecond),
		created.MessageReviewHandler, created.LoggingConfigurationIdentifiers, created.Tags, aws.ToTime(created.CreateTime), aws.ToTime(created.UpdateTime)}
	if diff := cmp.Diff(want, got, ignoreHandlerNoCopy); diff != "" {
		t.Errorf("CreateRoom mismatch (-want +got):\n%s", diff)
	}
	if !f.svc.HasRoom(arn) || f.svc.HasRoom(arn+"x") {
		t.Errorf("HasRoom(%q) = false or HasRoom of another ARN = true", arn)
	}
	if tags, ok := f.env.Tags.Get(arn); !ok || tags["owner"] != "u1" {
		t.Errorf("tag registry has %v, %v for the room", tags, ok)
	}

	for _, ident := range []string{arn, id} {
		g, err := f.client.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: aws.String(ident)})
		if err != nil {
			t.Fatalf("GetRoom(%s): %v", ident, err)
		}
		if diff := cmp.Diff(want, viewOfGet(g), ignoreHandlerNoCopy); diff != "" {
			t.Errorf("GetRoom(%s) mismatch (-want +got):\n%s", ident, diff)
		}
	}

	f.clock.Add(time.Minute)
	logARN := f.createLogging(t, "logs")
	handlerURI := "arn:aws:lambda:us-east-1:123456789012:function:review"
	up, err := f.client.UpdateRoom(ctx, &ivschat.UpdateRoomInput{
		Identifier:                      aws.String(arn),
		Name:                            aws.String("lobby-2"),
		MaximumMessageLength:            aws.Int32(140),
		MaximumMessageRatePerSecond:     aws.Int32(5),
		MessageReviewHandler:            &types.MessageReviewHandler{Uri: aws.String(handlerURI), FallbackResult: types.FallbackResultDeny},
		LoggingConfigurationIdentifiers: []string{logARN},
	})
	if err != nil {
		t.Fatalf("UpdateRoom: %v", err)
	}
	want = roomView{Name: "lobby-2", MaxLength: 140, MaxRate: 5,
		Handler: &types.MessageReviewHandler{Uri: aws.String(handlerURI), FallbackResult: types.FallbackResultDeny},
		Logging: []string{logARN}, Tags: map[string]string{"owner": "u1"}, CreateTime: t0, Updated: t0.Add(time.Minute)}
	got = roomView{aws.ToString(up.Name), aws.ToInt32(up.MaximumMessageLength), aws.ToInt32(up.MaximumMessageRatePerSecond),
		up.MessageReviewHandler, up.LoggingConfigurationIdentifiers, up.Tags, aws.ToTime(up.CreateTime), aws.ToTime(up.UpdateTime)}
	if diff := cmp.Diff(want, got, ignoreHandlerNoCopy); diff != "" {
		t.Errorf("UpdateRoom mismatch (-want +got):\n%s", diff)
	}

	// An empty URI removes the handler; other members stay.
	up, err = f.client.UpdateRoom(ctx, &ivschat.UpdateRoomInput{
		Identifier:           aws.String(id),
		MessageReviewHandler: &types.MessageReviewHandler{Uri: aws.String("")},
	})
	if err != nil {
		t.Fatalf("UpdateRoom clearing the handler: %v", err)
	}
	if up.MessageReviewHandler != nil || aws.ToString(up.Name) != "lobby-2" || aws.ToInt32(up.MaximumMessageLength) != 140 {
		t.Errorf("after clearing the handler: handler %v, name %q, max length %d; want nil, lobby-2, 140",
			up.MessageReviewHandler, aws.ToString(up.Name), aws.ToInt32(up.MaximumMessageLength))
	}

	if _, err := f.client.DeleteRoom(ctx, &ivschat.DeleteRoomInput{Identifier: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteRoom: %v", err)
	}
	if f.svc.HasRoom(arn) {
		t.Error("HasRoom after DeleteRoom = true")
	}
	if _, ok := f.env.Tags.Get(arn); ok {
		t.Error("tag registry still knows the deleted room")
	}
	calls := f.env.Calls.List()
	if last := calls[len(calls)-1]; last.Operation != "DeleteRoom" || last.Status != 204 {
		t.Errorf("last call = %+v, want DeleteRoom with status 204", last)
	}
}

func TestRoomNotFound(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	missing := "arn:aws:ivschat:us-east-1:123456789012:room/abcdefABCDEF"
	otherAccount := "arn:aws:ivschat:us-east-1:999999999999:room/abcdefABCDEF"
	calls := map[string]func(ident string) error{
		"GetRoom": func(id string) error {
			_, err := f.client.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: aws.String(id)})
			return err
		},
		"UpdateRoom": func(id string) error {
			_, err := f.client.UpdateRoom(ctx, &ivschat.UpdateRoomInput{Identifier: aws.String(id)})
			return err
		},
		"DeleteRoom": func(id string) error {
			_, err := f.client.DeleteRoom(ctx, &ivschat.DeleteRoomInput{Identifier: aws.String(id)})
			return err
		},
		"CreateChatToken": func(id string) error {
			_, err := f.client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: aws.String(id), UserId: aws.String("u")})
			return err
		},
		"SendEvent": func(id string) error {
			_, err := f.client.SendEvent(ctx, &ivschat.SendEventInput{RoomIdentifier: aws.String(id), EventName: aws.String("e")})
			return err
		},
		"DeleteMessage": func(id string) error {
			_, err := f.client.DeleteMessage(ctx, &ivschat.DeleteMessageInput{RoomIdentifier: aws.String(id), Id: aws.String("abcdefABCDEF")})
			return err
		},
		"DisconnectUser": func(id string) error {
			_, err := f.client.DisconnectUser(ctx, &ivschat.DisconnectUserInput{RoomIdentifier: aws.String(id), UserId: aws.String("u")})
			return err
		},
	}
	for name, call := range calls {
		for _, ident := range []string{missing, otherAccount, "abcdefABCDEF"} {
			t.Run(name+"/"+ident, func(t *testing.T) {
				err := call(ident)
				var nf *types.ResourceNotFoundException
				if !errors.As(err, &nf) {
					t.Fatalf("error = %v, want ResourceNotFoundException", err)
				}
				want := []string{"abcdefABCDEF", "ROOM"}
				got := []string{aws.ToString(nf.ResourceId), string(nf.ResourceType)}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("resourceId/resourceType mismatch (-want +got):\n%s", diff)
				}
				if nf.ErrorMessage() == "" {
					t.Error("empty message")
				}
			})
		}
	}
}

// validationFields returns the reason and field names of a
// ValidationException, failing the test for any other error.
func validationFields(t *testing.T, err error) (string, []string) {
	t.Helper()
	var ve *types.ValidationException
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want ValidationException", err)
	}
	var names []string
	for _, f := range ve.FieldList {
		names = append(names, aws.ToString(f.Name))
		if aws.ToString(f.Message) == "" {
			t.Errorf("field %s has no message", aws.ToString(f.Name))
		}
	}
	return string(ve.Reason), names
}

func TestRoomValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	room := f.createRoom(t, nil)
	manyTags := map[string]string{}
	for i := range 51 {
		manyTags[fmt.Sprint("k", i)] = "v"
	}
	logARN := func(i int) string {
		return fmt.Sprintf("arn:aws:ivschat:us-east-1:123456789012:logging-configuration/abcDEF12345%d", i)
	}
	tests := []struct {
		name   string
		create *ivschat.CreateRoomInput
		update *ivschat.UpdateRoomInput
		fields []string
	}{
		{name: "bad name", create: &ivschat.CreateRoomInput{Name: aws.String("no spaces")}, fields: []string{"name"}},
		{name: "long name", create: &ivschat.CreateRoomInput{Name: aws.String(strings.Repeat("a", 129))}, fields: []string{"name"}},
		{name: "length 0", create: &ivschat.CreateRoomInput{MaximumMessageLength: aws.Int32(0)}, fields: []string{"maximumMessageLength"}},
		{name: "length 501", create: &ivschat.CreateRoomInput{MaximumMessageLength: aws.Int32(501)}, fields: []string{"maximumMessageLength"}},
		{name: "rate 0", create: &ivschat.CreateRoomInput{MaximumMessageRatePerSecond: aws.Int32(0)}, fields: []string{"maximumMessageRatePerSecond"}},
		{name: "rate 101", create: &ivschat.CreateRoomInput{MaximumMessageRatePerSecond: aws.Int32(101)}, fields: []string{"maximumMessageRatePerSecond"}},
		{name: "handler uri", create: &ivschat.CreateRoomInput{MessageReviewHandler: &types.MessageReviewHandler{Uri: aws.String("https://example.com")}}, fields: []string{"messageReviewHandler.uri"}},
		{name: "fallback", create: &ivschat.CreateRoomInput{MessageReviewHandler: &types.MessageReviewHandler{
			Uri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:f"), FallbackResult: "MAYBE"}}, fields: []string{"messageReviewHandler.fallbackResult"}},
		{name: "logging count", create: &ivschat.CreateRoomInput{LoggingConfigurationIdentifiers: []string{logARN(1), logARN(2), logARN(3), logARN(4)}}, fields: []string{"loggingConfigurationIdentifiers"}},
		{name: "logging arn", create: &ivschat.CreateRoomInput{LoggingConfigurationIdentifiers: []string{"nope"}}, fields: []string{"loggingConfigurationIdentifiers"}},
		{name: "tags", create: &ivschat.CreateRoomInput{Tags: manyTags}, fields: []string{"tags"}},
		{name: "two fields", create: &ivschat.CreateRoomInput{MaximumMessageLength: aws.Int32(0), MaximumMessageRatePerSecond: aws.Int32(0)},
			fields: []string{"maximumMessageLength", "maximumMessageRatePerSecond"}},
		{name: "update rate", update: &ivschat.UpdateRoomInput{Identifier: room.Arn, MaximumMessageRatePerSecond: aws.Int32(1000)}, fields: []string{"maximumMessageRatePerSecond"}},
		{name: "update bad identifier", update: &ivschat.UpdateRoomInput{Identifier: aws.String("arn:aws:ivs:us-east-1:123456789012:channel/abc")}, fields: []string{"identifier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.create != nil {
				_, err = f.client.CreateRoom(ctx, tt.create)
			} else {
				_, err = f.client.UpdateRoom(ctx, tt.update)
			}
			reason, fields := validationFields(t, err)
			if diff := cmp.Diff("FIELD_VALIDATION_FAILED", reason); diff != "" {
				t.Errorf("reason mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fieldList mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListRooms(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	handler := "arn:aws:lambda:us-east-1:123456789012:function:review"
	byName := map[string][]string{}
	var withHandler []string
	for i := range 7 {
		name := []string{"red", "blue"}[i%2]
		in := &ivschat.CreateRoomInput{Name: aws.String(name)}
		if i < 3 {
			in.MessageReviewHandler = &types.MessageReviewHandler{Uri: aws.String(handler)}
		}
		out := f.createRoom(t, in)
		byName[name] = append(byName[name], aws.ToString(out.Arn))
		if i < 3 {
			withHandler = append(withHandler, aws.ToString(out.Arn))
		}
	}
	all := append(append([]string(nil), byName["red"]...), byName["blue"]...)

	list := func(t *testing.T, in ivschat.ListRoomsInput) (arns []string, pages int) {
		t.Helper()
		p := ivschat.NewListRoomsPaginator(f.client, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListRooms: %v", err)
			}
			pages++
			for _, r := range out.Rooms {
				arns = append(arns, aws.ToString(r.Arn))
				if r.CreateTime == nil || r.Id == nil {
					t.Errorf("summary %s lacks createTime or id", aws.ToString(r.Arn))
				}
			}
		}
		return arns, pages
	}
	sorted := func(s []string) []string {
		s = append([]string(nil), s...)
		sort.Strings(s)
		return s
	}
	tests := []struct {
		name      string
		in        ivschat.ListRoomsInput
		want      []string
		wantPages int
	}{
		{"all in one page", ivschat.ListRoomsInput{}, all, 1},
		{"pages of 3", ivschat.ListRoomsInput{MaxResults: aws.Int32(3)}, all, 3},
		{"pages of 1", ivschat.ListRoomsInput{MaxResults: aws.Int32(1)}, all, 7},
		{"by name", ivschat.ListRoomsInput{Name: aws.String("blue"), MaxResults: aws.Int32(2)}, byName["blue"], 2},
		{"by handler", ivschat.ListRoomsInput{MessageReviewHandlerUri: aws.String(handler)}, withHandler, 1},
		{"no match", ivschat.ListRoomsInput{Name: aws.String("green")}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pages := list(t, tt.in)
			// Rooms come in ID order; compare as sets, and check that paging
			// neither repeats nor drops a room.
			if diff := cmp.Diff(sorted(tt.want), sorted(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rooms mismatch (-want +got):\n%s", diff)
			}
			if pages != tt.wantPages {
				t.Errorf("pages = %d, want %d", pages, tt.wantPages)
			}
		})
	}

	for _, in := range []ivschat.ListRoomsInput{
		{MaxResults: aws.Int32(51)},
		{MaxResults: aws.Int32(0)},
		{NextToken: aws.String("!!!")},
	} {
		_, err := f.client.ListRooms(ctx, &in)
		reason, _ := validationFields(t, err)
		if reason != "FIELD_VALIDATION_FAILED" {
			t.Errorf("ListRooms(%+v) reason = %q", in, reason)
		}
	}
}

func TestFaultInjection(t *testing.T) {
	f := newFixture(t)
	room := f.createRoom(t, nil)
	f.env.Faults.Add(emu.Fault{Operation: "GetRoom", Error: "ThrottlingException", Count: 1})
	_, err := f.client.GetRoom(context.Background(), &ivschat.GetRoomInput{Identifier: room.Arn})
	// GetRoom does not model ThrottlingException, so the SDK returns it as
	// a generic API error.
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
		t.Fatalf("GetRoom with an armed fault: %v, want ThrottlingException", err)
	}
	if _, err := f.client.GetRoom(context.Background(), &ivschat.GetRoomInput{Identifier: room.Arn}); err != nil {
		t.Fatalf("GetRoom after the fault was used: %v", err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.createRoom(t, &ivschat.CreateRoomInput{Name: aws.String("a"), Tags: map[string]string{"k": "v"},
		MessageReviewHandler: &types.MessageReviewHandler{Uri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:f")}})
	logARN := f.createLogging(t, "l")
	b := f.createRoom(t, &ivschat.CreateRoomInput{Name: aws.String("b"), MaximumMessageLength: aws.Int32(7), LoggingConfigurationIdentifiers: []string{logARN}})
	state, err := f.svc.MarshalState()
	if err != nil {
		t.Fatalf("MarshalState: %v", err)
	}
	var before []roomView
	for _, arn := range []*string{a.Arn, b.Arn} {
		g, err := f.client.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: arn})
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, viewOfGet(g))
	}

	g := newFixture(t) // a fresh emulator: new service, new tag registry
	if err := g.svc.UnmarshalState(state); err != nil {
		t.Fatalf("UnmarshalState: %v", err)
	}
	var after []roomView
	for _, arn := range []*string{a.Arn, b.Arn} {
		out, err := g.client.GetRoom(ctx, &ivschat.GetRoomInput{Identifier: arn})
		if err != nil {
			t.Fatalf("GetRoom after restore: %v", err)
		}
		after = append(after, viewOfGet(out))
	}
	if diff := cmp.Diff(before, after, ignoreHandlerNoCopy); diff != "" {
		t.Errorf("rooms after restore mismatch (-want +got):\n%s", diff)
	}
	if _, err := g.client.GetLoggingConfiguration(ctx, &ivschat.GetLoggingConfigurationInput{Identifier: aws.String(logARN)}); err != nil {
		t.Errorf("GetLoggingConfiguration after restore: %v", err)
	}
	if tags, ok := g.env.Tags.Get(aws.ToString(a.Arn)); !ok || tags["k"] != "v" {
		t.Errorf("restored tags = %v, %v; want k=v", tags, ok)
	}
	if err := g.svc.UnmarshalState([]byte(`{"version":99}`)); err == nil {
		t.Error("UnmarshalState accepted an unknown version")
	}

	g.svc.Reset()
	if g.svc.HasRoom(aws.ToString(a.Arn)) {
		t.Error("room survived Reset")
	}
	if _, ok := g.env.Tags.Get(aws.ToString(a.Arn)); ok {
		t.Error("tags survived Reset")
	}
}
