package realtime_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// endingStore ends a stage session (as another replica would) right
// before the first presence update of it reaches the store.
type endingStore struct {
	store.Store
	once  sync.Once
	raced error         // the store's answer to the racing update
	done  chan struct{} // closed after the racing update
}

func (s *endingStore) UpdateStageSession(ctx context.Context, ss *ugc.StageSession) error {
	racing := false
	if ss.Active() {
		s.once.Do(func() {
			ended := *ss
			ended.EndedAt = ended.StartedAt.Add(1)
			if err := s.Store.UpdateStageSession(ctx, &ended); err != nil {
				panic(err)
			}
			racing = true
		})
	}
	err := s.Store.UpdateStageSession(ctx, ss)
	if racing {
		s.raced = err
		close(s.done)
	}
	return err
}

// A presence event prepared from the session read before a concurrent end
// does not bring the ended session back.
func TestHostLeavingRacingTheEnd(t *testing.T) {
	for _, driver := range []string{"memstore", "sqlstore"} {
		t.Run(driver, func(t *testing.T) {
			e := newBareEnv(t, driver)
			host := e.register("racer")
			wrapped := &endingStore{Store: e.st, done: make(chan struct{})}
			e.st = wrapped
			svc := e.newService()
			e.forward(svc)
			ctx := context.Background()
			hs, err := svc.StartSession(ctx, host.ID)
			if err != nil {
				t.Fatal(err)
			}
			pid, err := e.srv.JoinStage(ugc.ChannelID(host.Channel.StageArn), hs.Host.Token.Reveal())
			if err != nil {
				t.Fatal(err)
			}
			if err := e.srv.LeaveStage(ugc.ChannelID(host.Channel.StageArn), pid); err != nil {
				t.Fatal(err)
			}
			select { // the leave event's update ran into the end
			case <-wrapped.done:
			case <-time.After(time.Minute):
				t.Fatal("the host's leave event never reached UpdateStageSession")
			}
			if ugc.CodeOf(wrapped.raced) != "session_ended" {
				t.Errorf("racing update: %v, want session_ended", wrapped.raced)
			}
			got, err := wrapped.Store.GetStageSession(ctx, hs.Session.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Active() {
				t.Errorf("session %+v is active again after a presence update racing its end", got)
			}
			if _, err := wrapped.Store.ActiveStageSession(ctx, host.ID); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("ActiveStageSession after the end: %v, want not found", err)
			}
		})
	}
}
