package chat_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// TestBanDisconnectsAtOnce: a ban closes every connection of the banned
// user right away, tells the room, and from then on the user gets no token
// and no playback URL.
func TestBanDisconnectsAtOnce(t *testing.T) {
	var hooked []ugc.Ban
	e := newEnv(t, func(o *chat.Options) {
		o.OnBan = func(_ context.Context, b ugc.Ban) { hooked = append(hooked, b) }
	})
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	other := e.register("other1")
	first := e.connect("owner1", viewer.ID)
	second := e.connect("owner1", viewer.ID)
	bystander := e.connect("owner1", other.ID)

	b, err := e.svc.Ban(ctx, owner.ID, owner.ID, chat.BanInput{Username: "Viewer1", Reason: "spam"})
	if err != nil {
		t.Fatal(err)
	}
	want := &ugc.Ban{ChannelUserID: owner.ID, UserID: viewer.ID, Reason: "spam", BannedBy: owner.ID, CreatedAt: e.clock.Now()}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("Ban mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]ugc.Ban{*want}, hooked); diff != "" {
		t.Errorf("OnBan calls mismatch (-want +got):\n%s", diff)
	}
	wantEvent := map[string]string{"UserId": viewer.ID, "Reason": "spam"}
	for i, c := range []*wsClient{first, second} {
		f := c.nextOf("EVENT")
		if f.EventName != "aws:DISCONNECT_USER" || cmp.Diff(wantEvent, f.Attributes) != "" {
			t.Errorf("connection %d: got %+v, want aws:DISCONNECT_USER %v", i, f, wantEvent)
		}
		if got := c.closed(); got != websocket.StatusNormalClosure {
			t.Errorf("connection %d closed with %v, want 1000", i, got)
		}
	}
	if f := bystander.nextOf("EVENT"); f.EventName != "aws:DISCONNECT_USER" || f.Attributes["UserId"] != viewer.ID {
		t.Errorf("bystander: got %+v, want the disconnect event naming %s", f, viewer.ID)
	}
	bystander.send("still here")
	if f := bystander.nextOf("MESSAGE"); f.Content != "still here" {
		t.Errorf("bystander: got %+v, want its message", f)
	}

	_, err = e.svc.Token(ctx, "owner1", viewer.ID)
	if errCode(err) != "banned" || kindOf(err) != ugc.ErrPermissionDenied.Error() {
		t.Errorf("Token after the ban: %v, want permission denied with code banned", err)
	}
	page, err := e.channels.ChannelPage(ctx, "owner1", viewer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !page.IsViewerBanned || page.PlaybackURL != "" {
		t.Errorf("channel page: banned %v, playback URL %q; want banned and no URL", page.IsViewerBanned, page.PlaybackURL)
	}
	role, err := e.svc.Role(ctx, owner.ID, viewer.ID)
	if err != nil || role != chat.RoleBanned {
		t.Errorf("Role = %v, %v; want banned", role, err)
	}

	if err := e.svc.Unban(ctx, owner.ID, owner.ID, "viewer1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Token(ctx, "owner1", viewer.ID); err != nil {
		t.Errorf("Token after the unban: %v", err)
	}
	if err := e.svc.Unban(ctx, owner.ID, owner.ID, "viewer1"); err != nil {
		t.Errorf("second Unban: %v, want nil (idempotent)", err)
	}
}

// TestTimedBanExpires: a 2 s ban ends by itself when the clock passes it.
func TestTimedBanExpires(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	viewer := e.register("viewer1")
	start := e.clock.Now()
	b, err := e.svc.Ban(ctx, owner.ID, owner.ID, chat.BanInput{Username: "viewer1", Duration: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(2 * time.Second); !b.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", b.ExpiresAt, want)
	}
	steps := []struct {
		advance    time.Duration
		wantErr    string
		wantListed int
		wantBanned bool
	}{
		{0, "banned", 1, true},
		{1999 * time.Millisecond, "banned", 1, true},
		{time.Millisecond, "", 0, false},
		{time.Hour, "", 0, false},
	}
	for _, st := range steps {
		e.clock.Add(st.advance)
		at := e.clock.Now().Sub(start)
		_, err := e.svc.Token(ctx, "owner1", viewer.ID)
		list, _, lerr := e.svc.Bans(ctx, owner.ID, owner.ID, store.Page{})
		if lerr != nil {
			t.Fatal(lerr)
		}
		page, perr := e.channels.ChannelPage(ctx, "owner1", viewer.ID)
		if perr != nil {
			t.Fatal(perr)
		}
		got := fmt.Sprintf("token %q, listed %d, page banned %v", errCode(err), len(list), page.IsViewerBanned)
		want := fmt.Sprintf("token %q, listed %d, page banned %v", st.wantErr, st.wantListed, st.wantBanned)
		if got != want {
			t.Errorf("at +%v: %s, want %s", at, got, want)
		}
	}
}

func TestBanValidation(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	e.register("viewer1")
	long := make([]rune, chat.MaxReasonLen+1)
	for i := range long {
		long[i] = 'é'
	}
	tests := []struct {
		name      string
		in        chat.BanInput
		wantCode  string
		wantField string
	}{
		{"too short", chat.BanInput{Username: "viewer1", Duration: time.Millisecond}, "invalid_argument", "durationSeconds"},
		{"too long", chat.BanInput{Username: "viewer1", Duration: chat.MaxBanDuration + time.Second}, "invalid_argument", "durationSeconds"},
		{"negative", chat.BanInput{Username: "viewer1", Duration: -time.Second}, "invalid_argument", "durationSeconds"},
		{"reason too long", chat.BanInput{Username: "viewer1", Reason: string(long)}, "invalid_argument", "reason"},
		{"unknown user", chat.BanInput{Username: "nobody"}, "user_not_found", "username"},
		{"self", chat.BanInput{Username: "owner1"}, "self_moderation", "username"},
		{"14 days", chat.BanInput{Username: "viewer1", Duration: chat.MaxBanDuration}, "", ""},
		{"1 s", chat.BanInput{Username: "viewer1", Duration: time.Second}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Ban(ctx, owner.ID, owner.ID, tt.in)
			if errCode(err) != tt.wantCode || ugc.FieldOf(err) != tt.wantField {
				t.Errorf("Ban: %v (code %q, field %q), want code %q field %q", err, errCode(err), ugc.FieldOf(err), tt.wantCode, tt.wantField)
			}
		})
	}
}

// TestModeratorPowers: who may delete, kick and ban whom.
func TestModeratorPowers(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	mod := e.register("mod1")
	mod2 := e.register("mod2")
	viewer := e.register("viewer1")
	other := e.register("other1")
	for _, m := range []string{"mod1", "mod2"} {
		if err := e.svc.AddModerator(ctx, owner.ID, m); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("delete message", func(t *testing.T) {
		sender := e.connect("owner1", viewer.ID)
		watcher := e.connect("owner1", other.ID)
		sender.send("rude words")
		msg := watcher.nextOf("MESSAGE")
		if err := e.svc.DeleteMessage(ctx, mod.ID, owner.ID, msg.ID, "rude"); err != nil {
			t.Fatal(err)
		}
		f := watcher.nextOf("EVENT")
		if f.EventName != "aws:DELETE_MESSAGE" || f.Attributes["MessageID"] != msg.ID || f.Attributes["Reason"] != "rude" {
			t.Errorf("watcher: got %+v, want aws:DELETE_MESSAGE of %s", f, msg.ID)
		}
		err := e.svc.DeleteMessage(ctx, viewer.ID, owner.ID, msg.ID, "")
		if errCode(err) != "not_moderator" {
			t.Errorf("DeleteMessage by a viewer: %v, want not_moderator", err)
		}
		err = e.svc.DeleteMessage(ctx, mod.ID, owner.ID, "bad id!", "")
		if ugc.FieldOf(err) != "messageId" {
			t.Errorf("DeleteMessage with a bad ID: %v, want an error naming messageId", err)
		}
	})

	t.Run("kick", func(t *testing.T) {
		c := e.connect("owner1", viewer.ID)
		if err := e.svc.Kick(ctx, mod.ID, owner.ID, "viewer1", "cool off"); err != nil {
			t.Fatal(err)
		}
		if f := c.nextOf("EVENT"); f.EventName != "aws:DISCONNECT_USER" || f.Attributes["Reason"] != "cool off" {
			t.Errorf("got %+v, want aws:DISCONNECT_USER with the reason", f)
		}
		c.closed()
		// A kick is not a ban: the user comes straight back.
		back := e.connect("owner1", viewer.ID)
		back.send("back")
		if f := back.nextOf("MESSAGE"); f.Content != "back" {
			t.Errorf("after the kick: got %+v", f)
		}
	})

	tests := []struct {
		name   string
		actor  string
		action string // ban or kick
		target string
		want   string // error code, "" for success
	}{
		{"moderator cannot ban the owner", mod.ID, "ban", "owner1", "target_is_owner"},
		{"moderator cannot kick the owner", mod.ID, "kick", "owner1", "target_is_owner"},
		{"moderator cannot ban a moderator", mod.ID, "ban", "mod2", "target_is_moderator"},
		{"moderator cannot kick a moderator", mod.ID, "kick", "mod2", "target_is_moderator"},
		{"viewer cannot ban", viewer.ID, "ban", "other1", "not_moderator"},
		{"anonymous cannot kick", "", "kick", "other1", "not_moderator"},
		{"moderator cannot ban themselves", mod.ID, "ban", "mod1", "self_moderation"},
		{"moderator bans a viewer", mod.ID, "ban", "other1", ""},
		{"banned user cannot kick", other.ID, "kick", "viewer1", "not_moderator"},
		{"owner bans a moderator", owner.ID, "ban", "mod2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.action == "ban" {
				_, err = e.svc.Ban(ctx, tt.actor, owner.ID, chat.BanInput{Username: tt.target})
			} else {
				err = e.svc.Kick(ctx, tt.actor, owner.ID, tt.target, "")
			}
			if errCode(err) != tt.want {
				t.Errorf("%s %s: %v (code %q), want code %q", tt.action, tt.target, err, errCode(err), tt.want)
			}
		})
	}
	// The owner's ban of mod2 revoked the moderator.
	if role, err := e.svc.Role(ctx, owner.ID, mod2.ID); err != nil || role != chat.RoleBanned {
		t.Errorf("mod2 after the owner's ban: %v, %v; want banned", role, err)
	}
	mods, _, err := e.svc.Moderators(ctx, owner.ID, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 1 || mods[0].Username != "mod1" || mods[0].UserID != mod.ID {
		t.Errorf("Moderators = %+v, want only mod1", mods)
	}
	if err := e.svc.AddModerator(ctx, owner.ID, "mod2"); errCode(err) != "user_banned" {
		t.Errorf("AddModerator of a banned user: %v, want user_banned", err)
	}
	if err := e.svc.AddModerator(ctx, owner.ID, "owner1"); errCode(err) != "self_moderation" {
		t.Errorf("AddModerator of the owner: %v, want self_moderation", err)
	}
}

// TestRemoveModeratorDisconnects: a revoked moderator's connections carry
// moderator capabilities, so they are closed.
func TestRemoveModeratorDisconnects(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	mod := e.register("mod1")
	if err := e.svc.AddModerator(ctx, owner.ID, "mod1"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AddModerator(ctx, owner.ID, "mod1"); err != nil {
		t.Errorf("AddModerator again: %v, want nil (idempotent)", err)
	}
	c := e.connect("owner1", mod.ID)
	if err := e.svc.RemoveModerator(ctx, owner.ID, "mod1"); err != nil {
		t.Fatal(err)
	}
	if got := c.closed(); got != websocket.StatusNormalClosure {
		t.Errorf("closed with %v, want 1000", got)
	}
	tok := e.token("owner1", mod.ID)
	if diff := cmp.Diff([]string{chat.CapSendMessage}, tok.Capabilities); diff != "" {
		t.Errorf("capabilities after revocation mismatch (-want +got):\n%s", diff)
	}
	if err := e.svc.RemoveModerator(ctx, owner.ID, "mod1"); err != nil {
		t.Errorf("RemoveModerator again: %v, want nil", err)
	}
}

// TestBansList: pages, usernames of the banned and of who banned.
func TestBansList(t *testing.T) {
	e := newEnv(t)
	owner := e.register("owner1")
	mod := e.register("mod1")
	if err := e.svc.AddModerator(ctx, owner.ID, "mod1"); err != nil {
		t.Fatal(err)
	}
	names := []string{"user01", "user02", "user03"}
	for i, n := range names {
		e.register(n)
		actor := owner.ID
		if i == 1 {
			actor = mod.ID
		}
		in := chat.BanInput{Username: n, Reason: "r" + n}
		if i == 2 {
			in.Duration = time.Hour
		}
		if _, err := e.svc.Ban(ctx, actor, owner.ID, in); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(time.Second)
	}
	type row struct{ Username, Reason, BannedBy, Expires string }
	var got []row
	p := store.Page{Limit: 2}
	pages := 0
	for {
		list, next, err := e.svc.Bans(ctx, mod.ID, owner.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, b := range list {
			exp := ""
			if !b.ExpiresAt.IsZero() {
				exp = b.ExpiresAt.Sub(b.CreatedAt).String()
			}
			got = append(got, row{b.Username, b.Reason, b.BannedByUsername, exp})
		}
		if next == "" {
			break
		}
		p.Cursor = next
	}
	want := []row{
		{"user03", "ruser03", "owner1", "1h0m0s"},
		{"user02", "ruser02", "mod1", ""},
		{"user01", "ruser01", "owner1", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ban list mismatch (-want +got):\n%s", diff)
	}
	if pages != 2 {
		t.Errorf("%d pages, want 2", pages)
	}
	viewer := e.register("viewer1")
	if _, _, err := e.svc.Bans(ctx, viewer.ID, owner.ID, store.Page{}); errCode(err) != "not_moderator" {
		t.Errorf("Bans by a viewer: %v, want not_moderator", err)
	}
}
