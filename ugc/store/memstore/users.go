package memstore

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func storedUser(u *ugc.User) *ugc.User {
	c := *u
	c.CreatedAt = tm(u.CreatedAt)
	c.UpdatedAt = tm(u.UpdatedAt)
	return &c
}

func copyUser(u *ugc.User) *ugc.User {
	c := *u
	return &c
}

func taken(field string) error {
	return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: field, Message: "is taken"}
}

// CreateUser stores a new user and sets u.Version to 1.
func (s *Store) CreateUser(ctx context.Context, u *ugc.User) (err error) {
	defer ugc.Wrap(&err, "memstore.CreateUser")
	if err := store.CheckUser(u); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	name, email := ugc.NormalizeUsername(u.Username), ugc.NormalizeEmail(u.Email)
	if _, ok := s.users[u.ID]; ok {
		return taken("id")
	}
	if _, ok := s.usernames[name]; ok {
		return taken("username")
	}
	if _, ok := s.emails[email]; ok {
		return taken("email")
	}
	c := storedUser(u)
	c.Version = 1
	s.users[u.ID] = c
	s.usernames[name] = u.ID
	s.emails[email] = u.ID
	s.indexResources(c, true)
	u.Version = 1
	return nil
}

// GetUser returns the user with the ID, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "memstore.GetUser")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	u, ok := s.users[id]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyUser(u), nil
}

// GetUserByUsername looks the username up case-insensitively.
func (s *Store) GetUserByUsername(ctx context.Context, username string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "memstore.GetUserByUsername")
	if err := store.CheckID("username", username); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	id, ok := s.usernames[ugc.NormalizeUsername(username)]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyUser(s.users[id]), nil
}

// GetUserByEmail looks the email up with its domain case-insensitive.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "memstore.GetUserByEmail")
	if err := store.CheckID("email", email); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	id, ok := s.emails[ugc.NormalizeEmail(email)]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyUser(s.users[id]), nil
}

// indexResources adds (or removes) the user's resource ARNs to the
// resource index, with the lock held.
func (s *Store) indexResources(u *ugc.User, add bool) {
	for _, arn := range [...]string{u.Channel.Arn, u.Channel.ChatRoomArn, u.Channel.StageArn} {
		if arn == "" {
			continue
		}
		if add {
			addTo(s.resources, arn, u.ID)
		} else {
			removeFrom(s.resources, arn, u.ID)
		}
	}
}

// GetUserByResource returns the user whose channel resources include the
// ARN, or ErrNotFound. Were two users to name the same ARN, the one with
// the smallest ID is returned.
func (s *Store) GetUserByResource(ctx context.Context, arn string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "memstore.GetUserByResource")
	if err := store.CheckID("arn", arn); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	best := ""
	for id := range s.resources[arn] {
		if best == "" || id < best {
			best = id
		}
	}
	if best == "" {
		return nil, ugc.ErrNotFound
	}
	return copyUser(s.users[best]), nil
}

// GetUsers returns the users that exist among ids, keyed by ID.
func (s *Store) GetUsers(ctx context.Context, ids []string) (_ map[string]*ugc.User, err error) {
	defer ugc.Wrap(&err, "memstore.GetUsers")
	if err := store.CheckBatch("ids", ids); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make(map[string]*ugc.User, len(ids))
	for _, id := range ids {
		if u, ok := s.users[id]; ok {
			out[id] = copyUser(u)
		}
	}
	return out, nil
}

// UpdateUser replaces the stored user if its Version equals u.Version, then
// increments u.Version.
func (s *Store) UpdateUser(ctx context.Context, u *ugc.User) (err error) {
	defer ugc.Wrap(&err, "memstore.UpdateUser")
	if err := store.CheckUser(u); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.users[u.ID]
	if !ok {
		return ugc.ErrNotFound
	}
	if old.Version != u.Version {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "version_conflict",
			"the user has version %d, not %d", old.Version, u.Version)
	}
	name, email := ugc.NormalizeUsername(u.Username), ugc.NormalizeEmail(u.Email)
	if id, ok := s.usernames[name]; ok && id != u.ID {
		return taken("username")
	}
	if id, ok := s.emails[email]; ok && id != u.ID {
		return taken("email")
	}
	delete(s.usernames, ugc.NormalizeUsername(old.Username))
	delete(s.emails, ugc.NormalizeEmail(old.Email))
	s.indexResources(old, false)
	c := storedUser(u)
	c.Version = old.Version + 1
	s.users[u.ID] = c
	s.usernames[name] = u.ID
	s.emails[email] = u.ID
	s.indexResources(c, true)
	u.Version = c.Version
	return nil
}

