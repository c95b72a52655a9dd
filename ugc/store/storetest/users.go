package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// newUser returns a user with every field set.
func newUser(id, username string) *ugc.User {
	return &ugc.User{
		ID:       id,
		Username: username,
		Email:    username + "@Example.com",
		Color:    "blue",
		Avatar:   "bear",
		Assets:   ugc.Assets{AvatarVersion: "v1", BannerVersion: "v2"},
		Channel: ugc.Channel{
			Arn:            "arn:aws:ivs:us-east-1:123456789012:channel/" + id,
			IngestEndpoint: "abc.global-contribute.live-video.net",
			PlaybackURL:    "https://example.com/" + id + ".m3u8",
			StreamKeyArn:   "arn:aws:ivs:us-east-1:123456789012:stream-key/" + id,
			StreamKey:      ugc.StreamKey("sk_us-east-1_" + id),
			Type:           "STANDARD",
			LatencyMode:    "LOW",
			ChatRoomArn:    "arn:aws:ivschat:us-east-1:123456789012:room/" + id,
			StageArn:       "arn:aws:ivs:us-east-1:123456789012:stage/" + id,
			TrackingID:     "tr-" + id,
		},
		CreatedAt: at(1),
		UpdatedAt: at(2),
	}
}

func createUser(t *testing.T, ctx context.Context, st store.Store, id, username string) *ugc.User {
	t.Helper()
	u := newUser(id, username)
	ok(t, "CreateUser "+id, st.CreateUser(ctx, u))
	return u
}

func clone[T any](v *T) *T { c := *v; return &c }

