package dynamostore_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// counter wraps a client and counts its requests by operation.
type counter struct {
	dynamostore.DynamoDBAPI
	mu  sync.Mutex
	n   map[string]int
	txs [][]string // the item keys of each TransactWriteItems, when recording
	rec bool
}

// txKeys returns "PK|SK" for each item of a transaction, condition checks
// included.
func txKeys(in *dynamodb.TransactWriteItemsInput) []string {
	var keys []string
	for _, ti := range in.TransactItems {
		var k map[string]types.AttributeValue
		switch {
		case ti.Put != nil:
			k = ti.Put.Item
		case ti.Update != nil:
			k = ti.Update.Key
		case ti.Delete != nil:
			k = ti.Delete.Key
		case ti.ConditionCheck != nil:
			k = ti.ConditionCheck.Key
		}
		str := func(name string) string {
			v, _ := k[name].(*types.AttributeValueMemberS)
			if v == nil {
				return ""
			}
			return v.Value
		}
		keys = append(keys, str("PK")+"|"+str("SK"))
	}
	return keys
}

// record starts recording the item keys of transactions; takeTxs returns
// them and stops.
func (c *counter) record() {
	c.mu.Lock()
	c.rec, c.txs = true, nil
	c.mu.Unlock()
}

func (c *counter) takeTxs() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	txs := c.txs
	c.rec, c.txs = false, nil
	return txs
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
	c.mu.Lock()
	if c.rec {
		c.txs = append(c.txs, txKeys(in))
	}
	c.mu.Unlock()
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
		{"channel page: FollowerCount", func() error { _, err := st.FollowerCount(ctx, "u01"); return err }, map[string]int{"Query": 1}},
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
		}, map[string]int{"TransactWriteItems": 1, "Query": 1}},
		{"GetPoll", func() error { _, err := st.GetPoll(ctx, "p"); return err }, map[string]int{"Query": 1}},
		{"LatestPoll", func() error { _, err := st.LatestPoll(ctx, "u00"); return err }, map[string]int{"Query": 2}},
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

// fnvShard is the documented shard of a user among n counter shards.
func fnvShard(id string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// TestHotItemsSharded checks that votes on one poll and follows of one
// channel by users of different counter shards write (and check) disjoint
// items, so on DynamoDB their transactions cannot cancel each other with
// TransactionConflict, that users of one shard share exactly the shard
// item, and that the sums read back are exact.
func TestHotItemsSharded(t *testing.T) {
	e := startMoto(t)
	ctx := t.Context()
	const shards = 4
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	users := make([]string, 12)
	for i := range users {
		users[i] = fmt.Sprintf("voter%02d", i)
	}
	tests := []struct {
		name  string
		setup func(st *dynamostore.Store) error
		act   func(st *dynamostore.Store, i int, user string) error
		read  func(st *dynamostore.Store) (any, error)
		want  any
		// shardKey is the "PK|SK" of a counter shard.
		shardKey func(shard int) string
	}{
		{
			name: "votes on one poll",
			setup: func(st *dynamostore.Store) error {
				return st.CreatePoll(ctx, &ugc.Poll{ID: "p", ChannelUserID: "ch", Question: "?",
					Options: []string{"a", "b", "c"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}, t0)
			},
			act: func(st *dynamostore.Store, i int, user string) error {
				return st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: user, Option: i % 3, At: t0}, t0)
			},
			read: func(st *dynamostore.Store) (any, error) {
				p, err := st.GetPoll(ctx, "p")
				if err != nil {
					return nil, err
				}
				return p.Counts, nil
			},
			want:     []int64{4, 4, 4},
			shardKey: func(n int) string { return fmt.Sprintf("POLL#p|TALLY#%d", n) },
		},
		{
			name:  "follows of one channel",
			setup: func(*dynamostore.Store) error { return nil },
			act: func(st *dynamostore.Store, _ int, user string) error {
				_, err := st.Follow(ctx, ugc.Follow{FollowerID: user, ChannelUserID: "ch", FollowedAt: t0})
				return err
			},
			read:     func(st *dynamostore.Store) (any, error) { return st.FollowerCount(ctx, "ch") },
			want:     int64(12),
			shardKey: func(n int) string { return fmt.Sprintf("USER#ch|FOLLOWERS#%d", n) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, err := e.newTable(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c := &counter{DynamoDBAPI: e.client, n: map[string]int{}}
			st, err := dynamostore.New(c, name, func(o *dynamostore.Options) { o.CounterShards = shards })
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.setup(st); err != nil {
				t.Fatal(err)
			}
			keys := make([][]string, len(users))
			for i, u := range users {
				c.record()
				if err := tc.act(st, i, u); err != nil {
					t.Fatalf("%s: %v", u, err)
				}
				txs := c.takeTxs()
				if len(txs) != 1 {
					t.Fatalf("%s: %d transactions, want 1", u, len(txs))
				}
				keys[i] = txs[0]
			}
			sameShardPairs, otherShardPairs := 0, 0
			for i := range users {
				for j := i + 1; j < len(users); j++ {
					var common []string
					for _, k := range keys[i] {
						if slices.Contains(keys[j], k) {
							common = append(common, k)
						}
					}
					if fnvShard(users[i], shards) != fnvShard(users[j], shards) {
						otherShardPairs++
						if len(common) != 0 {
							t.Errorf("%s and %s (different shards) share items %q", users[i], users[j], common)
						}
						continue
					}
					sameShardPairs++
					if d := cmp.Diff([]string{tc.shardKey(fnvShard(users[i], shards))}, common); d != "" {
						t.Errorf("%s and %s (one shard): common items mismatch (-want +got):\n%s", users[i], users[j], d)
					}
				}
			}
			if sameShardPairs == 0 || otherShardPairs == 0 {
				t.Fatalf("the users cover %d same-shard and %d different-shard pairs; the test needs both", sameShardPairs, otherShardPairs)
			}
			got, err := tc.read(st)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("sums mismatch (-want +got):\n%s", d)
			}
		})
	}
}