// DeleteUser removes the user and frees its username and email.
func (s *Store) DeleteUser(ctx context.Context, id string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteUser")
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return ugc.ErrNotFound
	}
	delete(s.usernames, ugc.NormalizeUsername(u.Username))
	delete(s.emails, ugc.NormalizeEmail(u.Email))
	s.indexResources(u, false)
	delete(s.users, id)
	return nil
}

// PutCredentials creates or replaces the user's password hash.
func (s *Store) PutCredentials(ctx context.Context, c ugc.Credentials) (err error) {
	defer ugc.Wrap(&err, "memstore.PutCredentials")
	if err := store.CheckCredentials(c); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	c.UpdatedAt = tm(c.UpdatedAt)
	s.creds[c.UserID] = c
	return nil
}

// GetCredentials returns the user's password hash, or ErrNotFound.
func (s *Store) GetCredentials(ctx context.Context, userID string) (_ *ugc.Credentials, err error) {
	defer ugc.Wrap(&err, "memstore.GetCredentials")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	c, ok := s.creds[userID]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return &c, nil
}

// DeleteCredentials removes the user's password hash; idempotent.
func (s *Store) DeleteCredentials(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteCredentials")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	delete(s.creds, userID)
	return nil
}

// CreateAuthSession stores a session; a taken TokenHash is ErrAlreadyExists.
func (s *Store) CreateAuthSession(ctx context.Context, a ugc.AuthSession) (err error) {
	defer ugc.Wrap(&err, "memstore.CreateAuthSession")
	if err := store.CheckAuthSession(a); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.authSessions[a.TokenHash]; ok {
		return taken("token_hash")
	}
	a.CreatedAt, a.ExpiresAt = tm(a.CreatedAt), tm(a.ExpiresAt)
	s.authSessions[a.TokenHash] = a
	addTo(s.userSessions, a.UserID, a.TokenHash)
	return nil
}

// GetAuthSession returns the session if it has not expired at now (it
// expires at ExpiresAt; a zero ExpiresAt never expires).
func (s *Store) GetAuthSession(ctx context.Context, tokenHash string, now time.Time) (_ *ugc.AuthSession, err error) {
	defer ugc.Wrap(&err, "memstore.GetAuthSession")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	a, ok := s.authSessions[tokenHash]
	if !ok || !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt) {
		return nil, ugc.ErrNotFound
	}
	return &a, nil
}

// DeleteAuthSession removes one session; idempotent.
func (s *Store) DeleteAuthSession(ctx context.Context, tokenHash string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteAuthSession")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if a, ok := s.authSessions[tokenHash]; ok {
		delete(s.authSessions, tokenHash)
		removeFrom(s.userSessions, a.UserID, tokenHash)
	}
	return nil
}

// DeleteUserAuthSessions removes every session of the user except the one
// with hash except ("" keeps none); idempotent.
func (s *Store) DeleteUserAuthSessions(ctx context.Context, userID, except string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteUserAuthSessions")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	if except != "" {
		if err := store.CheckID("except", except); err != nil {
			return err
		}
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for h := range s.userSessions[userID] {
		if h != except {
			delete(s.authSessions, h)
			removeFrom(s.userSessions, userID, h)
		}
	}
	return nil
}

// CreateResetToken stores a password-reset token; a taken hash is
// ErrAlreadyExists.
func (s *Store) CreateResetToken(ctx context.Context, t ugc.ResetToken) (err error) {
	defer ugc.Wrap(&err, "memstore.CreateResetToken")
	if err := store.CheckResetToken(t); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.resetTokens[t.TokenHash]; ok {
		return taken("token_hash")
	}
	t.ExpiresAt, t.UsedAt = tm(t.ExpiresAt), tm(t.UsedAt)
	s.resetTokens[t.TokenHash] = t
	return nil
}

// UseResetToken marks the token used at now and returns it. A used token
// is "token_used" even when it has also expired.
func (s *Store) UseResetToken(ctx context.Context, tokenHash string, now time.Time) (_ *ugc.ResetToken, err error) {
	defer ugc.Wrap(&err, "memstore.UseResetToken")
	if err := store.CheckID("token_hash", tokenHash); err != nil {
		return nil, err
	}
	if err := s.lock(); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	t, ok := s.resetTokens[tokenHash]
	switch {
	case !ok:
		return nil, ugc.ErrNotFound
	case !t.UsedAt.IsZero():
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "token_used", "the token has been used")
	case !now.Before(t.ExpiresAt):
		return nil, ugc.WithCode(ugc.ErrFailedPrecondition, "token_expired", "the token has expired")
	}
	t.UsedAt = tm(now)
	s.resetTokens[tokenHash] = t
	return &t, nil
}

type jobKey struct{ kind, id string }

func copyJob(j *ugc.Job) *ugc.Job {
	c := *j
	c.Data = cloneMap(j.Data)
	return &c
}

