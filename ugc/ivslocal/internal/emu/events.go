package emu

import (
	"sync"
	"time"
)

// Event is an EventBridge event as AWS delivers it to a target.
type Event struct {
	Version    string         `json:"version"`
	ID         string         `json:"id"`
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Account    string         `json:"account"`
	Time       time.Time      `json:"time"`
	Region     string         `json:"region"`
	Resources  []string       `json:"resources"`
	Detail     map[string]any `json:"detail"`
}

// Bus fans events out to subscribers, safe for concurrent use. Subscribers
// are called synchronously, in subscription order, outside the bus lock.
type Bus struct {
	mu   sync.Mutex
	next int
	subs map[int]func(Event)
}

// Subscribe registers fn and returns a function that removes it.
func (b *Bus) Subscribe(fn func(Event)) (cancel func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[int]func(Event){}
	}
	id := b.next
	b.next++
	b.subs[id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs, id)
	}
}

// Emit delivers ev to every subscriber.
func (b *Bus) Emit(ev Event) {
	b.mu.Lock()
	fns := make([]func(Event), 0, len(b.subs))
	for i := 0; i < b.next; i++ {
		if fn, ok := b.subs[i]; ok {
			fns = append(fns, fn)
		}
	}
	b.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

// NewEvent returns an aws.ivs event of the given detail type for the
// resources, stamped with the environment's clock.
func (e *Env) NewEvent(detailType string, resources []string, detail map[string]any) Event {
	return Event{
		Version:    "0",
		ID:         newUUID(),
		DetailType: detailType,
		Source:     "aws.ivs",
		Account:    e.Account,
		Time:       e.Now().UTC().Truncate(time.Second),
		Region:     e.Region,
		Resources:  resources,
		Detail:     detail,
	}
}

// MetricSink receives data points published by simulated streams.
type MetricSink interface {
	// PutPoint stores one point of namespace/name with the given dimensions,
	// at storage resolution res (1 or 60 seconds).
	PutPoint(namespace, name string, dims map[string]string, t time.Time, value float64, unit string, res int)
}
