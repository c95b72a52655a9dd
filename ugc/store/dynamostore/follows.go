package dynamostore

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Follow items: FOLLOWING#<follower>/C#<channel>, indexed in GSI1 by
// (FOLLOWERS#<channel>, follower). The follower count is split into
// Options.CounterShards items USER#<channel>/FOLLOWERS#<shard> (attribute
// n), and a follow or unfollow adds to the follower's shard
// (fnv(follower) mod CounterShards) in the same transaction as the follow
// item, so follows of one channel by followers of different shards write
// no common item. FollowerCount sums the shards with one query.

func followKey(follower, channel string) item { return pk("FOLLOWING#"+follower, "C#"+channel) }

// countKey is the follower count shard of channel that follower counts in.
func (s *Store) countKey(channel, follower string) item {
	return pk("USER#"+channel, "FOLLOWERS#"+strconv.Itoa(shard(follower, s.opts.CounterShards)))
}

// Follow records a follow with one transaction: the follow item (if
// absent) and the follower's shard of the follower count.
func (s *Store) Follow(ctx context.Context, f ugc.Follow) (created bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.Follow")
	if err := store.CheckFollow(f); err != nil {
		return false, err
	}
	var t tx
	k := followKey(f.FollowerID, f.ChannelUserID)
	t.put("exists", item{}.key(k.getS(attrPK), k.getS(attrSK)).s("f", f.FollowerID).s("c", f.ChannelUserID).
		t("at", f.FollowedAt).s(attrG1PK, "FOLLOWERS#"+f.ChannelUserID).s(attrG1SK, f.FollowerID),
		"attribute_not_exists(PK)", nil)
	t.update("", s.countKey(f.ChannelUserID, f.FollowerID), "ADD #n :one", "", vals(":one", 1))
	failed, err := s.run(ctx, &t)
	if err != nil {
		return false, err
	}
	return failed == "", nil
}

// unfollow removes one follow and decrements the follower's shard of the
// count in one transaction.
func (s *Store) unfollow(ctx context.Context, follower, channel string) (bool, error) {
	var t tx
	t.del("missing", followKey(follower, channel), "attribute_exists(PK)", nil)
	t.update("", s.countKey(channel, follower), "ADD #n :minus", "", vals(":minus", -1))
	failed, err := s.run(ctx, &t)
	if err != nil {
		return false, err
	}
	return failed == "", nil
}

// Unfollow removes the follow; removed is false when there was none.
func (s *Store) Unfollow(ctx context.Context, followerID, channelUserID string) (removed bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.Unfollow")
	if err := store.CheckIDs("follower_id", followerID, "channel_user_id", channelUserID); err != nil {
		return false, err
	}
	return s.unfollow(ctx, followerID, channelUserID)
}

// IsFollowing reports whether the follow exists: one read.
func (s *Store) IsFollowing(ctx context.Context, followerID, channelUserID string) (_ bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.IsFollowing")
	if err := store.CheckIDs("follower_id", followerID, "channel_user_id", channelUserID); err != nil {
		return false, err
	}
	it, err := s.getItem(ctx, followKey(followerID, channelUserID))
	return it != nil, err
}

// FollowerCount returns the exact number of followers: one consistent
// query of the channel's count shards, summed.
func (s *Store) FollowerCount(ctx context.Context, channelUserID string) (_ int64, err error) {
	defer ugc.Wrap(&err, "dynamostore.FollowerCount")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return 0, err
	}
	var n int64
	err = s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :p AND begins_with(SK, :s)"),
		ExpressionAttributeValues: vals(":p", "USER#"+channelUserID, ":s", "FOLLOWERS#"),
		ConsistentRead:            aws.Bool(true),
	}, func(it item) bool { n += it.getN("n"); return true })
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ListFollowing returns the channels followerID follows: live ones first,
// most recent start first, then offline ones, most recently followed
// first; ties by channel user ID. It reads the user's follow items (one
// query) and the live state of each followed channel (BatchGetItem, 100
// keys per request, in parallel).
func (s *Store) ListFollowing(ctx context.Context, followerID string, p store.Page) (_ []ugc.FollowedChannel, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListFollowing")
	if err := store.CheckID("follower_id", followerID); err != nil {
		return nil, "", err
	}
	q := queryName("ListFollowing", followerID)
	limit, c, has, err := s.pageArgs(ctx, q, p)
	if err != nil {
		return nil, "", err
	}
	follows, err := s.queryPK(ctx, "FOLLOWING#"+followerID)
	if err != nil {
		return nil, "", err
	}
	live, err := s.liveStates(ctx, follows)
	if err != nil {
		return nil, "", err
	}
	type row struct {
		fc  ugc.FollowedChannel
		key string
	}
	var liveRows, offRows []row
	for _, it := range follows {
		ch := it.getS("c")
		fc := ugc.FollowedChannel{ChannelUserID: ch, FollowedAt: it.getT("at")}
		if st := live[ch]; st != nil && len(st.entries) > 0 {
			e := st.entries[0]
			fc.Live = &e
			liveRows = append(liveRows, row{fc, desc(tms(e.Since)) + "#" + ch})
		} else {
			offRows = append(offRows, row{fc, desc(tms(fc.FollowedAt)) + "#" + ch})
		}
	}
	byKey := func(a, b row) int { return strings.Compare(a.key, b.key) }
	slices.SortFunc(liveRows, byKey)
	slices.SortFunc(offRows, byKey)
	var out []ugc.FollowedChannel
	var last cursor
	more := false
	add := func(rows []row, isLive bool, after string) {
		for _, r := range rows {
			if after != "" && r.key <= after {
				continue
			}
			if len(out) == limit {
				more = true
				return
			}
			out = append(out, r.fc)
			last = cursor{K: r.key, L: isLive}
		}
	}
	if !has || c.L {
		after := ""
		if has {
			after = c.K
		}
		add(liveRows, true, after)
		has = false
	}
	if !more {
		after := ""
		if has {
			after = c.K
		}
		add(offRows, false, after)
	}
	if !more {
		return out, "", nil
	}
	next, err = s.encode(ctx, q, last)
	return out, next, err
}

