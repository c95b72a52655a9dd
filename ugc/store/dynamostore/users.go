package dynamostore

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// User items: the user at USER#<id>/USER, and full copies of it at
// UNAME#<normalized username>/U and EMAIL#<normalized email>/U, written in
// the same transaction: the copies make the names unique and serve the
// lookups in one read. RES#<arn>/U#<id> items index the channel resources.

func userKey(id string) item      { return pk("USER#"+id, "USER") }
func unameKey(name string) item   { return pk("UNAME#"+ugc.NormalizeUsername(name), "U") }
func emailKey(email string) item  { return pk("EMAIL#"+ugc.NormalizeEmail(email), "U") }
func resKey(arn, id string) item  { return pk("RES#"+arn, "U#"+id) }
func credKey(id string) item      { return pk("USER#"+id, "CRED") }
func authKey(hash string) item    { return pk("AUTH#"+hash, "A") }
func resetKey(hash string) item   { return pk("RESET#"+hash, "T") }
func jobKey(kind, id string) item { return pk(key("JOB#", kind, id), "J") }
func userItem(u *ugc.User, k item) item {
	it := item{}.key(k.getS(attrPK), k.getS(attrSK)).
		s("id", u.ID).s("username", u.Username).s("email", u.Email).s("color", u.Color).s("avatar", u.Avatar).
		s("av", u.Assets.AvatarVersion).s("bv", u.Assets.BannerVersion).
		s("arn", u.Channel.Arn).s("ingest", u.Channel.IngestEndpoint).s("playback", u.Channel.PlaybackURL).
		s("skarn", u.Channel.StreamKeyArn).s("sk", u.Channel.StreamKey.Reveal()).s("type", u.Channel.Type).
		s("latency", u.Channel.LatencyMode).s("chat", u.Channel.ChatRoomArn).s("stage", u.Channel.StageArn).
		s("tracking", u.Channel.TrackingID).t("created", u.CreatedAt).t("updated", u.UpdatedAt).n("ver", u.Version)
	return it
}

func decodeUser(it item) *ugc.User {
	return &ugc.User{
		ID: it.getS("id"), Username: it.getS("username"), Email: it.getS("email"),
		Color: it.getS("color"), Avatar: it.getS("avatar"),
		Assets: ugc.Assets{AvatarVersion: it.getS("av"), BannerVersion: it.getS("bv")},
		Channel: ugc.Channel{
			Arn: it.getS("arn"), IngestEndpoint: it.getS("ingest"), PlaybackURL: it.getS("playback"),
			StreamKeyArn: it.getS("skarn"), StreamKey: ugc.StreamKey(it.getS("sk")), Type: it.getS("type"),
			LatencyMode: it.getS("latency"), ChatRoomArn: it.getS("chat"), StageArn: it.getS("stage"),
			TrackingID: it.getS("tracking"),
		},
		CreatedAt: it.getT("created"), UpdatedAt: it.getT("updated"), Version: it.getN("ver"),
	}
}

// resources returns the user's distinct resource ARNs.
func resources(u *ugc.User) []string {
	var out []string
	for _, a := range [...]string{u.Channel.Arn, u.Channel.ChatRoomArn, u.Channel.StageArn} {
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// CreateUser stores a new user and sets u.Version to 1: one transaction
// writes the user, its username and email items and its resource items.
func (s *Store) CreateUser(ctx context.Context, u *ugc.User) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateUser")
	if err := store.CheckUser(u); err != nil {
		return err
	}
	c := *u
	c.Version = 1
	var t tx
	t.put("id", userItem(&c, userKey(c.ID)), "attribute_not_exists(PK)", nil)
	t.put("username", userItem(&c, unameKey(c.Username)), "attribute_not_exists(PK)", nil)
	t.put("email", userItem(&c, emailKey(c.Email)), "attribute_not_exists(PK)", nil)
	for _, a := range resources(&c) {
		t.put("", resKey(a, c.ID).s("uid", c.ID), "", nil)
	}
	failed, err := s.run(ctx, &t)
	if err != nil {
		return err
	}
	if failed != "" {
		return taken(failed)
	}
	u.Version = 1
	return nil
}

// GetUser returns the user with the ID, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetUser")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	return s.getUserAt(ctx, userKey(id))
}

