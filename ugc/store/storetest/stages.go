package storetest

import (
	"context"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

func newStage(id, channel string, start int) *ugc.StageSession {
	return &ugc.StageSession{ChannelUserID: channel, StageArn: "arn:aws:ivs:us-east-1:1:stage/" + channel,
		ID: id, HostParticipantID: "p-" + id, StartedAt: at(start)}
}

func seat(session, user string, reserved, expires int) ugc.Seat {
	s := ugc.Seat{SessionID: session, UserID: user, ReservedAt: at(reserved)}
	if expires > 0 {
		s.ExpiresAt = at(expires)
	}
	return s
}

func newRequest(id, channel, user string, created int) *ugc.JoinRequest {
	return &ugc.JoinRequest{ID: id, ChannelUserID: channel, UserID: user, Status: ugc.RequestPending,
		CreatedAt: at(created), UpdatedAt: at(created), ExpiresAt: at(created + 60)}
}

func seatUsers(seats []ugc.Seat) []string {
	var out []string
	for _, s := range seats {
		out = append(out, s.UserID)
	}
	return out
}

var stagesTests = []test{
	{"StageSessionLifecycle", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.ActiveStageSession(ctx, "c")
		isErr(t, "ActiveStageSession before Create", err, ugc.ErrNotFound, "")
		s := newStage("s1", "c", 1)
		ok(t, "CreateStageSession", st.CreateStageSession(ctx, s))
		got, err := st.GetStageSession(ctx, "s1")
		ok(t, "GetStageSession", err)
		diff(t, "GetStageSession", s, got)
		got, err = st.ActiveStageSession(ctx, "c")
		ok(t, "ActiveStageSession", err)
		diff(t, "ActiveStageSession", s, got)
		isErr(t, "CreateStageSession while one is active", st.CreateStageSession(ctx, newStage("s2", "c", 2)),
			ugc.ErrAlreadyExists, "session_active")
		isField(t, "CreateStageSession with a taken ID", st.CreateStageSession(ctx, newStage("s1", "d", 2)),
			ugc.ErrAlreadyExists, "id")
		_, err = st.GetStageSession(ctx, "s2")
		isErr(t, "GetStageSession of a refused session", err, ugc.ErrNotFound, "")

		s.HostLeftAt = at(3)
		s.EndedAt = at(4)
		ok(t, "UpdateStageSession", st.UpdateStageSession(ctx, s))
		got, err = st.GetStageSession(ctx, "s1")
		ok(t, "GetStageSession", err)
		diff(t, "GetStageSession after update", s, got)
		_, err = st.ActiveStageSession(ctx, "c")
		isErr(t, "ActiveStageSession after the session ended", err, ugc.ErrNotFound, "")
		// An ended session is final: a write from an older copy (here one
		// that would make it active again) changes nothing.
		stale := newStage("s1", "c", 1)
		stale.HostLeftAt = at(5)
		isErr(t, "UpdateStageSession of an ended session", st.UpdateStageSession(ctx, stale),
			ugc.ErrFailedPrecondition, "session_ended")
		got, err = st.GetStageSession(ctx, "s1")
		ok(t, "GetStageSession", err)
		diff(t, "GetStageSession after a refused update", s, got)
		_, err = st.ActiveStageSession(ctx, "c")
		isErr(t, "ActiveStageSession after a refused update", err, ugc.ErrNotFound, "")
		ok(t, "CreateStageSession after the last ended", st.CreateStageSession(ctx, newStage("s2", "c", 5)))
		isErr(t, "UpdateStageSession of a missing session", st.UpdateStageSession(ctx, newStage("s9", "c", 1)), ugc.ErrNotFound, "")
	}},
	{"ListActiveStageSessionsOldestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		for _, s := range []*ugc.StageSession{newStage("s3", "a", 5), newStage("s1", "b", 5), newStage("s2", "c", 1), newStage("s4", "d", 0)} {
			ok(t, "CreateStageSession", st.CreateStageSession(ctx, s))
		}
		ended := newStage("s4", "d", 0)
		ended.EndedAt = at(9)
		ok(t, "UpdateStageSession", st.UpdateStageSession(ctx, ended))
		got, next, err := st.ListActiveStageSessions(ctx, store.Page{})
		ok(t, "ListActiveStageSessions", err)
		equal(t, "next", "", next)
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		diff(t, "ListActiveStageSessions IDs", []string{"s2", "s1", "s3"}, ids)
	}},
	{"ReserveSeatCountsHeldSeatsAndFreesExpired", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "ReserveSeat u1", st.ReserveSeat(ctx, seat("s", "u1", 1, 100), 3, at(1)))
		ok(t, "ReserveSeat u2", st.ReserveSeat(ctx, seat("s", "u2", 2, 50), 3, at(2)))
		ok(t, "ReserveSeat u3", st.ReserveSeat(ctx, seat("s", "u3", 3, 0), 3, at(3))) // joined: no expiry
		isErr(t, "ReserveSeat in a full session", st.ReserveSeat(ctx, seat("s", "u4", 10, 100), 3, at(10)),
			ugc.ErrFailedPrecondition, "stage_full")
		ok(t, "ReserveSeat in another session", st.ReserveSeat(ctx, seat("t", "u4", 10, 100), 3, at(10)))
		got, err := st.ListSeats(ctx, "s", at(10))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats oldest reservation first", []ugc.Seat{seat("s", "u1", 1, 100), seat("s", "u2", 2, 50), seat("s", "u3", 3, 0)}, got)
		// At its ExpiresAt u2's reservation is no longer held.
		got, err = st.ListSeats(ctx, "s", at(50))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats at u2's ExpiresAt", []string{"u1", "u3"}, seatUsers(got))
		ok(t, "ReserveSeat taking the expired seat", st.ReserveSeat(ctx, seat("s", "u4", 50, 150), 3, at(50)))
		got, err = st.ListSeats(ctx, "s", at(50))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats after reuse", []string{"u1", "u3", "u4"}, seatUsers(got))
		// The expired reservation was freed: u2 holds nothing even at an earlier clock.
		got, err = st.ListSeats(ctx, "s", at(10))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats at 10 after u2 was freed", []string{"u1", "u3", "u4"}, seatUsers(got))
	}},
	{"ReserveSeatHeldBeatsFull", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "ReserveSeat u1", st.ReserveSeat(ctx, seat("s", "u1", 1, 100), 2, at(1)))
		isErr(t, "ReserveSeat by a holder", st.ReserveSeat(ctx, seat("s", "u1", 2, 100), 2, at(2)),
			ugc.ErrAlreadyExists, "seat_held")
		ok(t, "ReserveSeat u2", st.ReserveSeat(ctx, seat("s", "u2", 3, 100), 2, at(3)))
		isErr(t, "ReserveSeat by a holder in a full session", st.ReserveSeat(ctx, seat("s", "u1", 4, 100), 2, at(4)),
			ugc.ErrAlreadyExists, "seat_held")
		got, err := st.ListSeats(ctx, "s", at(4))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats keeps the first reservation", []ugc.Seat{seat("s", "u1", 1, 100), seat("s", "u2", 3, 100)}, got)
	}},
	{"UpdateAndReleaseSeat", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "ReserveSeat", st.ReserveSeat(ctx, seat("s", "u1", 1, 100), 12, at(1)))
		joined := seat("s", "u1", 1, 0)
		joined.ParticipantID = "part-1"
		ok(t, "UpdateSeat", st.UpdateSeat(ctx, joined))
		got, err := st.ListSeats(ctx, "s", at(1000))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats after join (a joined seat never expires)", []ugc.Seat{joined}, got)
		isErr(t, "UpdateSeat of a missing seat", st.UpdateSeat(ctx, seat("s", "u2", 1, 0)), ugc.ErrNotFound, "")
		released, err := st.ReleaseSeat(ctx, "s", "u1")
		ok(t, "ReleaseSeat", err)
		equal(t, "ReleaseSeat released", true, released)
		released, err = st.ReleaseSeat(ctx, "s", "u1")
		ok(t, "ReleaseSeat again", err)
		equal(t, "ReleaseSeat again released", false, released)
		got, err = st.ListSeats(ctx, "s", at(1))
		ok(t, "ListSeats", err)
		equal(t, "len(ListSeats) after release", 0, len(got))
	}},
	{"JoinRequestStateMachine", func(t *testing.T, ctx context.Context, st store.Store) {
		r := newRequest("r1", "h", "u", 1)
		ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, r))
		got, err := st.GetJoinRequest(ctx, "r1")
		ok(t, "GetJoinRequest", err)
		diff(t, "GetJoinRequest", r, got)
		isErr(t, "CreateJoinRequest while one is pending", st.CreateJoinRequest(ctx, newRequest("r2", "h", "u", 2)),
			ugc.ErrAlreadyExists, "request_pending")
		isField(t, "CreateJoinRequest with a taken ID", st.CreateJoinRequest(ctx, newRequest("r1", "h2", "u", 2)),
			ugc.ErrAlreadyExists, "id")
		ok(t, "CreateJoinRequest to another host", st.CreateJoinRequest(ctx, newRequest("r3", "h2", "u", 2)))

		acc := clone(r)
		acc.Status, acc.UpdatedAt = ugc.RequestAccepted, at(5)
		isErr(t, "UpdateJoinRequest from the wrong status", st.UpdateJoinRequest(ctx, acc, ugc.RequestAccepted),
			ugc.ErrFailedPrecondition, "request_state")
		ok(t, "UpdateJoinRequest pending→accepted", st.UpdateJoinRequest(ctx, acc, ugc.RequestPending))
		used := clone(acc)
		used.TokenUsed = true
		ok(t, "UpdateJoinRequest setting TokenUsed", st.UpdateJoinRequest(ctx, used, ugc.RequestAccepted))
		unused := clone(acc)
		unused.TokenUsed = false
		isErr(t, "UpdateJoinRequest clearing a used TokenUsed", st.UpdateJoinRequest(ctx, unused, ugc.RequestAccepted),
			ugc.ErrFailedPrecondition, "request_state")
		again := clone(used)
		isErr(t, "UpdateJoinRequest setting TokenUsed twice", st.UpdateJoinRequest(ctx, again, ugc.RequestAccepted),
			ugc.ErrFailedPrecondition, "request_state")
		revoked := clone(used)
		revoked.Status = ugc.RequestRevoked
		isErr(t, "UpdateJoinRequest of a used request", st.UpdateJoinRequest(ctx, revoked, ugc.RequestAccepted),
			ugc.ErrFailedPrecondition, "request_state")
		got, err = st.GetJoinRequest(ctx, "r1")
		ok(t, "GetJoinRequest", err)
		diff(t, "GetJoinRequest after updates", used, got)
		isErr(t, "UpdateJoinRequest of a missing request", st.UpdateJoinRequest(ctx, newRequest("r9", "h", "u", 1), ugc.RequestPending),
			ugc.ErrNotFound, "")
		ok(t, "CreateJoinRequest after the last left pending", st.CreateJoinRequest(ctx, newRequest("r4", "h", "u", 9)))
		got, err = st.LatestJoinRequest(ctx, "h", "u")
		ok(t, "LatestJoinRequest", err)
		equal(t, "LatestJoinRequest ID", "r4", got.ID)
		_, err = st.LatestJoinRequest(ctx, "h", "nobody")
		isErr(t, "LatestJoinRequest without requests", err, ugc.ErrNotFound, "")
	}},
	{"ListJoinRequestsNewestFirst", func(t *testing.T, ctx context.Context, st store.Store) {
		for _, r := range []*ugc.JoinRequest{newRequest("r1", "h", "u1", 1), newRequest("r3", "h", "u2", 5),
			newRequest("r2", "h", "u3", 5), newRequest("r4", "other", "u1", 9)} {
			ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, r))
		}
		got, next, err := st.ListJoinRequests(ctx, "h", store.Page{})
		ok(t, "ListJoinRequests", err)
		equal(t, "next", "", next)
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		diff(t, "ListJoinRequests IDs (ties by ID)", []string{"r2", "r3", "r1"}, ids)
	}},
	{"InvitesAndKicks", func(t *testing.T, ctx context.Context, st store.Store) {
		_, err := st.GetInvite(ctx, "i1")
		isErr(t, "GetInvite before Put", err, ugc.ErrNotFound, "")
		inv := ugc.Invite{ID: "i1", ChannelUserID: "h", CreatedAt: at(1), ExpiresAt: at(100)}
		ok(t, "PutInvite", st.PutInvite(ctx, inv))
		inv.RevokedAt = at(5)
		ok(t, "PutInvite replace", st.PutInvite(ctx, inv))
		got, err := st.GetInvite(ctx, "i1")
		ok(t, "GetInvite", err)
		diff(t, "GetInvite", &inv, got)

		_, err = st.GetKick(ctx, "h", "u")
		isErr(t, "GetKick before Put", err, ugc.ErrNotFound, "")
		k := ugc.Kick{ChannelUserID: "h", UserID: "u", Until: at(10)}
		ok(t, "PutKick", st.PutKick(ctx, k))
		k.Until = at(20)
		ok(t, "PutKick replace", st.PutKick(ctx, k))
		gk, err := st.GetKick(ctx, "h", "u")
		ok(t, "GetKick", err)
		diff(t, "GetKick", &k, gk)
	}},
	{"DeleteStagesOf", func(t *testing.T, ctx context.Context, st store.Store) {
		ok(t, "CreateStageSession", st.CreateStageSession(ctx, newStage("sx", "x", 1)))
		ok(t, "CreateStageSession", st.CreateStageSession(ctx, newStage("sy", "y", 1)))
		ok(t, "ReserveSeat", st.ReserveSeat(ctx, seat("sx", "a", 1, 0), 12, at(1)))
		ok(t, "ReserveSeat", st.ReserveSeat(ctx, seat("sy", "x", 1, 0), 12, at(1)))
		ok(t, "ReserveSeat", st.ReserveSeat(ctx, seat("sy", "a", 1, 0), 12, at(1)))
		ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, newRequest("r1", "x", "a", 1)))
		ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, newRequest("r2", "y", "x", 1)))
		ok(t, "CreateJoinRequest", st.CreateJoinRequest(ctx, newRequest("r3", "y", "a", 1)))
		ok(t, "PutInvite", st.PutInvite(ctx, ugc.Invite{ID: "ix", ChannelUserID: "x", CreatedAt: at(1)}))
		ok(t, "PutInvite", st.PutInvite(ctx, ugc.Invite{ID: "iy", ChannelUserID: "y", CreatedAt: at(1)}))
		ok(t, "PutKick", st.PutKick(ctx, ugc.Kick{ChannelUserID: "x", UserID: "a", Until: at(9)}))
		ok(t, "PutKick", st.PutKick(ctx, ugc.Kick{ChannelUserID: "y", UserID: "x", Until: at(9)}))
		ok(t, "PutKick", st.PutKick(ctx, ugc.Kick{ChannelUserID: "y", UserID: "a", Until: at(9)}))

		ok(t, "DeleteStagesOf", st.DeleteStagesOf(ctx, "x"))
		ok(t, "DeleteStagesOf again (idempotent)", st.DeleteStagesOf(ctx, "x"))

		_, err := st.GetStageSession(ctx, "sx")
		isErr(t, "GetStageSession sx", err, ugc.ErrNotFound, "")
		_, err = st.ActiveStageSession(ctx, "x")
		isErr(t, "ActiveStageSession x", err, ugc.ErrNotFound, "")
		seats, err := st.ListSeats(ctx, "sx", at(1))
		ok(t, "ListSeats", err)
		equal(t, "len(ListSeats(sx))", 0, len(seats))
		seats, err = st.ListSeats(ctx, "sy", at(1))
		ok(t, "ListSeats", err)
		diff(t, "ListSeats(sy)", []string{"a"}, seatUsers(seats))
		for _, id := range []string{"r1", "r2"} {
			_, err = st.GetJoinRequest(ctx, id)
			isErr(t, "GetJoinRequest "+id, err, ugc.ErrNotFound, "")
		}
		_, err = st.GetJoinRequest(ctx, "r3")
		ok(t, "an unrelated request survives", err)
		_, err = st.GetInvite(ctx, "ix")
		isErr(t, "GetInvite ix", err, ugc.ErrNotFound, "")
		_, err = st.GetInvite(ctx, "iy")
		ok(t, "an unrelated invite survives", err)
		for _, p := range [][2]string{{"x", "a"}, {"y", "x"}} {
			_, err = st.GetKick(ctx, p[0], p[1])
			isErr(t, "GetKick "+p[0]+"/"+p[1], err, ugc.ErrNotFound, "")
		}
		_, err = st.GetKick(ctx, "y", "a")
		ok(t, "an unrelated kick survives", err)
		list, _, err := st.ListActiveStageSessions(ctx, store.Page{})
		ok(t, "ListActiveStageSessions", err)
		equal(t, "len(ListActiveStageSessions)", 1, len(list))
		ok(t, "CreateJoinRequest by the deleted user again", st.CreateJoinRequest(ctx, newRequest("r5", "y", "x", 2)))
	}},
}
