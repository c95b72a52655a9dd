package main

import (
	"context"
	"encoding/json"
	"errors"
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

// liveStreams returns the low-latency entries of the live index.
func (a *App) liveStreams(ctx context.Context) ([]ugc.LiveEntry, error) {
	var live []ugc.LiveEntry
	cursor := ""
	for {
		page, next, err := a.store.ListLive(ctx, store.Page{Limit: store.MaxPageLimit, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if e.Kind == ugc.LiveLowLatency {
				live = append(live, e)
			}
		}
		if next == "" {
			return live, nil
		}
		cursor = next
	}
}

// endStaleStreams ends the streams a previous run left live (it crashed,
// or its emulator was closed without events): no emulated stream survives
// a restart. Each gets the "Stream End" IVS would have sent, through the
// same ingestion, so its session ends and it leaves the live index.
func (a *App) endStaleStreams(ctx context.Context) error {
	live, err := a.liveStreams(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, e := range live {
		u, err := a.store.GetUser(ctx, e.UserID)
		if err != nil || u.Channel.Arn == "" {
			if err := a.store.ClearLive(ctx, e.UserID, ugc.LiveLowLatency, ""); err != nil {
				return err
			}
			continue
		}
		raw, err := json.Marshal(ivslocal.Event{
			Version: "0", ID: "fullapp-restart-" + e.Ref, DetailType: "IVS Stream State Change",
			Source: "aws.ivs", Account: a.emulator.Account(), Time: now, Region: a.emulator.Region(),
			Resources: []string{u.Channel.Arn},
			Detail:    map[string]any{"event_name": "Stream End", "stream_id": e.Ref, "channel_name": u.Username},
		})
		if err != nil {
			return err
		}
		if _, err := a.metrics.Ingest(ctx, raw); err != nil {
			return err
		}
	}
	return nil
}

// endLiveStreams disconnects the emulator's live streams before it closes,
// so their end events are ingested while the store is open.
func (a *App) endLiveStreams(ctx context.Context) {
	live, err := a.liveStreams(ctx)
	if err != nil {
		a.log.Error("fullapp: listing live streams at shutdown", "err", err)
		return
	}
	for _, e := range live {
		u, err := a.store.GetUser(ctx, e.UserID)
		if err != nil {
			continue
		}
		if err := a.emulator.EndStream(ugc.ChannelID(u.Channel.Arn)); err != nil && !errors.Is(err, ivslocal.ErrNotBroadcasting) {
			a.log.Error("fullapp: ending a stream at shutdown", "user", e.UserID, "err", err)
		}
	}
}
