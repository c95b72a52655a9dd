package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// badCase calls one method with v in one of its ID arguments.
type badCase struct {
	name string
	call func(ctx context.Context, st store.Store, v string) error
	// written, for writes, reports whether the refused call left a trace.
	written func(ctx context.Context, st store.Store) (bool, error)
}

// optionalArgs may be empty; only their other bad values are tried.
var optionalArgs = map[string]bool{
	"SetLive/ref":                   true,
	"ClearLive/ref":                 true,
	"DeleteUserAuthSessions/except": true,
	"DeleteActiveAction/id":         true,
}

// found turns a read's error into "it exists".
func found(err error) (bool, error) {
	if errors.Is(err, ugc.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func e1[T any](_ T, err error) error { return err }

func e2[T, U any](_ T, _ U, err error) error { return err }

func userWith(id, username, email string) *ugc.User {
	return &ugc.User{ID: id, Username: username, Email: email}
}

func userWritten(ctx context.Context, st store.Store) (bool, error) {
	return found(e1(st.GetUser(ctx, "good")))
}

func followWritten(ctx context.Context, st store.Store) (bool, error) {
	n, err := st.FollowerCount(ctx, "good2")
	return n != 0, err
}

func liveWritten(ctx context.Context, st store.Store) (bool, error) {
	es, err := st.GetLive(ctx, "good")
	return len(es) != 0, err
}

var badCases = []badCase{
	// Users.
	{"CreateUser/id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateUser(ctx, userWith(v, "good", "good@example.com"))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetUserByUsername(ctx, "good")))
	}},
	{"CreateUser/username", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateUser(ctx, userWith("good", v, "good@example.com"))
	}, userWritten},
	{"CreateUser/email", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateUser(ctx, userWith("good", "good", v))
	}, userWritten},
	{"GetUser/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetUser(ctx, v)) }, nil},
	{"GetUserByUsername/username", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.GetUserByUsername(ctx, v))
	}, nil},
	{"GetUserByEmail/email", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetUserByEmail(ctx, v)) }, nil},
	{"GetUserByResource/arn", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.GetUserByResource(ctx, v))
	}, nil},
	{"GetUsers/ids", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.GetUsers(ctx, []string{"good", v}))
	}, nil},
	{"UpdateUser/id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateUser(ctx, &ugc.User{ID: v, Username: "good", Email: "good@example.com", Version: 1})
	}, nil},
	{"UpdateUser/username", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateUser(ctx, &ugc.User{ID: "good", Username: v, Email: "good@example.com", Version: 1})
	}, nil},
	{"UpdateUser/email", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateUser(ctx, &ugc.User{ID: "good", Username: "good", Email: v, Version: 1})
	}, nil},
	{"DeleteUser/id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteUser(ctx, v) }, nil},

	// Accounts.
	{"PutCredentials/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutCredentials(ctx, ugc.Credentials{UserID: v, PasswordHash: "h"})
	}, nil},
	{"GetCredentials/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetCredentials(ctx, v)) }, nil},
	{"DeleteCredentials/user_id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteCredentials(ctx, v) }, nil},
	{"CreateAuthSession/token_hash", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateAuthSession(ctx, ugc.AuthSession{TokenHash: v, UserID: "good", ExpiresAt: at(100)})
	}, nil},
	{"CreateAuthSession/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateAuthSession(ctx, ugc.AuthSession{TokenHash: "good", UserID: v, ExpiresAt: at(100)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetAuthSession(ctx, "good", at(1))))
	}},
	{"GetAuthSession/token_hash", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.GetAuthSession(ctx, v, at(1)))
	}, nil},
	{"DeleteAuthSession/token_hash", func(ctx context.Context, st store.Store, v string) error {
		return st.DeleteAuthSession(ctx, v)
	}, nil},
	{"DeleteUserAuthSessions/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.DeleteUserAuthSessions(ctx, v, "")
	}, nil},
	{"CreateResetToken/token_hash", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: v, UserID: "good", ExpiresAt: at(100)})
	}, nil},
	{"CreateResetToken/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateResetToken(ctx, ugc.ResetToken{TokenHash: "good", UserID: v, ExpiresAt: at(100)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.UseResetToken(ctx, "good", at(1))))
	}},
	{"UseResetToken/token_hash", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.UseResetToken(ctx, v, at(1)))
	}, nil},

	// Jobs.
	{"PutJob/kind", func(ctx context.Context, st store.Store, v string) error {
		return st.PutJob(ctx, &ugc.Job{Kind: v, ID: "good", UpdatedAt: at(1)})
	}, nil},
	{"PutJob/id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutJob(ctx, &ugc.Job{Kind: "good", ID: v, UpdatedAt: at(1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		js, _, err := st.ListJobs(ctx, "good", at(100), store.Page{})
		return len(js) != 0, err
	}},
	{"CreateJob/kind", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateJob(ctx, &ugc.Job{Kind: v, ID: "good", UpdatedAt: at(1)})
	}, nil},
	{"CreateJob/id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateJob(ctx, &ugc.Job{Kind: "good", ID: v, UpdatedAt: at(1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		js, _, err := st.ListJobs(ctx, "good", at(100), store.Page{})
		return len(js) != 0, err
	}},
	{"UpdateJob/kind", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateJob(ctx, &ugc.Job{Kind: v, ID: "good", UpdatedAt: at(2)}, at(1))
	}, nil},
	{"UpdateJob/id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateJob(ctx, &ugc.Job{Kind: "good", ID: v, UpdatedAt: at(2)}, at(1))
	}, nil},
	{"GetJob/kind", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetJob(ctx, v, "good")) }, nil},
	{"GetJob/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetJob(ctx, "good", v)) }, nil},
	{"DeleteJob/kind", func(ctx context.Context, st store.Store, v string) error { return st.DeleteJob(ctx, v, "good") }, nil},
	{"DeleteJob/id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteJob(ctx, "good", v) }, nil},
	{"ListJobs/kind", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListJobs(ctx, v, at(1), store.Page{}))
	}, nil},

	// Follows.
	{"Follow/follower_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.Follow(ctx, ugc.Follow{FollowerID: v, ChannelUserID: "good2", FollowedAt: at(1)}))
	}, followWritten},
	{"Follow/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.Follow(ctx, ugc.Follow{FollowerID: "good", ChannelUserID: v, FollowedAt: at(1)}))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		fs, _, err := st.ListFollowing(ctx, "good", store.Page{})
		return len(fs) != 0, err
	}},
	{"Unfollow/follower_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.Unfollow(ctx, v, "good")) }, nil},
	{"Unfollow/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.Unfollow(ctx, "good", v)) }, nil},
	{"IsFollowing/follower_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.IsFollowing(ctx, v, "good")) }, nil},
	{"IsFollowing/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.IsFollowing(ctx, "good", v))
	}, nil},
	{"FollowerCount/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.FollowerCount(ctx, v)) }, nil},
	{"ListFollowing/follower_id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListFollowing(ctx, v, store.Page{}))
	}, nil},
	{"DeleteFollowsOf/user_id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteFollowsOf(ctx, v) }, nil},

	// Live.
	{"SetLive/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.SetLive(ctx, ugc.LiveEntry{UserID: v, Kind: ugc.LiveLowLatency, Since: at(1), Ref: "r"})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		es, _, err := st.ListLive(ctx, store.Page{})
		return len(es) != 0, err
	}},
	{"SetLive/ref", func(ctx context.Context, st store.Store, v string) error {
		return st.SetLive(ctx, ugc.LiveEntry{UserID: "good", Kind: ugc.LiveLowLatency, Since: at(1), Ref: v})
	}, liveWritten},
	{"ClearLive/ref", func(ctx context.Context, st store.Store, v string) error {
		return st.ClearLive(ctx, "good", ugc.LiveLowLatency, v)
	}, nil},
	{"DeleteUserAuthSessions/except", func(ctx context.Context, st store.Store, v string) error {
		return st.DeleteUserAuthSessions(ctx, "good", v)
	}, nil},
	{"DeleteActiveAction/id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.DeleteActiveAction(ctx, "good", v))
	}, nil},
	{"ClearLive/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.ClearLive(ctx, v, ugc.LiveLowLatency, "")
	}, nil},
	{"GetLive/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetLive(ctx, v)) }, nil},

	// Stream sessions.
	{"GetStreamSession/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetStreamSession(ctx, v)) }, nil},
	{"GetStreamSessionVersion/id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.GetStreamSessionVersion(ctx, v))
	}, nil},
	{"PutStreamSession/id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.PutStreamSession(ctx, newSession(v, "good", 1), 0))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ss, _, err := st.ListStreamSessions(ctx, "good", store.Page{})
		return len(ss) != 0, err
	}},
	{"PutStreamSession/user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.PutStreamSession(ctx, newSession("good", v, 1), 0))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetStreamSession(ctx, "good")))
	}},
	{"ListStreamSessions/user_id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListStreamSessions(ctx, v, store.Page{}))
	}, nil},
	{"AppendStreamEvent/id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: v, SessionID: "good", Time: at(1), Type: "t", Name: "n"}))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		es, _, err := st.ListStreamEvents(ctx, "good", store.Page{})
		return len(es) != 0, err
	}},
	{"AppendStreamEvent/session_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.AppendStreamEvent(ctx, ugc.StreamEvent{ID: "good", SessionID: v, Time: at(1), Type: "t", Name: "n"}))
	}, nil},
	{"ListStreamEvents/session_id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListStreamEvents(ctx, v, store.Page{}))
	}, nil},
	{"GetMetricsCache/session_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetMetricsCache(ctx, v)) }, nil},
	{"PutMetricsCache/session_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.PutMetricsCache(ctx, ugc.MetricsCacheEntry{SessionID: v, Period: 60, Data: []byte(`[]`)}))
	}, nil},
	{"DeleteUserStreamSessions/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.DeleteUserStreamSessions(ctx, v)
	}, nil},

	// Moderation.
	{"PutBan/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutBan(ctx, ugc.Ban{ChannelUserID: v, UserID: "good", CreatedAt: at(1)})
	}, nil},
	{"PutBan/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutBan(ctx, ugc.Ban{ChannelUserID: "good", UserID: v, CreatedAt: at(1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		bs, _, err := st.ListBans(ctx, "good", at(1), store.Page{})
		return len(bs) != 0, err
	}},
	{"GetBan/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetBan(ctx, v, "good")) }, nil},
	{"GetBan/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetBan(ctx, "good", v)) }, nil},
	{"DeleteBan/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.DeleteBan(ctx, v, "good")) }, nil},
	{"DeleteBan/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.DeleteBan(ctx, "good", v)) }, nil},
	{"ListBans/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListBans(ctx, v, at(1), store.Page{}))
	}, nil},
	{"PutModerator/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutModerator(ctx, ugc.Moderator{ChannelUserID: v, UserID: "good"})
	}, nil},
	{"PutModerator/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutModerator(ctx, ugc.Moderator{ChannelUserID: "good", UserID: v})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ms, _, err := st.ListModerators(ctx, "good", store.Page{})
		return len(ms) != 0, err
	}},
	{"IsModerator/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.IsModerator(ctx, v, "good"))
	}, nil},
	{"IsModerator/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.IsModerator(ctx, "good", v)) }, nil},
	{"DeleteModerator/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.DeleteModerator(ctx, v, "good"))
	}, nil},
	{"DeleteModerator/user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.DeleteModerator(ctx, "good", v))
	}, nil},
	{"ListModerators/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListModerators(ctx, v, store.Page{}))
	}, nil},
	{"PutBlockedTerms/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutBlockedTerms(ctx, v, []string{"t"})
	}, nil},
	{"GetBlockedTerms/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.GetBlockedTerms(ctx, v))
	}, nil},
	{"DeleteModerationOf/user_id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteModerationOf(ctx, v) }, nil},

	// Actions.
	{"PutActiveAction/id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutActiveAction(ctx, &ugc.Action{ID: v, ChannelUserID: "good", Type: ugc.ActionNotice})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetActiveAction(ctx, "good")))
	}},
	{"PutActiveAction/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutActiveAction(ctx, &ugc.Action{ID: "good", ChannelUserID: v, Type: ugc.ActionNotice})
	}, nil},
	{"GetActiveAction/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.GetActiveAction(ctx, v))
	}, nil},
	{"DeleteActiveAction/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.DeleteActiveAction(ctx, v, ""))
	}, nil},
	{"PutPreset/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutPreset(ctx, ugc.Preset{UserID: v, Type: ugc.ActionNotice})
	}, nil},
	{"PutPreset/type", func(ctx context.Context, st store.Store, v string) error {
		return st.PutPreset(ctx, ugc.Preset{UserID: "good", Type: v})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ps, err := st.ListPresets(ctx, "good")
		return len(ps) != 0, err
	}},
	{"ListPresets/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.ListPresets(ctx, v)) }, nil},
	{"PutRule/id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutRule(ctx, ugc.Rule{ID: v, ChannelUserID: "good", EventName: "e", PresetType: ugc.ActionNotice})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		rs, err := st.ListRules(ctx, "good")
		return len(rs) != 0, err
	}},
	{"PutRule/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutRule(ctx, ugc.Rule{ID: "good", ChannelUserID: v, EventName: "e", PresetType: ugc.ActionNotice})
	}, nil},
	{"ListRules/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.ListRules(ctx, v)) }, nil},
	{"DeleteRule/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.DeleteRule(ctx, v, "good")) }, nil},
	{"DeleteRule/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.DeleteRule(ctx, "good", v)) }, nil},
	{"DeleteActionsOf/user_id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteActionsOf(ctx, v) }, nil},

	// Polls.
	{"CreatePoll/id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreatePoll(ctx, newPoll(v, "good", 0, 60), at(0))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.LatestPoll(ctx, "good")))
	}},
	{"CreatePoll/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreatePoll(ctx, newPoll("good", v, 0, 60), at(0))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetPoll(ctx, "good")))
	}},
	{"GetPoll/poll_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetPoll(ctx, v)) }, nil},
	{"LatestPoll/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.LatestPoll(ctx, v)) }, nil},
	{"EndPoll/poll_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.EndPoll(ctx, v, at(1))) }, nil},
	{"RecordVote/poll_id", func(ctx context.Context, st store.Store, v string) error {
		return st.RecordVote(ctx, vote(v, "good", 0, 1), at(1))
	}, nil},
	{"RecordVote/user_id", func(ctx context.Context, st store.Store, v string) error {
		if err := st.CreatePoll(ctx, newPoll("good", "good", 0, 60), at(0)); err != nil && !errors.Is(err, ugc.ErrAlreadyExists) {
			return err
		}
		return st.RecordVote(ctx, vote("good", v, 0, 1), at(1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		p, err := st.GetPoll(ctx, "good")
		if err != nil {
			return false, err
		}
		return p.Total() != 0, nil
	}},
	{"GetVote/poll_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetVote(ctx, v, "good")) }, nil},
	{"GetVote/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetVote(ctx, "good", v)) }, nil},
	{"DeletePollsOf/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return st.DeletePollsOf(ctx, v) }, nil},

	// Stages.
	{"CreateStageSession/id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateStageSession(ctx, newStage(v, "good", 1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.ActiveStageSession(ctx, "good")))
	}},
	{"CreateStageSession/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateStageSession(ctx, newStage("good", v, 1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetStageSession(ctx, "good")))
	}},
	{"GetStageSession/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetStageSession(ctx, v)) }, nil},
	{"ActiveStageSession/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.ActiveStageSession(ctx, v))
	}, nil},
	{"UpdateStageSession/id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateStageSession(ctx, newStage(v, "good", 1))
	}, nil},
	{"UpdateStageSession/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateStageSession(ctx, newStage("good", v, 1))
	}, nil},
	{"ReserveSeat/session_id", func(ctx context.Context, st store.Store, v string) error {
		return st.ReserveSeat(ctx, seat(v, "good", 1, 100), 12, at(1))
	}, nil},
	{"ReserveSeat/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.ReserveSeat(ctx, seat("good", v, 1, 100), 12, at(1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ss, err := st.ListSeats(ctx, "good", at(1))
		return len(ss) != 0, err
	}},
	{"UpdateSeat/session_id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateSeat(ctx, seat(v, "good", 1, 0))
	}, nil},
	{"UpdateSeat/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateSeat(ctx, seat("good", v, 1, 0))
	}, nil},
	{"ReleaseSeat/session_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.ReleaseSeat(ctx, v, "good")) }, nil},
	{"ReleaseSeat/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.ReleaseSeat(ctx, "good", v)) }, nil},
	{"ListSeats/session_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.ListSeats(ctx, v, at(1))) }, nil},
	{"CreateJoinRequest/id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateJoinRequest(ctx, newRequest(v, "good", "good2", 1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		rs, _, err := st.ListJoinRequests(ctx, "good", store.Page{})
		return len(rs) != 0, err
	}},
	{"CreateJoinRequest/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateJoinRequest(ctx, newRequest("good", v, "good2", 1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetJoinRequest(ctx, "good")))
	}},
	{"CreateJoinRequest/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.CreateJoinRequest(ctx, newRequest("good", "good2", v, 1))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetJoinRequest(ctx, "good")))
	}},
	{"GetJoinRequest/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetJoinRequest(ctx, v)) }, nil},
	{"UpdateJoinRequest/id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateJoinRequest(ctx, newRequest(v, "good", "good2", 1), ugc.RequestPending)
	}, nil},
	{"UpdateJoinRequest/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.UpdateJoinRequest(ctx, newRequest("good", "good2", v, 1), ugc.RequestPending)
	}, nil},
	{"LatestJoinRequest/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.LatestJoinRequest(ctx, v, "good"))
	}, nil},
	{"LatestJoinRequest/user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.LatestJoinRequest(ctx, "good", v))
	}, nil},
	{"ListJoinRequests/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return e2(st.ListJoinRequests(ctx, v, store.Page{}))
	}, nil},
	{"PutInvite/id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutInvite(ctx, ugc.Invite{ID: v, ChannelUserID: "good"})
	}, nil},
	{"PutInvite/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutInvite(ctx, ugc.Invite{ID: "good", ChannelUserID: v})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetInvite(ctx, "good")))
	}},
	{"GetInvite/id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetInvite(ctx, v)) }, nil},
	{"PutKick/channel_user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutKick(ctx, ugc.Kick{ChannelUserID: v, UserID: "good", Until: at(1)})
	}, nil},
	{"PutKick/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.PutKick(ctx, ugc.Kick{ChannelUserID: "good", UserID: v, Until: at(1)})
	}, nil},
	{"GetKick/channel_user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetKick(ctx, v, "good")) }, nil},
	{"GetKick/user_id", func(ctx context.Context, st store.Store, v string) error { return e1(st.GetKick(ctx, "good", v)) }, nil},
	{"DeleteStagesOf/user_id", func(ctx context.Context, st store.Store, v string) error { return st.DeleteStagesOf(ctx, v) }, nil},

	// Notifications.
	{"AppendNotification/user_id", func(ctx context.Context, st store.Store, v string) error {
		return st.AppendNotification(ctx, &ugc.Notification{UserID: v, Type: "t", CreatedAt: at(1)})
	}, nil},
	{"ListNotifications/user_id", func(ctx context.Context, st store.Store, v string) error {
		return e1(st.ListNotifications(ctx, v, 0, 0))
	}, nil},
}

