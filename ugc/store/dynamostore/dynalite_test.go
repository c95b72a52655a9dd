package dynamostore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// TestDynaliteWithoutTransactions runs, on dynalite, the methods that need
// no TransactWriteItems (single-item conditional writes, queries of the
// base table, LSI1 and the GSIs, paging, sharded merges) and compares each
// result with memstore's, so the table design is checked on a second
// DynamoDB implementation even while dynalite lacks transactions.
func TestDynaliteWithoutTransactions(t *testing.T) {
	e := startDynalite(t)
	ctx := t.Context()
	table, err := e.newTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamostore.New(e.client, table)
	if err != nil {
		t.Fatal(err)
	}
	mem := memstore.New()
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

	// writes are applied to both stores; each must succeed on both.
	writes := []func(st store.Store) error{}
	for i := range 23 {
		u := fmt.Sprintf("u%02d", i)
		writes = append(writes,
			func(st store.Store) error {
				return st.SetLive(ctx, ugc.LiveEntry{UserID: u, Kind: ugc.LiveLowLatency, Since: at(i / 2), Ref: "s" + u})
			},
			func(st store.Store) error {
				_, err := st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: "e" + u, SessionID: "ss", Time: at(i % 5), Name: "n"})
				return err
			},
			func(st store.Store) error {
				return st.PutBan(ctx, ugc.Ban{ChannelUserID: "c", UserID: u, CreatedAt: at(i % 4), ExpiresAt: at(10 + i)})
			},
			func(st store.Store) error {
				return st.PutModerator(ctx, ugc.Moderator{ChannelUserID: "c", UserID: u, CreatedAt: at(i % 3)})
			},
			func(st store.Store) error {
				return st.PutJob(ctx, &ugc.Job{Kind: "k", ID: u, Step: "s", UpdatedAt: at(i % 6)})
			},
			func(st store.Store) error {
				_, err := st.PutStreamSession(ctx, &ugc.StreamSession{ID: "ss" + u, UserID: "owner", StartTime: at(i % 7)}, 0)
				return err
			},
		)
	}
	writes = append(writes,
		func(st store.Store) error {
			return st.SetLive(ctx, ugc.LiveEntry{UserID: "u03", Kind: ugc.LiveRealTime, Since: at(100), Ref: "stage"})
		},
		func(st store.Store) error { return st.ClearLive(ctx, "u05", ugc.LiveLowLatency, "") },
		func(st store.Store) error {
			return st.CreateAuthSession(ctx, ugc.AuthSession{TokenHash: "h1", UserID: "u01", ExpiresAt: at(50)})
		},
		func(st store.Store) error {
			return st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "r1", UserID: "u01", ExpiresAt: at(50)})
		},
		func(st store.Store) error {
			return st.PutActiveAction(ctx, &ugc.Action{ID: "a1", ChannelUserID: "c", Type: "notice", Data: []byte(`{"x":1}`)})
		},
		func(st store.Store) error {
			return st.PutPreset(ctx, ugc.Preset{UserID: "c", Type: "quiz", Data: []byte(`{}`)})
		},
		func(st store.Store) error {
			return st.PutRule(ctx, ugc.Rule{ID: "r1", ChannelUserID: "c", EventName: "Stream Start"})
		},
	)
	for i, w := range writes {
		if err := w(mem); err != nil {
			t.Fatalf("write %d on memstore: %v", i, err)
		}
		if err := w(dyn); err != nil {
			t.Fatalf("write %d on dynalite: %v", i, err)
		}
	}

	// walk returns every page of a list at limit 4.
	walk := func(list func(p store.Page) (any, string, error)) ([]any, error) {
		var pages []any
		p := store.Page{Limit: 4}
		for {
			items, next, err := list(p)
			if err != nil {
				return nil, err
			}
			pages = append(pages, items)
			if next == "" {
				return pages, nil
			}
			p.Cursor = next
		}
	}
	reads := []struct {
		name string
		read func(st store.Store) (any, error)
	}{
		{"ListLive", func(st store.Store) (any, error) {
			return walk(func(p store.Page) (any, string, error) { return st.ListLive(ctx, p) })
		}},
		{"GetLive", func(st store.Store) (any, error) { return st.GetLive(ctx, "u03") }},
		{"ListStreamEvents", func(st store.Store) (any, error) {
			return walk(func(p store.Page) (any, string, error) { return st.ListStreamEvents(ctx, "ss", p) })
		}},
		{"ListBans", func(st store.Store) (any, error) {
			return walk(func(p store.Page) (any, string, error) { return st.ListBans(ctx, "c", at(20), p) })
		}},
		{"ListModerators", func(st store.Store) (any, error) {
			return walk(func(p store.Page) (any, string, error) { return st.ListModerators(ctx, "c", p) })
		}},
		{"ListJobs", func(st store.Store) (any, error) {
			return walk(func(p store.Page) (any, string, error) { return st.ListJobs(ctx, "k", at(4), p) })
		}},
		{"ListStreamSessions", func(st store.Store) (any, error) {
			return walk(func(p store.Page) (any, string, error) { return st.ListStreamSessions(ctx, "owner", p) })
		}},
		{"GetAuthSession", func(st store.Store) (any, error) { return st.GetAuthSession(ctx, "h1", at(10)) }},
		{"UseResetToken", func(st store.Store) (any, error) { return st.UseResetToken(ctx, "r1", at(10)) }},
		{"UseResetToken again", func(st store.Store) (any, error) {
			_, err := st.UseResetToken(ctx, "r1", at(11))
			return ugc.CodeOf(err), nil
		}},
		{"GetActiveAction", func(st store.Store) (any, error) { return st.GetActiveAction(ctx, "c") }},
		{"ListPresets", func(st store.Store) (any, error) { return st.ListPresets(ctx, "c") }},
		{"ListRules", func(st store.Store) (any, error) { return st.ListRules(ctx, "c") }},
	}
	for _, r := range reads {
		want, err := r.read(mem)
		if err != nil {
			t.Fatalf("%s on memstore: %v", r.name, err)
		}
		got, err := r.read(dyn)
		if err != nil {
			t.Errorf("%s on dynalite: %v", r.name, err)
			continue
		}
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s mismatch (-memstore +dynalite):\n%s", r.name, d)
		}
	}
}
