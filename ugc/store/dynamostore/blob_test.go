package dynamostore_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// itemSizes returns the approximate sizes (attribute names plus values)
// of the items of partition p.
func itemSizes(t *testing.T, e *emulator, table, p string) []int {
	t.Helper()
	out, err := e.client.Query(t.Context(), &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("PK = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: p}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, it := range out.Items {
		n := 0
		for k, v := range it {
			n += len(k)
			switch v := v.(type) {
			case *types.AttributeValueMemberS:
				n += len(v.Value)
			case *types.AttributeValueMemberB:
				n += len(v.Value)
			default:
				n += 21
			}
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// randomJSON returns a JSON string of n bytes that gzip cannot shrink much.
func randomJSON(n int) json.RawMessage {
	raw := make([]byte, n)
	_, _ = rand.Read(raw)
	s := base64.RawURLEncoding.EncodeToString(raw)[:n-2]
	return json.RawMessage(`"` + s + `"`)
}

// TestLargeValuesAreChunked stores a metrics cache entry of
// store.MaxMetricsCacheLen random bytes and the most blocked terms of the
// longest length: every item stays far below DynamoDB's 400 KB, and a
// replacement leaves no chunk of the old value behind.
func TestLargeValuesAreChunked(t *testing.T) {
	e := startMoto(t)
	ctx := t.Context()
	table, err := e.newTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := dynamostore.New(e.client, table)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	big := ugc.MetricsCacheEntry{SessionID: "s", Period: 60, Data: randomJSON(store.MaxMetricsCacheLen), FetchedAt: at}
	if stored, err := st.PutMetricsCache(ctx, big); err != nil || !stored {
		t.Fatalf("PutMetricsCache of %d bytes = %v, %v", len(big.Data), stored, err)
	}
	got, err := st.GetMetricsCache(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&big, got); d != "" {
		t.Errorf("metrics cache mismatch (-want +got):\n%s", d)
	}
	sizes := itemSizes(t, e, table, "MC#s")
	if len(sizes) < 2 {
		t.Errorf("a %d-byte entry is stored in %d items, want it chunked", len(big.Data), len(sizes))
	}
	for _, n := range sizes {
		if n > 200<<10 {
			t.Errorf("item of %d bytes, want at most 200 KiB", n)
		}
	}

	small := ugc.MetricsCacheEntry{SessionID: "s", Period: 60, Complete: true, Data: json.RawMessage(`[1,2,3]`), FetchedAt: at}
	if stored, err := st.PutMetricsCache(ctx, small); err != nil || !stored {
		t.Fatalf("PutMetricsCache of a complete entry = %v, %v", stored, err)
	}
	if sizes := itemSizes(t, e, table, "MC#s"); len(sizes) != 2 {
		t.Errorf("after replacing by a small entry: %d items, want 2 (meta and one chunk)", len(sizes))
	}

	terms := make([]string, store.MaxBlockedTerms)
	for i := range terms {
		terms[i] = string(randomJSON(store.MaxTextLen))
	}
	if err := st.PutBlockedTerms(ctx, "c", terms); err != nil {
		t.Fatal(err)
	}
	gotTerms, err := st.GetBlockedTerms(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(terms, gotTerms); d != "" {
		t.Errorf("blocked terms mismatch (-want +got):\n%s", d)
	}
	for _, n := range itemSizes(t, e, table, "TERMS#c") {
		if n > 200<<10 {
			t.Errorf("blocked terms item of %d bytes, want at most 200 KiB", n)
		}
	}
	if err := st.PutBlockedTerms(ctx, "c", nil); err != nil {
		t.Fatal(err)
	}
	if sizes := itemSizes(t, e, table, "TERMS#c"); len(sizes) != 0 {
		t.Errorf("after clearing the terms: %d items, want none", len(sizes))
	}
}