// badValues are the ID values every method must refuse.
var badValues = map[string]string{
	"empty":                           "",
	"MaxIDLen+1 bytes":                long,
	"invalid UTF-8":                   "bad\xff",
	"MaxIDLen+1 bytes, multibyte end": long[:store.MaxIDLen-1] + "é",
}

// nilArgs calls every method that takes a pointer with nil.
var nilArgs = map[string]func(ctx context.Context, st store.Store) error{
	"CreateUser":         func(ctx context.Context, st store.Store) error { return st.CreateUser(ctx, nil) },
	"UpdateUser":         func(ctx context.Context, st store.Store) error { return st.UpdateUser(ctx, nil) },
	"PutJob":             func(ctx context.Context, st store.Store) error { return st.PutJob(ctx, nil) },
	"CreateJob":          func(ctx context.Context, st store.Store) error { return st.CreateJob(ctx, nil) },
	"UpdateJob":          func(ctx context.Context, st store.Store) error { return st.UpdateJob(ctx, nil, at(0)) },
	"PutStreamSession":   func(ctx context.Context, st store.Store) error { return e1(st.PutStreamSession(ctx, nil, 0)) },
	"PutActiveAction":    func(ctx context.Context, st store.Store) error { return st.PutActiveAction(ctx, nil) },
	"CreatePoll":         func(ctx context.Context, st store.Store) error { return st.CreatePoll(ctx, nil, at(0)) },
	"CreateStageSession": func(ctx context.Context, st store.Store) error { return st.CreateStageSession(ctx, nil) },
	"UpdateStageSession": func(ctx context.Context, st store.Store) error { return st.UpdateStageSession(ctx, nil) },
	"CreateJoinRequest":  func(ctx context.Context, st store.Store) error { return st.CreateJoinRequest(ctx, nil) },
	"UpdateJoinRequest": func(ctx context.Context, st store.Store) error {
		return st.UpdateJoinRequest(ctx, nil, ugc.RequestPending)
	},
	"AppendNotification": func(ctx context.Context, st store.Store) error { return st.AppendNotification(ctx, nil) },
}