var usersTests = []test{
	{"CreateUserSetsVersionAndGetUserReturnsIt", func(t *testing.T, ctx context.Context, st store.Store) {
		u := newUser("u1", "Alice")
		want := clone(u)
		ok(t, "CreateUser", st.CreateUser(ctx, u))
		equal(t, "u.Version after CreateUser", 1, u.Version)
		want.Version = 1
		got, err := st.GetUser(ctx, "u1")
		ok(t, "GetUser", err)
		diff(t, "GetUser", want, got)
	}},
	{"TimesAreStoredInUTCTruncatedToMilliseconds", func(t *testing.T, ctx context.Context, st store.Store) {
		loc := time.FixedZone("UTC+5", 5*3600)
		u := newUser("u1", "Alice")
		u.CreatedAt = time.Date(2026, 3, 4, 5, 6, 7, 123456789, loc)
		u.UpdatedAt = time.Time{}
		ok(t, "CreateUser", st.CreateUser(ctx, u))
		got, err := st.GetUser(ctx, "u1")
		ok(t, "GetUser", err)
		want := time.Date(2026, 3, 4, 0, 6, 7, 123000000, time.UTC)
		if !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt = %v, want %v in UTC", got.CreatedAt, want)
		}
		if !got.UpdatedAt.IsZero() {
			t.Errorf("zero UpdatedAt came back as %v, want the zero time", got.UpdatedAt)
		}
	}},
	{"ReturnedUserIsACopy", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u1", "Alice")
		got, err := st.GetUser(ctx, "u1")
		ok(t, "GetUser", err)
		got.Username = "Mallory"
		got.Channel.Arn = "changed"
		again, err := st.GetUser(ctx, "u1")
		ok(t, "GetUser", err)
		equal(t, "Username after editing a returned copy", "Alice", again.Username)
		equal(t, "Channel.Arn after editing a returned copy", newUser("u1", "Alice").Channel.Arn, again.Channel.Arn)
	}},
	{"GetUserByUsernameIsCaseInsensitiveAndKeepsDisplayForm", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u1", "Alice_B")
		for _, name := range []string{"Alice_B", "alice_b", "ALICE_B"} {
			got, err := st.GetUserByUsername(ctx, name)
			ok(t, "GetUserByUsername "+name, err)
			equal(t, "ID", "u1", got.ID)
			equal(t, "Username", "Alice_B", got.Username)
		}
	}},
	{"GetUserByEmailIgnoresDomainCaseOnly", func(t *testing.T, ctx context.Context, st store.Store) {
		u := newUser("u1", "Alice")
		u.Email = "Alice@Example.COM"
		ok(t, "CreateUser", st.CreateUser(ctx, u))
		for _, e := range []string{"Alice@Example.COM", "Alice@example.com", "Alice@EXAMPLE.com"} {
			got, err := st.GetUserByEmail(ctx, e)
			ok(t, "GetUserByEmail "+e, err)
			equal(t, "ID", "u1", got.ID)
		}
		// The local part is compared as typed (ugc.NormalizeEmail).
		_, err := st.GetUserByEmail(ctx, "alice@example.com")
		isErr(t, "GetUserByEmail with another local-part case", err, ugc.ErrNotFound, "")
	}},
	{"CreateUserTakenNamesTheField", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u1", "Alice")
		tests := []struct {
			name  string
			u     *ugc.User
			field string
		}{
			{"id", &ugc.User{ID: "u1", Username: "other", Email: "other@example.com"}, "id"},
			{"username other case", &ugc.User{ID: "u2", Username: "aLiCe", Email: "other@example.com"}, "username"},
			{"email domain case", &ugc.User{ID: "u3", Username: "other", Email: "Alice@EXAMPLE.COM"}, "email"},
		}
		for _, tt := range tests {
			err := st.CreateUser(ctx, tt.u)
			isField(t, "CreateUser taken "+tt.name, err, ugc.ErrAlreadyExists, tt.field)
		}
		// Nothing of the failed creates was written.
		for _, id := range []string{"u2", "u3"} {
			_, err := st.GetUser(ctx, id)
			isErr(t, "GetUser "+id+" after failed create", err, ugc.ErrNotFound, "")
		}
		_, err := st.GetUserByUsername(ctx, "other")
		isErr(t, "GetUserByUsername other after failed creates", err, ugc.ErrNotFound, "")
		_, err = st.GetUserByEmail(ctx, "other@example.com")
		isErr(t, "GetUserByEmail other after failed creates", err, ugc.ErrNotFound, "")
	}},
	{"GetMissingUserIsNotFound", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u1", "Alice")
		_, err := st.GetUser(ctx, "nobody")
		isErr(t, "GetUser", err, ugc.ErrNotFound, "not_found")
		_, err = st.GetUserByUsername(ctx, "nobody")
		isErr(t, "GetUserByUsername", err, ugc.ErrNotFound, "not_found")
		_, err = st.GetUserByEmail(ctx, "nobody@example.com")
		isErr(t, "GetUserByEmail", err, ugc.ErrNotFound, "not_found")
		_, err = st.GetUserByResource(ctx, "arn:aws:ivs:us-east-1:123456789012:channel/nobody")
		isErr(t, "GetUserByResource", err, ugc.ErrNotFound, "not_found")
	}},
	{"GetUserByResourceFindsEachARN", func(t *testing.T, ctx context.Context, st store.Store) {
		u := createUser(t, ctx, st, "u1", "Alice")
		createUser(t, ctx, st, "u2", "Bobby")
		for _, arn := range []string{u.Channel.Arn, u.Channel.ChatRoomArn, u.Channel.StageArn} {
			got, err := st.GetUserByResource(ctx, arn)
			ok(t, "GetUserByResource "+arn, err)
			equal(t, "ID", "u1", got.ID)
		}
		old := u.Channel.Arn
		u.Channel.Arn = "arn:aws:ivs:us-east-1:123456789012:channel/new"
		ok(t, "UpdateUser", st.UpdateUser(ctx, u))
		_, err := st.GetUserByResource(ctx, old)
		isErr(t, "GetUserByResource of the replaced ARN", err, ugc.ErrNotFound, "")
		got, err := st.GetUserByResource(ctx, u.Channel.Arn)
		ok(t, "GetUserByResource of the new ARN", err)
		equal(t, "ID", "u1", got.ID)
		ok(t, "DeleteUser", st.DeleteUser(ctx, "u1"))
		_, err = st.GetUserByResource(ctx, u.Channel.StageArn)
		isErr(t, "GetUserByResource after DeleteUser", err, ugc.ErrNotFound, "")
	}},
	{"GetUsersReturnsTheExistingOnes", func(t *testing.T, ctx context.Context, st store.Store) {
		a := createUser(t, ctx, st, "u1", "Alice")
		b := createUser(t, ctx, st, "u2", "Bobby")
		got, err := st.GetUsers(ctx, []string{"u2", "missing", "u1", "u2"})
		ok(t, "GetUsers", err)
		diff(t, "GetUsers", map[string]*ugc.User{"u1": a, "u2": b}, got)
		got, err = st.GetUsers(ctx, nil)
		ok(t, "GetUsers(nil)", err)
		equal(t, "len(GetUsers(nil))", 0, len(got))
		ids := make([]string, store.MaxBatch)
		for i := range ids {
			ids[i] = fmt.Sprintf("id%d", i)
		}
		_, err = st.GetUsers(ctx, ids)
		ok(t, "GetUsers of MaxBatch IDs", err)
		_, err = st.GetUsers(ctx, append(ids, "one-more"))
		isErr(t, "GetUsers of MaxBatch+1 IDs", err, ugc.ErrInvalidArgument, "")
	}},
	{"UpdateUserChecksAndBumpsVersion", func(t *testing.T, ctx context.Context, st store.Store) {
		u := createUser(t, ctx, st, "u1", "Alice")
		u.Color = "green"
		u.Channel.PlaybackURL = "https://example.com/new.m3u8"
		ok(t, "UpdateUser", st.UpdateUser(ctx, u))
		equal(t, "u.Version after UpdateUser", 2, u.Version)
		got, err := st.GetUser(ctx, "u1")
		ok(t, "GetUser", err)
		diff(t, "GetUser after UpdateUser", u, got)

		stale := clone(u)
		stale.Version = 1
		stale.Color = "yellow"
		err = st.UpdateUser(ctx, stale)
		isErr(t, "UpdateUser with a stale version", err, ugc.ErrFailedPrecondition, "version_conflict")
		got, err = st.GetUser(ctx, "u1")
		ok(t, "GetUser", err)
		diff(t, "GetUser after a failed UpdateUser", u, got)

		missing := newUser("nobody", "Nobody")
		missing.Version = 1
		isErr(t, "UpdateUser of a missing user", st.UpdateUser(ctx, missing), ugc.ErrNotFound, "")
	}},
	{"UpdateUserRenames", func(t *testing.T, ctx context.Context, st store.Store) {
		a := createUser(t, ctx, st, "u1", "Alice")
		b := createUser(t, ctx, st, "u2", "Bobby")

		b2 := clone(b)
		b2.Username = "ALICE"
		isField(t, "UpdateUser to a taken username", st.UpdateUser(ctx, b2), ugc.ErrAlreadyExists, "username")
		b2 = clone(b)
		b2.Email = "Alice@example.COM"
		isField(t, "UpdateUser to a taken email", st.UpdateUser(ctx, b2), ugc.ErrAlreadyExists, "email")
		got, err := st.GetUser(ctx, "u2")
		ok(t, "GetUser", err)
		diff(t, "GetUser after failed renames", b, got)

		// Changing the case of one's own username is allowed.
		a.Username = "ALICE"
		ok(t, "UpdateUser to another case of the same name", st.UpdateUser(ctx, a))
		// A rename frees the old name and email.
		a.Username = "Alicia"
		a.Email = "Alicia@example.com"
		ok(t, "UpdateUser rename", st.UpdateUser(ctx, a))
		_, err = st.GetUserByUsername(ctx, "alice")
		isErr(t, "GetUserByUsername of the old name", err, ugc.ErrNotFound, "")
		_, err = st.GetUserByEmail(ctx, "Alice@example.com")
		isErr(t, "GetUserByEmail of the old email", err, ugc.ErrNotFound, "")
		got, err = st.GetUserByUsername(ctx, "alicia")
		ok(t, "GetUserByUsername of the new name", err)
		equal(t, "ID", "u1", got.ID)
		b.Username = "alice"
		b.Email = "Alice@example.com"
		ok(t, "UpdateUser taking the freed name and email", st.UpdateUser(ctx, b))
	}},
	{"DeleteUserFreesUsernameAndEmail", func(t *testing.T, ctx context.Context, st store.Store) {
		createUser(t, ctx, st, "u1", "Alice")
		ok(t, "DeleteUser", st.DeleteUser(ctx, "u1"))
		_, err := st.GetUser(ctx, "u1")
		isErr(t, "GetUser after DeleteUser", err, ugc.ErrNotFound, "")
		_, err = st.GetUserByUsername(ctx, "alice")
		isErr(t, "GetUserByUsername after DeleteUser", err, ugc.ErrNotFound, "")
		isErr(t, "DeleteUser again", st.DeleteUser(ctx, "u1"), ugc.ErrNotFound, "")
		u := newUser("u2", "ALICE")
		u.Email = "Alice@example.com"
		ok(t, "CreateUser with the freed username and email", st.CreateUser(ctx, u))
	}},
}
