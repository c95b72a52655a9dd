package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// The conformance suite (storetest) runs every driver against bad IDs, nil
// pointers and oversize text and data. These cases cover the rest of the
// entity checks: the fields it does not try, and the limits themselves.

var (
	overID   = strings.Repeat("x", store.MaxIDLen+1)
	overText = strings.Repeat("x", store.MaxTextLen+1)
	badUTF8  = "bad\xff"
)

func TestEntityChecksRefuse(t *testing.T) {
	user := func(edit func(u *ugc.User)) *ugc.User {
		u := &ugc.User{ID: "u", Username: "name", Email: "a@example.com"}
		edit(u)
		return u
	}
	job := func(data map[string]string) *ugc.Job { return &ugc.Job{Kind: "k", ID: "j", Data: data} }
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"User color", store.CheckUser(user(func(u *ugc.User) { u.Color = overText })), "color"},
		{"User avatar", store.CheckUser(user(func(u *ugc.User) { u.Avatar = badUTF8 })), "avatar"},
		{"User assets", store.CheckUser(user(func(u *ugc.User) { u.Assets.BannerVersion = badUTF8 })), "assets.banner_version"},
		{"User channel", store.CheckUser(user(func(u *ugc.User) { u.Channel.StageArn = overText })), "channel.stage_arn"},
		{"User stream key", store.CheckUser(user(func(u *ugc.User) { u.Channel.StreamKey = ugc.StreamKey(badUTF8) })), "channel.stream_key"},
		{"Credentials empty hash", store.CheckCredentials(ugc.Credentials{UserID: "u"}), "password_hash"},
		{"Credentials long hash", store.CheckCredentials(ugc.Credentials{UserID: "u", PasswordHash: overText}), "password_hash"},
		{"Job step", store.CheckJob(&ugc.Job{Kind: "k", ID: "j", Step: overID}), "step"},
		{"Job data key", store.CheckJob(job(map[string]string{badUTF8: "v"})), "data"},
		{"Job data value", store.CheckJob(job(map[string]string{"k": badUTF8})), "data"},
		{"Job data one byte over", store.CheckJob(job(map[string]string{"k": strings.Repeat("v", store.MaxDataLen)})), "data"},
		{"LiveEntry ref", store.CheckLiveEntry(ugc.LiveEntry{UserID: "u", Kind: ugc.LiveRealTime, Ref: overID}), "ref"},
		{"StreamSession channel_arn", store.CheckStreamSession(&ugc.StreamSession{ID: "s", UserID: "u", ChannelArn: overID}), "channel_arn"},
		{"StreamSession ingest_configuration", store.CheckStreamSession(&ugc.StreamSession{ID: "s", UserID: "u",
			IngestConfiguration: make([]byte, store.MaxDataLen+1)}), "ingest_configuration"},
		{"StreamEvent type", store.CheckStreamEvent(ugc.StreamEvent{ID: "e", SessionID: "s", Type: overID}), "type"},
		{"StreamEvent name", store.CheckStreamEvent(ugc.StreamEvent{ID: "e", SessionID: "s", Name: badUTF8}), "name"},
		{"StreamEvent code", store.CheckStreamEvent(ugc.StreamEvent{ID: "e", SessionID: "s", Code: overID}), "code"},
		{"StreamEvent reason", store.CheckStreamEvent(ugc.StreamEvent{ID: "e", SessionID: "s", Reason: overText}), "reason"},
		{"Ban banned_by", store.CheckBan(ugc.Ban{ChannelUserID: "c", UserID: "u", BannedBy: overID}), "banned_by"},
		{"BlockedTerms empty term", store.CheckBlockedTerms([]string{"a", ""}), "terms"},
		{"Rule event_name", store.CheckRule(ugc.Rule{ID: "r", ChannelUserID: "c", EventName: overID}), "event_name"},
		{"Rule preset_type", store.CheckRule(ugc.Rule{ID: "r", ChannelUserID: "c", PresetType: badUTF8}), "preset_type"},
		{"Rule negative delay", store.CheckRule(ugc.Rule{ID: "r", ChannelUserID: "c", Delay: -time.Second}), "delay"},
		{"StageSession stage_arn", store.CheckStageSession(&ugc.StageSession{ID: "s", ChannelUserID: "c", StageArn: overID}), "stage_arn"},
		{"StageSession host_participant_id", store.CheckStageSession(&ugc.StageSession{ID: "s", ChannelUserID: "c",
			HostParticipantID: badUTF8}), "host_participant_id"},
		{"Seat participant_id", store.CheckSeat(ugc.Seat{SessionID: "s", UserID: "u", ParticipantID: overID}), "participant_id"},
		{"SeatReservation max 0", store.CheckSeatReservation(ugc.Seat{SessionID: "s", UserID: "u"}, 0), "max"},
		{"JoinRequest status", store.CheckJoinRequest(&ugc.JoinRequest{ID: "r", ChannelUserID: "c", UserID: "u", Status: overID}), "status"},
		{"NotificationsQuery negative after", e1(store.CheckNotificationsQuery("u", -1, 0)), "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, ugc.ErrInvalidArgument) {
				t.Fatalf("error = %v, want one wrapping ErrInvalidArgument", tt.err)
			}
			if got := ugc.FieldOf(tt.err); got != tt.field {
				t.Errorf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestEntityChecksAccept(t *testing.T) {
	full := strings.Repeat("v", store.MaxDataLen-1)
	tests := []struct {
		name string
		err  error
	}{
		{"User with text fields of MaxTextLen bytes", store.CheckUser(&ugc.User{ID: "u", Username: "n", Email: "e",
			Color: overText[1:], Channel: ugc.Channel{TrackingID: overText[1:]}})},
		{"Job data of exactly MaxDataLen bytes", store.CheckJob(&ugc.Job{Kind: "k", ID: "j", Data: map[string]string{"k": full}})},
		{"Job with no data", store.CheckJob(&ugc.Job{Kind: "k", ID: "j"})},
		{"LiveEntry with no ref", store.CheckLiveEntry(ugc.LiveEntry{UserID: "u", Kind: ugc.LiveLowLatency})},
		{"no blocked terms", store.CheckBlockedTerms(nil)},
		{"Rule with no delay", store.CheckRule(ugc.Rule{ID: "r", ChannelUserID: "c"})},
		{"SeatReservation of one seat", store.CheckSeatReservation(ugc.Seat{SessionID: "s", UserID: "u"}, 1)},
		{"Vote for option 0", store.CheckVote(ugc.Vote{PollID: "p", UserID: "u"})},
	}
	for _, tt := range tests {
		if tt.err != nil {
			t.Errorf("%s: %v", tt.name, tt.err)
		}
	}
}

func TestCheckNotificationsQueryLimit(t *testing.T) {
	for limit, want := range map[int]int{0: store.DefaultPageLimit, 1: 1, store.MaxPageLimit: store.MaxPageLimit} {
		got, err := store.CheckNotificationsQuery("u", 0, limit)
		if err != nil || got != want {
			t.Errorf("CheckNotificationsQuery(limit %d) = %d, %v; want %d, nil", limit, got, err, want)
		}
	}
}

func e1[T any](_ T, err error) error { return err }