func badInputTests() []test {
	var tests []test
	for _, bc := range badCases {
		tests = append(tests, test{bc.name, func(t *testing.T, ctx context.Context, st store.Store) {
			for what, v := range badValues {
				if optionalArgs[bc.name] && v == "" {
					continue
				}
				err := bc.call(ctx, st, v)
				if !errors.Is(err, ugc.ErrInvalidArgument) {
					t.Errorf("%s with %s: error = %v, want one wrapping ErrInvalidArgument", bc.name, what, err)
					continue
				}
				if ugc.FieldOf(err) == "" {
					t.Errorf("%s with %s: error %v names no field", bc.name, what, err)
				}
			}
			if bc.written != nil {
				w, err := bc.written(ctx, st)
				ok(t, "checking for writes", err)
				if w {
					t.Errorf("%s: a refused call wrote data", bc.name)
				}
			}
		}})
	}
	tests = append(tests, oversizeTests()...)
	tests = append(tests, test{"NilPointerArguments", func(t *testing.T, ctx context.Context, st store.Store) {
		for name, call := range nilArgs {
			isErr(t, name+"(nil)", call(ctx, st), ugc.ErrInvalidArgument, "")
		}
	}})
	return tests
}

// oversize calls methods with free text or data one byte over its limit;
// each must be refused with ErrInvalidArgument and write nothing.
var oversize = []struct {
	name    string
	call    func(ctx context.Context, st store.Store) error
	written func(ctx context.Context, st store.Store) (bool, error)
}{
	{"PutBan/Reason", func(ctx context.Context, st store.Store) error {
		return st.PutBan(ctx, ugc.Ban{ChannelUserID: "c", UserID: "u", Reason: strings.Repeat("r", store.MaxTextLen+1)})
	}, func(ctx context.Context, st store.Store) (bool, error) { return found(e1(st.GetBan(ctx, "c", "u"))) }},
	{"CreatePoll/Question", func(ctx context.Context, st store.Store) error {
		p := newPoll("p", "c", 0, 60)
		p.Question = strings.Repeat("q", store.MaxTextLen+1)
		return st.CreatePoll(ctx, p, at(0))
	}, func(ctx context.Context, st store.Store) (bool, error) { return found(e1(st.GetPoll(ctx, "p"))) }},
	{"CreatePoll/Options", func(ctx context.Context, st store.Store) error {
		p := newPoll("p", "c", 0, 60)
		p.Options[1] = strings.Repeat("o", store.MaxTextLen+1)
		return st.CreatePoll(ctx, p, at(0))
	}, func(ctx context.Context, st store.Store) (bool, error) { return found(e1(st.GetPoll(ctx, "p"))) }},
	{"PutBlockedTerms/term", func(ctx context.Context, st store.Store) error {
		return st.PutBlockedTerms(ctx, "c", []string{"ok", strings.Repeat("t", store.MaxTextLen+1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ts, err := st.GetBlockedTerms(ctx, "c")
		return len(ts) != 0, err
	}},
	{"PutActiveAction/Data", func(ctx context.Context, st store.Store) error {
		return st.PutActiveAction(ctx, &ugc.Action{ID: "a", ChannelUserID: "c", Type: ugc.ActionNotice,
			Data: jsonString(store.MaxDataLen + 1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetActiveAction(ctx, "c")))
	}},
	{"PutPreset/Data", func(ctx context.Context, st store.Store) error {
		return st.PutPreset(ctx, ugc.Preset{UserID: "u", Type: ugc.ActionNotice, Data: jsonString(store.MaxDataLen + 1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ps, err := st.ListPresets(ctx, "u")
		return len(ps) != 0, err
	}},
	{"AppendNotification/Data", func(ctx context.Context, st store.Store) error {
		return st.AppendNotification(ctx, &ugc.Notification{UserID: "u", Type: "t", Data: jsonString(store.MaxDataLen + 1)})
	}, func(ctx context.Context, st store.Store) (bool, error) {
		ns, err := st.ListNotifications(ctx, "u", 0, 0)
		return len(ns) != 0, err
	}},
	{"PutJob/Data", func(ctx context.Context, st store.Store) error {
		return st.PutJob(ctx, &ugc.Job{Kind: "k", ID: "j", Data: map[string]string{"big": strings.Repeat("d", store.MaxDataLen+1)}})
	}, func(ctx context.Context, st store.Store) (bool, error) { return found(e1(st.GetJob(ctx, "k", "j"))) }},
	{"CreateJob/Data", func(ctx context.Context, st store.Store) error {
		return st.CreateJob(ctx, &ugc.Job{Kind: "k", ID: "j", Data: map[string]string{"big": strings.Repeat("d", store.MaxDataLen+1)}})
	}, func(ctx context.Context, st store.Store) (bool, error) { return found(e1(st.GetJob(ctx, "k", "j"))) }},
	{"PutMetricsCache/Data", func(ctx context.Context, st store.Store) error {
		return e1(st.PutMetricsCache(ctx, ugc.MetricsCacheEntry{SessionID: "s", Period: 60, Data: jsonString(store.MaxMetricsCacheLen + 1)}))
	}, func(ctx context.Context, st store.Store) (bool, error) {
		return found(e1(st.GetMetricsCache(ctx, "s")))
	}},
}

// jsonString returns a JSON string value of n bytes, quotes included.
func jsonString(n int) []byte {
	b := []byte(strings.Repeat("x", n))
	b[0], b[n-1] = '"', '"'
	return b
}

func oversizeTests() []test {
	var tests []test
	for _, o := range oversize {
		tests = append(tests, test{"Oversize/" + o.name, func(t *testing.T, ctx context.Context, st store.Store) {
			isErr(t, o.name+" one byte over its limit", o.call(ctx, st), ugc.ErrInvalidArgument, "")
			w, err := o.written(ctx, st)
			ok(t, "checking for writes", err)
			if w {
				t.Errorf("%s: a refused call wrote data", o.name)
			}
		}})
	}
	tests = append(tests,
		test{"AtLimit/MetricsCacheOfMaxMetricsCacheLen", func(t *testing.T, ctx context.Context, st store.Store) {
			e := ugc.MetricsCacheEntry{SessionID: "s", Period: 60, Complete: true, Data: jsonString(store.MaxMetricsCacheLen)}
			stored, err := st.PutMetricsCache(ctx, e)
			ok(t, "PutMetricsCache of MaxMetricsCacheLen bytes", err)
			equal(t, "stored", true, stored)
			got, err := st.GetMetricsCache(ctx, "s")
			ok(t, "GetMetricsCache", err)
			equal(t, "len(Data)", store.MaxMetricsCacheLen, len(got.Data))
		}},
		test{"AtLimit/ActionDataOfMaxDataLen", func(t *testing.T, ctx context.Context, st store.Store) {
			a := &ugc.Action{ID: "a", ChannelUserID: "c", Type: ugc.ActionNotice, Data: jsonString(store.MaxDataLen)}
			ok(t, "PutActiveAction of MaxDataLen bytes", st.PutActiveAction(ctx, a))
			got, err := st.GetActiveAction(ctx, "c")
			ok(t, "GetActiveAction", err)
			equal(t, "len(Data)", store.MaxDataLen, len(got.Data))
		}},
	)
	return tests
}
