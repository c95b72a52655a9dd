package ivslocal

import (
	"log/slog"
	"time"
)

// Defaults used when no option overrides them.
const (
	DefaultRegion  = "us-east-1"
	DefaultAccount = "123456789012"
	DefaultAddr    = "127.0.0.1:0"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	addr            string
	stateFile       string
	eventURL        string
	region          string
	account         string
	now             func() time.Time
	metricsInterval time.Duration
	logger          *slog.Logger
}

func newConfig(opts []Option) config {
	c := config{
		addr:    DefaultAddr,
		region:  DefaultRegion,
		account: DefaultAccount,
		now:     time.Now,
	}
	for _, o := range opts {
		o(&c)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// WithAddr sets the TCP address to listen on; the default is 127.0.0.1:0, a
// free loopback port.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithStateFile keeps channels, stream keys, rooms, stages and tags in the
// JSON file at path: they are loaded from it when the server starts (a
// missing file is an empty state) and written back, atomically, shortly
// after each change and on Close. Live streams, chat connections and stage
// participants are not kept.
func WithStateFile(path string) Option { return func(c *config) { c.stateFile = path } }

// WithEventURL makes the server POST every event, as JSON, to url. Delivery
// is asynchronous, best-effort and bounded: events are dropped when the
// queue is full or the target fails.
func WithEventURL(url string) Option { return func(c *config) { c.eventURL = url } }

// WithRegion sets the region in ARNs, URLs and events (default us-east-1).
func WithRegion(region string) Option { return func(c *config) { c.region = region } }

// WithAccount sets the account ID in ARNs, URLs and events (default
// 123456789012).
func WithAccount(account string) Option { return func(c *config) { c.account = account } }

// WithClock sets the clock used for timestamps (resources, sessions,
// events, metrics, rate limits). Tickers still run on real time.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithMetricsInterval sets how often a live stream publishes CloudWatch
// points (default 5 s).
func WithMetricsInterval(d time.Duration) Option {
	return func(c *config) { c.metricsInterval = d }
}

// WithLogger sets the logger for server-side problems (failed event
// deliveries, state-file errors). The default discards everything.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }
