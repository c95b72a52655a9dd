package dynamostore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	mrand "math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/internal/pagetoken"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

var _ store.Store = (*Store)(nil)

// DynamoDBAPI is the part of the DynamoDB client the Store calls.
// *dynamodb.Client implements it; a wrapper can count or trace requests.
type DynamoDBAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

var _ DynamoDBAPI = (*dynamodb.Client)(nil)

// Options configures a Store. The zero value is usable.
type Options struct {
	// CursorKey signs page cursors. When empty, the Store uses a random
	// 32-byte key kept in the table's meta item (created on first use), so
	// every replica sharing the table accepts the others' cursors.
	CursorKey []byte
	// LiveShards is the number of partitions of the live index and of the
	// active stage index; ListLive reads all of them. Default 8. Every
	// replica sharing a table must use the same value.
	LiveShards int
	// CounterShards is the number of items a poll's vote counts and a
	// channel's follower count are split into: a vote or a follow adds to
	// the shard of its user (fnv(user) mod CounterShards), so concurrent
	// votes on one poll, or follows of one channel, by users of different
	// shards write no common item and cannot cancel each other's
	// transactions. Reads sum the shards with one query. Default 16, at
	// most MaxCounterShards (DynamoDB's 100 items per transaction; moto
	// allows 25, so at most 22 there). Every replica sharing a table must
	// use the same value: a vote on a shard the poll was not created with
	// is refused.
	CounterShards int
	// MaxAttempts bounds the optimistic read-check-write rounds of the
	// methods that keep a counter or a per-user state consistent
	// (ReserveSeat, AppendNotification, SetLive, CreatePoll...) when
	// concurrent writers change what was read. Default 64.
	MaxAttempts int
}

// MaxCounterShards bounds Options.CounterShards: CreatePoll and EndPoll
// write every shard of the poll with three more items in one transaction,
// and a transaction holds at most 100 items.
const MaxCounterShards = 96

// Store implements store.Store on one DynamoDB table. It is safe for
// concurrent use. The zero value is not usable; build one with New.
type Store struct {
	db     DynamoDBAPI
	table  *string
	opts   Options
	closed atomic.Bool

	keyMu sync.Mutex
	codec *pagetoken.Codec
}

// New returns a Store on the table, which CreateTable (or the
// CloudFormation template of the package doc) made. It does no I/O.
func New(client DynamoDBAPI, table string, optFns ...func(*Options)) (*Store, error) {
	var o Options
	for _, f := range optFns {
		f(&o)
	}
	if client == nil {
		return nil, ugc.InvalidField("client", "is required")
	}
	if table == "" {
		return nil, ugc.InvalidField("table", "is required")
	}
	if o.LiveShards <= 0 {
		o.LiveShards = 8
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 64
	}
	if o.CounterShards <= 0 {
		o.CounterShards = 16
	}
	if o.CounterShards > MaxCounterShards {
		return nil, ugc.InvalidField("counter_shards", "must be at most %d", MaxCounterShards)
	}
	s := &Store{db: client, table: aws.String(table), opts: o}
	if len(o.CursorKey) > 0 {
		s.codec = pagetoken.New(o.CursorKey)
	}
	return s, nil
}

// Close marks the store closed: later calls fail with an error wrapping
// ugc.ErrUnavailable. It is safe to call more than once. The client is the
// caller's.
func (s *Store) Close() error {
	s.closed.Store(true)
	return nil
}

var errClosed = ugc.WithCode(ugc.ErrUnavailable, "store_closed", "dynamostore: the store is closed")

func (s *Store) ready() error {
	if s.closed.Load() {
		return errClosed
	}
	return nil
}

// ----- keys and attribute values -----

// Attribute names of the table's keys and indexes.
const (
	attrPK   = "PK"
	attrSK   = "SK"
	attrLSK  = "LSK" // sort key of LSI1
	attrG1PK = "G1PK"
	attrG1SK = "G1SK"
	attrG2PK = "G2PK"
	attrG2SK = "G2SK"
	attrG3PK = "G3PK"
	attrG3SK = "G3SK"

	indexLSI1 = "LSI1"
	indexGSI1 = "GSI1"
	indexGSI2 = "GSI2"
	indexGSI3 = "GSI3"
)

// key builds an unambiguous composite key: prefix, then every part but the
// last with its length, then the last part as is.
func key(prefix string, parts ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, p := range parts {
		if i < len(parts)-1 {
			b.WriteString(strconv.Itoa(len(p)))
			b.WriteByte(':')
			b.WriteString(p)
			b.WriteByte('#')
		} else {
			b.WriteString(p)
		}
	}
	return b.String()
}

// tms returns t as milliseconds since the epoch, 0 for the zero time.
func tms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// ceilMs returns the smallest millisecond count m with time(m) >= t.
func ceilMs(t time.Time) int64 {
	m := t.UnixMilli()
	if time.UnixMilli(m).Before(t) {
		m++
	}
	return m
}

// fromMs is the inverse of tms.
func fromMs(m int64) time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(m).UTC()
}

// asc encodes milliseconds so that strings sort like the numbers.
func asc(m int64) string { return fmt.Sprintf("%016x", uint64(m)^1<<63) }

// desc encodes milliseconds so that strings sort in reverse.
func desc(m int64) string { return fmt.Sprintf("%016x", ^(uint64(m) ^ 1<<63)) }

// shard returns the shard of id among n.
func shard(id string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// item is one DynamoDB item.
type item map[string]types.AttributeValue

func avS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func avN(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}
func avB(v []byte) types.AttributeValue  { return &types.AttributeValueMemberB{Value: v} }
func avBool(v bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: v} }

// pk returns the primary key of an item.
func pk(p, sk string) item { return item{attrPK: avS(p), attrSK: avS(sk)} }

// with returns it with the primary key set.
func (it item) key(p, sk string) item { it[attrPK], it[attrSK] = avS(p), avS(sk); return it }

// s sets a string attribute, omitting empty ones.
func (it item) s(name, v string) item {
	if v != "" {
		it[name] = avS(v)
	}
	return it
}

func (it item) n(name string, v int64) item { it[name] = avN(v); return it }

func (it item) t(name string, v time.Time) item { it[name] = avN(tms(v)); return it }

// b sets a binary attribute, omitting empty ones.
func (it item) b(name string, v []byte) item {
	if len(v) > 0 {
		it[name] = avB(v)
	}
	return it
}

func (it item) bool(name string, v bool) item { it[name] = avBool(v); return it }

func (it item) getS(name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func (it item) getN(name string) int64 {
	if v, ok := it[name].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		return n
	}
	return 0
}

func (it item) getT(name string) time.Time { return fromMs(it.getN(name)) }

func (it item) getB(name string) []byte {
	if v, ok := it[name].(*types.AttributeValueMemberB); ok && len(v.Value) > 0 {
		return append([]byte(nil), v.Value...)
	}
	return nil
}

func (it item) getBool(name string) bool {
	v, ok := it[name].(*types.AttributeValueMemberBOOL)
	return ok && v.Value
}

// vals builds expression attribute values from name/value pairs.
func vals(kv ...any) map[string]types.AttributeValue {
	m := make(map[string]types.AttributeValue, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		var v types.AttributeValue
		switch x := kv[i+1].(type) {
		case string:
			v = avS(x)
		case int64:
			v = avN(x)
		case int:
			v = avN(int64(x))
		case bool:
			v = avBool(x)
		case types.AttributeValue:
			v = x
		default:
			panic(fmt.Sprintf("dynamostore: bad expression value %T", x))
		}
		m[kv[i].(string)] = v
	}
	return m
}

// nameRE finds attribute name placeholders in expressions.
var nameRE = regexp.MustCompile(`#[A-Za-z0-9_]+`)

