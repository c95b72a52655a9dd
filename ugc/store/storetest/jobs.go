package storetest

import (
	"context"
	"testing"

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
}