func (s *Store) getUserAt(ctx context.Context, k item) (*ugc.User, error) {
	it, err := s.getItem(ctx, k)
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return decodeUser(it), nil
}

// GetUserByUsername looks the username up case-insensitively, in one read.
func (s *Store) GetUserByUsername(ctx context.Context, username string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetUserByUsername")
	if err := store.CheckID("username", username); err != nil {
		return nil, err
	}
	return s.getUserAt(ctx, unameKey(username))
}

// GetUserByEmail looks the email up with its domain case-insensitive, in
// one read.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetUserByEmail")
	if err := store.CheckID("email", email); err != nil {
		return nil, err
	}
	return s.getUserAt(ctx, emailKey(email))
}

// GetUserByResource returns the user whose channel resources include the
// ARN (the smallest ID were two to name it), or ErrNotFound.
func (s *Store) GetUserByResource(ctx context.Context, arn string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetUserByResource")
	if err := store.CheckID("arn", arn); err != nil {
		return nil, err
	}
	var uid string
	err = s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("PK = :p"),
		ExpressionAttributeValues: vals(":p", "RES#"+arn),
		ConsistentRead:            aws.Bool(true),
	}, func(it item) bool { uid = it.getS("uid"); return false })
	if err != nil {
		return nil, err
	}
	if uid == "" {
		return nil, ugc.ErrNotFound
	}
	return s.getUserAt(ctx, userKey(uid))
}

// GetUsers returns the users that exist among ids, keyed by ID, with one
// BatchGetItem.
func (s *Store) GetUsers(ctx context.Context, ids []string) (_ map[string]*ugc.User, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetUsers")
	if err := store.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	var keys []item
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			keys = append(keys, userKey(id))
		}
	}
	its, err := s.batchGet(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*ugc.User, len(its))
	for _, it := range its {
		u := decodeUser(it)
		out[u.ID] = u
	}
	return out, nil
}

// UpdateUser replaces the stored user if its Version equals u.Version.
func (s *Store) UpdateUser(ctx context.Context, u *ugc.User) (err error) {
	defer ugc.Wrap(&err, "dynamostore.UpdateUser")
	if err := store.CheckUser(u); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		old, err := s.getUserAt(ctx, userKey(u.ID))
		if err != nil {
			return err
		}
		if old.Version != u.Version {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "version_conflict",
				"the user has version %d, not %d", old.Version, u.Version)
		}
		c := *u
		c.Version = old.Version + 1
		owned := vals(":id", u.ID)
		var t tx
		t.put("user", userItem(&c, userKey(c.ID)), "#ver = :v", vals(":v", old.Version))
		if ugc.NormalizeUsername(old.Username) == ugc.NormalizeUsername(c.Username) {
			t.put("user", userItem(&c, unameKey(c.Username)), "#id = :id", owned)
		} else {
			t.put("username", userItem(&c, unameKey(c.Username)), "attribute_not_exists(PK)", nil)
			t.del("user", unameKey(old.Username), "#id = :id", owned)
		}
		if ugc.NormalizeEmail(old.Email) == ugc.NormalizeEmail(c.Email) {
			t.put("user", userItem(&c, emailKey(c.Email)), "#id = :id", owned)
		} else {
			t.put("email", userItem(&c, emailKey(c.Email)), "attribute_not_exists(PK)", nil)
			t.del("user", emailKey(old.Email), "#id = :id", owned)
		}
		oldRes, newRes := resources(old), resources(&c)
		for _, a := range oldRes {
			if !slices.Contains(newRes, a) {
				t.del("", resKey(a, c.ID), "", nil)
			}
		}
		for _, a := range newRes {
			if !slices.Contains(oldRes, a) {
				t.put("", resKey(a, c.ID).s("uid", c.ID), "", nil)
			}
		}
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict:
			continue
		case err != nil:
			return err
		case failed == "user":
			continue // changed since read: decide again
		case failed != "":
			return taken(failed)
		}
		u.Version = c.Version
		return nil
	}
	return errContention
}

