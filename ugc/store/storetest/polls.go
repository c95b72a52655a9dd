package storetest

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// newPoll returns a poll of channel open from start to end (in seconds
// after t0), with three options.
func newPoll(id, channel string, start, end int) *ugc.Poll {
	return &ugc.Poll{ID: id, ChannelUserID: channel, Question: "Which one?",
		Options: []string{"red", "green", "blue"}, StartedAt: at(start), EndsAt: at(end)}
}

func createPoll(t *testing.T, ctx context.Context, st store.Store, p *ugc.Poll, now int) {
	t.Helper()
	ok(t, "CreatePoll "+p.ID, st.CreatePoll(ctx, p, at(now)))
}

func vote(poll, user string, option, n int) ugc.Vote {
	return ugc.Vote{PollID: poll, UserID: user, Option: option, At: at(n)}
}

var pollsTests = []test{
	{"CreatePollStartsWithZeroCounts", func(t *testing.T, ctx context.Context, st store.Store) {
		p := newPoll("p1", "c", 0, 60)
		p.Counts = []int64{5, 5, 5} // ignored
		createPoll(t, ctx, st, p, 0)
		got, err := st.GetPoll(ctx, "p1")
		ok(t, "GetPoll", err)
		want := newPoll("p1", "c", 0, 60)
		want.Counts = []int64{0, 0, 0}
		diff(t, "GetPoll", want, got)
		_, err = st.GetPoll(ctx, "p2")
		isErr(t, "GetPoll of a missing poll", err, ugc.ErrNotFound, "")
		isField(t, "CreatePoll with a taken ID", st.CreatePoll(ctx, newPoll("p1", "d", 0, 60), at(0)), ugc.ErrAlreadyExists, "id")
	}},
	{"CreatePollOptionsTwoToTen", func(t *testing.T, ctx context.Context, st store.Store) {
		for _, n := range []int{0, 1, 11} {
			p := newPoll("p", "c", 0, 60)
			p.Options = make([]string, n)
			for i := range p.Options {
				p.Options[i] = "o"
			}
			isErr(t, "CreatePoll with too few or many options", st.CreatePoll(ctx, p, at(0)), ugc.ErrInvalidArgument, "")
		}
		p := newPoll("p", "c", 0, 60)
		p.Options = []string{"a", ""}
		isErr(t, "CreatePoll with an empty option", st.CreatePoll(ctx, p, at(0)), ugc.ErrInvalidArgument, "")
		_, err := st.GetPoll(ctx, "p")
		isErr(t, "GetPoll after refused creates", err, ugc.ErrNotFound, "")
		p.Options = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
		ok(t, "CreatePoll with ten options", st.CreatePoll(ctx, p, at(0)))
	}},
	{"CreatePollRefusedWhileAnotherIsOpen", func(t *testing.T, ctx context.Context, st store.Store) {
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 0)
		err := st.CreatePoll(ctx, newPoll("p2", "c", 10, 70), at(10))
		isErr(t, "CreatePoll while p1 is open", err, ugc.ErrFailedPrecondition, "poll_active")
		createPoll(t, ctx, st, newPoll("p3", "d", 10, 70), 10) // another channel
		// At EndsAt the poll is closed, so a new one may start.
		createPoll(t, ctx, st, newPoll("p4", "c", 60, 120), 60)
		ended, err := st.EndPoll(ctx, "p4", at(70))
		ok(t, "EndPoll", err)
		equal(t, "EndPoll ended", true, ended)
		createPoll(t, ctx, st, newPoll("p5", "c", 70, 130), 70)
	}},
	{"LatestPollIsTheLastStarted", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.LatestPoll(ctx, "c")
		isErr(t, "LatestPoll of a channel without polls", err, ugc.ErrNotFound, "")
		createPoll(t, ctx, st, newPoll("p2", "c", 100, 160), 100)
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 200) // created later, started earlier
		createPoll(t, ctx, st, newPoll("p3", "d", 200, 260), 200)
		got, err := st.LatestPoll(ctx, "c")
		ok(t, "LatestPoll", err)
		equal(t, "LatestPoll ID (closed or not)", "p2", got.ID)
	}},
	{"EndPollOnlyWhileOpen", func(t *testing.T, ctx context.Context, st store.Store) {
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 0)
		ended, err := st.EndPoll(ctx, "p1", at(30))
		ok(t, "EndPoll", err)
		equal(t, "EndPoll ended", true, ended)
		ended, err = st.EndPoll(ctx, "p1", at(31))
		ok(t, "EndPoll again", err)
		equal(t, "EndPoll again ended", false, ended)
		got, err := st.GetPoll(ctx, "p1")
		ok(t, "GetPoll", err)
		diff(t, "EndedAt", at(30), got.EndedAt)
		createPoll(t, ctx, st, newPoll("p2", "d", 0, 60), 0)
		ended, err = st.EndPoll(ctx, "p2", at(60))
		ok(t, "EndPoll at EndsAt", err)
		equal(t, "EndPoll at EndsAt ended", false, ended)
		got, err = st.GetPoll(ctx, "p2")
		ok(t, "GetPoll", err)
		equal(t, "EndedAt of a poll the clock closed is zero", true, got.EndedAt.IsZero())
		_, err = st.EndPoll(ctx, "p3", at(1))
		isErr(t, "EndPoll of a missing poll", err, ugc.ErrNotFound, "")
	}},
	{"RecordVoteOncePerUser", func(t *testing.T, ctx context.Context, st store.Store) {
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 0)
		ok(t, "RecordVote", st.RecordVote(ctx, vote("p1", "u1", 2, 1), at(1)))
		ok(t, "RecordVote", st.RecordVote(ctx, vote("p1", "u2", 2, 2), at(2)))
		ok(t, "RecordVote", st.RecordVote(ctx, vote("p1", "u3", 0, 3), at(3)))
		err := st.RecordVote(ctx, vote("p1", "u1", 1, 4), at(4))
		isErr(t, "RecordVote twice", err, ugc.ErrAlreadyExists, "already_voted")
		got, err := st.GetPoll(ctx, "p1")
		ok(t, "GetPoll", err)
		diff(t, "Counts", []int64{1, 0, 2}, got.Counts)
		v, err := st.GetVote(ctx, "p1", "u1")
		ok(t, "GetVote", err)
		w := vote("p1", "u1", 2, 1)
		diff(t, "GetVote keeps the first vote", &w, v)
		_, err = st.GetVote(ctx, "p1", "u9")
		isErr(t, "GetVote of a user who did not vote", err, ugc.ErrNotFound, "")
		_, err = st.GetVote(ctx, "p9", "u1")
		isErr(t, "GetVote of a missing poll", err, ugc.ErrNotFound, "")
	}},
	{"RecordVoteErrors", func(t *testing.T, ctx context.Context, st store.Store) {
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 0)
		isErr(t, "RecordVote on a missing poll", st.RecordVote(ctx, vote("p9", "u", 0, 1), at(1)), ugc.ErrNotFound, "")
		isErr(t, "RecordVote option -1", st.RecordVote(ctx, vote("p1", "u", -1, 1), at(1)), ugc.ErrInvalidArgument, "")
		isErr(t, "RecordVote option 3 of 3", st.RecordVote(ctx, vote("p1", "u", 3, 1), at(1)), ugc.ErrInvalidArgument, "")
		isErr(t, "RecordVote at EndsAt", st.RecordVote(ctx, vote("p1", "u", 0, 60), at(60)), ugc.ErrFailedPrecondition, "poll_closed")
		_, err := st.EndPoll(ctx, "p1", at(30))
		ok(t, "EndPoll", err)
		isErr(t, "RecordVote after EndPoll", st.RecordVote(ctx, vote("p1", "u", 0, 31), at(31)), ugc.ErrFailedPrecondition, "poll_closed")
		got, err := st.GetPoll(ctx, "p1")
		ok(t, "GetPoll", err)
		diff(t, "Counts after refused votes", []int64{0, 0, 0}, got.Counts)
		_, err = st.GetVote(ctx, "p1", "u")
		isErr(t, "GetVote after refused votes", err, ugc.ErrNotFound, "")
	}},
	{"DeletePollsOfRemovesPollsAndVotes", func(t *testing.T, ctx context.Context, st store.Store) {
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 0)
		createPoll(t, ctx, st, newPoll("p2", "d", 0, 60), 0)
		ok(t, "RecordVote", st.RecordVote(ctx, vote("p1", "u", 0, 1), at(1)))
		ok(t, "RecordVote", st.RecordVote(ctx, vote("p2", "u", 0, 1), at(1)))
		ok(t, "DeletePollsOf", st.DeletePollsOf(ctx, "c"))
		ok(t, "DeletePollsOf again (idempotent)", st.DeletePollsOf(ctx, "c"))
		_, err := st.GetPoll(ctx, "p1")
		isErr(t, "GetPoll after DeletePollsOf", err, ugc.ErrNotFound, "")
		_, err = st.GetVote(ctx, "p1", "u")
		isErr(t, "GetVote after DeletePollsOf", err, ugc.ErrNotFound, "")
		_, err = st.LatestPoll(ctx, "c")
		isErr(t, "LatestPoll after DeletePollsOf", err, ugc.ErrNotFound, "")
		_, err = st.GetVote(ctx, "p2", "u")
		ok(t, "another channel's vote survives", err)
		createPoll(t, ctx, st, newPoll("p1", "c", 0, 60), 0)
		ok(t, "RecordVote on a recreated poll", st.RecordVote(ctx, vote("p1", "u", 0, 1), at(1)))
	}},
}
