package dynamostore

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// A poll is POLL#<id>/P; its counts are split into Options.CounterShards
// tally items POLL#<id>/TALLY#<shard>, each with counts c0..c9 and a copy
// of the poll's end times and option count. A vote is
// VOTES#<poll>/U#<user>. RecordVote is one transaction: a put of the vote
// if absent and an ADD to the count of the voter's tally shard
// (fnv(user) mod CounterShards), conditioned on that shard's copy saying
// the poll is open and the option in range. The shard carries the
// condition, so a vote writes and checks no item that a vote by a user of
// another shard touches: DynamoDB cancels a transaction that meets another
// in-flight one on any item, condition checks included. CreatePoll puts
// every shard and EndPoll updates every shard, in their transactions, so
// the copies never disagree with the poll. GetPoll reads the poll's
// partition (the poll and its shards) with one query and sums the shards.
// The channel's partition CHPOLLS#<channel> holds a header per poll
// (P#asc(StartedAt)#id: start and end times) and a #LOCK item whose
// version CreatePoll and EndPoll change, so "no poll open at now" is
// decided on a consistent read and committed only if nothing changed.

func pollKey(id string) item      { return pk("POLL#"+id, "P") }
func tallySK(shard int) string    { return "TALLY#" + strconv.Itoa(shard) }
func lockKey(channel string) item { return pk("CHPOLLS#"+channel, "#LOCK") }
func headerSK(start int64, id string) string {
	return "P#" + asc(start) + "#" + id
}

// pollOpenCond is true when the poll item exists and is open at :now.
const pollOpenCond = "attribute_exists(PK) AND #ends > :now AND (#ended = :zero OR #ended > :now)"

// decodePoll decodes the poll item of a poll's partition and sums the
// counts of every item of the partition (the tally shards).
func decodePoll(its []item) *ugc.Poll {
	var it item
	for _, x := range its {
		if x.getS(attrSK) == "P" {
			it = x
		}
	}
	if it == nil {
		return nil
	}
	p := &ugc.Poll{ID: it.getS("id"), ChannelUserID: it.getS("c"), Question: it.getS("q"),
		StartedAt: it.getT("start"), EndsAt: it.getT("ends"), EndedAt: it.getT("ended")}
	if l, ok := it["opts"].(*types.AttributeValueMemberL); ok {
		for _, v := range l.Value {
			if sv, ok := v.(*types.AttributeValueMemberS); ok {
				p.Options = append(p.Options, sv.Value)
			}
		}
	}
	p.Counts = make([]int64, len(p.Options))
	for _, x := range its {
		for i := range p.Counts {
			p.Counts[i] += x.getN("c" + strconv.Itoa(i))
		}
	}
	return p
}

