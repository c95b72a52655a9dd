package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
	"github.com/ivs-ugc/ugc-go/examples/fullapp/cognito"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/metrics"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// ShutdownTimeout is how long Close waits for in-flight requests.
const ShutdownTimeout = 10 * time.Second

// ProjectTag is the "project" tag of every AWS resource the app makes.
const ProjectTag = "ugc-fullapp"

// Files and directories of the app in the data directory.
const (
	dbFile        = "ugc.db"
	emulatorState = "ivslocal-state.json"
	assetsDir     = "assets"
)

// App is the whole server: the store, AWS (the embedded emulator or real
// AWS), the SDK services, the app's accounts and the HTTP API. Build it
// with NewApp, start it with Run and stop it with Close.
type App struct {
	cfg Config
	log *slog.Logger

	store    store.Store
	emulator *ivslocal.Server // nil with -aws
	unsub    func()
	channels *channels.Service
	metrics  *metrics.Service
	chat     *chat.Service
	actions  *actions.Service
	realtime *realtime.Service
	accounts *accounts.Service
	outbox   *accounts.Outbox // nil when Config.Mailer is set

	region  string         // of the AWS config
	awsHTTP aws.HTTPClient // the AWS clients' HTTP client

	ln       net.Listener
	hs       *http.Server
	served   chan struct{} // closed when Serve returns
	draining chan struct{} // closed once shutdown has begun
	url      string

	stopBackground func()         // stops the janitors
	background     sync.WaitGroup // the janitors' goroutines

	closeOnce sync.Once
	closeErr  error
}

// NewApp returns an App for cfg. It does no I/O.
func NewApp(cfg Config) *App {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &App{cfg: cfg, log: log}
}

// URL is the base URL of the running server, e.g. "http://127.0.0.1:8080".
func (a *App) URL() string { return a.url }

// EmulatorURL is the base URL of the embedded emulator; "" with -aws.
func (a *App) EmulatorURL() string {
	if a.emulator == nil {
		return ""
	}
	return a.emulator.URL
}

// Run opens the store, starts the emulator (unless -aws), builds the
// services, starts listening and serving, prints the banner and returns.
// ctx bounds the start-up only; the server runs until Close. After an
// error, Close releases what was opened.
func (a *App) Run(ctx context.Context) (err error) {
	if err := os.MkdirAll(a.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if a.store, err = openStore(ctx, a.cfg); err != nil {
		return err
	}
	awsCfg, err := a.awsConfig(ctx)
	if err != nil {
		return err
	}
	a.region = awsCfg.Region
	a.awsHTTP = awsCfg.HTTPClient
	a.ln, err = net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	a.url = "http://" + a.ln.Addr().String()

	handler, err := a.build(awsCfg)
	if err != nil {
		return err
	}
	if a.emulator != nil {
		a.unsub = a.emulator.Subscribe(a.eventSink())
		if err := a.endStaleStreams(ctx); err != nil {
			return err
		}
	}
	shutdownCtx, shuttingDown := context.WithCancel(context.Background())
	a.hs = &http.Server{
		Handler:           endStreamsOn(shutdownCtx, handler),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	// Runs once Shutdown has closed the listener; Close waits for it.
	a.draining = make(chan struct{})
	var once sync.Once
	a.hs.RegisterOnShutdown(func() {
		once.Do(func() {
			defer close(a.draining)
			shuttingDown() // event streams end; other requests finish
			if a.cfg.Stdout != nil {
				fmt.Fprintf(a.cfg.Stdout, "draining in-flight requests (up to %s)\n", ShutdownTimeout)
			}
		})
	})
	a.served = make(chan struct{})
	go func() {
		defer close(a.served)
		if err := a.hs.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("fullapp: serve", "err", err)
		}
	}()
	bg, stop := context.WithCancel(context.Background())
	a.stopBackground = stop
	a.background.Add(3)
	go func() {
		defer a.background.Done()
		a.runJanitor(bg, JanitorInterval, a.janitorTasks())
	}()
	go func() {
		defer a.background.Done()
		a.realtime.Run(bg, StageJanitorInterval) // returns bg's error
	}()
	go func() {
		defer a.background.Done()
		a.actions.Run(bg, PollSweepInterval) // returns bg's error
	}()
	a.banner()
	return nil
}

// endStreamsOn ends long-lived event streams (GET /v1/events, server-sent
// events) when shutdown is done, so they do not hold up the drain of
// ordinary requests; clients reconnect to another replica or the restarted
// app with Last-Event-ID.
func endStreamsOn(shutdown context.Context, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/events" {
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			stop := context.AfterFunc(shutdown, cancel)
			defer stop()
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// openStore opens the configured store driver.
func openStore(ctx context.Context, cfg Config) (store.Store, error) {
	switch cfg.Store {
	case StoreSQLite:
		st, err := sqlstore.Open(ctx, filepath.Join(cfg.DataDir, dbFile))
		if err != nil {
			return nil, fmt.Errorf("opening the SQLite store: %w", err)
		}
		return st, nil
	case StoreMemory:
		return memstore.New(), nil
	case StoreDynamoDB:
		// DynamoDB always comes from the standard config chain, even next
		// to the emulator: AWS_ENDPOINT_URL_DYNAMODB can point it at
		// DynamoDB Local, dynalite or moto.
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading the AWS config for DynamoDB: %w", err)
		}
		client := dynamodb.NewFromConfig(awsCfg)
		if err := dynamostore.CreateTable(ctx, client, cfg.Table); err != nil && !errors.Is(err, ugc.ErrAlreadyExists) {
			return nil, fmt.Errorf("creating the DynamoDB table %q: %w", cfg.Table, err)
		}
		st, err := dynamostore.New(client, cfg.Table)
		if err != nil {
			return nil, fmt.Errorf("opening the DynamoDB store: %w", err)
		}
		return st, nil
	}
	return nil, fmt.Errorf("unknown store %q", cfg.Store)
}

// awsConfig starts the emulator and returns its config, or loads the
// standard AWS config chain with -aws.
func (a *App) awsConfig(ctx context.Context) (aws.Config, error) {
	if a.cfg.AWS {
		c, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return aws.Config{}, fmt.Errorf("loading the AWS config: %w", err)
		}
		return c, nil
	}
	opts := []ivslocal.Option{ivslocal.WithLogger(a.log)}
	if a.cfg.Store != StoreMemory {
		// AWS resources are kept as long as the users that own them.
		opts = append(opts, ivslocal.WithStateFile(filepath.Join(a.cfg.DataDir, emulatorState)))
	}
	srv, err := ivslocal.Start(opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("starting the emulator: %w", err)
	}
	a.emulator = srv
	return srv.AWSConfig(), nil
}

