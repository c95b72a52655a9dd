package metrics

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// IVSAPI is the part of the IVS client the service calls.
type IVSAPI interface {
	GetStreamSession(ctx context.Context, in *ivs.GetStreamSessionInput, optFns ...func(*ivs.Options)) (*ivs.GetStreamSessionOutput, error)
}

// CloudWatchAPI is the part of the CloudWatch client the service calls.
type CloudWatchAPI interface {
	GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
}

var (
	_ IVSAPI        = (*ivs.Client)(nil)
	_ CloudWatchAPI = (*cloudwatch.Client)(nil)
)

// StageEventHandler receives IVS Stage Update events; the realtime package
// implements it.
type StageEventHandler interface {
	HandleStageEvent(ctx context.Context, ev ugc.StageEvent) error
}

// StreamEventListener is told of every newly recorded stream event of a
// user's channel; the actions package uses it to fire rules.
type StreamEventListener interface {
	StreamEvent(ctx context.Context, userID string, ev ugc.StreamEvent)
}

// Options configure a Service.
type Options struct {
	// Store holds sessions, events, the live index and the metrics cache. Required.
	Store store.Store
	// IVS fetches encoder configurations. Required.
	IVS IVSAPI
	// CloudWatch serves stream metrics. Required.
	CloudWatch CloudWatchAPI
	// Stages receives stage events; nil drops them.
	Stages StageEventHandler
	// Listener is told of new stream events; nil tells no one.
	Listener StreamEventListener
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger logs ignored events and background failures; silent when nil.
	Logger *slog.Logger
}

// Service ingests IVS events and serves stream sessions and their health.
type Service struct {
	opts Options
}

// New returns a Service.
func New(opts Options, optFns ...func(*Options)) (*Service, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	var missing []error
	if opts.Store == nil {
		missing = append(missing, ugc.InvalidField("Store", "is required"))
	}
	if opts.IVS == nil {
		missing = append(missing, ugc.InvalidField("IVS", "is required"))
	}
	if opts.CloudWatch == nil {
		missing = append(missing, ugc.InvalidField("CloudWatch", "is required"))
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Service{opts: opts}, nil
}

// SetStageHandler sets the receiver of stage events after construction,
// for wiring a realtime service that itself needs this one.
func (s *Service) SetStageHandler(h StageEventHandler) { s.opts.Stages = h }

// SetListener sets the receiver of new stream events after construction.
func (s *Service) SetListener(l StreamEventListener) { s.opts.Listener = l }

// LiveStatus says whether a user's channel is broadcasting and whether
// their stage is live, from the live index.
type LiveStatus struct {
	IsBroadcasting bool
	IsStageActive  bool
}

// LiveStatus returns the user's live status.
func (s *Service) LiveStatus(ctx context.Context, userID string) (st LiveStatus, err error) {
	defer ugc.Wrap(&err, "metrics.LiveStatus")
	entries, err := s.opts.Store.GetLive(ctx, userID)
	if err != nil {
		return st, err
	}
	for _, e := range entries {
		switch e.Kind {
		case ugc.LiveLowLatency:
			st.IsBroadcasting = true
		case ugc.LiveRealTime:
			st.IsStageActive = true
		}
	}
	return st, nil
}
