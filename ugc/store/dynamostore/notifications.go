package dynamostore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Notifications are NOTES#<user>/N#<seq as 16 hex digits>, with the user's
// last sequence number in NOTES#<user>/#SEQ; both are written in one
// transaction conditioned on the number read, so numbers are dense in
// commit order and never reused. Retention reads GSI2 (NOTEALL#<shard>,
// asc(CreatedAt)#user#seq), sharded by user.

// noteShards is the number of GSI2 partitions of the retention index.
const noteShards = 8

func seqSK(seq int64) string { return fmt.Sprintf("N#%016x", seq) }

// AppendNotification stores n and sets n.Seq to the user's next sequence
// number: a read of the counter and one transaction.
func (s *Store) AppendNotification(ctx context.Context, n *ugc.Notification) (err error) {
	defer ugc.Wrap(&err, "dynamostore.AppendNotification")
	if err := store.CheckNotification(n); err != nil {
		return err
	}
	p := "NOTES#" + n.UserID
	for range s.opts.MaxAttempts {
		it, err := s.getItem(ctx, pk(p, "#SEQ"))
		if err != nil {
			return err
		}
		var t tx
		seq := int64(1)
		if it == nil {
			t.put("seq", item{}.key(p, "#SEQ").n("seq", 1), "attribute_not_exists(PK)", nil)
		} else {
			seq = it.getN("seq") + 1
			t.update("seq", pk(p, "#SEQ"), "SET #seq = :n", "#seq = :o", vals(":n", seq, ":o", seq-1))
		}
		t.put("", item{}.key(p, seqSK(seq)).s("u", n.UserID).n("seq", seq).s("type", n.Type).b("data", n.Data).
			t("created", n.CreatedAt).
			s(attrG2PK, "NOTEALL#"+strconv.Itoa(shard(n.UserID, noteShards))).
			s(attrG2SK, asc(tms(n.CreatedAt))+"#"+seqSK(seq)+"#"+n.UserID), "", nil)
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed != "":
			continue
		case err != nil:
			return err
		}
		n.Seq = seq
		return nil
	}
	return errContention
}

// ListNotifications returns the user's notifications with Seq > after,
// oldest first, at most limit: one query.
func (s *Store) ListNotifications(ctx context.Context, userID string, after int64, limit int) (_ []ugc.Notification, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListNotifications")
	limit, err = store.CheckNotificationsQuery(userID, after, limit)
	if err != nil {
		return nil, err
	}
	var out []ugc.Notification
	err = s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :p AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: vals(":p", "NOTES#"+userID, ":lo", seqSK(after+1), ":hi", "N#~"),
		ConsistentRead:            aws.Bool(true),
		Limit:                     aws.Int32(int32(limit)),
	}, func(it item) bool {
		out = append(out, ugc.Notification{UserID: userID, Seq: it.getN("seq"), Type: it.getS("type"),
			Data: it.getB("data"), CreatedAt: it.getT("created")})
		return len(out) < limit
	})
	return out, err
}

// DeleteNotificationsBefore removes notifications created before t: a
// GSI2 query per shard and batched deletes; idempotent.
func (s *Store) DeleteNotificationsBefore(ctx context.Context, t time.Time) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteNotificationsBefore")
	upper := asc(ceilMs(t))
	for i := range noteShards {
		var keys []item
		err := s.query(ctx, &dynamodb.QueryInput{
			IndexName:                 aws.String(indexGSI2),
			KeyConditionExpression:    aws.String("G2PK = :p AND G2SK < :hi"),
			ExpressionAttributeValues: vals(":p", "NOTEALL#"+strconv.Itoa(i), ":hi", upper),
		}, func(it item) bool { keys = append(keys, keyOf(it)); return true })
		if err != nil {
			return err
		}
		if err := s.batchDelete(ctx, keys); err != nil {
			return err
		}
	}
	return nil
}