// build makes the services and the HTTP handler.
func (a *App) build(awsCfg aws.Config) (http.Handler, error) {
	assets, err := channels.NewDirAssets(filepath.Join(a.cfg.DataDir, assetsDir))
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	a.channels, err = channels.New(channels.Options{
		Store:         a.store,
		IVS:           ivs.NewFromConfig(awsCfg),
		Chat:          ivschat.NewFromConfig(awsCfg),
		Stages:        ivsrealtime.NewFromConfig(awsCfg),
		Assets:        assets,
		AssetBaseURL:  a.url + "/assets",
		ChannelType:   a.cfg.ChannelType,
		ProjectTag:    ProjectTag,
		SignupDomains: a.cfg.SignupDomains,
		// Channel pages are the hot read: reuse their store reads for a
		// second (follows made here and chat bans invalidate at once).
		PageCacheTTL: time.Second,
		Logger:       a.log,
	})
	if err != nil {
		return nil, err
	}
	a.metrics, err = metrics.New(metrics.Options{
		Store:      a.store,
		IVS:        ivs.NewFromConfig(awsCfg),
		CloudWatch: cloudwatch.NewFromConfig(awsCfg),
		Logger:     a.log,
	})
	if err != nil {
		return nil, err
	}
	if a.chat, err = a.newChat(awsCfg); err != nil {
		return nil, err
	}
	if a.actions, err = a.newActions(awsCfg); err != nil {
		return nil, err
	}
	if a.realtime, err = a.newRealtime(awsCfg); err != nil {
		return nil, err
	}
	mailer := a.cfg.Mailer
	if mailer == nil {
		a.outbox = &accounts.Outbox{}
		mailer = a.outbox
	}
	a.accounts, err = accounts.New(accounts.Options{
		Store:         a.store,
		Provisioner:   provisioner{a.channels},
		Mailer:        mailer,
		SignupDomains: a.cfg.SignupDomains,
		ResetURL:      a.url + "/reset",
		Hash:          a.cfg.PasswordHash,
		Logger:        a.log,
	})
	if err != nil {
		return nil, err
	}
	auth := &authenticator{accounts: a.accounts, users: a.store}
	if a.cfg.CognitoPoolURL != "" {
		auth.cognito, err = cognito.New(cognito.Options{
			Issuer: a.cfg.CognitoPoolURL, ClientID: a.cfg.CognitoClientID, JWKSURL: a.cfg.CognitoJWKSURL,
		})
		auth.cognitoIssuer = a.cfg.CognitoPoolURL
		if err != nil {
			return nil, err
		}
	}
	routes := append(a.accountRoutes(auth), resetPageRoutes()...)
	if a.emulator != nil {
		routes = append(routes, a.devRoutes()...)
	}
	return httpapi.New(httpapi.Options{
		Channels:       a.channels,
		Chat:           a.chat,
		Metrics:        a.metrics,
		Actions:        a.actions,
		Realtime:       a.realtime,
		EventsSecret:   a.cfg.EventsSecret,
		Auth:           auth,
		Routes:         routes,
		AllowedOrigins: a.cfg.Origins,
		Logger:         a.log,
		Title:          "ugc fullapp API",
	})
}

