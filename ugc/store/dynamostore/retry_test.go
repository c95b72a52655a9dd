package dynamostore_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// loseResponses is a RoundTripper that lets the server apply the next n
// requests of operation op, then throws their responses away and reports
// a connection reset, as a network failure after the commit would.
type loseResponses struct {
	next http.RoundTripper
	mu   sync.Mutex
	op   string
	n    int
	lost atomic.Int64
}

// lose makes the next n responses of op (e.g. "PutItem") go missing.
func (l *loseResponses) lose(op string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.op, l.n = op, n
}

func (l *loseResponses) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	l.mu.Lock()
	drop := err == nil && l.n > 0 && strings.HasSuffix(r.Header.Get("X-Amz-Target"), "."+l.op)
	if drop {
		l.n--
	}
	l.mu.Unlock()
	if !drop {
		return resp, err
	}
	resp.Body.Close()
	l.lost.Add(1)
	return nil, syscall.ECONNRESET
}

// TestTransactionRetryAfterLostResponse checks that a transaction whose
// response is lost after it committed ends as one success, not as a
// failure of its own conditions: the SDK resends the call with the same
// ClientRequestToken, which DynamoDB (and our moto server) answers with
// the first result without applying it again.
func TestTransactionRetryAfterLostResponse(t *testing.T) {
	st, lossy := lossyStore(t)
	ctx := t.Context()
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := st.CreatePoll(ctx, &ugc.Poll{ID: "p", ChannelUserID: "ch", Question: "?",
		Options: []string{"a", "b"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}, t0); err != nil {
		t.Fatal(err)
	}
	lossy.lose("TransactWriteItems", 1)
	if err := st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: "v", Option: 1, At: t0}, t0); err != nil {
		t.Fatalf("vote whose first response was lost: %v", err)
	}
	if lossy.lost.Load() != 1 {
		t.Fatalf("%d responses lost, want 1", lossy.lost.Load())
	}
	p, err := st.GetPoll(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{0, 1}, p.Counts); d != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", d)
	}
	// A second vote by the same user is still refused: the replay is
	// keyed by the call's token, not by what it writes.
	err = st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: "v", Option: 0, At: t0}, t0)
	if !errors.Is(err, ugc.ErrAlreadyExists) {
		t.Errorf("second vote: %v, want already exists", err)
	}
}

// lossyStore is a Store on a fresh moto table whose client goes through
// loseResponses.
func lossyStore(t *testing.T) (*dynamostore.Store, *loseResponses) {
	e := startMoto(t)
	name, err := e.newTable(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	lossy := &loseResponses{next: e.transport}
	client := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.url),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   &http.Client{Transport: lossy},
	})
	st, err := dynamostore.New(client, name)
	if err != nil {
		t.Fatal(err)
	}
	return st, lossy
}