// DeleteUser removes the user and frees its username and email.
func (s *Store) DeleteUser(ctx context.Context, id string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteUser")
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		old, err := s.getUserAt(ctx, userKey(id))
		if err != nil {
			return err
		}
		owned := vals(":id", id)
		var t tx
		t.del("user", userKey(id), "#ver = :v", vals(":v", old.Version))
		t.del("user", unameKey(old.Username), "#id = :id", owned)
		t.del("user", emailKey(old.Email), "#id = :id", owned)
		for _, a := range resources(old) {
			t.del("", resKey(a, id), "", nil)
		}
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

// PutCredentials creates or replaces the user's password hash.
func (s *Store) PutCredentials(ctx context.Context, c ugc.Credentials) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutCredentials")
	if err := store.CheckCredentials(c); err != nil {
		return err
	}
	k := credKey(c.UserID)
	return s.putItem(ctx, item{}.key(k.getS(attrPK), "CRED").s("uid", c.UserID).s("hash", c.PasswordHash).
		t("updated", c.UpdatedAt), "", nil)
}

// GetCredentials returns the user's password hash, or ErrNotFound.
func (s *Store) GetCredentials(ctx context.Context, userID string) (_ *ugc.Credentials, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetCredentials")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, credKey(userID))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return &ugc.Credentials{UserID: userID, PasswordHash: it.getS("hash"), UpdatedAt: it.getT("updated")}, nil
}

// DeleteCredentials removes the user's password hash; idempotent.
func (s *Store) DeleteCredentials(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteCredentials")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.deleteItem(ctx, credKey(userID), "", nil)
}

// Auth sessions live at AUTH#<hash>/A, indexed by user in GSI1
// (UAUTH#<user>, hash).

// CreateAuthSession stores a session; a taken TokenHash is ErrAlreadyExists.
func (s *Store) CreateAuthSession(ctx context.Context, a ugc.AuthSession) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateAuthSession")
	if err := store.CheckAuthSession(a); err != nil {
		return err
	}
	it := item{}.key("AUTH#"+a.TokenHash, "A").s("hash", a.TokenHash).s("uid", a.UserID).
		t("created", a.CreatedAt).t("expires", a.ExpiresAt).
		s(attrG1PK, "UAUTH#"+a.UserID).s(attrG1SK, a.TokenHash)
	err = s.putItem(ctx, it, "attribute_not_exists(PK)", nil)
	if isCondFailed(err) {
		return taken("token_hash")
	}
	return err
}

// GetAuthSession returns the session if it has not expired at now.
func (s *Store) GetAuthSession(ctx context.Context, tokenHash string, now time.Time) (_ *ugc.AuthSession, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetAuthSession")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, authKey(tokenHash))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	a := &ugc.AuthSession{TokenHash: tokenHash, UserID: it.getS("uid"), CreatedAt: it.getT("created"), ExpiresAt: it.getT("expires")}
	if !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt) {
		return nil, ugc.ErrNotFound
	}
	return a, nil
}

// DeleteAuthSession removes one session; idempotent.
func (s *Store) DeleteAuthSession(ctx context.Context, tokenHash string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteAuthSession")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return err
	}
	return s.deleteItem(ctx, authKey(tokenHash), "", nil)
}

// DeleteUserAuthSessions removes every session of the user except the one
// with hash except; idempotent.
func (s *Store) DeleteUserAuthSessions(ctx context.Context, userID, except string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteUserAuthSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if except != "" {
		if err := store.CheckID("except", except); err != nil {
			return err
		}
	}
	its, err := s.queryIndex(ctx, indexGSI1, attrG1PK, "UAUTH#"+userID)
	if err != nil {
		return err
	}
	var keys []item
	for _, it := range its {
		if it.getS("hash") != except {
			keys = append(keys, keyOf(it))
		}
	}
	return s.batchDelete(ctx, keys)
}

// CreateResetToken stores a password-reset token; a taken hash is
// ErrAlreadyExists.
func (s *Store) CreateResetToken(ctx context.Context, t ugc.ResetToken) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateResetToken")
	if err := store.CheckResetToken(t); err != nil {
		return err
	}
	it := item{}.key("RESET#"+t.TokenHash, "T").s("hash", t.TokenHash).s("uid", t.UserID).
		t("expires", t.ExpiresAt).t("used", t.UsedAt)
	err = s.putItem(ctx, it, "attribute_not_exists(PK)", nil)
	if isCondFailed(err) {
		return taken("token_hash")
	}
	return err
}

