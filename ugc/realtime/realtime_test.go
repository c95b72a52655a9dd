package realtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
	"golang.org/x/sync/errgroup"
)

var drivers = []string{"memstore", "sqlstore"}

func TestNewRequiredOptions(t *testing.T) {
	_, err := realtime.New(realtime.Options{InviteKey: []byte("short")})
	for _, field := range []string{"Store", "Stages", "InviteKey", "ProjectTag"} {
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("New without %s: error %v does not name it", field, err)
		}
	}
}

func TestTagsMatchChannels(t *testing.T) {
	got := []string{realtime.TagProject, realtime.TagOwner, realtime.TagCreatedAt}
	want := []string{channels.TagProject, channels.TagOwner, channels.TagCreatedAt}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tag keys mismatch (-want +got):\n%s", diff)
	}
}

// Twenty users racing for seats with one invite get exactly 11.
func TestSeatRace(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			host := e.register("host0")
			guests := e.users("guest", 20)
			e.start(host)
			ctx := context.Background()
			inv, err := e.svc.CreateInvite(ctx, host.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			codes := make([]string, len(guests))
			toks := make([]*realtime.Token, len(guests))
			var g errgroup.Group
			for i, u := range guests {
				g.Go(func() error {
					tok, err := e.svc.PublishToken(ctx, u.ID, "host0", inv.Code)
					codes[i], toks[i] = code(err), tok
					return nil
				})
			}
			_ = g.Wait()
			counts := map[string]int{}
			for _, c := range codes {
				counts[c]++
			}
			if diff := cmp.Diff(map[string]int{"": 11, "stage_full": 9}, counts); diff != "" {
				t.Fatalf("outcomes mismatch (-want +got):\n%s", diff)
			}
			if n := e.seats(host); n != 11 {
				t.Errorf("seats held = %d, want 11", n)
			}
			// The winners join and publish; with the host that is 12 publishers.
			var first string
			for _, tok := range toks {
				if tok == nil {
					continue
				}
				pid := e.join(host, tok)
				if err := e.srv.PublishParticipant(ugc.ChannelID(host.Channel.StageArn), pid); err != nil {
					t.Fatalf("publish: %v", err)
				}
				if first == "" {
					first = pid
				}
			}
			// One leaves: its seat is free again, and exactly one more fits.
			if err := e.srv.LeaveStage(ugc.ChannelID(host.Channel.StageArn), first); err != nil {
				t.Fatal(err)
			}
			if n := e.seats(host); n != 10 {
				t.Errorf("seats after a leave = %d, want 10", n)
			}
			var got []string
			for i, u := range guests {
				if toks[i] != nil {
					continue
				}
				_, err := e.svc.PublishToken(ctx, u.ID, "host0", inv.Code)
				got = append(got, code(err))
			}
			want := append([]string{""}, slicesRepeat("stage_full", 8)...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after a leave mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// A reserved seat whose participant never joins frees itself after the
// join window; a late join with that token is disconnected.
func TestJoinWindow(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	guests := e.users("guest", 12)
	e.start(host)
	ctx := context.Background()
	inv, _ := e.svc.CreateInvite(ctx, host.ID, 0)
	var late *realtime.Token
	for i, u := range guests[:11] {
		tok, err := e.svc.PublishToken(ctx, u.ID, "host0", inv.Code)
		if err != nil {
			t.Fatalf("guest %d: %v", i, err)
		}
		if i == 0 {
			late = tok
		} else {
			e.join(host, tok)
		}
	}
	if _, err := e.svc.PublishToken(ctx, guests[11].ID, "host0", inv.Code); code(err) != "stage_full" {
		t.Fatalf("12th guest: %v, want stage_full", err)
	}
	e.clock.Advance(2*time.Minute + time.Second)
	if _, err := e.svc.PublishToken(ctx, guests[11].ID, "host0", inv.Code); err != nil {
		t.Fatalf("after the join window: %v", err)
	}
	pid := e.join(host, late)
	if got := e.state(host, pid); got != "DISCONNECTED" {
		t.Errorf("late joiner without a seat is %s, want DISCONNECTED", got)
	}
}

// A kicked user is refused for the cool-off, then allowed again.
func TestKickCooloff(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	guest := e.register("guest0")
	e.start(host)
	ctx := context.Background()
	inv, _ := e.svc.CreateInvite(ctx, host.ID, 0)
	tok, err := e.svc.PublishToken(ctx, guest.ID, "host0", inv.Code)
	if err != nil {
		t.Fatal(err)
	}
	pid := e.join(host, tok)
	if err := e.svc.Kick(ctx, host.ID, pid); err != nil {
		t.Fatalf("Kick: %v", err)
	}
	if got := e.state(host, pid); got != "DISCONNECTED" {
		t.Errorf("kicked participant is %s", got)
	}
	if n := e.seats(host); n != 0 {
		t.Errorf("seats after the kick = %d, want 0", n)
	}
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "kicked"},
		{4 * time.Minute, "kicked"},
		{time.Minute + time.Second, ""},
	}
	for _, st := range steps {
		e.clock.Advance(st.advance)
		_, err := e.svc.PublishToken(ctx, guest.ID, "host0", inv.Code)
		if got := code(err); got != st.want {
			t.Errorf("after +%v: PublishToken code %q, want %q (%v)", st.advance, got, st.want, err)
		}
		if st.want == "kicked" {
			if _, err := e.svc.RequestJoin(ctx, guest.ID, "host0"); code(err) != "kicked" {
				t.Errorf("after +%v: RequestJoin %v, want kicked", st.advance, err)
			}
		}
	}
	ns, err := e.svc.Notifications(ctx, guest.ID, 0)
	if err != nil || len(ns) != 1 || ns[0].Type != realtime.EventKicked {
		t.Errorf("guest notifications = %+v, %v; want one %s", ns, err, realtime.EventKicked)
	}
	// The host's own participant cannot be kicked.
	ps, _ := e.svc.Participants(ctx, host.ID)
	for _, p := range ps {
		if p.Role == realtime.RoleHost && p.State == "CONNECTED" {
			if err := e.svc.Kick(ctx, host.ID, p.ParticipantID); ugc.KindOf(err) != ugc.ErrInvalidArgument {
				t.Errorf("kicking the host: %v, want invalid argument", err)
			}
		}
	}
}

// The request state machine, with notifications on both sides; an
// accepted request mints exactly one token, even under concurrency.
func TestJoinRequests(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			host := e.register("host0")
			alice, bob, carol := e.register("alice"), e.register("bobby"), e.register("carol")
			ctx := context.Background()
			if _, err := e.svc.RequestJoin(ctx, alice.ID, "host0"); code(err) != "stage_offline" {
				t.Fatalf("offline request: %v", err)
			}
			e.start(host)
			ra, err := e.svc.RequestJoin(ctx, alice.ID, "host0")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.RequestJoin(ctx, alice.ID, "host0"); code(err) != "request_pending" {
				t.Errorf("second request: %v, want request_pending", err)
			}
			if _, err := e.svc.RequestJoin(ctx, host.ID, "host0"); ugc.KindOf(err) != ugc.ErrInvalidArgument {
				t.Errorf("own stage: %v", err)
			}
			rb, _ := e.svc.RequestJoin(ctx, bob.ID, "host0")
			rc, _ := e.svc.RequestJoin(ctx, carol.ID, "host0")

			// Only the host decides, and only on their own channel.
			if err := e.svc.AcceptRequest(ctx, bob.ID, ra.ID); ugc.KindOf(err) != ugc.ErrNotFound {
				t.Errorf("accept by another user: %v, want not found", err)
			}
			// Before acceptance: no token.
			if _, err := e.svc.PublishToken(ctx, alice.ID, "host0", ""); code(err) != "not_invited" {
				t.Errorf("pending request mints: %v", err)
			}
			if err := e.svc.AcceptRequest(ctx, host.ID, ra.ID); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.AcceptRequest(ctx, host.ID, ra.ID); code(err) != "request_state" {
				t.Errorf("accept twice: %v", err)
			}
			if err := e.svc.RejectRequest(ctx, host.ID, rb.ID); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.RevokeRequest(ctx, carol.ID, "host0"); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.RevokeRequest(ctx, carol.ID, "host0"); err != nil {
				t.Errorf("revoke twice: %v", err)
			}
			if err := e.svc.AcceptRequest(ctx, host.ID, rc.ID); code(err) != "request_state" {
				t.Errorf("accept a revoked request: %v", err)
			}
			if _, err := e.svc.PublishToken(ctx, bob.ID, "host0", ""); code(err) != "not_invited" {
				t.Errorf("rejected request mints: %v", err)
			}

			// Alice's accepted request: five concurrent mints, one token.
			var mu sync.Mutex
			var ok []*realtime.Token
			var g errgroup.Group
			for range 5 {
				g.Go(func() error {
					tok, err := e.svc.PublishToken(ctx, alice.ID, "host0", "")
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						ok = append(ok, tok)
					}
					return nil
				})
			}
			_ = g.Wait()
			if len(ok) != 1 {
				t.Fatalf("%d tokens from one accepted request, want 1", len(ok))
			}
			pid := e.join(host, ok[0])
			if err := e.srv.LeaveStage(ugc.ChannelID(host.Channel.StageArn), pid); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.PublishToken(ctx, alice.ID, "host0", ""); code(err) != "not_invited" {
				t.Errorf("used request mints again: %v", err)
			}

			reqs, err := e.svc.Requests(ctx, host.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, r := range reqs {
				got[r.Username] = r.Status
			}
			if diff := cmp.Diff(map[string]string{"alice": "accepted", "bobby": "rejected", "carol": "revoked"}, got); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}

			// Notifications: the host saw three requests and one revoke;
			// each requester saw their decision.
			want := map[string][]string{
				host.ID:  {realtime.EventRequestCreated, realtime.EventRequestCreated, realtime.EventRequestCreated, realtime.EventRequestRevoked},
				alice.ID: {realtime.EventRequestAccepted},
				bob.ID:   {realtime.EventRequestRejected},
				carol.ID: nil,
			}
			for id, types := range want {
				ns, err := e.svc.Notifications(ctx, id, 0)
				if err != nil {
					t.Fatal(err)
				}
				var gotTypes []string
				for _, n := range ns {
					gotTypes = append(gotTypes, n.Type)
				}
				if diff := cmp.Diff(types, gotTypes); diff != "" {
					t.Errorf("notifications of %s mismatch (-want +got):\n%s", id, diff)
				}
			}
			ns, _ := e.svc.Notifications(ctx, host.ID, 0)
			var info realtime.RequestInfo
			if err := json.Unmarshal(ns[0].Data, &info); err != nil || info.Username != "alice" || info.ID != ra.ID || info.Color != alice.Color {
				t.Errorf("request notification data = %s (%v)", ns[0].Data, err)
			}
		})
	}
}

