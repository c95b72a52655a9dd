package dynamostore_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// loseResponses is a RoundTripper that lets the server apply the first n
// TransactWriteItems requests, then throws their responses away and
// reports a connection reset, as a network failure after the commit
// would.
type loseResponses struct {
	next http.RoundTripper
	n    atomic.Int64
	lost atomic.Int64
}

func (l *loseResponses) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".TransactWriteItems") || l.n.Add(-1) < 0 {
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
	e := startMoto(t)
	ctx := t.Context()
	name, err := e.newTable(ctx)
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
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := st.CreatePoll(ctx, &ugc.Poll{ID: "p", ChannelUserID: "ch", Question: "?",
		Options: []string{"a", "b"}, StartedAt: t0, EndsAt: t0.Add(time.Hour)}, t0); err != nil {
		t.Fatal(err)
	}
	lossy.n.Store(1)
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
