package dynamostore

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Stream sessions live at SS#<id>/S with a version, indexed by user in
// GSI1 (USS#<user>, desc(StartTime)#id; only sessions with a start) and
// GSI2 (USSALL#<user>, id; all). Events are separate items
// EV#<session>/E#<event ID> (so a session's size is unbounded), ordered in
// LSI1 by asc(Time)#ID. The metrics cache is a blob in MC#<session>.

func sessKey(id string) item { return pk("SS#"+id, "S") }

func decodeSession(it item) *ugc.StreamSession {
	return &ugc.StreamSession{
		ID: it.getS("id"), UserID: it.getS("uid"), ChannelArn: it.getS("arn"),
		StartTime: it.getT("start"), EndTime: it.getT("end"),
		IsHealthy: it.getBool("healthy"), HasErrorEvent: it.getBool("errev"),
		IngestConfiguration: it.getB("ingest"), UpdatedAt: it.getT("updated"),
	}
}

// GetStreamSession returns the session, or ErrNotFound.
func (s *Store) GetStreamSession(ctx context.Context, id string) (_ *ugc.StreamSession, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetStreamSession")
	ss, _, err := s.getSession(ctx, id)
	return ss, err
}

// GetStreamSessionVersion returns the session and its version.
func (s *Store) GetStreamSessionVersion(ctx context.Context, id string) (_ *ugc.StreamSession, _ int64, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetStreamSessionVersion")
	return s.getSession(ctx, id)
}

func (s *Store) getSession(ctx context.Context, id string) (*ugc.StreamSession, int64, error) {
	if err := store.CheckID("id", id); err != nil {
		return nil, 0, err
	}
	it, err := s.getItem(ctx, sessKey(id))
	if err != nil {
		return nil, 0, err
	}
	if it == nil {
		return nil, 0, ugc.ErrNotFound
	}
	return decodeSession(it), it.getN("ver"), nil
}

// PutStreamSession writes the session if its stored version equals version
// (0: it must not exist yet): one conditional put.
func (s *Store) PutStreamSession(ctx context.Context, ss *ugc.StreamSession, version int64) (_ int64, err error) {
	defer ugc.Wrap(&err, "dynamostore.PutStreamSession")
	if err := store.CheckStreamSession(ss); err != nil {
		return 0, err
	}
	if version < 0 {
		return 0, ugc.InvalidField("version", "must not be negative")
	}
	it := item{}.key("SS#"+ss.ID, "S").s("id", ss.ID).s("uid", ss.UserID).s("arn", ss.ChannelArn).
		t("start", ss.StartTime).t("end", ss.EndTime).bool("healthy", ss.IsHealthy).bool("errev", ss.HasErrorEvent).
		b("ingest", ss.IngestConfiguration).t("updated", ss.UpdatedAt).n("ver", version+1).
		s(attrG2PK, "USSALL#"+ss.UserID).s(attrG2SK, ss.ID)
	if !ss.StartTime.IsZero() {
		it.s(attrG1PK, "USS#"+ss.UserID).s(attrG1SK, desc(tms(ss.StartTime))+"#"+ss.ID)
	}
	cond, cv := "attribute_not_exists(PK)", vals()
	if version > 0 {
		cond, cv = "#ver = :v", vals(":v", version)
	}
	err = s.putItem(ctx, it, cond, cv)
	if isCondFailed(err) {
		return 0, ugc.WithCode(ugc.ErrFailedPrecondition, "version_conflict",
			"the session is not at version %d", version)
	}
	if err != nil {
		return 0, err
	}
	return version + 1, nil
}

// ListStreamSessions returns the user's sessions that have a start time,
// newest start first, ties by ID: one GSI1 query.
func (s *Store) ListStreamSessions(ctx context.Context, userID string, p store.Page) (_ []*ugc.StreamSession, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListStreamSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, "", err
	}
	q := queryName("ListStreamSessions", userID)
	var out []*ugc.StreamSession
	next, err = s.pageIndex(ctx, q, p, indexGSI1, attrG1PK, attrG1SK, "USS#"+userID, nil, func(it item) {
		out = append(out, decodeSession(it))
	})
	return out, next, err
}

// pageIndex serves one page of a list kept in an index partition, in
// ascending sort-key order. keep, when not nil, filters items.
func (s *Store) pageIndex(ctx context.Context, q string, p store.Page, index, pkAttr, skAttr, pkVal string,
	keep func(item) bool, add func(item)) (next string, err error) {
	limit, c, has, err := s.pageArgs(ctx, q, p)
	if err != nil {
		return "", err
	}
	in := &dynamodb.QueryInput{IndexName: aws.String(index), Limit: aws.Int32(int32(limit + 1))}
	if has {
		in.KeyConditionExpression = aws.String(pkAttr + " = :p AND " + skAttr + " > :c")
		in.ExpressionAttributeValues = vals(":p", pkVal, ":c", c.K)
	} else {
		in.KeyConditionExpression = aws.String(pkAttr + " = :p")
		in.ExpressionAttributeValues = vals(":p", pkVal)
	}
	if index == indexLSI1 {
		in.ConsistentRead = aws.Bool(true)
	}
	n, more, last := 0, false, ""
	err = s.query(ctx, in, func(it item) bool {
		if keep != nil && !keep(it) {
			return true
		}
		if n == limit {
			more = true
			return false
		}
		add(it)
		n++
		last = it.getS(skAttr)
		return true
	})
	if err != nil || !more {
		return "", err
	}
	return s.encode(ctx, q, cursor{K: last})
}

