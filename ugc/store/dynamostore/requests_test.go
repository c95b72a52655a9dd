package dynamostore_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// counter wraps a client and counts its requests by operation.
type counter struct {
	dynamostore.DynamoDBAPI
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(op string) {
	c.mu.Lock()
	c.n[op]++
	c.mu.Unlock()
}

// take returns the counts since the last call and resets them.
func (c *counter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

func (c *counter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.add("GetItem")
	return c.DynamoDBAPI.GetItem(ctx, in, o...)
}

func (c *counter) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.add("PutItem")
	return c.DynamoDBAPI.PutItem(ctx, in, o...)
}

func (c *counter) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.add("UpdateItem")
	return c.DynamoDBAPI.UpdateItem(ctx, in, o...)
}

func (c *counter) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.add("DeleteItem")
	return c.DynamoDBAPI.DeleteItem(ctx, in, o...)
}

func (c *counter) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.add("Query")
	return c.DynamoDBAPI.Query(ctx, in, o...)
}

func (c *counter) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	c.add("BatchGetItem")
	return c.DynamoDBAPI.BatchGetItem(ctx, in, o...)
}

func (c *counter) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.add("BatchWriteItem")
	return c.DynamoDBAPI.BatchWriteItem(ctx, in, o...)
}

func (c *counter) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.add("TransactWriteItems")
	return c.DynamoDBAPI.TransactWriteItems(ctx, in, o...)
}

func fmtCounts(n map[string]int) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, fmt.Sprintf("%s=%d", op, n[op]))
	}
	return strings.Join(parts, " ")
}