// TestConditionalWriteRetryAfterLostResponse checks that conditional
// single-item writes whose response is lost after they were applied
// succeed on the SDK's retry (PutItem and UpdateItem have no idempotency
// token: the driver finds its own write token), while real conflicts still
// fail and a redelivered stream event is still reported as a duplicate.
func TestConditionalWriteRetryAfterLostResponse(t *testing.T) {
	st, lossy := lossyStore(t)
	ctx := t.Context()
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	ss := &ugc.StreamSession{ID: "st-1", UserID: "u1", ChannelArn: "arn:aws:ivs:us-east-1:123456789012:channel/c1", StartTime: t0}

	lossy.lose("PutItem", 1)
	v, err := st.PutStreamSession(ctx, ss, 0)
	if err != nil || v != 1 {
		t.Fatalf("PutStreamSession whose response was lost = %d, %v; want 1, nil", v, err)
	}
	ss.EndTime = t0.Add(time.Hour)
	lossy.lose("PutItem", 1)
	if v, err = st.PutStreamSession(ctx, ss, 1); err != nil || v != 2 {
		t.Fatalf("versioned PutStreamSession whose response was lost = %d, %v; want 2, nil", v, err)
	}
	if lossy.lost.Load() != 2 {
		t.Fatalf("%d responses lost, want 2", lossy.lost.Load())
	}
	// Another writer's version is still a conflict.
	stale := *ss
	stale.EndTime = t0.Add(2 * time.Hour)
	if _, err := st.PutStreamSession(ctx, &stale, 1); ugc.CodeOf(err) != "version_conflict" {
		t.Errorf("PutStreamSession at a stale version: %v, want version_conflict", err)
	}
	got, err := st.GetStreamSession(ctx, "st-1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.EndTime.Equal(ss.EndTime) {
		t.Errorf("stored end %s, want %s", got.EndTime, ss.EndTime)
	}

	ev := ugc.StreamEvent{ID: "e1", SessionID: "st-1", Time: t0, Type: "IVS Stream State Change", Name: "Stream Start"}
	lossy.lose("PutItem", 1)
	if added, err := st.AppendStreamEvent(ctx, ev); !added || err != nil {
		t.Fatalf("AppendStreamEvent whose response was lost = %v, %v; want true, nil", added, err)
	}
	if added, err := st.AppendStreamEvent(ctx, ev); added || err != nil {
		t.Errorf("AppendStreamEvent of a redelivered event = %v, %v; want false, nil", added, err)
	}

	// Jobs: a lost create and a lost compare-and-set still hold the lease;
	// a second creator and a stale update are still refused.
	j := &ugc.Job{Kind: "provision", ID: "alice", Step: "start", CreatedAt: t0, UpdatedAt: t0}
	lossy.lose("UpdateItem", 1)
	if err := st.CreateJob(ctx, j); err != nil {
		t.Fatalf("CreateJob whose response was lost: %v", err)
	}
	if err := st.CreateJob(ctx, &ugc.Job{Kind: "provision", ID: "alice", Step: "start", CreatedAt: t0, UpdatedAt: t0}); ugc.CodeOf(err) != "job_exists" {
		t.Errorf("second CreateJob: %v, want job_exists", err)
	}
	j.Step, j.UpdatedAt = "channel", t0.Add(time.Second)
	lossy.lose("UpdateItem", 1)
	if err := st.UpdateJob(ctx, j, t0); err != nil {
		t.Fatalf("UpdateJob whose response was lost: %v", err)
	}
	if err := st.UpdateJob(ctx, &ugc.Job{Kind: "provision", ID: "alice", Step: "other", UpdatedAt: t0.Add(2 * time.Second)}, t0); ugc.CodeOf(err) != "job_changed" {
		t.Errorf("UpdateJob from a stale UpdatedAt: %v, want job_changed", err)
	}

	// A reset token used once, though its first answer was lost.
	if err := st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "h1", UserID: "u1", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	lossy.lose("UpdateItem", 1)
	rt, err := st.UseResetToken(ctx, "h1", t0)
	if err != nil || rt.UserID != "u1" || !rt.UsedAt.Equal(t0) {
		t.Fatalf("UseResetToken whose response was lost = %+v, %v", rt, err)
	}
	if _, err := st.UseResetToken(ctx, "h1", t0.Add(time.Second)); err == nil {
		t.Error("second UseResetToken succeeded")
	}

	// A ban lifted once, though the first answer was lost, reports it
	// removed the ban (a conditional delete is a one-item transaction).
	if err := st.PutBan(ctx, ugc.Ban{ChannelUserID: "ch", UserID: "troll", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	lossy.lose("TransactWriteItems", 1)
	if removed, err := st.DeleteBan(ctx, "ch", "troll"); !removed || err != nil {
		t.Errorf("DeleteBan whose response was lost = %v, %v; want true, nil", removed, err)
	}
	if removed, err := st.DeleteBan(ctx, "ch", "troll"); removed || err != nil {
		t.Errorf("second DeleteBan = %v, %v; want false, nil", removed, err)
	}
	if lossy.lost.Load() != 7 {
		t.Errorf("%d responses lost, want 7", lossy.lost.Load())
	}
}

// conflicting cancels the next n transactions with TransactionConflict,
// as DynamoDB does when a concurrent transaction holds one of the items,
// without sending them.
type conflicting struct {
	dynamostore.DynamoDBAPI
	mu   sync.Mutex
	n    int
	sent int
}

func (c *conflicting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.mu.Lock()
	c.sent++
	conflict := c.n > 0
	if conflict {
		c.n--
	}
	c.mu.Unlock()
	if conflict {
		reasons := make([]types.CancellationReason, len(in.TransactItems))
		for i := range reasons {
			reasons[i] = types.CancellationReason{Code: aws.String("None")}
		}
		reasons[0].Code = aws.String("TransactionConflict")
		return nil, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
	}
	return c.DynamoDBAPI.TransactWriteItems(ctx, in, o...)
}

// TestTransactionConflictsAreRetried checks that a transaction canceled
// by a concurrent one is sent again a few times before the caller sees
// ErrUnavailable with code transaction_conflict.
func TestTransactionConflictsAreRetried(t *testing.T) {
	e := startMoto(t)
	ctx := t.Context()
	name, err := e.newTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &conflicting{DynamoDBAPI: e.client}
	st, err := dynamostore.New(c, name)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := st.CreatePoll(ctx, &ugc.Poll{ID: "p", ChannelUserID: "ch", Question: "?",
		Options: []string{"a", "b"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}, t0); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.n, c.sent = 3, 0
	c.mu.Unlock()
	if err := st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: "v1", Option: 0, At: t0}, t0); err != nil {
		t.Fatalf("vote after 3 conflicts: %v", err)
	}
	if c.sent != 4 {
		t.Errorf("%d sends, want 4", c.sent)
	}
	c.mu.Lock()
	c.n, c.sent = 100, 0
	c.mu.Unlock()
	err = st.RecordVote(ctx, ugc.Vote{PollID: "p", UserID: "v2", Option: 1, At: t0}, t0)
	if !errors.Is(err, ugc.ErrUnavailable) || ugc.CodeOf(err) != "transaction_conflict" {
		t.Errorf("vote under endless conflicts: %v, want unavailable transaction_conflict", err)
	}
	if c.sent != 4 {
		t.Errorf("%d sends under endless conflicts, want 4", c.sent)
	}
	p, err := st.GetPoll(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{1, 0}, p.Counts); d != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", d)
	}
}
