package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := ParseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fullapp:", err)
		os.Exit(2)
	}
	cfg.Stdout = os.Stdout
	// One access-log line per request, and the app's diagnostics.
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app := NewApp(cfg)
	if err := app.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "fullapp:", err)
		app.Close()
		os.Exit(1)
	}
	<-ctx.Done()
	fmt.Fprintln(os.Stdout, "shutting down")
	if err := app.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "fullapp:", err)
		os.Exit(1)
	}
}
