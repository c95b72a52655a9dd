package main

import (
	"context"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// This file keeps the live index from the emulator's events until the
// metrics package's Ingest replaces it: "IVS Stream State Change" Stream
// Start sets the owner's low-latency entry, Stream End clears it (only if
// it is the same stream).

// liveIndexer returns the emulator subscriber that maintains the index.
// It runs on the emulator's request goroutine, so a simulated stream is in
// the directory when the dev control returns.
func (a *App) liveIndexer() func(ivslocal.Event) {
	return func(ev ivslocal.Event) {
		if ev.DetailType != "IVS Stream State Change" || len(ev.Resources) == 0 {
			return
		}
		name, _ := ev.Detail["event_name"].(string)
		streamID, _ := ev.Detail["stream_id"].(string)
		if name != "Stream Start" && name != "Stream End" {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		u, err := a.store.GetUserByResource(ctx, ev.Resources[0])
		if errors.Is(err, ugc.ErrNotFound) {
			return // a channel the app did not make
		}
		if err == nil {
			if name == "Stream Start" {
				err = a.store.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: ev.Time, Ref: streamID})
			} else {
				err = a.store.ClearLive(ctx, u.ID, ugc.LiveLowLatency, streamID)
			}
		}
		if err != nil {
			a.log.Error("fullapp: live index", "event", name, "channel", ev.Resources[0], "err", err)
		}
	}
}

// clearStaleLive removes low-latency entries left by a previous run: no
// emulated stream survives a restart.
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
