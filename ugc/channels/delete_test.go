package channels

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
)

// seedAccount gives u data in every part of the store, tied to other.
func (e *env) seedAccount(t *testing.T, u, other *ugc.User) {
	t.Helper()
	ctx := context.Background()
	now := e.clock.Now()
	must(t, e.svc.Follow(ctx, u.ID, other.Username))
	must(t, e.svc.Follow(ctx, other.ID, u.Username))
	must(t, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: u.ID, UserID: other.ID, CreatedAt: now}))
	must(t, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: other.ID, UserID: u.ID, CreatedAt: now}))
	must(t, e.st.PutModerator(ctx, ugc.Moderator{ChannelUserID: other.ID, UserID: u.ID, CreatedAt: now}))
	must(t, e.st.PutPreset(ctx, ugc.Preset{UserID: u.ID, Type: "notice", Data: json.RawMessage(`{"title":"hi"}`), UpdatedAt: now}))
	must(t, e.st.CreatePoll(ctx, &ugc.Poll{ID: "poll-" + u.ID, ChannelUserID: u.ID, Question: "q?", Options: []string{"a", "b"}, StartedAt: now, EndsAt: now.Add(time.Minute)}, now))
	must(t, e.st.CreateStageSession(ctx, &ugc.StageSession{ChannelUserID: u.ID, StageArn: u.Channel.StageArn, ID: "ss-" + u.ID, StartedAt: now}))
	must(t, e.st.SetLive(ctx, ugc.LiveEntry{UserID: u.ID, Kind: ugc.LiveLowLatency, Since: now, Ref: "x"}))
	_, err := e.st.PutStreamSession(ctx, &ugc.StreamSession{ID: "st-" + u.ID, UserID: u.ID, ChannelArn: u.Channel.Arn, StartTime: now, UpdatedAt: now}, 0)
	must(t, err)
	must(t, e.st.PutCredentials(ctx, ugc.Credentials{UserID: u.ID, PasswordHash: "h", UpdatedAt: now}))
	must(t, e.st.CreateAuthSession(ctx, ugc.AuthSession{TokenHash: "tok-" + u.ID, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	_, err = e.svc.PutImage(ctx, u.ID, ImageAvatar, bytes.NewReader(pngImage(t, 4, 4)))
	must(t, err)
	// Live on IVS too.
	_, _, err = e.srv.StartStream(u.Channel.StreamKey.Reveal())
	must(t, err)
}

// leftovers lists what remains of the user in the store.
func (e *env) leftovers(t *testing.T, u, other *ugc.User) []string {
	t.Helper()
	ctx := context.Background()
	now := e.clock.Now()
	var left []string
	check := func(what string, err error, present bool) {
		t.Helper()
		if err != nil && !errors.Is(err, ugc.ErrNotFound) {
			t.Fatalf("%s: %v", what, err)
		}
		if err == nil && present {
			left = append(left, what)
		}
	}
	_, err := e.st.GetUser(ctx, u.ID)
	check("user", err, true)
	n, err := e.st.FollowerCount(ctx, other.ID)
	check("follow of other", err, n != 0)
	f, err := e.st.IsFollowing(ctx, other.ID, u.ID)
	check("follow by other", err, f)
	_, err = e.st.GetBan(ctx, u.ID, other.ID)
	check("ban by user", err, true)
	_, err = e.st.GetBan(ctx, other.ID, u.ID)
	check("ban of user", err, true)
	m, err := e.st.IsModerator(ctx, other.ID, u.ID)
	check("moderator", err, m)
	ps, err := e.st.ListPresets(ctx, u.ID)
	check("presets", err, len(ps) > 0)
	_, err = e.st.GetPoll(ctx, "poll-"+u.ID)
	check("poll", err, true)
	_, err = e.st.GetStageSession(ctx, "ss-"+u.ID)
	check("stage session", err, true)
	l, err := e.st.GetLive(ctx, u.ID)
	check("live", err, len(l) > 0)
	_, err = e.st.GetStreamSession(ctx, "st-"+u.ID)
	check("stream session", err, true)
	_, err = e.st.GetCredentials(ctx, u.ID)
	check("credentials", err, true)
	_, err = e.st.GetAuthSession(ctx, "tok-"+u.ID, now)
	check("auth session", err, true)
	_, err = e.st.GetJob(ctx, JobDelete, u.ID)
	check("job", err, true)
	return left
}

func TestDeleteAccount(t *testing.T) {
	for _, driver := range drivers {
		for _, crashAt := range []string{"", "StopStream", "DeleteChannel", "DeleteRoom", "DeleteStage", "store"} {
			t.Run(driver+"/"+crashAt, func(t *testing.T) {
				e := newEnv(t, driver)
				ctx := context.Background()
				u, other := e.register(t, "leaver"), e.register(t, "stayer")
				e.seedAccount(t, u, other)
				withImage, err := e.svc.Get(ctx, u.ID)
				must(t, err)
				avatarKey := strings.TrimPrefix(e.svc.AvatarURL(withImage), "http://127.0.0.1:8080/assets/")

				// A participant on the user's stage is disconnected.
				tok, err := e.stages.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(u.Channel.StageArn), UserId: aws.String("guest")})
				must(t, err)
				pid, err := e.srv.JoinStage(ugc.ChannelID(u.Channel.StageArn), aws.ToString(tok.ParticipantToken.Token))
				must(t, err)
				var mu sync.Mutex
				var left []string
				cancel := e.srv.Subscribe(func(ev ivslocal.Event) {
					if ev.Detail["event_name"] == "Participant Left" {
						mu.Lock()
						left = append(left, fmt.Sprint(ev.Detail["participant_id"]))
						mu.Unlock()
					}
				})
				defer cancel()

				if crashAt != "" {
					if crashAt == "store" {
						e.svc.store = &failDeleteStore{storeOf: e.st}
					} else {
						e.fault(crashAt)
					}
					if err := e.svc.DeleteAccount(ctx, u.ID); err == nil {
						t.Fatalf("DeleteAccount with a %s fault succeeded", crashAt)
					}
					if _, err := e.st.GetJob(ctx, JobDelete, u.ID); err != nil {
						t.Fatalf("no deletion job after a failure: %v", err)
					}
					e.svc.store = e.st
				}

				must(t, e.svc.DeleteAccount(ctx, u.ID))

				mu.Lock()
				if diff := cmp.Diff([]string{pid}, left); diff != "" {
					t.Errorf("participants disconnected (-want +got):\n%s", diff)
				}
				mu.Unlock()
				if diff := cmp.Diff([]string(nil), e.leftovers(t, u, other)); diff != "" {
					t.Errorf("store leftovers (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(userInventory(other), e.inventory(t)); diff != "" {
					t.Errorf("AWS leftovers (-want +got):\n%s", diff)
				}
				if _, _, err := e.svc.OpenAsset(ctx, avatarKey); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("avatar still stored: %v", err)
				}
				if err := e.svc.DeleteAccount(ctx, u.ID); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("second DeleteAccount = %v, want ErrNotFound", err)
				}
				// Username and email are free again.
				again, err := e.svc.Register(ctx, RegisterInput{Username: "Leaver", Email: u.Email})
				must(t, err)
				if again.ID == u.ID {
					t.Errorf("the new account reuses the deleted user's ID")
				}
			})
		}
	}
}

// failDeleteStore fails DeleteFollowsOf, a store step mid-way.
type failDeleteStore struct{ storeOf }

func (failDeleteStore) DeleteFollowsOf(context.Context, string) error {
	return errors.New("store down")
}

func TestResumeDeletions(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	u := e.register(t, "quitter")
	e.fault("DeleteRoom")
	if err := e.svc.DeleteAccount(ctx, u.ID); err == nil {
		t.Fatal("DeleteAccount with a fault succeeded")
	}
	if n, err := e.svc.ResumeDeletions(ctx, time.Minute); err != nil || n != 0 {
		t.Fatalf("ResumeDeletions of a fresh job = %d, %v; want 0, nil", n, err)
	}
	e.clock.Advance(time.Hour)
	n, err := e.svc.ResumeDeletions(ctx, time.Minute)
	must(t, err)
	if n != 1 {
		t.Errorf("ResumeDeletions = %d, want 1", n)
	}
	if _, err := e.st.GetUser(ctx, u.ID); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("user after resume: %v", err)
	}
	if diff := cmp.Diff(userInventory(), e.inventory(t)); diff != "" {
		t.Errorf("AWS leftovers (-want +got):\n%s", diff)
	}
}

// TestDeleteAccountLeftoverProvisionJob deletes a user whose provisioning
// job was left by a crash: the next owner of the name gets a new ID.
func TestDeleteAccountLeftoverProvisionJob(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	u := e.register(t, "Phoenix")
	now := e.clock.Now()
	must(t, e.st.PutJob(ctx, &ugc.Job{Kind: JobProvision, ID: "phoenix", Step: "stage",
		Data: map[string]string{dataUserID: u.ID, dataUsername: "Phoenix"}, CreatedAt: now, UpdatedAt: now}))
	must(t, e.svc.DeleteAccount(ctx, u.ID))
	again, err := e.svc.Register(ctx, RegisterInput{Username: "phoenix", Email: "new@example.com"})
	must(t, err)
	if again.ID == u.ID {
		t.Errorf("the new owner of the name got the deleted user's ID")
	}
}