// CreatePoll stores a new poll with zero counts (it sets p.Counts too).
func (s *Store) CreatePoll(ctx context.Context, p *ugc.Poll, now time.Time) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreatePoll")
	if err := store.CheckPoll(p); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		its, err := s.queryPK(ctx, "CHPOLLS#"+p.ChannelUserID)
		if err != nil {
			return err
		}
		var ver int64
		lock := false
		open := false
		for _, it := range its {
			if it.getS(attrSK) == "#LOCK" {
				ver, lock = it.getN("ver"), true
				continue
			}
			h := ugc.Poll{EndsAt: it.getT("ends"), EndedAt: it.getT("ended")}
			open = open || !h.Closed(now)
		}
		if open {
			// A taken ID is reported before poll_active.
			it, err := s.getItem(ctx, pollKey(p.ID))
			if err != nil {
				return err
			}
			if it != nil {
				return taken("id")
			}
			return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_active", "the channel has a poll open")
		}
		var t tx
		opts := make([]types.AttributeValue, len(p.Options))
		for i, o := range p.Options {
			opts[i] = avS(o)
		}
		pi := item{}.key("POLL#"+p.ID, "P").s("id", p.ID).s("c", p.ChannelUserID).s("q", p.Question).
			t("start", p.StartedAt).t("ends", p.EndsAt).t("ended", p.EndedAt).n("nopt", int64(len(p.Options)))
		pi["opts"] = &types.AttributeValueMemberL{Value: opts}
		t.put("id", pi, "attribute_not_exists(PK)", nil)
		for sh := range s.opts.CounterShards {
			// A put, not an ADD: it resets what a deleted poll with this ID left.
			ti := item{}.key("POLL#"+p.ID, tallySK(sh)).t("ends", p.EndsAt).t("ended", p.EndedAt).
				n("nopt", int64(len(p.Options)))
			for i := range p.Options {
				ti.n("c"+strconv.Itoa(i), 0)
			}
			t.put("", ti, "", nil)
		}
		t.put("", item{}.key("CHPOLLS#"+p.ChannelUserID, headerSK(tms(p.StartedAt), p.ID)).s("id", p.ID).
			t("ends", p.EndsAt).t("ended", p.EndedAt), "", nil)
		if lock {
			t.update("lock", lockKey(p.ChannelUserID), "SET #ver = :nv", "#ver = :v", vals(":v", ver, ":nv", ver+1))
		} else {
			t.put("lock", item{}.key("CHPOLLS#"+p.ChannelUserID, "#LOCK").n("ver", 1), "attribute_not_exists(PK)", nil)
		}
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed == "lock":
			continue
		case err != nil:
			return err
		case failed == "id":
			return taken("id")
		}
		p.Counts = make([]int64, len(p.Options))
		return nil
	}
	return errContention
}

// GetPoll returns the poll with its exact counts, or ErrNotFound.
func (s *Store) GetPoll(ctx context.Context, pollID string) (_ *ugc.Poll, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetPoll")
	if err := store.CheckID("poll_id", pollID); err != nil {
		return nil, err
	}
	return s.getPoll(ctx, pollID)
}

// getPoll reads the poll's partition (the poll and its tally shards):
// one consistent query.
func (s *Store) getPoll(ctx context.Context, id string) (*ugc.Poll, error) {
	its, err := s.queryPK(ctx, "POLL#"+id)
	if err != nil {
		return nil, err
	}
	p := decodePoll(its)
	if p == nil {
		return nil, ugc.ErrNotFound
	}
	return p, nil
}

// LatestPoll returns the channel's most recently started poll (ties: the
// greatest ID), open or not, or ErrNotFound: a query for the last header
// and a query of the poll's partition.
func (s *Store) LatestPoll(ctx context.Context, channelUserID string) (_ *ugc.Poll, err error) {
	defer ugc.Wrap(&err, "dynamostore.LatestPoll")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	id := ""
	err = s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :p AND begins_with(SK, :s)"),
		ExpressionAttributeValues: vals(":p", "CHPOLLS#"+channelUserID, ":s", "P#"),
		ScanIndexForward:          aws.Bool(false),
		ConsistentRead:            aws.Bool(true),
		Limit:                     aws.Int32(1),
	}, func(it item) bool { id = it.getS("id"); return false })
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ugc.ErrNotFound
	}
	return s.getPoll(ctx, id)
}

