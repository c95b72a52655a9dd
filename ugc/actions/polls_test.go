package actions_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
)

var pollIn = actions.PollInput{Question: "Best pet?", Options: []string{"cat", "dog", "fish"}, DurationSeconds: 10}

// A poll closes at its end time by the clock: votes are refused from then
// on, the result is final, and poll:end goes out at that instant.
func TestPollClosesOnTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "pollster")
		ctx := context.Background()
		start := time.Now()
		p, err := f.svc.StartPoll(ctx, u.ID, pollIn)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != actions.PollActive || !p.EndsAt.Equal(start.Add(10*time.Second)) {
			t.Fatalf("started poll %+v", p)
		}
		if _, err := f.svc.StartPoll(ctx, u.ID, pollIn); ugc.CodeOf(err) != "poll_active" {
			t.Errorf("second poll: %v, want poll_active", err)
		}
		// The first vote's poll:update goes out at once; the next two,
		// within the throttle interval, share one at 500 ms. (Votes cast
		// back to back at one instant would leave it to the scheduler
		// whether the first update fires between them.)
		for i, opt := range []int{1, 1, 0} {
			if err := f.svc.Vote(ctx, "pollster", p.ID, fmt.Sprintf("v%d", i), opt); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				time.Sleep(100 * time.Millisecond)
			}
		}
		time.Sleep(10*time.Second - 100*time.Millisecond - time.Nanosecond)
		if err := f.svc.Vote(ctx, "pollster", p.ID, "v3", 2); err != nil {
			t.Fatalf("vote just before the end: %v", err)
		}
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		if err := f.svc.Vote(ctx, "pollster", p.ID, "v4", 2); ugc.CodeOf(err) != "poll_closed" {
			t.Errorf("vote at the end: %v, want poll_closed", err)
		}
		got, err := f.svc.Poll(ctx, "pollster", p.ID, "v0")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(struct {
			Status string
			Counts []int64
			Winner int
			Tie    bool
			MyVote int
		}{actions.PollEnded, []int64{1, 2, 1}, 1, false, 1}, struct {
			Status string
			Counts []int64
			Winner int
			Tie    bool
			MyVote int
		}{got.Status, got.Counts, got.Winner, got.Tie, got.MyVote}); diff != "" {
			t.Errorf("ended poll mismatch (-want +got):\n%s", diff)
		}
		if _, err := f.svc.ActivePoll(ctx, "pollster", ""); !errors.Is(err, ugc.ErrNotFound) {
			t.Errorf("ActivePoll after the end: %v, want not found", err)
		}
		var names []string
		var endAt time.Duration
		var end map[string]string
		for _, ev := range f.chat.list() {
			names = append(names, ev.Name)
			if ev.Name == actions.EventPollEnd {
				endAt, end = ev.At.Sub(start), ev.Attrs
			}
			if ev.Room != u.Channel.ChatRoomArn {
				t.Errorf("event sent to %s", ev.Room)
			}
		}
		if diff := cmp.Diff([]string{"poll:start", "poll:update", "poll:update", "poll:update", "poll:end"}, names); diff != "" {
			t.Errorf("chat events mismatch (-want +got):\n%s", diff)
		}
		if endAt != 10*time.Second {
			t.Errorf("poll:end sent at %s, want 10s", endAt)
		}
		wantEnd := map[string]string{"pollId": p.ID, "counts": "[1,2,1]", "totalVotes": "4", "status": "ended",
			"endsAt": start.Add(10 * time.Second).UTC().Format(time.RFC3339Nano), "winner": "1"}
		if diff := cmp.Diff(wantEnd, end); diff != "" {
			t.Errorf("poll:end attributes mismatch (-want +got):\n%s", diff)
		}
		// A new poll can start once the previous one closed.
		if _, err := f.svc.StartPoll(ctx, u.ID, pollIn); err != nil {
			t.Errorf("next poll: %v", err)
		}
	})
}

// poll:update goes out at most twice a second while votes arrive, and the
// last one carries every vote recorded before it.
func TestPollUpdatesThrottled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "busypoll")
		ctx := context.Background()
		start := time.Now()
		p, err := f.svc.StartPoll(ctx, u.ID, actions.PollInput{Question: "q", Options: []string{"a", "b"}, DurationSeconds: 60})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 { // one vote every 30 ms for 3 s
			if err := f.svc.Vote(ctx, "busypoll", p.ID, fmt.Sprintf("v%d", i), i%2); err != nil {
				t.Fatal(err)
			}
			time.Sleep(30 * time.Millisecond)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		var updates []chatEvent
		for _, ev := range f.chat.list() {
			if ev.Name == actions.EventPollUpdate {
				updates = append(updates, ev)
			}
		}
		for i := 1; i < len(updates); i++ {
			if d := updates[i].At.Sub(updates[i-1].At); d < 500*time.Millisecond {
				t.Errorf("updates %d and %d are %s apart", i-1, i, d)
			}
		}
		if n := len(updates); n < 6 || n > 7 {
			t.Errorf("%d updates over 3 s of votes, want 6 or 7", n)
		}
		if last := updates[len(updates)-1]; last.Attrs["counts"] != "[50,50]" || last.Attrs["totalVotes"] != "100" {
			t.Errorf("last update %v at %s, want every vote", last.Attrs, last.At.Sub(start))
		}
	})
}