// putJobLocked stores a copy of j, keeping the CreatedAt of a stored job,
// and returns the copy. The caller holds s.mu.
func (s *Store) putJobLocked(j *ugc.Job) *ugc.Job {
	k := jobKey{j.Kind, j.ID}
	c := copyJob(j)
	c.CreatedAt, c.UpdatedAt = tm(c.CreatedAt), tm(c.UpdatedAt)
	idx := s.jobsByUpdated[j.Kind]
	if idx == nil {
		idx = newOrdered(oldestFirst)
		s.jobsByUpdated[j.Kind] = idx
	}
	if old, ok := s.jobs[k]; ok {
		c.CreatedAt = old.CreatedAt
		idx.Delete(timeRef{ms(old.UpdatedAt), old.ID})
	}
	s.jobs[k] = c
	idx.Insert(timeRef{ms(c.UpdatedAt), c.ID})
	return c
}

// PutJob creates or replaces the job, keeping CreatedAt from the first
// write.
func (s *Store) PutJob(ctx context.Context, j *ugc.Job) (err error) {
	defer ugc.Wrap(&err, "memstore.PutJob")
	if err := store.CheckJob(j); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.putJobLocked(j)
	return nil
}

// CreateJob stores a new job; an existing (Kind, ID) is ErrAlreadyExists
// with code "job_exists".
func (s *Store) CreateJob(ctx context.Context, j *ugc.Job) (err error) {
	defer ugc.Wrap(&err, "memstore.CreateJob")
	if err := store.CheckJob(j); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.jobs[jobKey{j.Kind, j.ID}]; ok {
		return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "id", Code: "job_exists", Message: "the job exists"}
	}
	s.putJobLocked(j)
	return nil
}

// UpdateJob replaces the job if its stored UpdatedAt equals prevUpdatedAt,
// moving UpdatedAt strictly past prevUpdatedAt.
func (s *Store) UpdateJob(ctx context.Context, j *ugc.Job, prevUpdatedAt time.Time) (err error) {
	defer ugc.Wrap(&err, "memstore.UpdateJob")
	if err := store.CheckJob(j); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.jobs[jobKey{j.Kind, j.ID}]
	if !ok {
		return ugc.ErrNotFound
	}
	prev := tm(prevUpdatedAt)
	if !old.UpdatedAt.Equal(prev) {
		return ugc.WithCode(ugc.ErrFailedPrecondition, "job_changed", "the job was updated at %s, not %s",
			old.UpdatedAt.Format(time.RFC3339Nano), prev.Format(time.RFC3339Nano))
	}
	c := *j
	if c.UpdatedAt = tm(j.UpdatedAt); !c.UpdatedAt.After(prev) {
		c.UpdatedAt = prev.Add(time.Millisecond)
	}
	j.UpdatedAt = s.putJobLocked(&c).UpdatedAt
	return nil
}

// GetJob returns the job, or ErrNotFound.
func (s *Store) GetJob(ctx context.Context, kind, id string) (_ *ugc.Job, err error) {
	defer ugc.Wrap(&err, "memstore.GetJob")
	if err := store.CheckIDs("kind", kind, "id", id); err != nil {
		return nil, err
	}
	if err := s.rlock(); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	j, ok := s.jobs[jobKey{kind, id}]
	if !ok {
		return nil, ugc.ErrNotFound
	}
	return copyJob(j), nil
}

// DeleteJob removes the job; idempotent.
func (s *Store) DeleteJob(ctx context.Context, kind, id string) (err error) {
	defer ugc.Wrap(&err, "memstore.DeleteJob")
	if err := store.CheckIDs("kind", kind, "id", id); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k := jobKey{kind, id}
	if old, ok := s.jobs[k]; ok {
		delete(s.jobs, k)
		idx := s.jobsByUpdated[kind]
		idx.Delete(timeRef{ms(old.UpdatedAt), id})
		if idx.Len() == 0 {
			delete(s.jobsByUpdated, kind)
		}
	}
	return nil
}

// ListJobs returns the jobs of a kind last updated before updatedBefore,
// oldest update first, ties by ID.
func (s *Store) ListJobs(ctx context.Context, kind string, updatedBefore time.Time, p store.Page) (_ []*ugc.Job, next string, err error) {
	defer ugc.Wrap(&err, "memstore.ListJobs")
	if err := store.CheckID("kind", kind); err != nil {
		return nil, "", err
	}
	return listPage(s, query("ListJobs", kind), p,
		func() *ordered[timeRef] { return s.jobsByUpdated[kind] },
		func(r timeRef) (*ugc.Job, pick) {
			if !time.UnixMilli(r.at).Before(updatedBefore) {
				return nil, stop
			}
			return copyJob(s.jobs[jobKey{kind, r.id}]), take
		})
}