// names returns the ExpressionAttributeNames of expressions that refer to
// attributes as #name (so reserved words are safe), or nil.
func names(exprs ...string) map[string]string {
	var m map[string]string
	for _, e := range exprs {
		for _, n := range nameRE.FindAllString(e, -1) {
			if m == nil {
				m = map[string]string{}
			}
			m[n] = n[1:]
		}
	}
	return m
}

// ----- errors -----

// dbErr classifies an error of the client: throttling is
// ugc.ErrThrottled, a server failure ugc.ErrUnavailable; anything else is
// returned as is (a driver failure).
func dbErr(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException":
			return &ugc.Error{Kind: ugc.ErrThrottled, Message: "dynamodb throttled the request", Err: err}
		case "InternalServerError", "ServiceUnavailable":
			return &ugc.Error{Kind: ugc.ErrUnavailable, Message: "dynamodb is unavailable", Err: err}
		}
	}
	return err
}

// isCondFailed reports whether a single-item write failed its condition.
func isCondFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// errContention is returned when optimistic rounds ran out.
var errContention = ugc.WithCode(ugc.ErrUnavailable, "contention",
	"dynamostore: too many concurrent writers; try again")

func taken(field string) error {
	return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: field, Message: "is taken"}
}

// ----- requests -----

func (s *Store) getItem(ctx context.Context, k item) (item, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: s.table, Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dbErr(err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// putItem writes it, under cond when not empty. A conditional put carries
// a fresh write token (attribute attrWriteToken) and asks for the stored
// item when its condition fails: the SDK resends a put whose response it
// lost (a connection reset, a 500), and PutItem, unlike
// TransactWriteItems, has no idempotency token, so a resent put that had
// been applied finds its own token and succeeds.
func (s *Store) putItem(ctx context.Context, it item, cond string, values map[string]types.AttributeValue) error {
	if err := s.ready(); err != nil {
		return err
	}
	in := &dynamodb.PutItemInput{TableName: s.table, Item: it}
	var tok string
	if cond != "" {
		tok = newWriteToken()
		it.s(attrWriteToken, tok)
		in.ConditionExpression = aws.String(cond)
		in.ExpressionAttributeNames = names(cond)
		if len(values) > 0 {
			in.ExpressionAttributeValues = values
		}
		in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	}
	_, err := s.db.PutItem(ctx, in)
	if _, ours := ownWrite(err, tok); ours {
		return nil
	}
	return dbErr(err)
}

// attrWriteToken holds the token of the conditional single-item write
// that last wrote an item.
const attrWriteToken = "wtok"

// newWriteToken returns a random token for one write call; the SDK
// resends the same input, token included, on every retry of the call.
func newWriteToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ownWrite reports whether err is a failed condition on an item that the
// same call (token tok) had already written, and returns that item. The
// request must have asked for ReturnValuesOnConditionCheckFailure ALL_OLD.
func ownWrite(err error, tok string) (item, bool) {
	var ccf *types.ConditionalCheckFailedException
	if tok == "" || !errors.As(err, &ccf) {
		return nil, false
	}
	old := item(ccf.Item)
	return old, old.getS(attrWriteToken) == tok
}

func (s *Store) deleteItem(ctx context.Context, k item, cond string, values map[string]types.AttributeValue) error {
	if err := s.ready(); err != nil {
		return err
	}
	in := &dynamodb.DeleteItemInput{TableName: s.table, Key: k}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
		in.ExpressionAttributeNames = names(cond)
		if len(values) > 0 {
			in.ExpressionAttributeValues = values
		}
	}
	_, err := s.db.DeleteItem(ctx, in)
	return dbErr(err)
}

// deleteIf deletes the item if cond holds; removed reports whether it did.
// It is a one-item transaction rather than a conditional DeleteItem: the
// SDK resends a call whose response it lost, and a resent DeleteItem that
// had been applied would fail its condition and report "nothing removed",
// while DynamoDB answers a resent transaction (same ClientRequestToken)
// with its first result.
func (s *Store) deleteIf(ctx context.Context, k item, cond string, values map[string]types.AttributeValue) (removed bool, err error) {
	for range s.opts.MaxAttempts {
		var t tx
		t.del("item", k, cond, values)
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict:
			continue
		case err != nil:
			return false, err
		}
		return failed == "", nil
	}
	return false, errContention
}

