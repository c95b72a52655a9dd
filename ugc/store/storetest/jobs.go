package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

var jobsTests = []test{
	{"PutJobKeepsCreatedAtOfFirstWrite", func(t *testing.T, ctx context.Context, st store.Store) {
		j := &ugc.Job{Kind: "provision", ID: "u1", Step: "channel", Data: map[string]string{"arn": "a"},
			CreatedAt: at(1), UpdatedAt: at(1)}
		ok(t, "PutJob", st.PutJob(ctx, j))
		got, err := st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		diff(t, "GetJob", j, got)

		j2 := &ugc.Job{Kind: "provision", ID: "u1", Step: "room", Data: map[string]string{"arn": "a", "room": "r"},
			CreatedAt: at(5), UpdatedAt: at(6)}
		ok(t, "PutJob replace", st.PutJob(ctx, j2))
		got, err = st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		want := *j2
		want.CreatedAt = at(1)
		diff(t, "GetJob after replace", &want, got)

		got.Data["room"] = "changed"
		again, err := st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		equal(t, "Data[room] after editing a returned copy", "r", again.Data["room"])
	}},
	{"JobsAreKeyedByKindAndID", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "PutJob", st.PutJob(ctx, &ugc.Job{Kind: "provision", ID: "u1", Step: "a", UpdatedAt: at(1)}))
		ok(t, "PutJob", st.PutJob(ctx, &ugc.Job{Kind: "delete", ID: "u1", Step: "b", UpdatedAt: at(1)}))
		got, err := st.GetJob(ctx, "delete", "u1")
		ok(t, "GetJob", err)
		equal(t, "Step", "b", got.Step)
		ok(t, "DeleteJob", st.DeleteJob(ctx, "delete", "u1"))
		ok(t, "DeleteJob again (idempotent)", st.DeleteJob(ctx, "delete", "u1"))
		_, err = st.GetJob(ctx, "delete", "u1")
		isErr(t, "GetJob after DeleteJob", err, ugc.ErrNotFound, "")
		_, err = st.GetJob(ctx, "provision", "u1")
		ok(t, "the other kind's job survives", err)
	}},
	{"ListJobsUpdatedBeforeOldestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		for _, j := range []*ugc.Job{
			{Kind: "provision", ID: "c", UpdatedAt: at(2)},
			{Kind: "provision", ID: "a", UpdatedAt: at(3)},
			{Kind: "provision", ID: "b", UpdatedAt: at(2)},
			{Kind: "provision", ID: "d", UpdatedAt: at(10)},
			{Kind: "delete", ID: "e", UpdatedAt: at(1)},
		} {
			ok(t, "PutJob", st.PutJob(ctx, j))
		}
		// Updating a job moves it in the order.
		ok(t, "PutJob", st.PutJob(ctx, &ugc.Job{Kind: "provision", ID: "a", UpdatedAt: at(1)}))
		got, next, err := st.ListJobs(ctx, "provision", at(10), store.Page{})
		ok(t, "ListJobs", err)
		equal(t, "next", "", next)
		var ids []string
		for _, j := range got {
			ids = append(ids, j.ID)
		}
		diff(t, "ListJobs IDs (updatedBefore is exclusive)", []string{"a", "b", "c"}, ids)
	}},
	{"CreateJobOnlyWhenAbsent", func(t *testing.T, ctx context.Context, st store.Store) {
		j := &ugc.Job{Kind: "provision", ID: "u1", Step: "start", Data: map[string]string{"owner": "a"},
			CreatedAt: at(1), UpdatedAt: at(1)}
		ok(t, "CreateJob", st.CreateJob(ctx, j))
		got, err := st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		diff(t, "GetJob after CreateJob", j, got)

		err = st.CreateJob(ctx, &ugc.Job{Kind: "provision", ID: "u1", Step: "other", CreatedAt: at(2), UpdatedAt: at(2)})
		isField(t, "CreateJob of an existing job", err, ugc.ErrAlreadyExists, "id")
		isErr(t, "CreateJob of an existing job", err, ugc.ErrAlreadyExists, "job_exists")
		got, err = st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		diff(t, "GetJob after a refused CreateJob", j, got)

		// The same ID of another kind is another job; a deleted job can be
		// created again.
		ok(t, "CreateJob of another kind", st.CreateJob(ctx, &ugc.Job{Kind: "delete", ID: "u1", UpdatedAt: at(1)}))
		ok(t, "DeleteJob", st.DeleteJob(ctx, "provision", "u1"))
		ok(t, "CreateJob after DeleteJob", st.CreateJob(ctx, &ugc.Job{Kind: "provision", ID: "u1", UpdatedAt: at(3)}))
	}},
	{"UpdateJobComparesUpdatedAt", func(t *testing.T, ctx context.Context, st store.Store) {
		j := &ugc.Job{Kind: "provision", ID: "u1", Step: "start", Data: map[string]string{"a": "1"},
			CreatedAt: at(1), UpdatedAt: at(1)}
		ok(t, "CreateJob", st.CreateJob(ctx, j))

		next := &ugc.Job{Kind: "provision", ID: "u1", Step: "channel", Data: map[string]string{"a": "1", "b": "2"},
			CreatedAt: at(9), UpdatedAt: at(5)}
		ok(t, "UpdateJob from the stored UpdatedAt", st.UpdateJob(ctx, next, at(1)))
		equal(t, "UpdatedAt set by UpdateJob (later than prev: as given)", at(5), next.UpdatedAt)
		got, err := st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		want := &ugc.Job{Kind: "provision", ID: "u1", Step: "channel", Data: map[string]string{"a": "1", "b": "2"},
			CreatedAt: at(1), UpdatedAt: at(5)}
		diff(t, "GetJob after UpdateJob (CreatedAt kept)", want, got)

		stale := &ugc.Job{Kind: "provision", ID: "u1", Step: "stale", UpdatedAt: at(6)}
		isErr(t, "UpdateJob from an old UpdatedAt", st.UpdateJob(ctx, stale, at(1)), ugc.ErrFailedPrecondition, "job_changed")
		equal(t, "UpdatedAt of a refused update is unchanged", at(6), stale.UpdatedAt)
		got, err = st.GetJob(ctx, "provision", "u1")
		ok(t, "GetJob", err)
		diff(t, "GetJob after a refused UpdateJob", want, got)

		missing := &ugc.Job{Kind: "provision", ID: "nobody", UpdatedAt: at(2)}
		isErr(t, "UpdateJob of a missing job", st.UpdateJob(ctx, missing, at(1)), ugc.ErrNotFound, "")
		_, err = st.GetJob(ctx, "provision", "nobody")
		isErr(t, "UpdateJob does not create", err, ugc.ErrNotFound, "")
	}},
	{"UpdateJobAlwaysMovesUpdatedAt", func(t *testing.T, ctx context.Context, st store.Store) {
		// A frozen or coarse clock: the new UpdatedAt is not after prev, yet
		// every update changes the version, so an old one cannot match.
		ok(t, "CreateJob", st.CreateJob(ctx, &ugc.Job{Kind: "k", ID: "j", UpdatedAt: at(10)}))
		j := &ugc.Job{Kind: "k", ID: "j", Step: "1", UpdatedAt: at(10)}
		ok(t, "UpdateJob with UpdatedAt == prev", st.UpdateJob(ctx, j, at(10)))
		equal(t, "UpdatedAt", at(10).Add(time.Millisecond), j.UpdatedAt)
		isErr(t, "UpdateJob from the version before", st.UpdateJob(ctx, &ugc.Job{Kind: "k", ID: "j", UpdatedAt: at(10)}, at(10)),
			ugc.ErrFailedPrecondition, "job_changed")
		back := &ugc.Job{Kind: "k", ID: "j", Step: "2", UpdatedAt: at(3)}
		ok(t, "UpdateJob with UpdatedAt before prev", st.UpdateJob(ctx, back, j.UpdatedAt))
		equal(t, "UpdatedAt", at(10).Add(2*time.Millisecond), back.UpdatedAt)
		got, err := st.GetJob(ctx, "k", "j")
		ok(t, "GetJob", err)
		equal(t, "stored UpdatedAt", back.UpdatedAt, got.UpdatedAt)
		equal(t, "stored Step", "2", got.Step)
		// Sub-millisecond parts are beyond the stores' precision.
		sub := &ugc.Job{Kind: "k", ID: "j", Step: "3", UpdatedAt: at(20).Add(1500 * time.Microsecond)}
		ok(t, "UpdateJob", st.UpdateJob(ctx, sub, got.UpdatedAt.Add(300*time.Microsecond)))
		equal(t, "UpdatedAt at millisecond precision", at(20).Add(time.Millisecond), sub.UpdatedAt)
		// Jobs updated by UpdateJob move in ListJobs' order.
		js, _, err := st.ListJobs(ctx, "k", at(20), store.Page{})
		ok(t, "ListJobs", err)
		equal(t, "jobs updated before the last UpdatedAt", 0, len(js))
	}},
	{"CreateJobRace20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		errs := race(20, func(i int) error {
			return st.CreateJob(ctx, &ugc.Job{Kind: "provision", ID: "race", Step: "start",
				Data: map[string]string{"owner": fmt.Sprint(i)}, UpdatedAt: at(1)})
		})
		wins, losses := tally(t, "CreateJob", errs, ugc.ErrAlreadyExists, "job_exists")
		equal(t, "CreateJob winners", 1, wins)
		equal(t, "CreateJob losers", 19, losses)
		got, err := st.GetJob(ctx, "provision", "race")
		ok(t, "GetJob", err)
		for i, err := range errs {
			if err == nil {
				equal(t, "the winner's job is stored", fmt.Sprint(i), got.Data["owner"])
			}
		}
	}},
	{"UpdateJobRace20Goroutines", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "CreateJob", st.CreateJob(ctx, &ugc.Job{Kind: "provision", ID: "race", Step: "start", UpdatedAt: at(1)}))
		// Half the goroutines write the same UpdatedAt as prev (a frozen
		// clock), half a later one: still exactly one wins.
		errs := race(20, func(i int) error {
			return st.UpdateJob(ctx, &ugc.Job{Kind: "provision", ID: "race", Step: "run",
				Data: map[string]string{"owner": fmt.Sprint(i)}, UpdatedAt: at(1 + i%2)}, at(1))
		})
		wins, losses := tally(t, "UpdateJob", errs, ugc.ErrFailedPrecondition, "job_changed")
		equal(t, "UpdateJob winners", 1, wins)
		equal(t, "UpdateJob losers", 19, losses)
		got, err := st.GetJob(ctx, "provision", "race")
		ok(t, "GetJob", err)
		for i, err := range errs {
			if err == nil {
				equal(t, "the winner's job is stored", fmt.Sprint(i), got.Data["owner"])
			}
		}
		// The winner goes on from the version it got; the losers cannot.
		isErr(t, "UpdateJob from the raced version", st.UpdateJob(ctx, got, at(1)), ugc.ErrFailedPrecondition, "job_changed")
		ok(t, "UpdateJob from the stored version", st.UpdateJob(ctx, got, got.UpdatedAt))
	}},
}