// provisioner adapts channels.Service to accounts.Provisioner.
type provisioner struct{ ch *channels.Service }

func (p provisioner) Provision(ctx context.Context, username, email string) (*ugc.User, error) {
	return p.ch.Register(ctx, channels.RegisterInput{Username: username, Email: email})
}

func (p provisioner) Deprovision(ctx context.Context, userID string) error {
	return p.ch.DeleteAccount(ctx, userID)
}

// banner prints where everything is.
func (a *App) banner() {
	w := a.cfg.Stdout
	if w == nil {
		return
	}
	fmt.Fprintf(w, "ugc fullapp listening on %s\n", a.url)
	fmt.Fprintf(w, "  API:       %s/v1/openapi.json\n", a.url)
	switch a.cfg.Store {
	case StoreSQLite:
		fmt.Fprintf(w, "  store:     sqlite %s\n", filepath.Join(a.cfg.DataDir, dbFile))
	case StoreDynamoDB:
		fmt.Fprintf(w, "  store:     dynamodb table %q\n", a.cfg.Table)
	default:
		fmt.Fprintf(w, "  store:     %s (nothing survives a restart)\n", a.cfg.Store)
	}
	if a.emulator == nil {
		fmt.Fprintf(w, "  AWS:       real AWS (region %s)\n", a.region)
		fmt.Fprintf(w, "  ingest:    GET /v1/me shows ingestServer and streamKey for the encoder\n")
		if a.outbox != nil {
			fmt.Fprintf(w, "  mail:      NOT DELIVERED: no Mailer is configured, so password-reset mail stays in memory\n")
		}
		return
	}
	if a.cfg.Store == StoreMemory {
		fmt.Fprintf(w, "  emulator:  %s (nothing survives a restart)\n", a.emulator.URL)
	} else {
		fmt.Fprintf(w, "  emulator:  %s (state %s)\n", a.emulator.URL, filepath.Join(a.cfg.DataDir, emulatorState))
	}
	fmt.Fprintf(w, "  ingest:    GET /v1/me shows ingestServer and streamKey; the emulator takes no RTMP, so\n")
	fmt.Fprintf(w, "             simulate a stream: curl -X POST %s/_dev/channels/<username>/stream/start\n", a.url)
	if a.outbox != nil {
		fmt.Fprintf(w, "  mail:      %s/_dev/outbox\n", a.url)
	}
}

// Close stops accepting connections, waits up to ShutdownTimeout for
// in-flight requests, then closes the emulator and the store. It is safe
// to call more than once and after a failed Run.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		var errs []error
		if a.hs != nil {
			ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
			if err := a.hs.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("draining requests: %w", err))
				a.hs.Close()
			}
			cancel()
			<-a.served
			<-a.draining
		} else if a.ln != nil {
			a.ln.Close()
		}
		if a.stopBackground != nil {
			a.stopBackground()
			a.background.Wait()
		}
		if a.actions != nil {
			a.actions.Close() // pending overlay sends and rule timers
		}
		if a.emulator != nil && a.metrics != nil {
			ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
			a.endLiveStreams(ctx)
			cancel()
		}
		if c, ok := a.awsHTTP.(interface{ CloseIdleConnections() }); ok {
			// Unused pooled connections would hold up the emulator's own
			// graceful shutdown until its timeout.
			c.CloseIdleConnections()
		}
		if a.emulator != nil {
			// Still subscribed: streams the emulator ends leave the live index.
			if err := a.emulator.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing the emulator: %w", err))
			}
		}
		if a.unsub != nil {
			a.unsub()
		}
		if a.store != nil {
			if err := a.store.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing the store: %w", err))
			}
		}
		a.closeErr = errors.Join(errs...)
	})
	return a.closeErr
}
