package accounts

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Message is one email.
type Message struct {
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	SentAt  time.Time `json:"sentAt"`
}

// A Mailer delivers email. Send should not block for long: the password
// reset request waits for it.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Outbox is a Mailer that keeps the last messages in memory instead of
// sending them, for local development and tests. Its zero value keeps
// DefaultOutboxSize messages. It is safe for concurrent use.
type Outbox struct {
	// Size is how many messages are kept (oldest dropped first); 0 means
	// DefaultOutboxSize.
	Size int

	mu   sync.Mutex
	msgs []Message
}

// DefaultOutboxSize is the number of messages an Outbox keeps by default.
const DefaultOutboxSize = 100

// Send appends m to the outbox.
func (o *Outbox) Send(_ context.Context, m Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	size := o.Size
	if size <= 0 {
		size = DefaultOutboxSize
	}
	o.msgs = append(o.msgs, m)
	if len(o.msgs) > size {
		o.msgs = slices.Clone(o.msgs[len(o.msgs)-size:])
	}
	return nil
}

// Messages returns the kept messages, oldest first.
func (o *Outbox) Messages() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.msgs)
}
