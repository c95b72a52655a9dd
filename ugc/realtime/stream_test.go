package realtime_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/realtime"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// Stream wakes at once for notifications appended on its replica, polls
// the store for those of other replicas, and keeps the connection alive.
func TestStreamTimers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := memstore.New()
		defer st.Close()
		host := &ugc.User{ID: "host-1", Username: "host1", Email: "host1@example.com", Channel: ugc.Channel{StageArn: "arn:aws:ivs:us-east-1:1:stage/abc"}}
		guest := &ugc.User{ID: "guest-1", Username: "guest1", Email: "guest1@example.com"}
		ctx := context.Background()
		for _, u := range []*ugc.User{host, guest} {
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		// A session row is all RequestJoin needs of the stage.
		if err := st.CreateStageSession(ctx, &ugc.StageSession{ChannelUserID: host.ID, StageArn: host.Channel.StageArn, ID: "s1", StartedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		opts := func(o *realtime.Options) { o.PollInterval, o.KeepAlive = 2*time.Second, 15*time.Second }
		newSvc := func() *realtime.Service {
			svc, err := realtime.New(realtime.Options{Store: st, Stages: ivsrealtime.New(ivsrealtime.Options{Region: "us-east-1"}) /* never called: requests make no AWS call */, InviteKey: testKey, ProjectTag: testProject}, opts)
			if err != nil {
				t.Fatal(err)
			}
			return svc
		}
		local, remote := newSvc(), newSvc()

		// A notification from before the stream opened is not replayed
		// to a client that sends no Last-Event-ID.
		if err := st.AppendNotification(ctx, &ugc.Notification{UserID: host.ID, Type: "old", Data: []byte(`{}`), CreatedAt: time.Now().Add(-time.Second)}); err != nil {
			t.Fatal(err)
		}

		type batch struct {
			at    time.Duration
			types []string
		}
		var got []batch
		start := time.Now()
		sctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() {
			done <- local.Stream(sctx, host.ID, 0, false, func(ns []ugc.Notification) error {
				b := batch{at: time.Since(start)}
				for _, n := range ns {
					b.types = append(b.types, n.Type)
				}
				got = append(got, b)
				return nil
			})
		}()
		synctest.Wait()
		time.Sleep(500 * time.Millisecond)
		if _, err := local.RequestJoin(ctx, guest.ID, "host1"); err != nil { // woken at once
			t.Fatal(err)
		}
		synctest.Wait()
		if err := remote.RevokeRequest(ctx, guest.ID, "host1"); err != nil { // seen at the next poll
			t.Fatal(err)
		}
		time.Sleep(20 * time.Second)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Stream returned %v", err)
		}
		want := []batch{
			{500 * time.Millisecond, []string{realtime.EventRequestCreated}},
			{2 * time.Second, []string{realtime.EventRequestRevoked}},
			{18 * time.Second, nil}, // keep-alive: 15 s after the last send, at a poll tick
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(batch{})); diff != "" {
			t.Errorf("batches mismatch (-want +got):\n%s", diff)
		}
	})
}
