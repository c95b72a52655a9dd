package storetest

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func appendNote(t *testing.T, ctx context.Context, st store.Store, user string, n int) ugc.Notification {
	t.Helper()
	note := &ugc.Notification{UserID: user, Type: "stage.request.created", Data: []byte(`{"n":1}`), CreatedAt: at(n)}
	ok(t, "AppendNotification", st.AppendNotification(ctx, note))
	return *note
}

var notificationsTests = []test{
	{"AppendNotificationNumbersFromOnePerUser", func(t *testing.T, ctx context.Context, st store.Store) {
		a1 := appendNote(t, ctx, st, "a", 1)
		a2 := appendNote(t, ctx, st, "a", 2)
		b1 := appendNote(t, ctx, st, "b", 3)
		a3 := appendNote(t, ctx, st, "a", 4)
		diff(t, "Seq of a's notifications", []int64{1, 2, 3}, []int64{a1.Seq, a2.Seq, a3.Seq})
		equal(t, "Seq of b's first notification", 1, b1.Seq)
		got, err := st.ListNotifications(ctx, "a", 0, 0)
		ok(t, "ListNotifications", err)
		diff(t, "ListNotifications", []ugc.Notification{a1, a2, a3}, got)
		got, err = st.ListNotifications(ctx, "a", 1, 1)
		ok(t, "ListNotifications after 1, limit 1", err)
		diff(t, "ListNotifications after 1, limit 1", []ugc.Notification{a2}, got)
		got, err = st.ListNotifications(ctx, "a", 3, 0)
		ok(t, "ListNotifications after the last", err)
		equal(t, "len(ListNotifications after the last)", 0, len(got))
	}},
	{"ListNotificationsLimits", func(t *testing.T, ctx context.Context, st store.Store) {
		for i := range store.MaxPageLimit + 5 {
			appendNote(t, ctx, st, "a", i)
		}
		got, err := st.ListNotifications(ctx, "a", 0, 0)
		ok(t, "ListNotifications limit 0", err)
		equal(t, "len with limit 0 (DefaultPageLimit)", store.DefaultPageLimit, len(got))
		got, err = st.ListNotifications(ctx, "a", 0, store.MaxPageLimit)
		ok(t, "ListNotifications limit MaxPageLimit", err)
		equal(t, "len with limit MaxPageLimit", store.MaxPageLimit, len(got))
		equal(t, "last Seq", int64(store.MaxPageLimit), got[len(got)-1].Seq)
		for _, l := range []int{-1, store.MaxPageLimit + 1} {
			_, err = st.ListNotifications(ctx, "a", 0, l)
			isErr(t, "ListNotifications with a bad limit", err, ugc.ErrInvalidArgument, "")
		}
	}},
	{"DeleteNotificationsBeforeNeverReusesSeq", func(t *testing.T, ctx context.Context, st store.Store) {
		appendNote(t, ctx, st, "a", 1)
		appendNote(t, ctx, st, "a", 2)
		a3 := appendNote(t, ctx, st, "a", 3)
		b1 := appendNote(t, ctx, st, "b", 1)
		ok(t, "DeleteNotificationsBefore", st.DeleteNotificationsBefore(ctx, at(3)))
		ok(t, "DeleteNotificationsBefore again (idempotent)", st.DeleteNotificationsBefore(ctx, at(3)))
		got, err := st.ListNotifications(ctx, "a", 0, 0)
		ok(t, "ListNotifications", err)
		diff(t, "ListNotifications after retention (CreatedAt == t is kept)", []ugc.Notification{a3}, got)
		got, err = st.ListNotifications(ctx, "b", 0, 0)
		ok(t, "ListNotifications", err)
		equal(t, "len(ListNotifications(b))", 0, len(got))
		ok(t, "DeleteNotificationsBefore", st.DeleteNotificationsBefore(ctx, at(100)))
		a4 := appendNote(t, ctx, st, "a", 200)
		equal(t, "Seq after every notification was removed", 4, a4.Seq)
		b2 := appendNote(t, ctx, st, "b", 200)
		equal(t, "Seq of b after its only notification was removed", b1.Seq+1, b2.Seq)
	}},
}
