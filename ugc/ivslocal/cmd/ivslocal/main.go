// Command ivslocal serves the ivslocal emulator of Amazon IVS, IVS Chat, IVS
// Real-Time and CloudWatch on a fixed address, for any AWS SDK:
//
//	go run ./ugc/ivslocal/cmd/ivslocal -addr 127.0.0.1:4566 [-state file]
//
// It prints the base URL (use it as the SDK endpoint, e.g. with
// AWS_ENDPOINT_URL) and the chat WebSocket URL, and stops cleanly on SIGINT
// or SIGTERM, writing the state file when one is given.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ivslocal:", err)
		os.Exit(1)
	}
}

// run parses args, serves until ctx is done or a signal arrives, then closes.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ivslocal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:4566", "TCP address to listen on")
	state := fs.String("state", "", "JSON file that keeps channels, stream keys, rooms and stages across restarts")
	region := fs.String("region", ivslocal.DefaultRegion, "region in ARNs, URLs and events")
	account := fs.String("account", ivslocal.DefaultAccount, "account ID in ARNs, URLs and events")
	eventURL := fs.String("event-url", "", "URL to POST every EventBridge-shaped event to")
	interval := fs.Duration("metrics-interval", 5*time.Second, "how often live streams publish CloudWatch points")
	verbose := fs.Bool("v", false, "log server-side problems to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := []ivslocal.Option{
		ivslocal.WithAddr(*addr),
		ivslocal.WithRegion(*region),
		ivslocal.WithAccount(*account),
		ivslocal.WithMetricsInterval(*interval),
	}
	if *state != "" {
		opts = append(opts, ivslocal.WithStateFile(*state))
	}
	if *eventURL != "" {
		opts = append(opts, ivslocal.WithEventURL(*eventURL))
	}
	if *verbose {
		opts = append(opts, ivslocal.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))
	}
	srv, err := ivslocal.Start(opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ivslocal listening on %s\n", srv.URL)
	fmt.Fprintf(stdout, "chat WebSocket: %s\n", srv.ChatEndpoint())

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(stdout, "ivslocal shutting down")
	return srv.Close()
}