// Pending requests expire after 10 minutes; an expired one can be filed again.
func TestRequestExpiry(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	alice := e.register("alice")
	e.start(host)
	ctx := context.Background()
	r1, err := e.svc.RequestJoin(ctx, alice.ID, "host0")
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Minute)
	if err := e.svc.AcceptRequest(ctx, host.ID, r1.ID); code(err) != "request_state" {
		t.Errorf("accept an expired request: %v", err)
	}
	r2, err := e.svc.RequestJoin(ctx, alice.ID, "host0")
	if err != nil {
		t.Fatalf("request after expiry: %v", err)
	}
	got, _ := e.st.GetJoinRequest(ctx, r1.ID)
	if got.Status != ugc.RequestExpired || r2.ID == r1.ID {
		t.Errorf("first request is %s, second %s", got.Status, r2.ID)
	}
}

// Forged, tampered, foreign, expired and revoked invites are refused.
func TestInvites(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	other := e.register("other")
	guest := e.register("guest0")
	e.start(host)
	ctx := context.Background()
	inv, err := e.svc.CreateInvite(ctx, host.ID, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := e.svc.CreateInvite(ctx, other.ID, 0)
	revoked, _ := e.svc.CreateInvite(ctx, host.ID, 0)
	if err := e.svc.RevokeInvite(ctx, host.ID, revoked.ID); err != nil {
		t.Fatal(err)
	}
	// A replica with another key cannot vouch for the code.
	forger := e.newService(func(o *realtime.Options) { o.InviteKey = []byte(strings.Repeat("k", 32)) })
	forged, _ := forger.CreateInvite(ctx, host.ID, 0)
	ver, rest, _ := strings.Cut(inv.Code, ".")
	payload, sig, _ := strings.Cut(rest, ".")
	tampered := ver + "." + payload + "." + strings.Repeat("A", len(sig))
	tests := []struct {
		name, code, want string
	}{
		{"forged", forged.Code, "invalid_invite"},
		{"tampered", tampered, "invalid_invite"},
		{"foreign", foreign.Code, "invalid_invite"},
		{"revoked", revoked.Code, "invalid_invite"},
		{"garbage", "hello", "invalid_invite"},
		{"no invite", "", "not_invited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.PublishToken(ctx, guest.ID, "host0", tt.code)
			if got := code(err); got != tt.want {
				t.Errorf("code %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
	for _, ttl := range []time.Duration{time.Second, 8 * 24 * time.Hour} {
		if _, err := e.svc.CreateInvite(ctx, host.ID, ttl); ugc.FieldOf(err) != "expiresInSeconds" {
			t.Errorf("CreateInvite(%v): %v", ttl, err)
		}
	}
	e.clock.Advance(10 * time.Minute)
	if _, err := e.svc.PublishToken(ctx, guest.ID, "host0", inv.Code); code(err) != "invalid_invite" {
		t.Errorf("expired invite: %v", err)
	}
}

// Spectators: anyone while live, never when banned or offline.
func TestSpectators(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	viewer, banned := e.register("viewer"), e.register("banned")
	ctx := context.Background()
	if _, err := e.svc.SpectatorToken(ctx, "", "host0"); code(err) != "stage_offline" {
		t.Errorf("offline: %v", err)
	}
	e.start(host)
	if err := e.st.PutBan(ctx, ugc.Ban{ChannelUserID: host.ID, UserID: banned.ID, CreatedAt: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	anon, err := e.svc.SpectatorToken(ctx, "", "host0")
	if err != nil {
		t.Fatal(err)
	}
	signed, err := e.svc.SpectatorToken(ctx, viewer.ID, "host0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SpectatorToken(ctx, banned.ID, "host0"); code(err) != "banned" {
		t.Errorf("banned: %v", err)
	}
	if _, err := e.svc.RequestJoin(ctx, banned.ID, "host0"); code(err) != "banned" {
		t.Errorf("banned request: %v", err)
	}
	for _, tok := range []*realtime.Token{anon, signed} {
		pid := e.join(host, tok)
		// Subscribe only: publishing is refused by IVS.
		if err := e.srv.PublishParticipant(ugc.ChannelID(host.Channel.StageArn), pid); err == nil {
			t.Errorf("a spectator published")
		}
	}
	ps, err := e.svc.Participants(ctx, host.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s/%s/%s", p.Role, p.Username, p.State))
	}
	want := []string{"host/host0/CONNECTED", "spectator//CONNECTED", "spectator/viewer/CONNECTED"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("participants mismatch (-want +got):\n%s", diff)
	}
}

// Attributes carry the profile and role within IVS's limit.
func TestAttributes(t *testing.T) {
	e := newEnv(t, "memstore")
	u := e.register("host0")
	got := e.svc.Attributes(u, realtime.RoleGuest)
	want := map[string]string{"username": "host0", "color": u.Color, "avatar": u.Avatar, "avatarUrl": "", "role": "guest"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attributes mismatch (-want +got):\n%s", diff)
	}
	long := e.newService(func(o *realtime.Options) {
		o.AvatarURL = func(*ugc.User) string { return "https://x/" + strings.Repeat("a", 2000) }
	})
	if a := long.Attributes(u, realtime.RoleGuest); a["avatarUrl"] != "" || a["username"] != "host0" {
		t.Errorf("a 2 KB avatar URL was not dropped: %d bytes", len(a["avatarUrl"]))
	}
	if diff := cmp.Diff(map[string]string{"role": "spectator"}, e.svc.Attributes(nil, realtime.RoleSpectator)); diff != "" {
		t.Errorf("anonymous attributes mismatch (-want +got):\n%s", diff)
	}
}

// Ending disconnects everyone, clears the live index and is idempotent;
// tokens minted before the end cannot join afterwards.
func TestEndSession(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	guest, other := e.register("guest0"), e.register("guest1")
	hs := e.start(host)
	ctx := context.Background()
	live, _ := e.st.GetLive(ctx, host.ID)
	if len(live) != 1 || live[0].Kind != ugc.LiveRealTime || live[0].Ref != hs.Session.ID {
		t.Fatalf("live index = %+v", live)
	}
	// Starting again rejoins the same session with fresh tokens.
	hs2, err := e.svc.StartSession(ctx, host.ID)
	if err != nil || hs2.Session.ID != hs.Session.ID || hs2.Host.ParticipantID == hs.Host.ParticipantID {
		t.Fatalf("second StartSession: %+v, %v", hs2, err)
	}
	inv, _ := e.svc.CreateInvite(ctx, host.ID, 0)
	tok, _ := e.svc.PublishToken(ctx, guest.ID, "host0", inv.Code)
	pid := e.join(host, tok)
	unused, _ := e.svc.PublishToken(ctx, other.ID, "host0", inv.Code)
	for range 2 {
		if err := e.svc.EndSession(ctx, host.ID); err != nil {
			t.Fatalf("EndSession: %v", err)
		}
	}
	if live, _ := e.st.GetLive(ctx, host.ID); len(live) != 0 {
		t.Errorf("live index after end = %+v", live)
	}
	if _, err := e.st.ActiveStageSession(ctx, host.ID); ugc.KindOf(err) != ugc.ErrNotFound {
		t.Errorf("active session after end: %v", err)
	}
	sid := ugc.ChannelID(host.Channel.StageArn)
	if err := e.srv.PublishParticipant(sid, pid); err == nil {
		t.Errorf("a guest publishes after the end")
	}
	late, err := e.srv.JoinStage(sid, unused.Token.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.PublishParticipant(sid, late); err == nil {
		t.Errorf("a token minted before the end publishes after it")
	}
	if _, err := e.svc.PublishToken(ctx, guest.ID, "host0", inv.Code); code(err) != "stage_offline" {
		t.Errorf("after the end: %v", err)
	}
}

// Two Service instances on one store behave as one: seats, requests and
// notifications cross replicas.
func TestReplicas(t *testing.T) {
	e := newEnv(t, "sqlstore")
	a, b := e.svc, e.newService()
	host := e.register("host0")
	guests := e.users("guest", 14)
	e.start(host)
	ctx := context.Background()
	inv, _ := a.CreateInvite(ctx, host.ID, 0)
	var mu sync.Mutex
	won := 0
	var g errgroup.Group
	for i, u := range guests {
		svc := []*realtime.Service{a, b}[i%2]
		g.Go(func() error {
			if _, err := svc.PublishToken(ctx, u.ID, "host0", inv.Code); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			} else if code(err) != "stage_full" {
				return err
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if won != 11 {
		t.Errorf("%d seats across two replicas, want 11", won)
	}
	viewer := e.register("viewer")
	r, err := a.RequestJoin(ctx, viewer.ID, "host0")
	if err != nil {
		t.Fatal(err)
	}
	// The host's stream on replica b sees the request filed on a (by
	// polling the store), and the decision made on b reaches a's stream.
	got := collect(t, b, host.ID, 1)
	if got[0].Type != realtime.EventRequestCreated {
		t.Errorf("b's stream got %s", got[0].Type)
	}
	done := make(chan []ugc.Notification)
	go func() { done <- collect(t, a, viewer.ID, 1) }()
	if err := b.AcceptRequest(ctx, host.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	if n := <-done; n[0].Type != realtime.EventRequestAccepted {
		t.Errorf("a's stream got %s", n[0].Type)
	}
	if err := b.EndSession(ctx, host.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SpectatorToken(ctx, "", "host0"); code(err) != "stage_offline" {
		t.Errorf("a after b ended: %v", err)
	}
}

// collect reads n notifications from svc's stream of userID, resuming
// from the start.
func collect(t *testing.T, svc *realtime.Service, userID string, n int) []ugc.Notification {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []ugc.Notification
	err := svc.Stream(ctx, userID, 0, true, func(batch []ugc.Notification) error {
		got = append(got, batch...)
		if len(got) >= n {
			cancel()
		}
		return nil
	})
	if len(got) < n {
		t.Errorf("stream of %s: got %d notifications (%v), want %d", userID, len(got), err, n)
		return make([]ugc.Notification, n)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].Seq < got[j].Seq })
	return got
}

// The host's screen share takes one of the 11 guest seats while
// connected, and is disconnected when none is free.
func TestScreenShareSeat(t *testing.T) {
	e := newEnv(t, "memstore")
	host := e.register("host0")
	guests := e.users("guest", 11)
	hs := e.start(host)
	ctx := context.Background()
	stage := ugc.ChannelID(host.Channel.StageArn)
	screen, err := e.srv.JoinStage(stage, hs.ScreenShare.Token.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := e.svc.CreateInvite(ctx, host.ID, 0)
	var codes []string
	for _, u := range guests {
		_, err := e.svc.PublishToken(ctx, u.ID, "host0", inv.Code)
		codes = append(codes, code(err))
	}
	if diff := cmp.Diff(append(slicesRepeat("", 10), "stage_full"), codes); diff != "" {
		t.Errorf("with the screen share on mismatch (-want +got):\n%s", diff)
	}
	if err := e.srv.LeaveStage(stage, screen); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PublishToken(ctx, guests[10].ID, "host0", inv.Code); err != nil {
		t.Errorf("after the screen share left: %v", err)
	}
	// All 11 seats are taken: a new screen share is turned away.
	again, err := e.svc.StartSession(ctx, host.ID)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := e.srv.JoinStage(stage, again.ScreenShare.Token.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	if got := e.state(host, pid); got != "DISCONNECTED" {
		t.Errorf("screen share on a full stage is %s, want DISCONNECTED", got)
	}
}
