package channels

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// TestChannelPageCache checks that with PageCacheTTL a page is at most TTL
// stale, that this replica's own writes show at once, and that the cache
// stays bounded.
func TestChannelPageCache(t *testing.T) {
	e := newEnv(t, "memstore", func(o *Options) { o.PageCacheTTL = time.Second; o.PageCacheEntries = 4 })
	ctx := context.Background()
	owner, viewer := e.register(t, "owner"), e.register(t, "viewer")
	type view struct {
		Live, Following, Banned bool
		Followers               int64
	}
	page := func() view {
		t.Helper()
		pg, err := e.svc.ChannelPage(ctx, "owner", viewer.ID)
		must(t, err)
		return view{pg.IsLive, pg.IsFollowing, pg.IsViewerBanned, pg.FollowerCount}
	}
	steps := []struct {
		name string
		do   func()
		want view
	}{
		{"first read", func() {}, view{}},
		{"another replica's writes are not seen yet", func() {
			must(t, e.st.SetLive(ctx, ugc.LiveEntry{UserID: owner.ID, Kind: ugc.LiveLowLatency, Since: e.clock.Now(), Ref: "r"}))
			must(t, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: owner.ID, UserID: viewer.ID, CreatedAt: e.clock.Now()}))
		}, view{}},
		{"after the TTL they are", func() { e.clock.Advance(time.Second) }, view{Live: true, Banned: true}},
		{"this replica's follow shows at once", func() { must(t, e.svc.Follow(ctx, viewer.ID, "owner")) }, view{Live: true, Following: true, Banned: true, Followers: 1}},
		{"an unban made elsewhere is not seen yet", func() {
			_, err := e.st.DeleteBan(ctx, owner.ID, viewer.ID)
			must(t, err)
		}, view{Live: true, Following: true, Banned: true, Followers: 1}},
		{"ForgetViewer shows it at once", func() { e.svc.ForgetViewer(owner.ID, viewer.ID) }, view{Live: true, Following: true, Followers: 1}},
	}
	for _, st := range steps {
		st.do()
		if diff := cmp.Diff(st.want, page()); diff != "" {
			t.Errorf("%s: page mismatch (-want +got):\n%s", st.name, diff)
		}
	}
	// A rename here is seen at once under both names.
	_, err := e.svc.UpdateProfile(ctx, owner.ID, ProfileUpdate{Username: ptr("renamed")})
	must(t, err)
	if _, err := e.svc.ChannelPage(ctx, "owner", ""); err == nil {
		t.Errorf("old name still served from the cache")
	}
	// Bounded.
	for i := range 10 {
		u := e.register(t, fmt.Sprintf("extra%d", i))
		_, err := e.svc.ChannelPage(ctx, u.Username, viewer.ID)
		must(t, err)
	}
	e.svc.cache.mu.Lock()
	n, m := len(e.svc.cache.owners), len(e.svc.cache.viewers)
	e.svc.cache.mu.Unlock()
	if n > 4 || m > 4 {
		t.Errorf("cache holds %d owners and %d viewer entries, want at most 4 each", n, m)
	}
}