// EndPoll sets EndedAt to at if the poll is open at at: one transaction
// (poll, its tally shards, header, lock).
func (s *Store) EndPoll(ctx context.Context, pollID string, at time.Time) (ended bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.EndPoll")
	if err := store.CheckID("poll_id", pollID); err != nil {
		return false, err
	}
	for range s.opts.MaxAttempts {
		p, err := s.getPoll(ctx, pollID)
		if err != nil {
			return false, err
		}
		if p.Closed(at) {
			return false, nil
		}
		var t tx
		t.update("poll", pollKey(pollID), "SET #ended = :at", pollOpenCond,
			vals(":at", tms(at), ":now", at.UnixMilli(), ":zero", int64(0)))
		for sh := range s.opts.CounterShards {
			t.update("", pk("POLL#"+pollID, tallySK(sh)), "SET #ended = :at", "", vals(":at", tms(at)))
		}
		t.update("", pk("CHPOLLS#"+p.ChannelUserID, headerSK(tms(p.StartedAt), p.ID)), "SET #ended = :at", "",
			vals(":at", tms(at)))
		t.update("", lockKey(p.ChannelUserID), "ADD #ver :one", "", vals(":one", 1))
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

// RecordVote records v and increments the option's count on the voter's
// tally shard in one transaction; only when it is refused does a read of
// the poll tell why.
func (s *Store) RecordVote(ctx context.Context, v ugc.Vote, now time.Time) (err error) {
	defer ugc.Wrap(&err, "dynamostore.RecordVote")
	if err := store.CheckVote(v); err != nil {
		return err
	}
	if v.Option >= store.MaxPollOptions {
		// Out of range for any poll, but a missing poll is ErrNotFound first.
		if _, err := s.getPoll(ctx, v.PollID); err != nil {
			return err
		}
		return ugc.InvalidField("option", "must be below the number of options")
	}
	var t tx
	t.update("poll", pk("POLL#"+v.PollID, tallySK(shard(v.UserID, s.opts.CounterShards))), "ADD #c :one", pollOpenCond+" AND #nopt > :opt",
		vals(":one", 1, ":now", now.UnixMilli(), ":zero", int64(0), ":opt", v.Option))
	t.items[0].Update.ExpressionAttributeNames["#c"] = "c" + strconv.Itoa(v.Option)
	t.put("vote", item{}.key("VOTES#"+v.PollID, "U#"+v.UserID).s("u", v.UserID).n("opt", int64(v.Option)).t("at", v.At),
		"attribute_not_exists(PK)", nil)
	failed, err := s.run(ctx, &t)
	if err != nil || failed == "" {
		return err
	}
	p, err := s.getPoll(ctx, v.PollID)
	switch {
	case err != nil:
		return err
	case v.Option >= len(p.Options):
		return ugc.InvalidField("option", "must be below %d", len(p.Options))
	case p.Closed(now):
		return ugc.WithCode(ugc.ErrFailedPrecondition, "poll_closed", "the poll has ended")
	}
	return &ugc.Error{Kind: ugc.ErrAlreadyExists, Code: "already_voted", Field: "user_id", Message: "the user has voted"}
}

// GetVote returns the user's vote, or ErrNotFound.
func (s *Store) GetVote(ctx context.Context, pollID, userID string) (_ *ugc.Vote, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetVote")
	if err := store.CheckIDs("poll_id", pollID, "user_id", userID); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, pk("VOTES#"+pollID, "U#"+userID))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return &ugc.Vote{PollID: pollID, UserID: userID, Option: int(it.getN("opt")), At: it.getT("at")}, nil
}

// DeletePollsOf removes the channel's polls and their votes; idempotent.
func (s *Store) DeletePollsOf(ctx context.Context, channelUserID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeletePollsOf")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return err
	}
	its, err := s.queryPK(ctx, "CHPOLLS#"+channelUserID)
	if err != nil {
		return err
	}
	for _, it := range its {
		if it.getS(attrSK) == "#LOCK" {
			continue
		}
		id := it.getS("id")
		votes, err := s.queryPK(ctx, "VOTES#"+id)
		if err != nil {
			return err
		}
		poll, err := s.queryPK(ctx, "POLL#"+id)
		if err != nil {
			return err
		}
		if err := s.batchDelete(ctx, append(keysOf(votes), keysOf(poll)...)); err != nil {
			return err
		}
	}
	// The headers go last, so a failure above leaves them for a retry;
	// the lock stays, so a concurrent CreatePoll cannot miss this change.
	var headers []item
	for _, it := range its {
		if it.getS(attrSK) != "#LOCK" {
			headers = append(headers, keyOf(it))
		}
	}
	return s.batchDelete(ctx, headers)
}
