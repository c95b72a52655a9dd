package emu

import (
	"maps"
	"sync"
)

// Tags holds the tags of every taggable resource, keyed by ARN. A resource
// is known to the tag operations from Register until Forget.
type Tags struct {
	mu   sync.Mutex
	byID map[string]map[string]string
}

// NewTags returns an empty registry.
func NewTags() *Tags { return &Tags{byID: map[string]map[string]string{}} }

// Register records a new resource with its initial tags.
func (t *Tags) Register(arn string, tags map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := map[string]string{}
	maps.Copy(m, tags)
	t.byID[arn] = m
}

// Forget removes a deleted resource.
func (t *Tags) Forget(arn string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byID, arn)
}

// Get returns a copy of the resource's tags and whether it exists.
func (t *Tags) Get(arn string) (map[string]string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, ok := t.byID[arn]
	if !ok {
		return nil, false
	}
	return maps.Clone(m), true
}

// Set merges tags into the resource's tags; false when it does not exist.
func (t *Tags) Set(arn string, tags map[string]string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, ok := t.byID[arn]
	if !ok {
		return false
	}
	maps.Copy(m, tags)
	return true
}

// Remove deletes the given keys; false when the resource does not exist.
func (t *Tags) Remove(arn string, keys []string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, ok := t.byID[arn]
	if !ok {
		return false
	}
	for _, k := range keys {
		delete(m, k)
	}
	return true
}

// Snapshot returns a copy of every resource's tags, for the state file.
func (t *Tags) Snapshot() map[string]map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]map[string]string, len(t.byID))
	for k, v := range t.byID {
		out[k] = maps.Clone(v)
	}
	return out
}

// Reset forgets every resource.
func (t *Tags) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byID = map[string]map[string]string{}
}

// ValidateTags checks a tag map as the IVS services do: at most 50 tags,
// keys of 1-128 characters, values of at most 256 characters.
func ValidateTags(tags map[string]string) *Error {
	if len(tags) > 50 {
		return Validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have at most 50 entries")
	}
	for k, v := range tags {
		if len(k) < 1 || len(k) > 128 {
			return Validation("1 validation error detected: tag key %q must have length between 1 and 128", k)
		}
		if len(v) > 256 {
			return Validation("1 validation error detected: value of tag %q must have length at most 256", k)
		}
	}
	return nil
}
