package actions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"golang.org/x/time/rate"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// IVSAPI is the part of the IVS client the package uses.
type IVSAPI interface {
	PutMetadata(ctx context.Context, in *ivs.PutMetadataInput, optFns ...func(*ivs.Options)) (*ivs.PutMetadataOutput, error)
}

// ChatAPI is the part of the IVS Chat client the package uses.
type ChatAPI interface {
	SendEvent(ctx context.Context, in *ivschat.SendEventInput, optFns ...func(*ivschat.Options)) (*ivschat.SendEventOutput, error)
}

var (
	_ IVSAPI  = (*ivs.Client)(nil)
	_ ChatAPI = (*ivschat.Client)(nil)
)

// Options configure a Service.
type Options struct {
	// Store holds active actions, presets, rules, polls and votes, and is
	// read for users, the live index and bans. Required.
	Store store.Store
	// IVS sends timed metadata. Required.
	IVS IVSAPI
	// Chat pushes poll events to channel rooms. Required.
	Chat ChatAPI

	// EnableAmazonProduct accepts amazon_product overlays (off by default,
	// as in the seed, where it needs a Product Advertising API account).
	EnableAmazonProduct bool

	// MetadataRate and MetadataBurst are the per-channel token bucket of
	// PutMetadata calls. The defaults, 4.5 per second with a burst of 1,
	// never put more than 5 calls in any second (IVS's limit) and leave a
	// margin for network jitter.
	MetadataRate  rate.Limit
	MetadataBurst int
	// MaxAttempts bounds the PutMetadata attempts of one payload when IVS
	// throttles; default 4 (the seed's 3 retries).
	MaxAttempts int
	// RetryBackoff is the wait before the first retry, doubling each time
	// up to MaxRetryBackoff, with half of it random; defaults 250 ms and 2 s.
	RetryBackoff, MaxRetryBackoff time.Duration

	// PollUpdateInterval is the shortest time between two poll:update
	// events of a poll; default 500 ms (at most twice a second).
	PollUpdateInterval time.Duration
	// MaxRuleDelay is the longest delay a rule may have; default 10 minutes.
	MaxRuleDelay time.Duration

	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// NewID returns new action, poll and rule IDs; default 16 random bytes
	// in hex.
	NewID func() string
	// Logger logs background failures (poll events, rules); silent when nil.
	Logger *slog.Logger
}

func (o *Options) setDefaults() {
	if o.MetadataRate == 0 {
		o.MetadataRate = 4.5
	}
	if o.MetadataBurst == 0 {
		o.MetadataBurst = 1
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 4
	}
	if o.RetryBackoff == 0 {
		o.RetryBackoff = 250 * time.Millisecond
	}
	if o.MaxRetryBackoff == 0 {
		o.MaxRetryBackoff = 2 * time.Second
	}
	if o.PollUpdateInterval == 0 {
		o.PollUpdateInterval = 500 * time.Millisecond
	}
	if o.MaxRuleDelay == 0 {
		o.MaxRuleDelay = 10 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewID == nil {
		o.NewID = randomID
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Service serves overlays (timed metadata), presets, rules and polls.
type Service struct {
	opts   Options
	st     store.Store
	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	send   *sender
	timers timers

	chanLocks [64]sync.Mutex // see chanLock

	mu      sync.Mutex
	updates map[string]*pollUpdates // by poll ID
	enders  map[string]func() bool  // poll end timers by poll ID
}

// New returns a Service. It starts no goroutine and does no I/O; Close
// stops the background work it starts later.
func New(opts Options, optFns ...func(*Options)) (*Service, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	switch {
	case opts.Store == nil:
		return nil, errors.New("actions.New: Options.Store is required")
	case opts.IVS == nil:
		return nil, errors.New("actions.New: Options.IVS is required")
	case opts.Chat == nil:
		return nil, errors.New("actions.New: Options.Chat is required")
	case opts.MetadataRate < 0 || opts.MetadataBurst < 0 || opts.MaxAttempts < 0:
		return nil, errors.New("actions.New: MetadataRate, MetadataBurst and MaxAttempts must not be negative")
	}
	opts.setDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{opts: opts, st: opts.Store, ctx: ctx, cancel: cancel,
		updates: map[string]*pollUpdates{}, enders: map[string]func() bool{}}
	s.send = newSender(ctx, &s.opts)
	s.timers.init(ctx)
	return s, nil
}

// Close stops the Service's background work: pending sends fail with
// ugc.ErrUnavailable, scheduled rules and poll events are dropped (a poll
// still closes on time: the clock decides). It waits for running work to
// return and is safe to call twice.
func (s *Service) Close() error {
	s.cancel()
	s.timers.close()
	s.send.close()
	return nil
}

func (s *Service) now() time.Time { return s.opts.Now() }

// timers runs functions after delays, owned by the Service: close stops
// the ones not started and waits for the running ones.
type timers struct {
	ctx    context.Context
	mu     sync.Mutex
	closed bool
	next   int
	active map[int]*time.Timer
	wg     sync.WaitGroup
}

func (t *timers) init(ctx context.Context) {
	t.ctx = ctx
	t.active = map[int]*time.Timer{}
}

// after runs fn(ctx) after d unless stopped or closed first. stop reports
// whether it prevented the run.
func (t *timers) after(d time.Duration, fn func(ctx context.Context)) (stop func() bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return func() bool { return false }
	}
	id := t.next
	t.next++
	t.wg.Add(1)
	t.active[id] = time.AfterFunc(d, func() {
		defer t.wg.Done()
		t.mu.Lock()
		_, ok := t.active[id]
		delete(t.active, id)
		t.mu.Unlock()
		if ok && t.ctx.Err() == nil {
			fn(t.ctx)
		}
	})
	return func() bool {
		t.mu.Lock()
		defer t.mu.Unlock()
		tm, ok := t.active[id]
		if !ok || !tm.Stop() {
			return false
		}
		delete(t.active, id)
		t.wg.Done()
		return true
	}
}

func (t *timers) close() {
	t.mu.Lock()
	t.closed = true
	for id, tm := range t.active {
		if tm.Stop() {
			t.wg.Done()
		}
		delete(t.active, id)
	}
	t.mu.Unlock()
	t.wg.Wait()
}

// owner returns the user with the given username, or ErrNotFound naming
// the channel.
func (s *Service) owner(ctx context.Context, username string) (*ugc.User, error) {
	u, err := s.st.GetUserByUsername(ctx, username)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil, ugc.Errorf(ugc.ErrNotFound, "no channel %q", username)
	}
	return u, err
}

// liveKinds reads the live index of the user.
func (s *Service) liveKinds(ctx context.Context, userID string) (lowLatency, realTime bool, err error) {
	entries, err := s.st.GetLive(ctx, userID)
	if err != nil {
		return false, false, err
	}
	for _, e := range entries {
		switch e.Kind {
		case ugc.LiveLowLatency:
			lowLatency = true
		case ugc.LiveRealTime:
			realTime = true
		}
	}
	return lowLatency, realTime, nil
}