// liveStates reads the live state of the channels of follow items.
func (s *Store) liveStates(ctx context.Context, follows []item) (map[string]*liveState, error) {
	var keys []item
	for _, it := range follows {
		keys = append(keys, liveKey(it.getS("c")))
	}
	res := make([][]item, (len(keys)+99)/100)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range res {
		g.Go(func() error {
			its, err := s.batchGet(gctx, keys[i*100:min(len(keys), (i+1)*100)])
			res[i] = its
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]*liveState{}
	for _, its := range res {
		for _, it := range its {
			st := decodeLive(it)
			out[st.user] = st
		}
	}
	return out, nil
}

// DeleteFollowsOf removes every follow by or of the user, one transaction
// per follow so the other users' counts stay exact.
func (s *Store) DeleteFollowsOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteFollowsOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	follows, err := s.queryPK(ctx, "FOLLOWING#"+userID)
	if err != nil {
		return err
	}
	for _, it := range follows {
		if _, err := s.unfollow(ctx, userID, it.getS("c")); err != nil {
			return err
		}
	}
	followers, err := s.queryIndex(ctx, indexGSI1, attrG1PK, "FOLLOWERS#"+userID)
	if err != nil {
		return err
	}
	for _, it := range followers {
		if _, err := s.unfollow(ctx, it.getS("f"), userID); err != nil {
			return err
		}
	}
	return nil
}

// The live state of a user is one item, USER#<user>/LIVE, holding both
// entries (attributes ll and rt) and a version. Its latest entry is
// indexed in GSI1 by (LIVE#<shard of user>, desc(Since)#user): the
// directory reads the shards and merges them, so no partition is hot.

func liveKey(user string) item { return pk("USER#"+user, "LIVE") }

type liveState struct {
	user    string
	ver     int64
	entries []ugc.LiveEntry // latest start first, ties by kind
}

func kindAttr(k ugc.LiveKind) string {
	if k == ugc.LiveRealTime {
		return "rt"
	}
	return "ll"
}

func decodeLive(it item) *liveState {
	st := &liveState{user: it.getS("uid"), ver: it.getN("ver")}
	for _, k := range []ugc.LiveKind{ugc.LiveLowLatency, ugc.LiveRealTime} {
		m, ok := it[kindAttr(k)].(*types.AttributeValueMemberM)
		if !ok {
			continue
		}
		e := item(m.Value)
		st.entries = append(st.entries, ugc.LiveEntry{UserID: st.user, Kind: k, Since: e.getT("since"), Ref: e.getS("ref")})
	}
	sortLive(st.entries)
	return st
}

func sortLive(es []ugc.LiveEntry) {
	slices.SortFunc(es, func(a, b ugc.LiveEntry) int {
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
}

// writeLive stores the user's entries if the state is still at version
// ver (0: absent); ok is false when another writer came first.
func (s *Store) writeLive(ctx context.Context, user string, ver int64, es []ugc.LiveEntry) (ok bool, err error) {
	cond, cv := "attribute_not_exists(PK)", map[string]types.AttributeValue(nil)
	if ver != 0 {
		cond, cv = "#ver = :v", vals(":v", ver)
	}
	if len(es) == 0 {
		err = s.deleteItem(ctx, liveKey(user), cond, cv)
	} else {
		sortLive(es)
		it := item{}.key("USER#"+user, "LIVE").s("uid", user).n("ver", ver+1).
			s(attrG1PK, "LIVE#"+strconv.Itoa(shard(user, s.opts.LiveShards))).
			s(attrG1SK, desc(tms(es[0].Since))+"#"+user).s("latest", string(es[0].Kind))
		for _, e := range es {
			it[kindAttr(e.Kind)] = &types.AttributeValueMemberM{Value: item{}.t("since", e.Since).s("ref", e.Ref)}
		}
		err = s.putItem(ctx, it, cond, cv)
	}
	if isCondFailed(err) {
		return false, nil
	}
	return err == nil, err
}

func (s *Store) readLive(ctx context.Context, user string) (*liveState, error) {
	it, err := s.getItem(ctx, liveKey(user))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return &liveState{user: user}, nil
	}
	return decodeLive(it), nil
}

// SetLive creates or replaces the entry for (e.UserID, e.Kind) unless the
// stored entry started later: a read and a conditional put.
func (s *Store) SetLive(ctx context.Context, e ugc.LiveEntry) (err error) {
	defer ugc.Wrap(&err, "dynamostore.SetLive")
	if err := store.CheckLiveEntry(e); err != nil {
		return err
	}
	e.Since = fromMs(tms(e.Since))
	for range s.opts.MaxAttempts {
		st, err := s.readLive(ctx, e.UserID)
		if err != nil {
			return err
		}
		var es []ugc.LiveEntry
		for _, o := range st.entries {
			if o.Kind == e.Kind {
				if o.Since.After(e.Since) {
					return nil
				}
				continue
			}
			es = append(es, o)
		}
		ok, err := s.writeLive(ctx, e.UserID, st.ver, append(es, e))
		if err != nil || ok {
			return err
		}
	}
	return errContention
}

// ClearLive removes the entry for (userID, kind) if ref is "" or equals the
// stored Ref; idempotent.
func (s *Store) ClearLive(ctx context.Context, userID string, kind ugc.LiveKind, ref string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.ClearLive")
	if err := store.CheckLiveEntry(ugc.LiveEntry{UserID: userID, Kind: kind, Ref: ref}); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		st, err := s.readLive(ctx, userID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(st.entries, func(o ugc.LiveEntry) bool { return o.Kind == kind })
		if i < 0 || ref != "" && st.entries[i].Ref != ref {
			return nil
		}
		ok, err := s.writeLive(ctx, userID, st.ver, slices.Delete(st.entries, i, i+1))
		if err != nil || ok {
			return err
		}
	}
	return errContention
}

// GetLive returns the user's entries, latest start first: one read.
func (s *Store) GetLive(ctx context.Context, userID string) (_ []ugc.LiveEntry, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetLive")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	st, err := s.readLive(ctx, userID)
	if err != nil {
		return nil, err
	}
	return st.entries, nil
}

// ListLive returns the live channels, each user once, most recent start
// first, ties by user ID: one GSI1 query per shard, in parallel, merged.
func (s *Store) ListLive(ctx context.Context, p store.Page) (_ []ugc.LiveEntry, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListLive")
	const q = "ListLive"
	limit, c, has, err := s.pageArgs(ctx, q, p)
	if err != nil {
		return nil, "", err
	}
	its, more, err := s.mergeShards(ctx, "LIVE#", c.K, has, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]ugc.LiveEntry, 0, len(its))
	for _, it := range its {
		st := decodeLive(it)
		if len(st.entries) > 0 {
			out = append(out, st.entries[0])
		}
	}
	if !more {
		return out, "", nil
	}
	next, err = s.encode(ctx, q, cursor{K: its[len(its)-1].getS(attrG1SK)})
	return out, next, err
}

// mergeShards reads the first limit items after the cursor key from the
// GSI1 partitions prefix+0 .. prefix+(LiveShards-1), in G1SK order; more
// reports whether items remain.
func (s *Store) mergeShards(ctx context.Context, prefix, after string, has bool, limit int) ([]item, bool, error) {
	res := make([][]item, s.opts.LiveShards)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opts.LiveShards)
	for i := range res {
		g.Go(func() error {
			in := &dynamodb.QueryInput{IndexName: aws.String(indexGSI1), Limit: aws.Int32(int32(limit + 1))}
			p := prefix + strconv.Itoa(i)
			if has {
				in.KeyConditionExpression = aws.String("G1PK = :p AND G1SK > :c")
				in.ExpressionAttributeValues = vals(":p", p, ":c", after)
			} else {
				in.KeyConditionExpression = aws.String("G1PK = :p")
				in.ExpressionAttributeValues = vals(":p", p)
			}
			return s.query(gctx, in, func(it item) bool {
				res[i] = append(res[i], it)
				return len(res[i]) <= limit
			})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, false, err
	}
	var all []item
	for _, r := range res {
		all = append(all, r...)
	}
	slices.SortFunc(all, func(a, b item) int { return strings.Compare(a.getS(attrG1SK), b.getS(attrG1SK)) })
	if len(all) > limit {
		return all[:limit], true, nil
	}
	return all, false, nil
}