// Ending a poll early closes it at once and announces the result; a poll
// with no votes is a tie.
func TestEndPollEarly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEnv(t)
		u := f.live(t, "ender")
		ctx := context.Background()
		p, err := f.svc.StartPoll(ctx, u.ID, pollIn)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		if err := f.svc.EndPoll(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EndPoll(ctx, u.ID); err != nil {
			t.Errorf("second EndPoll: %v", err)
		}
		got, err := f.svc.Poll(ctx, "ender", p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != actions.PollEnded || !got.Tie || got.Winner != -1 || got.ClosesAt.Sub(p.StartedAt) != 3*time.Second {
			t.Errorf("poll after EndPoll: %+v", got)
		}
		if err := f.svc.Vote(ctx, "ender", p.ID, "late", 0); ugc.CodeOf(err) != "poll_closed" {
			t.Errorf("vote after EndPoll: %v, want poll_closed", err)
		}
		time.Sleep(10 * time.Second) // past the original end: no second poll:end
		synctest.Wait()
		var ends int
		for _, ev := range f.chat.list() {
			if ev.Name == actions.EventPollEnd {
				ends++
				if ev.Attrs["tie"] != "true" {
					t.Errorf("poll:end %v, want a tie", ev.Attrs)
				}
			}
		}
		if ends != 1 {
			t.Errorf("%d poll:end events, want 1", ends)
		}
	})
}

// Who may vote: signed-in viewers not banned; one vote each; options in
// range; polls of the named channel only.
func TestVoteRules(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	s := e.user("owner1")
	other := e.user("owner2")
	p, err := e.svc.StartPoll(ctx, s.ID, pollIn)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, b := range []ugc.Ban{
		{ChannelUserID: s.ID, UserID: "banned", BannedBy: s.ID, CreatedAt: now},
		{ChannelUserID: s.ID, UserID: "expired", BannedBy: s.ID, CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Minute)},
		{ChannelUserID: other.ID, UserID: "elsewhere", BannedBy: other.ID, CreatedAt: now},
	} {
		if err := e.st.PutBan(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, channel, poll, user string
		option                    int
		wantCode                  string
	}{
		{"viewer", "owner1", p.ID, "viewer", 0, ""},
		{"second vote", "owner1", p.ID, "viewer", 1, "already_voted"},
		{"anonymous", "owner1", p.ID, "", 0, "unauthenticated"},
		{"banned", "owner1", p.ID, "banned", 0, "banned"},
		{"ban expired", "owner1", p.ID, "expired", 2, ""},
		{"banned elsewhere", "owner1", p.ID, "elsewhere", 2, ""},
		{"owner", "owner1", p.ID, s.ID, 2, ""},
		{"option out of range", "owner1", p.ID, "v2", 3, "invalid_argument"},
		{"negative option", "owner1", p.ID, "v2", -1, "invalid_argument"},
		{"another channel's poll", "owner2", p.ID, "v2", 0, "not_found"},
		{"unknown poll", "owner1", "nope", "v2", 0, "not_found"},
		{"unknown channel", "ghost1", p.ID, "v2", 0, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.Vote(ctx, tt.channel, tt.poll, tt.user, tt.option)
			if got := ugc.CodeOf(err); got != tt.wantCode {
				t.Errorf("Vote: %v (code %q), want %q", err, got, tt.wantCode)
			}
		})
	}
	got, err := e.svc.ActivePoll(ctx, "owner1", "viewer")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{1, 0, 3}, got.Counts); diff != "" || got.MyVote != 0 || got.Status != actions.PollActive || got.Winner != -1 {
		t.Errorf("active poll %+v; counts mismatch (-want +got):\n%s", got, diff)
	}
	if got, _ := e.svc.ActivePoll(ctx, "owner1", "nobody"); got.MyVote != -1 {
		t.Errorf("MyVote of a viewer who did not vote = %d", got.MyVote)
	}
	if _, err := e.svc.ActivePoll(ctx, "owner2", ""); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("ActivePoll of a channel without a poll: %v", err)
	}
}