// query runs q page by page and calls fn for each item until fn returns
// false or the items end. It sets the table name.
func (s *Store) query(ctx context.Context, q *dynamodb.QueryInput, fn func(item) bool) error {
	if err := s.ready(); err != nil {
		return err
	}
	q.TableName = s.table
	q.ExpressionAttributeNames = names(aws.ToString(q.KeyConditionExpression), aws.ToString(q.FilterExpression),
		aws.ToString(q.ProjectionExpression))
	for {
		out, err := s.db.Query(ctx, q)
		if err != nil {
			return dbErr(err)
		}
		for _, it := range out.Items {
			if !fn(it) {
				return nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return nil
		}
		q.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// queryPK returns every item of a partition (consistent read).
func (s *Store) queryPK(ctx context.Context, p string) ([]item, error) {
	var out []item
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :p"),
		ExpressionAttributeValues: vals(":p", p),
		ConsistentRead:            aws.Bool(true),
	}, func(it item) bool { out = append(out, it); return true })
	return out, err
}

// queryIndex returns every item of an index partition.
func (s *Store) queryIndex(ctx context.Context, index, pkAttr, p string) ([]item, error) {
	var out []item
	err := s.query(ctx, &dynamodb.QueryInput{
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String(pkAttr + " = :p"),
		ExpressionAttributeValues: vals(":p", p),
	}, func(it item) bool { out = append(out, it); return true })
	return out, err
}

// maxBatchRounds bounds the rounds spent on unprocessed batch items, which
// the DynamoDB docs ask callers to send again.
const maxBatchRounds = 8

// batchGet reads items by key (at most 100, no duplicates), consistently.
func (s *Store) batchGet(ctx context.Context, keys []item) ([]item, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, nil
	}
	ka := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		ka[i] = k
	}
	req := map[string]types.KeysAndAttributes{*s.table: {Keys: ka, ConsistentRead: aws.Bool(true)}}
	var out []item
	for range maxBatchRounds {
		res, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return nil, dbErr(err)
		}
		for _, it := range res.Responses[*s.table] {
			out = append(out, it)
		}
		if len(res.UnprocessedKeys) == 0 {
			return out, nil
		}
		req = res.UnprocessedKeys
	}
	return nil, &ugc.Error{Kind: ugc.ErrThrottled, Message: "dynamodb left batch keys unprocessed"}
}

// batchDelete deletes items by key, 25 per request.
func (s *Store) batchDelete(ctx context.Context, keys []item) error {
	if err := s.ready(); err != nil {
		return err
	}
	for len(keys) > 0 {
		n := min(25, len(keys))
		reqs := make([]types.WriteRequest, n)
		for i, k := range keys[:n] {
			reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
		}
		keys = keys[n:]
		req := map[string][]types.WriteRequest{*s.table: reqs}
		done := false
		for range maxBatchRounds {
			res, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: req})
			if err != nil {
				return dbErr(err)
			}
			if len(res.UnprocessedItems) == 0 {
				done = true
				break
			}
			req = res.UnprocessedItems
		}
		if !done {
			return &ugc.Error{Kind: ugc.ErrThrottled, Message: "dynamodb left batch writes unprocessed"}
		}
	}
	return nil
}

// keyOf returns the primary key of a stored item.
func keyOf(it item) item { return item{attrPK: it[attrPK], attrSK: it[attrSK]} }