// UseResetToken marks the token used at now with one conditional update
// and returns it.
func (s *Store) UseResetToken(ctx context.Context, tokenHash string, now time.Time) (_ *ugc.ResetToken, err error) {
	defer ugc.Wrap(&err, "dynamostore.UseResetToken")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return nil, err
	}
	if err := s.ready(); err != nil {
		return nil, err
	}
	decode := func(it item) *ugc.ResetToken {
		return &ugc.ResetToken{TokenHash: tokenHash, UserID: it.getS("uid"), ExpiresAt: it.getT("expires"), UsedAt: it.getT("used")}
	}
	tok := newWriteToken()
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                           s.table,
		Key:                                 resetKey(tokenHash),
		UpdateExpression:                    aws.String("SET #used = :now, " + attrWriteToken + " = :wtok"),
		ExpressionAttributeNames:            names("#used", "#expires"),
		ConditionExpression:                 aws.String("attribute_exists(PK) AND #used = :zero AND #expires > :nowf"),
		ExpressionAttributeValues:           vals(":now", tms(now), ":zero", int64(0), ":nowf", now.UnixMilli(), ":wtok", tok),
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return decode(out.Attributes), nil
	}
	if old, ours := ownWrite(err, tok); ours { // a resent use that had been applied
		return decode(old), nil
	}
	if !isCondFailed(err) {
		return nil, dbErr(err)
	}
	it, err := s.getItem(ctx, resetKey(tokenHash))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	if !decode(it).UsedAt.IsZero() {
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "token_used", "the token has been used")
	}
	return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "token_expired", "the token has expired")
}

// Jobs live at JOB#<kind,id>/J, indexed in GSI1 by (JOBS#<kind>,
// asc(UpdatedAt)#ID).

const jobUpdate = "SET #kind = :kind, #id = :id, #step = :step, #jdata = :data, #updated = :upd, " +
	"#created = if_not_exists(#created, :created), G1PK = :g1pk, G1SK = :g1sk"

// PutJob creates or replaces the job, keeping CreatedAt from the first
// write, with one update.
func (s *Store) PutJob(ctx context.Context, j *ugc.Job) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutJob")
	if err := store.CheckJob(j); err != nil {
		return err
	}
	return s.writeJob(ctx, j, tms(j.UpdatedAt), "", nil)
}

// writeJob updates the job item to j with UpdatedAt upd, if cond holds.
func (s *Store) writeJob(ctx context.Context, j *ugc.Job, upd int64, cond string, cv map[string]types.AttributeValue) error {
	if err := s.ready(); err != nil {
		return err
	}
	data := map[string]types.AttributeValue{}
	for k, v := range j.Data {
		data[k] = avS(v)
	}
	values := vals(":kind", j.Kind, ":id", j.ID, ":step", j.Step,
		":data", &types.AttributeValueMemberM{Value: data}, ":upd", upd, ":created", tms(j.CreatedAt),
		":g1pk", "JOBS#"+j.Kind, ":g1sk", asc(upd)+"#"+j.ID)
	for k, v := range cv {
		values[k] = v
	}
	update := jobUpdate
	var tok string
	if cond != "" {
		// A resent conditional update that had been applied finds its own
		// token (see putItem).
		tok = newWriteToken()
		update += ", " + attrWriteToken + " = :wtok"
		values[":wtok"] = avS(tok)
	}
	in := &dynamodb.UpdateItemInput{
		TableName:                 s.table,
		Key:                       jobKey(j.Kind, j.ID),
		UpdateExpression:          aws.String(update),
		ExpressionAttributeNames:  names(jobUpdate, cond),
		ExpressionAttributeValues: values,
	}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
		in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	}
	_, err := s.db.UpdateItem(ctx, in)
	if _, ours := ownWrite(err, tok); ours {
		return nil
	}
	return dbErr(err)
}

// CreateJob stores a new job with one conditional update; an existing
// (Kind, ID) is ErrAlreadyExists with code "job_exists".
func (s *Store) CreateJob(ctx context.Context, j *ugc.Job) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateJob")
	if err := store.CheckJob(j); err != nil {
		return err
	}
	err = s.writeJob(ctx, j, tms(j.UpdatedAt), "attribute_not_exists(PK)", nil)
	if isCondFailed(err) {
		return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "id", Code: "job_exists", Message: "the job exists"}
	}
	return err
}

