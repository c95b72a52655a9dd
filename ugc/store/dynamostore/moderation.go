package dynamostore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Bans live at BANS#<channel>/U#<user>, ordered in LSI1 by
// desc(CreatedAt)#user and indexed by banned user in GSI1 (BANNED#<user>,
// channel). Moderators live at MODS#<channel>/U#<user>, ordered in LSI1 by
// asc(CreatedAt)#user, indexed in GSI1 (MODOF#<user>, channel). Blocked
// terms are a blob in TERMS#<channel>.

func banKey(channel, user string) item { return pk("BANS#"+channel, "U#"+user) }
func modKey(channel, user string) item { return pk("MODS#"+channel, "U#"+user) }

func decodeBan(it item) ugc.Ban {
	return ugc.Ban{ChannelUserID: it.getS("c"), UserID: it.getS("u"), Reason: it.getS("reason"),
		BannedBy: it.getS("by"), CreatedAt: it.getT("created"), ExpiresAt: it.getT("expires")}
}

// PutBan creates or replaces the ban of b.UserID on b.ChannelUserID.
func (s *Store) PutBan(ctx context.Context, b ugc.Ban) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutBan")
	if err := store.CheckBan(b); err != nil {
		return err
	}
	it := item{}.key("BANS#"+b.ChannelUserID, "U#"+b.UserID).s("c", b.ChannelUserID).s("u", b.UserID).
		s("reason", b.Reason).s("by", b.BannedBy).t("created", b.CreatedAt).t("expires", b.ExpiresAt).
		s(attrLSK, desc(tms(b.CreatedAt))+"#"+b.UserID).s(attrG1PK, "BANNED#"+b.UserID).s(attrG1SK, b.ChannelUserID)
	return s.putItem(ctx, it, "", nil)
}

// GetBan returns the ban whether or not it has expired, or ErrNotFound.
func (s *Store) GetBan(ctx context.Context, channelUserID, userID string) (_ *ugc.Ban, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetBan")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, banKey(channelUserID, userID))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	b := decodeBan(it)
	return &b, nil
}

// DeleteBan removes the ban; removed is false when there was none.
func (s *Store) DeleteBan(ctx context.Context, channelUserID, userID string) (removed bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteBan")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	return s.deleteExisting(ctx, banKey(channelUserID, userID))
}

// deleteExisting deletes an item if it exists; removed reports whether it did.
func (s *Store) deleteExisting(ctx context.Context, k item) (bool, error) {
	return s.deleteIf(ctx, k, "attribute_exists(PK)", nil)
}

// ListBans returns the channel's bans active at now, newest first, ties by
// user ID: a consistent LSI1 query that skips expired bans.
func (s *Store) ListBans(ctx context.Context, channelUserID string, now time.Time, p store.Page) (_ []ugc.Ban, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListBans")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	q := queryName("ListBans", channelUserID)
	var out []ugc.Ban
	next, err = s.pageIndex(ctx, q, p, indexLSI1, attrPK, attrLSK, "BANS#"+channelUserID,
		func(it item) bool { b := decodeBan(it); return b.Active(now) },
		func(it item) { out = append(out, decodeBan(it)) })
	return out, next, err
}

// PutModerator makes m.UserID a moderator; an existing moderator keeps its
// CreatedAt.
func (s *Store) PutModerator(ctx context.Context, m ugc.Moderator) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutModerator")
	if err := store.CheckModerator(m); err != nil {
		return err
	}
	it := item{}.key("MODS#"+m.ChannelUserID, "U#"+m.UserID).s("c", m.ChannelUserID).s("u", m.UserID).
		t("created", m.CreatedAt).s(attrLSK, asc(tms(m.CreatedAt))+"#"+m.UserID).
		s(attrG1PK, "MODOF#"+m.UserID).s(attrG1SK, m.ChannelUserID)
	err = s.putItem(ctx, it, "attribute_not_exists(PK)", nil)
	if isCondFailed(err) {
		return nil
	}
	return err
}