// keysOf returns the primary keys of stored items.
func keysOf(its []item) []item {
	out := make([]item, len(its))
	for i, it := range its {
		out[i] = keyOf(it)
	}
	return out
}

// ----- transactions -----

// tx is a TransactWriteItems request whose operations carry tags, so a
// cancellation tells which condition failed.
type tx struct {
	items []types.TransactWriteItem
	tags  []string
}

func (t *tx) put(tag string, it item, cond string, values map[string]types.AttributeValue) {
	p := &types.Put{Item: it}
	if cond != "" {
		p.ConditionExpression = aws.String(cond)
		p.ExpressionAttributeNames = names(cond)
		if len(values) > 0 {
			p.ExpressionAttributeValues = values
		}
	}
	t.items = append(t.items, types.TransactWriteItem{Put: p})
	t.tags = append(t.tags, tag)
}

func (t *tx) del(tag string, k item, cond string, values map[string]types.AttributeValue) {
	d := &types.Delete{Key: k}
	if cond != "" {
		d.ConditionExpression = aws.String(cond)
		d.ExpressionAttributeNames = names(cond)
		if len(values) > 0 {
			d.ExpressionAttributeValues = values
		}
	}
	t.items = append(t.items, types.TransactWriteItem{Delete: d})
	t.tags = append(t.tags, tag)
}

func (t *tx) update(tag string, k item, update, cond string, values map[string]types.AttributeValue) {
	u := &types.Update{Key: k, UpdateExpression: aws.String(update), ExpressionAttributeNames: names(update, cond)}
	if cond != "" {
		u.ConditionExpression = aws.String(cond)
	}
	if len(values) > 0 {
		u.ExpressionAttributeValues = values
	}
	t.items = append(t.items, types.TransactWriteItem{Update: u})
	t.tags = append(t.tags, tag)
}

func (t *tx) check(tag string, k item, cond string, values map[string]types.AttributeValue) {
	c := &types.ConditionCheck{Key: k, ConditionExpression: aws.String(cond), ExpressionAttributeNames: names(cond)}
	if len(values) > 0 {
		c.ExpressionAttributeValues = values
	}
	t.items = append(t.items, types.TransactWriteItem{ConditionCheck: c})
	t.tags = append(t.tags, tag)
}

// errConflict is a transaction canceled by a concurrent transaction on
// one of its items.
var errConflict = ugc.WithCode(ugc.ErrUnavailable, "transaction_conflict",
	"dynamostore: a concurrent transaction touched the same items; try again")

// conflictRetries is how many times run resends a transaction that a
// concurrent one canceled (it applied nothing), after a short jittered
// pause; the SDK's retryer does not retry TransactionConflict.
const conflictRetries = 3

// run sends the transaction. When a condition failed it returns the tag
// of the first failed operation and a nil error; a conflict with another
// transaction, still there after conflictRetries resends, is errConflict.
func (s *Store) run(ctx context.Context, t *tx) (failed string, err error) {
	if err := s.ready(); err != nil {
		return "", err
	}
	if len(t.items) == 0 {
		return "", nil
	}
	for i := range t.items {
		switch w := &t.items[i]; {
		case w.Put != nil:
			w.Put.TableName = s.table
		case w.Delete != nil:
			w.Delete.TableName = s.table
		case w.Update != nil:
			w.Update.TableName = s.table
		case w.ConditionCheck != nil:
			w.ConditionCheck.TableName = s.table
		}
	}
	for attempt := 0; ; attempt++ {
		// A fresh input per send: each gets its own ClientRequestToken,
		// as a canceled transaction is a new request when sent again.
		failed, err = s.send(ctx, t)
		if err != errConflict || attempt == conflictRetries {
			return failed, err
		}
		pause := time.Duration(5+mrand.IntN(10)) * time.Millisecond << attempt
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(pause):
		}
	}
}