// TestRequestsPerOperation counts the DynamoDB requests of the operations
// on the hot paths and checks them against the design (see the package
// doc); it logs the table with -v.
func TestRequestsPerOperation(t *testing.T) {
	e := startMoto(t)
	ctx := t.Context()
	name, err := e.newTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &counter{DynamoDBAPI: e.client, n: map[string]int{}}
	st, err := dynamostore.New(c, name)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A directory of 60 live channels, a viewer and a poll.
	for i := range 60 {
		id := fmt.Sprintf("u%02d", i)
		must(st.CreateUser(ctx, &ugc.User{ID: id, Username: "user" + id, Email: id + "@example.com", CreatedAt: t0}))
		must(st.SetLive(ctx, ugc.LiveEntry{UserID: id, Kind: ugc.LiveLowLatency, Since: t0.Add(time.Duration(i) * time.Second)}))
	}
	must(st.CreatePoll(ctx, &ugc.Poll{ID: "p", ChannelUserID: "u00", Question: "?", Options: []string{"a", "b"},
		StartedAt: t0, EndsAt: t0.Add(time.Hour)}, t0))
	for i := 10; i < 20; i++ { // the viewer follows 10 channels besides u01
		_, err := st.Follow(ctx, ugc.Follow{FollowerID: "v", ChannelUserID: fmt.Sprintf("u%02d", i), FollowedAt: t0})
		must(err)
	}
	if _, _, err := st.ListLive(ctx, store.Page{}); err != nil { // loads the cursor key once
		t.Fatal(err)
	}
	c.take()

	type op struct {
		name string
		fn   func() error
		want map[string]int // nil: only logged
	}
	ops := []op{
		{"channel page: GetUserByUsername", func() error { _, err := st.GetUserByUsername(ctx, "USERu01"); return err },
			map[string]int{"GetItem": 1}},
		{"channel page: GetLive", func() error { _, err := st.GetLive(ctx, "u01"); return err }, map[string]int{"GetItem": 1}},
		{"channel page: FollowerCount", func() error { _, err := st.FollowerCount(ctx, "u01"); return err }, map[string]int{"GetItem": 1}},
		{"channel page: IsFollowing", func() error { _, err := st.IsFollowing(ctx, "v", "u01"); return err }, map[string]int{"GetItem": 1}},
		{"channel page: GetBan", func() error {
			_, err := st.GetBan(ctx, "u01", "v")
			if err != nil && !errors.Is(err, ugc.ErrNotFound) {
				return err
			}
			return nil
		}, map[string]int{"GetItem": 1}},
		{"channel page: ActiveStageSession", func() error {
			_, err := st.ActiveStageSession(ctx, "u01")
			if err != nil && !errors.Is(err, ugc.ErrNotFound) {
				return err
			}
			return nil
		}, map[string]int{"GetItem": 1}},
		{"Follow", func() error {
			_, err := st.Follow(ctx, ugc.Follow{FollowerID: "v", ChannelUserID: "u01", FollowedAt: t0})
			return err
		}, map[string]int{"TransactWriteItems": 1}},
		{"Unfollow", func() error { _, err := st.Unfollow(ctx, "v", "u01"); return err }, map[string]int{"TransactWriteItems": 1}},
		{"RecordVote", func() error { return st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: "v", Option: 1, At: t0}, t0) },
			map[string]int{"TransactWriteItems": 1}},
		{"RecordVote (second vote, refused)", func() error {
			err := st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: "v", Option: 1, At: t0}, t0)
			if ugc.CodeOf(err) != "already_voted" {
				return fmt.Errorf("second vote: %v", err)
			}
			return nil
		}, map[string]int{"TransactWriteItems": 1, "GetItem": 1}},
		{"directory page: ListLive (first 50)", func() error { _, _, err := st.ListLive(ctx, store.Page{Limit: 50}); return err },
			map[string]int{"Query": 8}},
		{"directory page: GetUsers (50)", func() error {
			ids := make([]string, 50)
			for i := range ids {
				ids[i] = fmt.Sprintf("u%02d", i)
			}
			_, err := st.GetUsers(ctx, ids)
			return err
		}, map[string]int{"BatchGetItem": 1}},
		{"CreateUser", func() error {
			return st.CreateUser(ctx, &ugc.User{ID: "new", Username: "newuser", Email: "new@example.com"})
		}, map[string]int{"TransactWriteItems": 1}},
		{"GetUser", func() error { _, err := st.GetUser(ctx, "u01"); return err }, map[string]int{"GetItem": 1}},
		{"SetLive", func() error {
			return st.SetLive(ctx, ugc.LiveEntry{UserID: "u01", Kind: ugc.LiveRealTime, Since: t0.Add(time.Hour)})
		}, map[string]int{"GetItem": 1, "PutItem": 1}},
		{"AppendStreamEvent", func() error {
			_, err := st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: "e1", SessionID: "s1", Time: t0})
			return err
		}, map[string]int{"PutItem": 1}},
		{"ReserveSeat", func() error {
			return st.ReserveSeat(ctx, ugc.Seat{SessionID: "st1", UserID: "v", ReservedAt: t0, ExpiresAt: t0.Add(time.Minute)}, 12, t0)
		}, map[string]int{"Query": 1, "TransactWriteItems": 1}},
		{"AppendNotification", func() error {
			return st.AppendNotification(ctx, &ugc.Notification{UserID: "u01", Type: "x", CreatedAt: t0})
		}, map[string]int{"GetItem": 1, "TransactWriteItems": 1}},
		{"ListFollowing (10 follows)", func() error { _, _, err := st.ListFollowing(ctx, "v", store.Page{}); return err },
			map[string]int{"Query": 1, "BatchGetItem": 1}},
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-42s %s\n", "operation", "requests")
	for _, o := range ops {
		if err := o.fn(); err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
		got := c.take()
		fmt.Fprintf(&table, "%-42s %s\n", o.name, fmtCounts(got))
		if o.want != nil {
			if d := cmp.Diff(o.want, got); d != "" {
				t.Errorf("%s: requests mismatch (-want +got):\n%s", o.name, d)
			}
		}
	}
	t.Log(table.String())
}
