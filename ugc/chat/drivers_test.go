package chat_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// TestDrivers runs the stateful moderation flow on every store driver:
// the service relies only on the store contract.
func TestDrivers(t *testing.T) {
	drivers := []struct {
		name string
		open func(t *testing.T) store.Store
	}{
		{"memstore", func(t *testing.T) store.Store { return memstore.New() }},
		{"sqlstore", func(t *testing.T) store.Store {
			st, err := sqlstore.OpenMemory(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}},
	}
	for _, d := range drivers {
		t.Run(d.name, func(t *testing.T) {
			st := d.open(t)
			t.Cleanup(func() { _ = st.Close() })
			e := newEnvWith(t, st)
			owner := e.register("owner1")
			mod := e.register("mod1")
			viewer := e.register("viewer1")
			e.register("timed1")
			if err := e.svc.AddModerator(ctx, owner.ID, "mod1"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Ban(ctx, mod.ID, owner.ID, chat.BanInput{Username: "viewer1", Reason: "spam"}); err != nil {
				t.Fatal(err)
			}
			e.clock.Add(time.Second)
			if _, err := e.svc.Ban(ctx, owner.ID, owner.ID, chat.BanInput{Username: "timed1", Duration: 2 * time.Second}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SetBlockedTerms(ctx, owner.ID, []string{"bad"}); err != nil {
				t.Fatal(err)
			}
			listed := func() string {
				list, _, err := e.svc.Bans(ctx, owner.ID, owner.ID, store.Page{})
				if err != nil {
					t.Fatal(err)
				}
				s := ""
				for _, b := range list {
					s += fmt.Sprintf("%s by %s; ", b.Username, b.BannedByUsername)
				}
				return s
			}
			if diff := cmp.Diff("timed1 by owner1; viewer1 by mod1; ", listed()); diff != "" {
				t.Errorf("ban list mismatch (-want +got):\n%s", diff)
			}
			e.clock.Add(2 * time.Second)
			if diff := cmp.Diff("viewer1 by mod1; ", listed()); diff != "" {
				t.Errorf("ban list after the timed ban mismatch (-want +got):\n%s", diff)
			}
			if _, err := e.svc.Token(ctx, "owner1", viewer.ID); errCode(err) != "banned" {
				t.Errorf("Token of the banned viewer: %v, want banned", err)
			}
			resp, err := e.svc.Review(ctx, chat.ReviewRequest{RoomArn: owner.Channel.ChatRoomArn, Content: "so BAD"})
			if err != nil || resp.ReviewResult != chat.ReviewDeny {
				t.Errorf("Review = %+v, %v; want DENY", resp, err)
			}
		})
	}
}
