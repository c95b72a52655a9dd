package dynamostore

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// The active action is USER#<channel>/ACTION, presets
// USER#<user>/PRESET#<type> (a query returns them ordered by type), rules
// RULES#<channel>/R#<id>.

func actionKey(channel string) item { return pk("USER#"+channel, "ACTION") }

// PutActiveAction replaces the channel's active action.
func (s *Store) PutActiveAction(ctx context.Context, a *ugc.Action) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutActiveAction")
	if err := store.CheckActiveAction(a); err != nil {
		return err
	}
	it := item{}.key("USER#"+a.ChannelUserID, "ACTION").s("id", a.ID).s("c", a.ChannelUserID).s("type", a.Type).
		b("data", a.Data).t("started", a.StartedAt).t("expires", a.ExpiresAt)
	return s.putItem(ctx, it, "", nil)
}

// GetActiveAction returns the stored action (expired or not), or
// ErrNotFound.
func (s *Store) GetActiveAction(ctx context.Context, channelUserID string) (_ *ugc.Action, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetActiveAction")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, actionKey(channelUserID))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return &ugc.Action{ID: it.getS("id"), ChannelUserID: channelUserID, Type: it.getS("type"), Data: it.getB("data"),
		StartedAt: it.getT("started"), ExpiresAt: it.getT("expires")}, nil
}

// DeleteActiveAction removes the active action if id is "" or equals its
// ID: one conditional delete.
func (s *Store) DeleteActiveAction(ctx context.Context, channelUserID, id string) (removed bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteActiveAction")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return false, err
	}
	if err := store.CheckText("id", id, store.MaxIDLen); err != nil {
		return false, err
	}
	if id == "" {
		return s.deleteExisting(ctx, actionKey(channelUserID))
	}
	return s.deleteIf(ctx, actionKey(channelUserID), "#id = :id", vals(":id", id))
}

// PutPreset creates or replaces the user's preset of p.Type.
func (s *Store) PutPreset(ctx context.Context, p ugc.Preset) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutPreset")
	if err := store.CheckPreset(p); err != nil {
		return err
	}
	it := item{}.key("USER#"+p.UserID, "PRESET#"+p.Type).s("u", p.UserID).s("type", p.Type).
		b("data", p.Data).t("updated", p.UpdatedAt)
	return s.putItem(ctx, it, "", nil)
}

// ListPresets returns the user's presets ordered by type: one query.
func (s *Store) ListPresets(ctx context.Context, userID string) (_ []ugc.Preset, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListPresets")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	its, err := s.queryPrefix(ctx, "USER#"+userID, "PRESET#")
	if err != nil {
		return nil, err
	}
	out := make([]ugc.Preset, 0, len(its))
	for _, it := range its {
		out = append(out, ugc.Preset{UserID: userID, Type: it.getS("type"), Data: it.getB("data"), UpdatedAt: it.getT("updated")})
	}
	return out, nil
}

// queryPrefix returns the items of partition p whose sort key starts with
// prefix, in sort-key order (consistent).
func (s *Store) queryPrefix(ctx context.Context, p, prefix string) ([]item, error) {
	var out []item
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :p AND begins_with(SK, :s)"),
		ExpressionAttributeValues: vals(":p", p, ":s", prefix),
		ConsistentRead:            aws.Bool(true),
	}, func(it item) bool { out = append(out, it); return true })
	return out, err
}

// PutRule creates or replaces a rule, keyed by channel and ID.
func (s *Store) PutRule(ctx context.Context, r ugc.Rule) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutRule")
	if err := store.CheckRule(r); err != nil {
		return err
	}
	it := item{}.key("RULES#"+r.ChannelUserID, "R#"+r.ID).s("id", r.ID).s("c", r.ChannelUserID).
		s("event", r.EventName).s("preset", r.PresetType).n("delay", int64(r.Delay)).t("created", r.CreatedAt)
	return s.putItem(ctx, it, "", nil)
}

// ListRules returns the channel's rules ordered by ID: one query.
func (s *Store) ListRules(ctx context.Context, channelUserID string) (_ []ugc.Rule, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListRules")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	its, err := s.queryPK(ctx, "RULES#"+channelUserID)
	if err != nil {
		return nil, err
	}
	out := make([]ugc.Rule, 0, len(its))
	for _, it := range its {
		out = append(out, ugc.Rule{ID: it.getS("id"), ChannelUserID: channelUserID, EventName: it.getS("event"),
			PresetType: it.getS("preset"), Delay: durationOf(it.getN("delay")), CreatedAt: it.getT("created")})
	}
	return out, nil
}

// DeleteRule removes a rule; removed is false when there was none.
func (s *Store) DeleteRule(ctx context.Context, channelUserID, id string) (removed bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteRule")
	if err := store.CheckIDs("channel_user_id", channelUserID, "id", id); err != nil {
		return false, err
	}
	return s.deleteExisting(ctx, pk("RULES#"+channelUserID, "R#"+id))
}

// DeleteActionsOf removes the user's active action, presets and rules;
// idempotent.
func (s *Store) DeleteActionsOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteActionsOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	presets, err := s.queryPrefix(ctx, "USER#"+userID, "PRESET#")
	if err != nil {
		return err
	}
	rules, err := s.queryPK(ctx, "RULES#"+userID)
	if err != nil {
		return err
	}
	keys := append(append([]item{actionKey(userID)}, keysOf(presets)...), keysOf(rules)...)
	return s.batchDelete(ctx, keys)
}

// lastOfIndex queries the last item of an index partition.
func lastOfIndex(index, pkAttr, p string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String(pkAttr + " = :p"),
		ExpressionAttributeValues: vals(":p", p),
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(1),
	}
}
