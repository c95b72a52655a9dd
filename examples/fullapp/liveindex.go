package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// eventSink returns the emulator subscriber that feeds every IVS event to
// metrics.Ingest, as EventBridge would in AWS: stream sessions, their
// events and health, and the live index. It runs on the goroutine that
// caused the event, so a simulated stream is in the directory when the dev
// control returns.
func (a *App) eventSink() func(ivslocal.Event) {
	return func(ev ivslocal.Event) {
		raw, err := json.Marshal(ev)
		if err != nil {
			a.log.Error("fullapp: encoding an emulator event", "err", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := a.metrics.Ingest(ctx, raw)
		switch {
		case err != nil:
			a.log.Error("fullapp: ingesting an emulator event", "type", ev.DetailType, "id", ev.ID, "err", err)
		case res.Ignored:
			a.log.Debug("fullapp: emulator event ignored", "type", ev.DetailType, "reason", res.Reason)
		}
	}
}

// clearStaleLive removes low-latency entries left by a previous run: no
// emulated stream survives a restart, and no end event will come for them.
func (a *App) clearStaleLive(ctx context.Context) error {
	var stale []ugc.LiveEntry
	cursor := ""
	for {
		page, next, err := a.store.ListLive(ctx, store.Page{Limit: store.MaxPageLimit, Cursor: cursor})
		if err != nil {
			return err
		}
		stale = append(stale, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	for _, e := range stale {
		if err := a.store.ClearLive(ctx, e.UserID, ugc.LiveLowLatency, ""); err != nil {
			return err
		}
	}
	return nil
}
