package actions

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"golang.org/x/time/rate"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// errSuperseded is returned to the sender of a payload a newer one for the
// same channel replaced before it went out.
var errSuperseded = ugc.WithCode(ugc.ErrFailedPrecondition, "superseded",
	"a newer overlay for the channel replaced this one before it was sent")

// errClosed is returned once the Service is closed.
var errClosed = ugc.Errorf(ugc.ErrUnavailable, "the actions service is closed")

// sender sends PutMetadata payloads: per channel, a token bucket keeps the
// rate under IVS's 5 TPS, at most one payload waits (a newer one drops the
// waiting one), and throttled calls are retried a bounded number of times
// with exponential backoff and jitter. One goroutine per channel with work
// drains its queue; it exits when the queue is empty.
type sender struct {
	api         IVSAPI
	limit       rate.Limit
	burst       int
	maxAttempts int
	backoff     time.Duration
	maxBackoff  time.Duration

	ctx context.Context // cancelled by close
	wg  sync.WaitGroup

	mu     sync.Mutex
	closed bool
	chans  map[string]*chanQueue
}

type chanQueue struct {
	lim     *rate.Limiter
	pending *sendJob
	running bool
}

// sendJob is one payload to send. current, when set, reports whether the
// job is still what the channel should show (else it is dropped as
// superseded), checked right before each attempt.
type sendJob struct {
	ctx     context.Context
	arn     string
	payload string
	current func(ctx context.Context) (bool, error)
	done    chan error // buffered 1
}

func newSender(ctx context.Context, o *Options) *sender {
	return &sender{api: o.IVS, limit: o.MetadataRate, burst: o.MetadataBurst, maxAttempts: o.MaxAttempts,
		backoff: o.RetryBackoff, maxBackoff: o.MaxRetryBackoff, ctx: ctx, chans: map[string]*chanQueue{}}
}

// send queues payload for the channel and waits until it is sent, dropped
// (errSuperseded), failed, or ctx is done.
func (s *sender) send(ctx context.Context, arn, payload string, current func(context.Context) (bool, error)) error {
	j, q, err := s.enqueue(ctx, arn, payload, current)
	if err != nil {
		return err
	}
	return s.wait(ctx, q, j)
}

// enqueue queues payload for the channel, replacing (as superseded) the
// payload waiting there, and returns the job for wait. Callers that order
// their store writes under a lock enqueue under the same lock, so the
// queue's newest job is the newest stored action.
func (s *sender) enqueue(ctx context.Context, arn, payload string, current func(context.Context) (bool, error)) (*sendJob, *chanQueue, error) {
	j := &sendJob{ctx: ctx, arn: arn, payload: payload, current: current, done: make(chan error, 1)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, nil, errClosed
	}
	q := s.chans[arn]
	if q == nil {
		if len(s.chans) >= sweepAt {
			s.sweepLocked()
		}
		q = &chanQueue{lim: rate.NewLimiter(s.limit, s.burst)}
		s.chans[arn] = q
	}
	if q.pending != nil {
		q.pending.done <- errSuperseded
	}
	q.pending = j
	if !q.running {
		q.running = true
		s.wg.Add(1)
		go s.drain(arn, q)
	}
	s.mu.Unlock()
	return j, q, nil
}

// wait waits until the queued job is sent, dropped (errSuperseded),
// failed, or ctx is done.
func (s *sender) wait(ctx context.Context, q *chanQueue, j *sendJob) error {
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		s.mu.Lock()
		if q.pending == j {
			q.pending = nil
		}
		s.mu.Unlock()
		return ctx.Err()
	}
}

// sweepAt is the number of channel queues past which idle ones are
// forgotten.
const sweepAt = 1024

// sweepLocked forgets the queues with no work and a full bucket: a new
// queue for the channel would behave the same.
func (s *sender) sweepLocked() {
	for arn, q := range s.chans {
		if !q.running && q.lim.Tokens() >= float64(s.burst) {
			delete(s.chans, arn)
		}
	}
}

// take removes and returns the channel's pending job; with none it marks
// the queue idle (forgetting it when its bucket is full) and returns nil.
func (s *sender) take(arn string, q *chanQueue) *sendJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := q.pending
	q.pending = nil
	if j == nil {
		q.running = false
		if q.lim.Tokens() >= float64(s.burst) {
			delete(s.chans, arn)
		}
	}
	return j
}

// newer reports whether a job newer than the one in flight is waiting.
func (s *sender) newer(q *chanQueue) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return q.pending != nil
}

func (s *sender) drain(arn string, q *chanQueue) {
	defer s.wg.Done()
	for {
		// Wait for a token while the job is still pending, so a newer
		// payload can replace it during the wait.
		if err := q.lim.Wait(s.ctx); err != nil {
			s.failAll(arn, q)
			return
		}
		j := s.take(arn, q)
		if j == nil {
			return
		}
		j.done <- s.attempts(q, j)
	}
}

// attempts sends j, retrying throttled calls with backoff; a retry waits for
// a token too and gives way to a newer payload.
func (s *sender) attempts(q *chanQueue, j *sendJob) error {
	ctx, cancel := context.WithCancel(j.ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	var err error
	for attempt := 0; attempt < s.maxAttempts; attempt++ {
		if attempt > 0 {
			if !sleep(ctx, s.backoffFor(attempt)) {
				return s.ctxErr(j)
			}
			if s.newer(q) {
				return errSuperseded
			}
			if err := q.lim.Wait(ctx); err != nil {
				return s.ctxErr(j)
			}
		}
		if err := ctx.Err(); err != nil {
			return s.ctxErr(j)
		}
		if j.current != nil {
			ok, cerr := j.current(ctx)
			if cerr != nil {
				return cerr
			}
			if !ok {
				return errSuperseded
			}
		}
		_, err = s.api.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: aws.String(j.arn), Metadata: aws.String(j.payload)})
		if err == nil {
			return nil
		}
		err = awserr.Map(err)
		if ctx.Err() != nil {
			return s.ctxErr(j)
		}
		if !errors.Is(err, ugc.ErrThrottled) {
			return mapPutError(err)
		}
	}
	return err
}

func (s *sender) ctxErr(j *sendJob) error {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	return errClosed
}

// backoffFor returns the wait before retry n (1-based): exponential from
// the base, capped, with half of it random ("equal jitter").
func (s *sender) backoffFor(n int) time.Duration {
	d := s.backoff << (n - 1)
	if d > s.maxBackoff || d <= 0 {
		d = s.maxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

func (s *sender) failAll(arn string, q *chanQueue) {
	for j := s.take(arn, q); j != nil; j = s.take(arn, q) {
		j.done <- errClosed
	}
}

func (s *sender) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
}

// sleep waits d or until ctx is done; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// mapPutError gives PutMetadata failures the codes of this package.
func mapPutError(err error) error {
	switch awserr.Code(err) {
	case "ChannelNotBroadcasting":
		return &ugc.Error{Kind: ugc.ErrFailedPrecondition, Code: "channel_offline", Message: "the channel is not broadcasting", Err: err}
	case "ValidationException":
		return &ugc.Error{Kind: ugc.ErrTooLarge, Code: "metadata_too_large", Field: "data", Message: "IVS refused the timed metadata", Err: err}
	}
	return err
}