// UpdateJob replaces the job if its stored UpdatedAt equals prevUpdatedAt
// (at millisecond precision), moving UpdatedAt strictly past it: one
// conditional update, and a read only when it is refused.
func (s *Store) UpdateJob(ctx context.Context, j *ugc.Job, prevUpdatedAt time.Time) (err error) {
	defer ugc.Wrap(&err, "dynamostore.UpdateJob")
	if err := store.CheckJob(j); err != nil {
		return err
	}
	prev := fromMs(tms(prevUpdatedAt))
	upd := fromMs(tms(j.UpdatedAt))
	if !upd.After(prev) {
		upd = prev.Add(time.Millisecond)
	}
	err = s.writeJob(ctx, j, tms(upd), "attribute_exists(PK) AND #updated = :prev", vals(":prev", tms(prev)))
	if isCondFailed(err) {
		it, err := s.getItem(ctx, jobKey(j.Kind, j.ID))
		if err != nil {
			return err
		}
		if it == nil {
			return ugc.ErrNotFound
		}
		return ugc.WithCode(ugc.ErrFailedPrecondition, "job_changed", "the job was updated at %s, not %s",
			it.getT("updated").Format(time.RFC3339Nano), prev.Format(time.RFC3339Nano))
	}
	if err != nil {
		return err
	}
	j.UpdatedAt = upd
	return nil
}

func decodeJob(it item) *ugc.Job {
	j := &ugc.Job{Kind: it.getS("kind"), ID: it.getS("id"), Step: it.getS("step"),
		CreatedAt: it.getT("created"), UpdatedAt: it.getT("updated")}
	if m, ok := it["jdata"].(*types.AttributeValueMemberM); ok && len(m.Value) > 0 {
		j.Data = make(map[string]string, len(m.Value))
		for k, v := range m.Value {
			if sv, ok := v.(*types.AttributeValueMemberS); ok {
				j.Data[k] = sv.Value
			}
		}
	}
	return j
}

// GetJob returns the job, or ErrNotFound.
func (s *Store) GetJob(ctx context.Context, kind, id string) (_ *ugc.Job, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetJob")
	if err := store.CheckIDs("kind", kind, "id", id); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, jobKey(kind, id))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return decodeJob(it), nil
}

// DeleteJob removes the job; idempotent.
func (s *Store) DeleteJob(ctx context.Context, kind, id string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteJob")
	if err := store.CheckIDs("kind", kind, "id", id); err != nil {
		return err
	}
	return s.deleteItem(ctx, jobKey(kind, id), "", nil)
}

// ListJobs returns the jobs of a kind last updated before updatedBefore,
// oldest update first, ties by ID: one GSI1 query.
func (s *Store) ListJobs(ctx context.Context, kind string, updatedBefore time.Time, p store.Page) (_ []*ugc.Job, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListJobs")
	if err := store.CheckID("kind", kind); err != nil {
		return nil, "", err
	}
	q := queryName("ListJobs", kind)
	limit, c, has, err := s.pageArgs(ctx, q, p)
	if err != nil {
		return nil, "", err
	}
	upper := asc(ceilMs(updatedBefore))
	in := &dynamodb.QueryInput{IndexName: aws.String(indexGSI1), Limit: aws.Int32(int32(limit + 2))}
	if has {
		if c.K >= upper {
			return nil, "", nil
		}
		in.KeyConditionExpression = aws.String("G1PK = :p AND G1SK BETWEEN :lo AND :hi")
		in.ExpressionAttributeValues = vals(":p", "JOBS#"+kind, ":lo", c.K, ":hi", upper)
	} else {
		in.KeyConditionExpression = aws.String("G1PK = :p AND G1SK < :hi")
		in.ExpressionAttributeValues = vals(":p", "JOBS#"+kind, ":hi", upper)
	}
	var out []*ugc.Job
	var keys []string
	more := false
	err = s.query(ctx, in, func(it item) bool {
		k := it.getS(attrG1SK)
		if has && k <= c.K {
			return true
		}
		if len(out) == limit {
			more = true
			return false
		}
		out = append(out, decodeJob(it))
		keys = append(keys, k)
		return true
	})
	if err != nil || !more {
		return out, "", err
	}
	next, err = s.encode(ctx, q, cursor{K: keys[len(keys)-1]})
	return out, next, err
}
