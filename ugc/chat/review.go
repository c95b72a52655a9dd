package chat

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// ReviewRequest is the payload IVS Chat sends a message review handler
// (the Lambda event) for each message sent to a room that has one.
type ReviewRequest struct {
	Content    string            `json:"Content"`
	MessageID  string            `json:"MessageId"`
	RoomArn    string            `json:"RoomArn"`
	Attributes map[string]string `json:"Attributes"`
	Sender     ReviewSender      `json:"Sender"`
}

// ReviewSender is the sender of a reviewed message: the chat user ID and
// attributes of its token, and its IP address.
type ReviewSender struct {
	UserID     string            `json:"UserId"`
	Attributes map[string]string `json:"Attributes"`
	IP         string            `json:"Ip"`
}

// Review results.
const (
	ReviewAllow = "ALLOW"
	ReviewDeny  = "DENY"
)

// ReviewResponse is a review handler's verdict (the Lambda response):
// ReviewAllow, optionally with rewritten Content, or ReviewDeny with a
// Reason.
type ReviewResponse struct {
	ReviewResult string            `json:"ReviewResult"`
	Content      string            `json:"Content,omitempty"`
	Attributes   map[string]string `json:"Attributes,omitempty"`
	Reason       string            `json:"Reason,omitempty"`
}

// DenyReason is the Reason of a message denied for a blocked term. It
// does not name the term.
const DenyReason = "message contains a blocked term"

// TermsStore is the part of the store a Reviewer reads. Every store.Store
// satisfies it.
type TermsStore interface {
	GetUserByResource(ctx context.Context, arn string) (*ugc.User, error)
	GetBlockedTerms(ctx context.Context, channelUserID string) ([]string, error)
}

// ReviewerOptions configure a Reviewer. Store is required.
type ReviewerOptions struct {
	// Store finds a room's channel and its blocked terms.
	Store TermsStore
	// Mask replaces blocked terms with asterisks and allows the message
	// instead of denying it.
	Mask bool
	// CacheTTL is how long a room's compiled terms are reused; default
	// 10 s; negative reads the store for every message.
	CacheTTL time.Duration
	// CacheEntries bounds the cache; default 10,000 rooms.
	CacheEntries int
	// Now is the clock of the cache; default time.Now.
	Now func() time.Time
}

// DefaultTermsCacheTTL is ReviewerOptions.CacheTTL when zero.
const DefaultTermsCacheTTL = 10 * time.Second

// Reviewer is the message review handler of blocked terms. It is safe for
// concurrent use; the zero Reviewer is not usable, call NewReviewer.
type Reviewer struct {
	opts ReviewerOptions

	mu    sync.RWMutex
	cache map[string]cachedTerms // by room ARN
}

type cachedTerms struct {
	m  *Matcher
	at time.Time
}

// NewReviewer returns a Reviewer. It makes no network call.
func NewReviewer(opts ReviewerOptions, optFns ...func(*ReviewerOptions)) (*Reviewer, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	if opts.Store == nil {
		return nil, ugc.InvalidField("Store", "chat.NewReviewer: required option missing: Store")
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = DefaultTermsCacheTTL
	}
	if opts.CacheEntries <= 0 {
		opts.CacheEntries = 10_000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Reviewer{opts: opts, cache: map[string]cachedTerms{}}, nil
}

// Review decides on one message: DENY with DenyReason when its content
// holds a blocked term of the room's channel (or, with Mask, ALLOW with
// the terms masked), else ALLOW. A room that belongs to no channel is
// allowed. A store failure is returned as an error, which makes IVS Chat
// apply the room's fallback result (ALLOW, as EnsureReviewHandler sets it).
func (r *Reviewer) Review(ctx context.Context, req ReviewRequest) (_ ReviewResponse, err error) {
	defer ugc.Wrap(&err, "chat.Review")
	m, err := r.matcher(ctx, req.RoomArn)
	if err != nil {
		return ReviewResponse{}, err
	}
	if r.opts.Mask {
		if masked, ok := m.Mask(req.Content); ok {
			return ReviewResponse{ReviewResult: ReviewAllow, Content: masked}, nil
		}
		return ReviewResponse{ReviewResult: ReviewAllow}, nil
	}
	if m.Match(req.Content) {
		return ReviewResponse{ReviewResult: ReviewDeny, Reason: DenyReason}, nil
	}
	return ReviewResponse{ReviewResult: ReviewAllow}, nil
}

// Forget drops the cached terms of a room, so the next review reads them.
func (r *Reviewer) Forget(roomArn string) {
	r.mu.Lock()
	delete(r.cache, roomArn)
	r.mu.Unlock()
}

// matcher returns the compiled terms of the room's channel (nil: none).
func (r *Reviewer) matcher(ctx context.Context, roomArn string) (*Matcher, error) {
	ttl := r.opts.CacheTTL
	if ttl > 0 {
		r.mu.RLock()
		c, ok := r.cache[roomArn]
		r.mu.RUnlock()
		if ok && r.opts.Now().Sub(c.at) < ttl {
			return c.m, nil
		}
	}
	if !strings.HasPrefix(roomArn, "arn:") {
		return nil, nil
	}
	at := r.opts.Now()
	var m *Matcher
	u, err := r.opts.Store.GetUserByResource(ctx, roomArn)
	switch {
	case isNotFound(err):
	case err != nil:
		return nil, err
	case u.Channel.ChatRoomArn == roomArn:
		terms, err := r.opts.Store.GetBlockedTerms(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if len(terms) > 0 {
			m = CompileTerms(terms)
		}
	}
	if ttl > 0 {
		r.mu.Lock()
		if len(r.cache) >= r.opts.CacheEntries {
			clear(r.cache)
		}
		r.cache[roomArn] = cachedTerms{m: m, at: at}
		r.mu.Unlock()
	}
	return m, nil
}
