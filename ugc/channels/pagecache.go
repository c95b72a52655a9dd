package channels

import (
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// pageCache keeps the store reads of ChannelPage for a short time
// (Options.PageCacheTTL), so a popular channel polled by many viewers costs
// the store a few reads per TTL. A stale read is harmless and bounded: at
// most TTL old, at most maxEntries entries.
type pageCache struct {
	ttl        time.Duration
	maxEntries int

	mu      sync.Mutex
	owners  map[string]ownerEntry // normalized username →
	viewers map[viewerKey]viewerEntry
}

// ownerEntry is the viewer-independent part of a channel page.
type ownerEntry struct {
	expires   time.Time
	user      *ugc.User
	live      []ugc.LiveEntry
	stage     *ugc.StageSession // nil: none active
	followers int64
}

type viewerKey struct{ owner, viewer string }

// viewerEntry is the viewer-specific part of a channel page.
type viewerEntry struct {
	expires   time.Time
	following bool
	ban       *ugc.Ban // nil: none
}

func newPageCache(ttl time.Duration, maxEntries int) *pageCache {
	if ttl <= 0 {
		return nil
	}
	return &pageCache{ttl: ttl, maxEntries: maxEntries, owners: map[string]ownerEntry{}, viewers: map[viewerKey]viewerEntry{}}
}

func (c *pageCache) owner(key string, now time.Time) (ownerEntry, bool) {
	if c == nil {
		return ownerEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.owners[key]
	if !ok || !now.Before(e.expires) {
		return ownerEntry{}, false
	}
	return e, true
}

func (c *pageCache) putOwner(key string, e ownerEntry, now time.Time) {
	if c == nil {
		return
	}
	e.expires = now.Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.owners) >= c.maxEntries {
		evict(c.owners, now, func(e ownerEntry) time.Time { return e.expires })
	}
	c.owners[key] = e
}

func (c *pageCache) viewer(k viewerKey, now time.Time) (viewerEntry, bool) {
	if c == nil {
		return viewerEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.viewers[k]
	if !ok || !now.Before(e.expires) {
		return viewerEntry{}, false
	}
	return e, true
}

func (c *pageCache) putViewer(k viewerKey, e viewerEntry, now time.Time) {
	if c == nil {
		return
	}
	e.expires = now.Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.viewers) >= c.maxEntries {
		evict(c.viewers, now, func(e viewerEntry) time.Time { return e.expires })
	}
	c.viewers[k] = e
}

// forget drops what this replica cached about a channel (by its username)
// and about the viewer's relation to it, after a local write.
func (c *pageCache) forget(username, ownerID, viewerID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if username != "" {
		delete(c.owners, ugc.NormalizeUsername(username))
	}
	if viewerID != "" {
		delete(c.viewers, viewerKey{ownerID, viewerID})
	}
}

// evict removes the expired entries of m, or, when none has expired, about
// a quarter of them (map order is random).
func evict[K comparable, V any](m map[K]V, now time.Time, expires func(V) time.Time) {
	n := len(m)
	for k, v := range m {
		if !now.Before(expires(v)) {
			delete(m, k)
		}
	}
	if len(m) < n {
		return
	}
	drop := max(1, n/4)
	for k := range m {
		if drop == 0 {
			return
		}
		delete(m, k)
		drop--
	}
}

// ForgetViewer drops what this replica's channel-page cache holds about
// the viewer's relation to the channel (follow, ban), so a change made
// outside this package (a chat ban or unban) shows on the viewer's next
// page read here. Other replicas see it within Options.PageCacheTTL. It
// does nothing when the cache is off.
func (s *Service) ForgetViewer(channelUserID, viewerID string) {
	s.cache.forget("", channelUserID, viewerID)
}
