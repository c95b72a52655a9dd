package ivslocal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// eventQueueSize bounds the events waiting for delivery to the event URL.
const eventQueueSize = 1024

// eventPoster POSTs events to a URL from one goroutine it owns.
type eventPoster struct {
	url     string
	client  *http.Client
	log     *slog.Logger
	q       chan Event
	quit    chan struct{}
	done    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	dropped atomic.Int64
}

func newEventPoster(url string, log *slog.Logger) *eventPoster {
	ctx, cancel := context.WithCancel(context.Background())
	p := &eventPoster{
		url:    url,
		client: &http.Client{Timeout: 10 * time.Second},
		log:    log,
		q:      make(chan Event, eventQueueSize),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
		ctx:    ctx,
		cancel: cancel,
	}
	go p.run()
	return p
}

// enqueue queues ev without blocking; a full queue drops it.
func (p *eventPoster) enqueue(ev Event) {
	select {
	case p.q <- ev:
	default:
		p.dropped.Add(1)
		p.log.Warn("ivslocal: event queue full, event dropped", "detailType", ev.DetailType, "id", ev.ID)
	}
}

func (p *eventPoster) run() {
	defer close(p.done)
	for {
		select {
		case ev := <-p.q:
			p.post(ev)
		case <-p.quit:
			// Deliver what is already queued, then stop; stop bounds this.
			for {
				select {
				case ev := <-p.q:
					p.post(ev)
				default:
					return
				}
			}
		}
	}
}

func (p *eventPoster) post(ev Event) {
	if p.ctx.Err() != nil {
		p.dropped.Add(1)
		return
	}
	b, err := json.Marshal(ev)
	if err != nil {
		p.log.Error("ivslocal: cannot encode event", "err", err)
		return
	}
	req, err := http.NewRequestWithContext(p.ctx, http.MethodPost, p.url, bytes.NewReader(b))
	if err != nil {
		p.log.Error("ivslocal: bad event URL", "url", p.url, "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			err = fmt.Errorf("status %s", resp.Status)
		}
	}
	if err != nil {
		p.dropped.Add(1)
		p.log.Warn("ivslocal: event delivery failed", "url", p.url, "detailType", ev.DetailType, "err", err)
	}
}

// stop delivers the queued events for at most two seconds, then cancels
// what is in flight and waits for the goroutine to return.
func (p *eventPoster) stop() {
	close(p.quit)
	t := time.AfterFunc(2*time.Second, p.cancel)
	<-p.done
	t.Stop()
	p.cancel()
}
