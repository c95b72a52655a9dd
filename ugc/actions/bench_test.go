package actions_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

// benchVotes measures accepted votes per second through Service.Vote
// (channel lookup, poll read, ban check, the atomic vote write), from
// each vote by a new viewer.
func benchVotes(b *testing.B, st store.Store) {
	ctx := context.Background()
	chat := &fakeChat{}
	svc, err := actions.New(actions.Options{Store: st, IVS: &fakeIVS{}, Chat: chat})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	u := &ugc.User{ID: "bench-id", Username: "bench", Email: "bench@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: "arn:aws:ivs:us-east-1:123456789012:channel/bench", ChatRoomArn: "arn:aws:ivschat:us-east-1:123456789012:room/bench"}}
	if err := st.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	p, err := svc.StartPoll(ctx, u.ID, actions.PollInput{Question: "q", Options: []string{"a", "b", "c", "d", "e"}, DurationSeconds: actions.MaxPollSeconds})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if err := svc.Vote(ctx, "bench", p.ID, "viewer-"+strconv.Itoa(i), i%5); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

func BenchmarkVoteMemstore(b *testing.B) {
	st := memstore.New()
	defer st.Close()
	benchVotes(b, st)
}

func BenchmarkVoteSQLite(b *testing.B) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchVotes(b, st)
}

// BenchmarkStartAction measures the service's and sender's own cost per
// overlay (validation, live check, encoding, store writes, the queue and
// the supersession check) with a PutMetadata that returns at once and no
// rate limit.
func BenchmarkStartAction(b *testing.B) {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	svc, err := actions.New(actions.Options{Store: st, IVS: &fakeIVS{}, Chat: &fakeChat{}, MetadataRate: 1e12, MetadataBurst: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	u := &ugc.User{ID: "bench-id", Username: "bench", Email: "bench@example.com", Color: "blue", Avatar: "bear",
		Channel: ugc.Channel{Arn: "arn:aws:ivs:us-east-1:123456789012:channel/bench"}}
	if err := st.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	if err := st.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: time.Now(), Ref: "st-1"}); err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"question":"Which house?","answers":["Slytherin","Gryffindor","Hufflepuff","Ravenclaw"],"correctAnswerIndex":1}`)
	for b.Loop() {
		if _, err := svc.Start(ctx, u.ID, ugc.ActionQuiz, data); err != nil {
			b.Fatal(err)
		}
	}
}