// send sends the transaction once; see run.
func (s *Store) send(ctx context.Context, t *tx) (failed string, err error) {
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: t.items})
	if err == nil {
		return "", nil
	}
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		var tcp *types.TransactionConflictException
		if errors.As(err, &tcp) {
			return "", errConflict
		}
		return "", dbErr(err)
	}
	conflict := false
	for i, r := range tce.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "ConditionalCheckFailed":
			if i < len(t.tags) {
				return t.tags[i], nil
			}
		case "TransactionConflict":
			conflict = true
		}
	}
	if conflict {
		return "", errConflict
	}
	return "", dbErr(err)
}

// ----- cursors -----

// cursor is the payload of every page cursor: the index sort key of the
// last item returned.
type cursor struct {
	K string `json:"k"`
	L bool   `json:"l,omitempty"` // ListFollowing: within the live part
}

// query joins a method name and the arguments that identify a list.
func queryName(parts ...string) string { return strings.Join(parts, "\x00") }

var errCursor = &ugc.Error{Kind: ugc.ErrInvalidArgument, Code: "invalid_cursor", Field: "cursor",
	Message: "invalid or expired cursor"}

// pageArgs checks p and decodes its cursor; has is false on the first page.
func (s *Store) pageArgs(ctx context.Context, q string, p store.Page) (limit int, c cursor, has bool, err error) {
	if limit, err = store.Limit(p); err != nil {
		return 0, c, false, err
	}
	if p.Cursor == "" {
		return limit, c, false, nil
	}
	// Refuse malformed cursors before reading the key.
	if len(p.Cursor) > pagetoken.MaxLen || !strictCursor(p.Cursor) {
		return 0, c, false, errCursor
	}
	codec, err := s.cursorCodec(ctx)
	if err != nil {
		return 0, c, false, err
	}
	if err := codec.Decode(q, p.Cursor, &c); err != nil {
		return 0, c, false, err
	}
	if c.K == "" {
		return 0, c, false, errCursor
	}
	return limit, c, true, nil
}

func (s *Store) encode(ctx context.Context, q string, c cursor) (string, error) {
	codec, err := s.cursorCodec(ctx)
	if err != nil {
		return "", err
	}
	return codec.Encode(q, c), nil
}

// metaKey is the item that holds the shared cursor key.
var metaKey = pk("META", "CURSORKEY")

// cursorCodec returns the codec, loading or creating the table's cursor
// key on first use.
func (s *Store) cursorCodec(ctx context.Context) (*pagetoken.Codec, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.codec != nil {
		return s.codec, nil
	}
	it, err := s.getItem(ctx, metaKey)
	if err != nil {
		return nil, err
	}
	if it == nil {
		k := make([]byte, 32)
		_, _ = rand.Read(k) // crypto/rand.Read never fails
		err := s.putItem(ctx, item{}.key("META", "CURSORKEY").b("key", k), "attribute_not_exists(PK)", nil)
		switch {
		case err == nil:
			s.codec = pagetoken.New(k)
			return s.codec, nil
		case !isCondFailed(err):
			return nil, err
		}
		// Another replica created it first.
		if it, err = s.getItem(ctx, metaKey); err != nil {
			return nil, err
		}
	}
	k := it.getB("key")
	if len(k) == 0 {
		return nil, errors.New("dynamostore: the meta item holds no cursor key")
	}
	s.codec = pagetoken.New(k)
	return s.codec, nil
}

// strictCursor reports whether both parts of the cursor are canonical
// unpadded base64url, so an edit that decodes to the same bytes is refused.
func strictCursor(c string) bool {
	p, sig, ok := strings.Cut(c, ".")
	if !ok {
		return false
	}
	for _, part := range []string{p, sig} {
		if _, err := strictB64.DecodeString(part); err != nil {
			return false
		}
	}
	return true
}

var strictB64 = base64.RawURLEncoding.Strict()

func durationOf(n int64) time.Duration { return time.Duration(n) }
