package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// race runs f(0..n-1) on n goroutines released together and returns their
// errors by index.
func race(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts nil errors and errors matching kind and code; any other
// error fails the test.
func tally(t *testing.T, what string, errs []error, kind error, code string) (wins, losses int) {
	t.Helper()
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, kind) && (code == "" || ugc.CodeOf(err) == code):
			losses++
		default:
			t.Errorf("%s: goroutine %d: unexpected error %v (want nil or %v %q)", what, i, err, kind, code)
		}
	}
	return wins, losses
}

// mixedCase returns s with the letters upper-cased where the bits of i are set.
func mixedCase(s string, i int) string {
	b := []byte(s)
	for j := range b {
		if i>>(j%8)&1 == 1 {
			b[j] = strings.ToUpper(string(b[j]))[0]
		}
	}
	return string(b)
}

var concurrencyTests = []test{
	{"RegisterSameUsername50Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(50, func(i int) error {
			return st.CreateUser(ctx, &ugc.User{ID: fmt.Sprintf("u%d", i), Username: mixedCase("streamer", i),
				Email: fmt.Sprintf("u%d@example.com", i), CreatedAt: at(1)})
		})
		wins, losses := tally(t, "CreateUser", errs, ugc.ErrAlreadyExists, "")
		equal(t, "CreateUser winners", 1, wins)
		equal(t, "CreateUser losers", 49, losses)
		for i, err := range errs {
			if err != nil && ugc.FieldOf(err) != "username" {
				t.Errorf("goroutine %d: field = %q, want username", i, ugc.FieldOf(err))
			}
		}
		u, err := st.GetUserByUsername(ctx, "STREAMER")
		ok(t, "GetUserByUsername", err)
		winner := slices.IndexFunc(errs, func(err error) bool { return err == nil })
		equal(t, "the winner owns the name", fmt.Sprintf("u%d", winner), u.ID)
	}},
	{"RegisterSameEmail20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(20, func(i int) error {
			return st.CreateUser(ctx, &ugc.User{ID: fmt.Sprintf("u%d", i), Username: fmt.Sprintf("name%d", i),
				Email: "Same@" + mixedCase("example.com", i)})
		})
		wins, losses := tally(t, "CreateUser", errs, ugc.ErrAlreadyExists, "")
		equal(t, "CreateUser winners", 1, wins)
		equal(t, "CreateUser losers", 19, losses)
	}},
	{"VoteTwice100Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		p := newPoll("p", "c", 0, 60)
		p.Options = []string{"a", "b", "c", "d"}
		createPoll(t, ctx, st, p, 0)
		var mu sync.Mutex
		var second []error
		errs := race(100, func(i int) error {
			err := st.RecordVote(ctx, vote("p", fmt.Sprintf("u%d", i), i%4, 1), at(1))
			err2 := st.RecordVote(ctx, vote("p", fmt.Sprintf("u%d", i), (i+1)%4, 2), at(2))
			mu.Lock()
			second = append(second, err2)
			mu.Unlock()
			return err
		})
		wins, _ := tally(t, "first votes", errs, ugc.ErrAlreadyExists, "already_voted")
		equal(t, "first votes recorded", 100, wins)
		wins, losses := tally(t, "second votes", second, ugc.ErrAlreadyExists, "already_voted")
		equal(t, "second votes recorded", 0, wins)
		equal(t, "second votes refused as already_voted", 100, losses)
		got, err := st.GetPoll(ctx, "p")
		ok(t, "GetPoll", err)
		diff(t, "Counts", []int64{25, 25, 25, 25}, got.Counts)
		equal(t, "Total", 100, got.Total())
	}},
	{"SameUserVotes50Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		createPoll(t, ctx, st, newPoll("p", "c", 0, 60), 0)
		errs := race(50, func(i int) error { return st.RecordVote(ctx, vote("p", "u", i%3, 1), at(1)) })
		wins, losses := tally(t, "RecordVote", errs, ugc.ErrAlreadyExists, "already_voted")
		equal(t, "votes recorded", 1, wins)
		equal(t, "votes refused", 49, losses)
		got, err := st.GetPoll(ctx, "p")
		ok(t, "GetPoll", err)
		equal(t, "Total", 1, got.Total())
		v, err := st.GetVote(ctx, "p", "u")
		ok(t, "GetVote", err)
		equal(t, "count of the recorded option", 1, got.Counts[v.Option])
	}},
	{"FollowUnfollowStormKeepsCountsExact", func(t *testing.T, ctx context.Context, st store.Store) {
		const followers, channels, goroutines, ops = 20, 5, 40, 200
		race(goroutines, func(g int) error {
			f := fmt.Sprintf("f%d", g%followers)
			x := uint32(g*7919 + 1)
			for range ops {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				ch := fmt.Sprintf("c%d", x%channels)
				var err error
				if x&0x100 == 0 {
					_, err = st.Follow(ctx, ugc.Follow{FollowerID: f, ChannelUserID: ch, FollowedAt: at(int(x % 100))})
				} else {
					_, err = st.Unfollow(ctx, f, ch)
				}
				if err != nil {
					t.Errorf("follow storm: %v", err)
					return err
				}
			}
			return nil
		})
		for c := range channels {
			ch := fmt.Sprintf("c%d", c)
			var n int64
			for f := range followers {
				is, err := st.IsFollowing(ctx, fmt.Sprintf("f%d", f), ch)
				ok(t, "IsFollowing", err)
				if is {
					n++
				}
			}
			equal(t, "FollowerCount("+ch+") vs follow records", n, count(t, ctx, st, ch))
		}
		for f := range followers {
			fid := fmt.Sprintf("f%d", f)
			list, _, err := st.ListFollowing(ctx, fid, store.Page{Limit: store.MaxPageLimit})
			ok(t, "ListFollowing", err)
			var n int
			for c := range channels {
				is, err := st.IsFollowing(ctx, fid, fmt.Sprintf("c%d", c))
				ok(t, "IsFollowing", err)
				if is {
					n++
				}
			}
			equal(t, "len(ListFollowing("+fid+")) vs follow records", n, len(list))
		}
	}},
	{"DeleteFollowsOfDuringFollowStorm", func(t *testing.T, ctx context.Context, st store.Store) {
		// Goroutines follow and unfollow x and each other while others
		// delete x's follows; counts must still equal the records.
		const users = 10
		race(30, func(g int) error {
			for i := range 50 {
				var err error
				a, b := fmt.Sprintf("u%d", (g+i)%users), fmt.Sprintf("u%d", (g*3+i)%users)
				switch {
				case g%10 == 0:
					err = st.DeleteFollowsOf(ctx, "u0")
				case a == b:
				case i%3 == 2:
					_, err = st.Unfollow(ctx, a, b)
				default:
					_, err = st.Follow(ctx, ugc.Follow{FollowerID: a, ChannelUserID: b, FollowedAt: at(i)})
				}
				if err != nil {
					t.Errorf("storm: %v", err)
					return err
				}
			}
			return nil
		})
		for c := range users {
			ch := fmt.Sprintf("u%d", c)
			var n int64
			for f := range users {
				if f == c {
					continue
				}
				is, err := st.IsFollowing(ctx, fmt.Sprintf("u%d", f), ch)
				ok(t, "IsFollowing", err)
				if is {
					n++
				}
			}
			equal(t, "FollowerCount("+ch+") vs follow records", n, count(t, ctx, st, ch))
		}
	}},
	{"FollowSamePair50Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		var mu sync.Mutex
		created := 0
		race(50, func(i int) error {
			c, err := st.Follow(ctx, ugc.Follow{FollowerID: "f", ChannelUserID: "c", FollowedAt: at(i)})
			if err != nil {
				t.Errorf("Follow: %v", err)
			}
			if c {
				mu.Lock()
				created++
				mu.Unlock()
			}
			return err
		})
		equal(t, "Follow calls that created", 1, created)
		equal(t, "FollowerCount", 1, count(t, ctx, st, "c"))
	}},
	{"ReserveSeat20GoroutinesMax11", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(20, func(i int) error {
			return st.ReserveSeat(ctx, seat("s", fmt.Sprintf("u%02d", i), 1, 100), 11, at(1))
		})
		wins, losses := tally(t, "ReserveSeat", errs, ugc.ErrFailedPrecondition, "stage_full")
		equal(t, "seats reserved", 11, wins)
		equal(t, "reservations refused as stage_full", 9, losses)
		seats, err := st.ListSeats(ctx, "s", at(1))
		ok(t, "ListSeats", err)
		equal(t, "len(ListSeats)", 11, len(seats))
	}},
	{"CreatePollSameChannel10Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(10, func(i int) error { return st.CreatePoll(ctx, newPoll(fmt.Sprintf("p%d", i), "c", 0, 60), at(0)) })
		wins, losses := tally(t, "CreatePoll", errs, ugc.ErrFailedPrecondition, "poll_active")
		equal(t, "polls created", 1, wins)
		equal(t, "polls refused as poll_active", 9, losses)
	}},
	{"UseResetToken20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "CreateResetToken", st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "r", UserID: "u", ExpiresAt: at(100)}))
		errs := race(20, func(i int) error { return e1(st.UseResetToken(ctx, "r", at(1))) })
		wins, losses := tally(t, "UseResetToken", errs, ugc.ErrFailedPrecondition, "token_used")
		equal(t, "tokens used", 1, wins)
		equal(t, "uses refused as token_used", 19, losses)
	}},
	{"PutStreamSessionSameVersion20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		putSession(t, ctx, st, newSession("st", "u", 1))
		errs := race(20, func(i int) error {
			s := newSession("st", "u", 1)
			s.ChannelArn = fmt.Sprintf("writer-%d", i)
			return e1(st.PutStreamSession(ctx, s, 1))
		})
		wins, losses := tally(t, "PutStreamSession", errs, ugc.ErrFailedPrecondition, "version_conflict")
		equal(t, "writes applied", 1, wins)
		equal(t, "writes refused as version_conflict", 19, losses)
		s, v, err := st.GetStreamSessionVersion(ctx, "st")
		ok(t, "GetStreamSessionVersion", err)
		equal(t, "version", 2, v)
		winner := slices.IndexFunc(errs, func(err error) bool { return err == nil })
		equal(t, "the stored session is the winner's", fmt.Sprintf("writer-%d", winner), s.ChannelArn)
	}},
	{"UpdateUserSameVersion20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u", "Alice")
		errs := race(20, func(i int) error {
			u := newUser("u", "Alice")
			u.Version = 1
			u.Color = fmt.Sprintf("c%d", i)
			return st.UpdateUser(ctx, u)
		})
		wins, losses := tally(t, "UpdateUser", errs, ugc.ErrFailedPrecondition, "version_conflict")
		equal(t, "updates applied", 1, wins)
		equal(t, "updates refused as version_conflict", 19, losses)
	}},
	{"CreateStageSessionSameChannel10Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(10, func(i int) error { return st.CreateStageSession(ctx, newStage(fmt.Sprintf("s%d", i), "h", 1)) })
		wins, losses := tally(t, "CreateStageSession", errs, ugc.ErrAlreadyExists, "session_active")
		equal(t, "sessions created", 1, wins)
		equal(t, "sessions refused as session_active", 9, losses)
	}},
	{"CreateJoinRequestSameUser10Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(10, func(i int) error { return st.CreateJoinRequest(ctx, newRequest(fmt.Sprintf("r%d", i), "h", "u", 1)) })
		wins, losses := tally(t, "CreateJoinRequest", errs, ugc.ErrAlreadyExists, "request_pending")
		equal(t, "requests created", 1, wins)
		equal(t, "requests refused as request_pending", 9, losses)
	}},
	{"UseJoinRequestToken20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		r := newRequest("r1", "h", "u", 1)
		ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, r))
		acc := clone(r)
		acc.Status = ugc.RequestAccepted
		ok(t, "UpdateJoinRequest pending→accepted", st.UpdateJoinRequest(ctx, acc, ugc.RequestPending))
		errs := race(20, func(int) error {
			used := clone(acc)
			used.TokenUsed = true
			return st.UpdateJoinRequest(ctx, used, ugc.RequestAccepted)
		})
		wins, losses := tally(t, "UpdateJoinRequest setting TokenUsed", errs, ugc.ErrFailedPrecondition, "request_state")
		equal(t, "tokens minted", 1, wins)
		equal(t, "mints refused as request_state", 19, losses)
	}},
	{"AppendNotification50Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		seqs := make([]int64, 50)
		race(50, func(i int) error {
			n := &ugc.Notification{UserID: "u", Type: "t", CreatedAt: at(1)}
			err := st.AppendNotification(ctx, n)
			if err != nil {
				t.Errorf("AppendNotification: %v", err)
			}
			seqs[i] = n.Seq
			return err
		})
		slices.Sort(seqs)
		want := make([]int64, 50)
		for i := range want {
			want[i] = int64(i + 1)
		}
		diff(t, "sequence numbers", want, seqs)
		got, err := st.ListNotifications(ctx, "u", 0, store.MaxPageLimit)
		ok(t, "ListNotifications", err)
		equal(t, "len(ListNotifications)", 50, len(got))
	}},
}