// IsModerator reports whether the user moderates the channel.
func (s *Store) IsModerator(ctx context.Context, channelUserID, userID string) (_ bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.IsModerator")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	it, err := s.getItem(ctx, modKey(channelUserID, userID))
	return it != nil, err
}

// DeleteModerator revokes; removed is false when there was none.
func (s *Store) DeleteModerator(ctx context.Context, channelUserID, userID string) (removed bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteModerator")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return false, err
	}
	return s.deleteExisting(ctx, modKey(channelUserID, userID))
}

// ListModerators returns the channel's moderators, oldest first, ties by
// user ID.
func (s *Store) ListModerators(ctx context.Context, channelUserID string, p store.Page) (_ []ugc.Moderator, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListModerators")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	q := queryName("ListModerators", channelUserID)
	var out []ugc.Moderator
	next, err = s.pageIndex(ctx, q, p, indexLSI1, attrPK, attrLSK, "MODS#"+channelUserID, nil, func(it item) {
		out = append(out, ugc.Moderator{ChannelUserID: it.getS("c"), UserID: it.getS("u"), CreatedAt: it.getT("created")})
	})
	return out, next, err
}

// PutBlockedTerms replaces the channel's blocked terms.
func (s *Store) PutBlockedTerms(ctx context.Context, channelUserID string, terms []string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutBlockedTerms")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return err
	}
	if err := store.CheckBlockedTerms(terms); err != nil {
		return err
	}
	p := "TERMS#" + channelUserID
	data, err := json.Marshal(terms)
	if err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		old, err := s.readBlob(ctx, p)
		if err != nil {
			return err
		}
		if len(terms) == 0 {
			return s.batchDelete(ctx, keysOfBlob(p, old))
		}
		var t tx
		blobWrite(&t, p, old, item{}, data)
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed != "":
			continue
		case err != nil:
			return err
		}
		return nil
	}
	return errContention
}

// keysOfBlob returns the keys of the blob's items.
func keysOfBlob(p string, b *blob) []item {
	if b.meta == nil {
		return nil
	}
	keys := []item{pk(p, "META")}
	gen := b.meta.getN("gen")
	for i := range int(b.meta.getN("chunks")) {
		keys = append(keys, pk(p, chunkSK(gen, i)))
	}
	return keys
}

// GetBlockedTerms returns the channel's blocked terms, in the order given.
func (s *Store) GetBlockedTerms(ctx context.Context, channelUserID string) (_ []string, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetBlockedTerms")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	b, err := s.readBlob(ctx, "TERMS#"+channelUserID)
	if err != nil || b.meta == nil {
		return nil, err
	}
	var terms []string
	if err := json.Unmarshal(b.data, &terms); err != nil {
		return nil, err
	}
	return terms, nil
}

// DeleteModerationOf removes every ban, moderator entry and blocked term
// list naming the user, as channel or as subject; idempotent.
func (s *Store) DeleteModerationOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteModerationOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	var keys []item
	for _, p := range []string{"BANS#" + userID, "MODS#" + userID, "TERMS#" + userID} {
		its, err := s.queryPK(ctx, p)
		if err != nil {
			return err
		}
		keys = append(keys, keysOf(its)...)
	}
	for _, g := range []string{"BANNED#" + userID, "MODOF#" + userID} {
		its, err := s.queryIndex(ctx, indexGSI1, attrG1PK, g)
		if err != nil {
			return err
		}
		keys = append(keys, keysOf(its)...)
	}
	return s.batchDelete(ctx, dedupe(keys))
}

// dedupe drops repeated keys (BatchWriteItem refuses them).
func dedupe(keys []item) []item {
	seen := map[[2]string]bool{}
	out := keys[:0]
	for _, k := range keys {
		id := [2]string{k.getS(attrPK), k.getS(attrSK)}
		if !seen[id] {
			seen[id] = true
			out = append(out, k)
		}
	}
	return out
}