// Poll events reach viewers connected to the room's WebSocket.
func TestPollEventsReachChat(t *testing.T) {
	e := newEnv(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := e.user("chatty")
	tok, err := e.chat.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: aws.String(s.Channel.ChatRoomArn), UserId: aws.String("viewer")})
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.Dial(ctx, e.srv.ChatEndpoint(), &websocket.DialOptions{Subprotocols: []string{aws.ToString(tok.Token)}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	next := func() (string, map[string]string) {
		t.Helper()
		for {
			_, b, err := ws.Read(ctx)
			if err != nil {
				t.Fatalf("reading the room: %v", err)
			}
			var f struct {
				Type, EventName string
				Attributes      map[string]string
			}
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatal(err)
			}
			if f.Type == "EVENT" {
				return f.EventName, f.Attributes
			}
		}
	}
	p, err := e.svc.StartPoll(ctx, s.ID, pollIn)
	if err != nil {
		t.Fatal(err)
	}
	name, attrs := next()
	if name != actions.EventPollStart || attrs["question"] != "Best pet?" || attrs["options"] != `["cat","dog","fish"]` || attrs["counts"] != "[0,0,0]" {
		t.Errorf("first event %s %v", name, attrs)
	}
	if err := e.svc.Vote(ctx, "chatty", p.ID, "viewer", 2); err != nil {
		t.Fatal(err)
	}
	if name, attrs := next(); name != actions.EventPollUpdate || attrs["counts"] != "[0,0,1]" || attrs["totalVotes"] != "1" {
		t.Errorf("second event %s %v", name, attrs)
	}
	if err := e.svc.EndPoll(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if name, attrs := next(); name != actions.EventPollEnd || attrs["winner"] != "2" || attrs["status"] != "ended" {
		t.Errorf("third event %s %v", name, attrs)
	}
}

// 1,000 viewers vote at once, one in ten twice: the tallies are exact and
// every second vote is refused.
func TestVoteStorm(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	s := e.user("stormy")
	p, err := e.svc.StartPoll(ctx, s.ID, actions.PollInput{Question: "q", Options: []string{"a", "b", "c", "d", "e"}, DurationSeconds: 120})
	if err != nil {
		t.Fatal(err)
	}
	var dup, other atomic.Int64
	var wg sync.WaitGroup
	for i := range 1000 {
		tries := 1
		if i%10 == 0 {
			tries = 2
		}
		for try := range tries {
			wg.Go(func() {
				err := e.svc.Vote(ctx, "stormy", p.ID, fmt.Sprintf("viewer%d", i), (i+try)%5)
				switch {
				case err == nil:
				case ugc.CodeOf(err) == "already_voted":
					dup.Add(1)
				default:
					other.Add(1)
					t.Errorf("vote: %v", err)
				}
			})
		}
	}
	wg.Wait()
	if dup.Load() != 100 || other.Load() != 0 {
		t.Errorf("%d already_voted, %d other errors; want 100 and 0", dup.Load(), other.Load())
	}
	got, err := e.svc.Poll(ctx, "stormy", p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	// Each viewer's accepted vote is the one the store kept.
	want := make([]int64, 5)
	for i := range 1000 {
		v, err := e.st.GetVote(ctx, p.ID, fmt.Sprintf("viewer%d", i))
		if err != nil {
			t.Fatal(err)
		}
		want[v.Option]++
	}
	if diff := cmp.Diff(want, got.Counts); diff != "" || got.Total() != 1000 {
		t.Errorf("total %d; counts mismatch (-want +got):\n%s", got.Total(), diff)
	}
}

// A replica dies mid-poll: a new Service on the same database keeps every
// acknowledged vote, still refuses second votes and closes the poll on
// time.
func TestRestartMidPoll(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ugc.db")
	st, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, st)
	s := e.user("durable")
	p, err := e.svc.StartPoll(ctx, s.ID, actions.PollInput{Question: "q", Options: []string{"a", "b", "c"}, DurationSeconds: 600})
	if err != nil {
		t.Fatal(err)
	}
	acked := make([]int64, 3)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			if err := e.svc.Vote(ctx, "durable", p.ID, fmt.Sprintf("u%d", i), i%3); err != nil {
				t.Errorf("vote %d: %v", i, err)
				return
			}
			mu.Lock()
			acked[i%3]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st2.Close() })
	e.st = st2
	svc2 := e.newService()
	got, err := svc2.ActivePoll(ctx, "durable", "u4")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(acked, got.Counts); diff != "" || got.MyVote != 1 {
		t.Errorf("myVote %d; counts after restart mismatch (-want +got):\n%s", got.MyVote, diff)
	}
	if err := svc2.Vote(ctx, "durable", p.ID, "u0", 2); ugc.CodeOf(err) != "already_voted" {
		t.Errorf("second vote after restart: %v, want already_voted", err)
	}
	if err := svc2.Vote(ctx, "durable", p.ID, "new", 2); err != nil {
		t.Errorf("new vote after restart: %v", err)
	}
	if err := svc2.EndPoll(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	final, err := svc2.Poll(ctx, "durable", p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	acked[2]++
	if diff := cmp.Diff(acked, final.Counts, cmpopts.EquateEmpty()); diff != "" || final.Status != actions.PollEnded || final.Winner != 2 || final.Tie {
		t.Errorf("final %+v; mismatch (-want +got):\n%s", final, diff)
	}
}