// AppendStreamEvent records an event with one conditional put.
func (s *Store) AppendStreamEvent(ctx context.Context, ev ugc.StreamEvent) (added bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.AppendStreamEvent")
	if err := store.CheckStreamEvent(ev); err != nil {
		return false, err
	}
	it := item{}.key("EV#"+ev.SessionID, "E#"+ev.ID).s("id", ev.ID).s("sid", ev.SessionID).t("at", ev.Time).
		s("type", ev.Type).s("name", ev.Name).s("code", ev.Code).s("reason", ev.Reason).
		s(attrLSK, asc(tms(ev.Time))+"#"+ev.ID)
	err = s.putItem(ctx, it, "attribute_not_exists(PK)", nil)
	if isCondFailed(err) {
		return false, nil
	}
	return err == nil, err
}

// ListStreamEvents returns a session's events, oldest first, ties by ID:
// one consistent LSI1 query.
func (s *Store) ListStreamEvents(ctx context.Context, sessionID string, p store.Page) (_ []ugc.StreamEvent, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListStreamEvents")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, "", err
	}
	q := queryName("ListStreamEvents", sessionID)
	var out []ugc.StreamEvent
	next, err = s.pageIndex(ctx, q, p, indexLSI1, attrPK, attrLSK, "EV#"+sessionID, nil, func(it item) {
		out = append(out, ugc.StreamEvent{ID: it.getS("id"), SessionID: sessionID, Time: it.getT("at"),
			Type: it.getS("type"), Name: it.getS("name"), Code: it.getS("code"), Reason: it.getS("reason")})
	})
	return out, next, err
}

// GetMetricsCache returns the cached metrics of a session, or ErrNotFound.
func (s *Store) GetMetricsCache(ctx context.Context, sessionID string) (_ *ugc.MetricsCacheEntry, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetMetricsCache")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, err
	}
	b, err := s.readBlob(ctx, "MC#"+sessionID)
	if err != nil {
		return nil, err
	}
	if b.meta == nil {
		return nil, ugc.ErrNotFound
	}
	return decodeMetrics(sessionID, b), nil
}

func decodeMetrics(sessionID string, b *blob) *ugc.MetricsCacheEntry {
	return &ugc.MetricsCacheEntry{SessionID: sessionID, Period: int(b.meta.getN("period")),
		Complete: b.meta.getBool("complete"), Data: b.data, FetchedAt: b.meta.getT("fetched")}
}

// PutMetricsCache stores e unless the stored entry is better: a read and
// one transaction (the entry's chunks).
func (s *Store) PutMetricsCache(ctx context.Context, e ugc.MetricsCacheEntry) (stored bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.PutMetricsCache")
	if err := store.CheckMetricsCacheEntry(e); err != nil {
		return false, err
	}
	if len(e.Data) == 0 {
		return false, nil // never better (store.BetterMetrics)
	}
	p := "MC#" + e.SessionID
	for range s.opts.MaxAttempts {
		old, err := s.readBlob(ctx, p)
		if err != nil {
			return false, err
		}
		var oldE *ugc.MetricsCacheEntry
		if old.meta != nil {
			oldE = decodeMetrics(e.SessionID, old)
		}
		if !store.BetterMetrics(oldE, e) {
			return false, nil
		}
		var t tx
		blobWrite(&t, p, old, item{}.n("period", int64(e.Period)).bool("complete", e.Complete).t("fetched", e.FetchedAt), e.Data)
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed != "":
			continue
		case err != nil:
			return false, err
		}
		return true, nil
	}
	return false, errContention
}

// DeleteUserStreamSessions removes the user's sessions, their events and
// caches; idempotent.
func (s *Store) DeleteUserStreamSessions(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteUserStreamSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	sessions, err := s.queryIndex(ctx, indexGSI2, attrG2PK, "USSALL#"+userID)
	if err != nil {
		return err
	}
	for _, ss := range sessions {
		id := ss.getS("id")
		for _, p := range []string{"EV#" + id, "MC#" + id} {
			its, err := s.queryPK(ctx, p)
			if err != nil {
				return err
			}
			if err := s.batchDelete(ctx, keysOf(its)); err != nil {
				return err
			}
		}
		if err := s.deleteItem(ctx, sessKey(id), "", nil); err != nil {
			return err
		}
	}
	return nil
}
