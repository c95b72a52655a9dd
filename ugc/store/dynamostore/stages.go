package dynamostore

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// Stage sessions live at STAGE#<id>/S with a version, indexed by channel
// in GSI1 (STAGESCH#<channel>, id). A channel's active session has a
// marker ACTSTAGE#<channel>/A holding a full copy (so ActiveStageSession
// is one read), written in the same transaction as the session; the
// markers are indexed in GSI1 by (ACTSTAGES#<shard>, asc(StartedAt)#id).
//
// Seats are SEATS#<session>/U#<user> (indexed by user in GSI1:
// SEATSOF#<user>, session) with a counter SEATS#<session>/#N whose
// attribute held is the number of seat items. ReserveSeat reads the
// session's seats, then in one transaction deletes the expired ones, puts
// the new seat if absent and sets held, conditioned on the value it read.
//
// Join requests are JR#<id>/R, indexed in GSI1 (JRCH#<channel>,
// desc(CreatedAt)#id), GSI2 (JRCU#<channel,user>, asc(CreatedAt)#id) and
// GSI3 (JRU#<user>, id). A pending request has a marker
// JRPEND#<channel,user>/P, which makes "one pending request" a condition.
// Invites are INV#<id>/I (GSI1: INVCH#<channel>, id); kicks
// KICKS#<channel>/U#<user> (GSI1: KICKED#<user>, channel).

func stageKey(id string) item       { return pk("STAGE#"+id, "S") }
func activeKey(channel string) item { return pk("ACTSTAGE#"+channel, "A") }
func seatKey(sid, user string) item { return pk("SEATS#"+sid, "U#"+user) }
func seatCountKey(sid string) item  { return pk("SEATS#"+sid, "#N") }
func reqKey(id string) item         { return pk("JR#"+id, "R") }
func pendKey(channel, user string) item {
	return pk(key("JRPEND#", channel, user), "P")
}

func stageItem(st *ugc.StageSession, k item) item {
	return item{}.key(k.getS(attrPK), k.getS(attrSK)).s("id", st.ID).s("c", st.ChannelUserID).s("arn", st.StageArn).
		s("host", st.HostParticipantID).t("start", st.StartedAt).t("ended", st.EndedAt).t("left", st.HostLeftAt)
}

func decodeStage(it item) *ugc.StageSession {
	return &ugc.StageSession{ID: it.getS("id"), ChannelUserID: it.getS("c"), StageArn: it.getS("arn"),
		HostParticipantID: it.getS("host"), StartedAt: it.getT("start"), EndedAt: it.getT("ended"), HostLeftAt: it.getT("left")}
}

func sessionActive() error {
	return ugc.WithCode(ugc.ErrAlreadyExists, "session_active", "the channel has an active stage session")
}

// markerItem is the active marker of st.
func (s *Store) markerItem(st *ugc.StageSession) item {
	return stageItem(st, activeKey(st.ChannelUserID)).
		s(attrG1PK, "ACTSTAGES#"+strconv.Itoa(shard(st.ChannelUserID, s.opts.LiveShards))).
		s(attrG1SK, asc(tms(st.StartedAt))+"#"+st.ID)
}

// CreateStageSession stores a new session: with its active marker in one
// transaction when it is active.
func (s *Store) CreateStageSession(ctx context.Context, st *ugc.StageSession) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateStageSession")
	if err := store.CheckStageSession(st); err != nil {
		return err
	}
	var t tx
	t.put("id", stageItem(st, stageKey(st.ID)).n("ver", 1).s(attrG1PK, "STAGESCH#"+st.ChannelUserID).s(attrG1SK, st.ID),
		"attribute_not_exists(PK)", nil)
	if st.Active() {
		t.put("active", s.markerItem(st), "attribute_not_exists(PK)", nil)
	}
	failed, err := s.run(ctx, &t)
	switch {
	case err != nil:
		return err
	case failed == "id":
		return taken("id")
	case failed == "active":
		return sessionActive()
	}
	return nil
}

// GetStageSession returns a session by ID, or ErrNotFound.
func (s *Store) GetStageSession(ctx context.Context, id string) (_ *ugc.StageSession, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetStageSession")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, stageKey(id))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return decodeStage(it), nil
}

// ActiveStageSession returns the channel's active session, or ErrNotFound:
// one read of the marker.
func (s *Store) ActiveStageSession(ctx context.Context, channelUserID string) (_ *ugc.StageSession, err error) {
	defer ugc.Wrap(&err, "dynamostore.ActiveStageSession")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, activeKey(channelUserID))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return decodeStage(it), nil
}

// UpdateStageSession replaces a stored session and its marker in one
// transaction, conditional on the version read, so an ended session seen
// at the read is final (store.ErrSessionEnded). Making a session active
// while its channel has another active one is ErrAlreadyExists with code
// "session_active".
func (s *Store) UpdateStageSession(ctx context.Context, st *ugc.StageSession) (err error) {
	defer ugc.Wrap(&err, "dynamostore.UpdateStageSession")
	if err := store.CheckStageSession(st); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		it, err := s.getItem(ctx, stageKey(st.ID))
		if err != nil {
			return err
		}
		if it == nil {
			return ugc.ErrNotFound
		}
		old, ver := decodeStage(it), it.getN("ver")
		if !old.Active() {
			return store.ErrSessionEnded
		}
		var t tx
		t.put("stage", stageItem(st, stageKey(st.ID)).n("ver", ver+1).
			s(attrG1PK, "STAGESCH#"+st.ChannelUserID).s(attrG1SK, st.ID), "#ver = :v", vals(":v", ver))
		mine := vals(":id", st.ID)
		if st.Active() {
			t.put("active", s.markerItem(st), "attribute_not_exists(PK) OR #id = :id", mine)
		}
		if old.Active() && (!st.Active() || old.ChannelUserID != st.ChannelUserID) {
			t.del("stage", activeKey(old.ChannelUserID), "#id = :id", mine)
		}
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed == "stage":
			continue
		case err != nil:
			return err
		case failed == "active":
			return sessionActive()
		}
		return nil
	}
	return errContention
}

// ListActiveStageSessions returns active sessions, oldest start first,
// ties by ID: one GSI1 query per shard, merged.
func (s *Store) ListActiveStageSessions(ctx context.Context, p store.Page) (_ []*ugc.StageSession, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListActiveStageSessions")
	const q = "ListActiveStageSessions"
	limit, c, has, err := s.pageArgs(ctx, q, p)
	if err != nil {
		return nil, "", err
	}
	its, more, err := s.mergeShards(ctx, "ACTSTAGES#", c.K, has, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]*ugc.StageSession, len(its))
	for i, it := range its {
		out[i] = decodeStage(it)
	}
	if !more {
		return out, "", nil
	}
	next, err = s.encode(ctx, q, cursor{K: its[len(its)-1].getS(attrG1SK)})
	return out, next, err
}

func decodeSeat(it item) ugc.Seat {
	return ugc.Seat{SessionID: it.getS("sid"), UserID: it.getS("u"), ParticipantID: it.getS("pid"),
		ReservedAt: it.getT("reserved"), ExpiresAt: it.getT("expires")}
}

func seatHeld(st ugc.Seat, now time.Time) bool {
	return st.ExpiresAt.IsZero() || st.ExpiresAt.After(now)
}

func seatItem(st ugc.Seat) item {
	return item{}.key("SEATS#"+st.SessionID, "U#"+st.UserID).s("sid", st.SessionID).s("u", st.UserID).
		s("pid", st.ParticipantID).t("reserved", st.ReservedAt).t("expires", st.ExpiresAt).
		s(attrG1PK, "SEATSOF#"+st.UserID).s(attrG1SK, st.SessionID)
}

// maxFreedPerReserve bounds the expired seats one ReserveSeat deletes, to
// stay within the 100 items of a transaction.
const maxFreedPerReserve = 90

// ReserveSeat reserves a seat if fewer than max seats are held at now,
// freeing expired reservations: a query and one transaction.
func (s *Store) ReserveSeat(ctx context.Context, st ugc.Seat, max int, now time.Time) (err error) {
	defer ugc.Wrap(&err, "dynamostore.ReserveSeat")
	if err := store.CheckSeatReservation(st, max); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		its, err := s.queryPK(ctx, "SEATS#"+st.SessionID)
		if err != nil {
			return err
		}
		var held int64
		counted := false
		var seats []item
		for _, it := range its {
			if it.getS(attrSK) == "#N" {
				held, counted = it.getN("held"), true
			} else {
				seats = append(seats, it)
			}
		}
		var t tx
		var own item
		n, freed := 0, 0
		for _, it := range seats {
			o := decodeSeat(it)
			switch {
			case o.UserID == st.UserID && seatHeld(o, now):
				return ugc.WithCode(ugc.ErrAlreadyExists, "seat_held", "the user holds a seat")
			case o.UserID == st.UserID:
				own = it
			case seatHeld(o, now):
				n++
			case freed < maxFreedPerReserve:
				t.del("changed", keyOf(it), "#expires = :e", vals(":e", tms(o.ExpiresAt)))
				freed++
			default:
				n++ // freed by a later call
			}
		}
		if n >= max {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "stage_full", "every seat is taken")
		}
		newHeld := held - int64(freed) + 1
		if own != nil {
			newHeld--
			t.put("changed", seatItem(st), "#expires = :e", vals(":e", own.getN("expires")))
		} else {
			t.put("held", seatItem(st), "attribute_not_exists(PK)", nil)
		}
		if counted {
			t.update("changed", seatCountKey(st.SessionID), "SET #held = :n", "#held = :h", vals(":n", newHeld, ":h", held))
		} else {
			t.put("changed", item{}.key("SEATS#"+st.SessionID, "#N").n("held", newHeld), "attribute_not_exists(PK)", nil)
		}
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed != "":
			continue // re-read: the seat taken concurrently is reported then
		case err != nil:
			return err
		}
		return nil
	}
	return errContention
}

// UpdateSeat replaces a stored seat; a missing one is ErrNotFound.
func (s *Store) UpdateSeat(ctx context.Context, st ugc.Seat) (err error) {
	defer ugc.Wrap(&err, "dynamostore.UpdateSeat")
	if err := store.CheckSeat(st); err != nil {
		return err
	}
	err = s.putItem(ctx, seatItem(st), "attribute_exists(PK)", nil)
	if isCondFailed(err) {
		return ugc.ErrNotFound
	}
	return err
}

// releaseSeat deletes a seat and decrements the counter in one transaction.
func (s *Store) releaseSeat(ctx context.Context, sid, user string) (bool, error) {
	var t tx
	t.del("missing", seatKey(sid, user), "attribute_exists(PK)", nil)
	t.update("", seatCountKey(sid), "ADD #held :minus", "", vals(":minus", -1))
	failed, err := s.run(ctx, &t)
	if err != nil {
		return false, err
	}
	return failed == "", nil
}

// ReleaseSeat frees the user's seat; released is false when none.
func (s *Store) ReleaseSeat(ctx context.Context, sessionID, userID string) (released bool, err error) {
	defer ugc.Wrap(&err, "dynamostore.ReleaseSeat")
	if err := store.CheckIDs("session_id", sessionID, "user_id", userID); err != nil {
		return false, err
	}
	return s.releaseSeat(ctx, sessionID, userID)
}

// ListSeats returns the seats held at now, oldest reservation first, ties
// by user ID: one query.
func (s *Store) ListSeats(ctx context.Context, sessionID string, now time.Time) (_ []ugc.Seat, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListSeats")
	if err := store.CheckID("session_id", sessionID); err != nil {
		return nil, err
	}
	its, err := s.queryPrefix(ctx, "SEATS#"+sessionID, "U#")
	if err != nil {
		return nil, err
	}
	var out []ugc.Seat
	for _, it := range its {
		if st := decodeSeat(it); seatHeld(st, now) {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b ugc.Seat) int {
		if c := a.ReservedAt.Compare(b.ReservedAt); c != 0 {
			return c
		}
		return strings.Compare(a.UserID, b.UserID)
	})
	return out, nil
}

func requestItem(r *ugc.JoinRequest, ver int64) item {
	return item{}.key("JR#"+r.ID, "R").s("id", r.ID).s("c", r.ChannelUserID).s("u", r.UserID).s("status", r.Status).
		t("created", r.CreatedAt).t("updated", r.UpdatedAt).t("expires", r.ExpiresAt).bool("used", r.TokenUsed).
		n("ver", ver).
		s(attrG1PK, "JRCH#"+r.ChannelUserID).s(attrG1SK, desc(tms(r.CreatedAt))+"#"+r.ID).
		s(attrG2PK, key("JRCU#", r.ChannelUserID, r.UserID)).s(attrG2SK, asc(tms(r.CreatedAt))+"#"+r.ID).
		s(attrG3PK, "JRU#"+r.UserID).s(attrG3SK, r.ID)
}

func decodeRequest(it item) *ugc.JoinRequest {
	return &ugc.JoinRequest{ID: it.getS("id"), ChannelUserID: it.getS("c"), UserID: it.getS("u"), Status: it.getS("status"),
		CreatedAt: it.getT("created"), UpdatedAt: it.getT("updated"), ExpiresAt: it.getT("expires"), TokenUsed: it.getBool("used")}
}

func requestPending() error {
	return ugc.WithCode(ugc.ErrAlreadyExists, "request_pending", "the user has a pending request")
}

// CreateJoinRequest stores a new request in one transaction with the
// pending marker (or a check that there is none).
func (s *Store) CreateJoinRequest(ctx context.Context, r *ugc.JoinRequest) (err error) {
	defer ugc.Wrap(&err, "dynamostore.CreateJoinRequest")
	if err := store.CheckJoinRequest(r); err != nil {
		return err
	}
	var t tx
	t.put("id", requestItem(r, 1), "attribute_not_exists(PK)", nil)
	pend := pendKey(r.ChannelUserID, r.UserID)
	if r.Status == ugc.RequestPending {
		t.put("pending", item{}.key(pend.getS(attrPK), "P").s("id", r.ID), "attribute_not_exists(PK)", nil)
	} else {
		t.check("pending", pend, "attribute_not_exists(PK)", nil)
	}
	failed, err := s.run(ctx, &t)
	switch {
	case err != nil:
		return err
	case failed == "id":
		return taken("id")
	case failed == "pending":
		return requestPending()
	}
	return nil
}

// GetJoinRequest returns a request by ID, or ErrNotFound.
func (s *Store) GetJoinRequest(ctx context.Context, id string) (_ *ugc.JoinRequest, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetJoinRequest")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, reqKey(id))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return decodeRequest(it), nil
}

// UpdateJoinRequest replaces the request if its stored Status is
// fromStatus and its token is unused: one transaction with the pending
// marker, conditioned on the version read.
func (s *Store) UpdateJoinRequest(ctx context.Context, r *ugc.JoinRequest, fromStatus string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.UpdateJoinRequest")
	if err := store.CheckJoinRequest(r); err != nil {
		return err
	}
	if err := store.CheckID("from_status", fromStatus); err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		it, err := s.getItem(ctx, reqKey(r.ID))
		if err != nil {
			return err
		}
		if it == nil {
			return ugc.ErrNotFound
		}
		old, ver := decodeRequest(it), it.getN("ver")
		if old.Status != fromStatus || old.TokenUsed {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "request_state",
				"the request is %s (token used: %t)", old.Status, old.TokenUsed)
		}
		var t tx
		t.put("request", requestItem(r, ver+1), "#ver = :v", vals(":v", ver))
		mine := vals(":id", r.ID)
		oldPend, newPend := pendKey(old.ChannelUserID, old.UserID), pendKey(r.ChannelUserID, r.UserID)
		same := oldPend.getS(attrPK) == newPend.getS(attrPK)
		wasPending, isPending := old.Status == ugc.RequestPending, r.Status == ugc.RequestPending
		if isPending && (!wasPending || !same) {
			t.put("pending", item{}.key(newPend.getS(attrPK), "P").s("id", r.ID), "attribute_not_exists(PK) OR #id = :id", mine)
		}
		if wasPending && (!isPending || !same) {
			t.del("request", oldPend, "#id = :id", mine)
		}
		failed, err := s.run(ctx, &t)
		switch {
		case err == errConflict || err == nil && failed == "request":
			continue
		case err != nil:
			return err
		case failed == "pending":
			return requestPending()
		}
		return nil
	}
	return errContention
}

// LatestJoinRequest returns the user's most recent request to the channel
// (ties: the greatest ID): one GSI2 query.
func (s *Store) LatestJoinRequest(ctx context.Context, channelUserID, userID string) (_ *ugc.JoinRequest, err error) {
	defer ugc.Wrap(&err, "dynamostore.LatestJoinRequest")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	var out *ugc.JoinRequest
	err = s.query(ctx, lastOfIndex(indexGSI2, attrG2PK, key("JRCU#", channelUserID, userID)),
		func(it item) bool { out = decodeRequest(it); return false })
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, ugc.ErrNotFound
	}
	return out, nil
}

// ListJoinRequests returns the channel's requests, newest first, ties by
// ID: one GSI1 query.
func (s *Store) ListJoinRequests(ctx context.Context, channelUserID string, p store.Page) (_ []*ugc.JoinRequest, next string, err error) {
	defer ugc.Wrap(&err, "dynamostore.ListJoinRequests")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, "", err
	}
	q := queryName("ListJoinRequests", channelUserID)
	var out []*ugc.JoinRequest
	next, err = s.pageIndex(ctx, q, p, indexGSI1, attrG1PK, attrG1SK, "JRCH#"+channelUserID, nil, func(it item) {
		out = append(out, decodeRequest(it))
	})
	return out, next, err
}

// PutInvite creates or replaces an invite.
func (s *Store) PutInvite(ctx context.Context, i ugc.Invite) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutInvite")
	if err := store.CheckInvite(i); err != nil {
		return err
	}
	it := item{}.key("INV#"+i.ID, "I").s("id", i.ID).s("c", i.ChannelUserID).t("created", i.CreatedAt).
		t("expires", i.ExpiresAt).t("revoked", i.RevokedAt).s(attrG1PK, "INVCH#"+i.ChannelUserID).s(attrG1SK, i.ID)
	return s.putItem(ctx, it, "", nil)
}

// GetInvite returns an invite, or ErrNotFound.
func (s *Store) GetInvite(ctx context.Context, id string) (_ *ugc.Invite, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetInvite")
	if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, pk("INV#"+id, "I"))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return &ugc.Invite{ID: id, ChannelUserID: it.getS("c"), CreatedAt: it.getT("created"),
		ExpiresAt: it.getT("expires"), RevokedAt: it.getT("revoked")}, nil
}

// PutKick creates or replaces a kick.
func (s *Store) PutKick(ctx context.Context, k ugc.Kick) (err error) {
	defer ugc.Wrap(&err, "dynamostore.PutKick")
	if err := store.CheckKick(k); err != nil {
		return err
	}
	it := item{}.key("KICKS#"+k.ChannelUserID, "U#"+k.UserID).s("c", k.ChannelUserID).s("u", k.UserID).
		t("until", k.Until).s(attrG1PK, "KICKED#"+k.UserID).s(attrG1SK, k.ChannelUserID)
	return s.putItem(ctx, it, "", nil)
}

// GetKick returns the kick of the user from the channel, or ErrNotFound.
func (s *Store) GetKick(ctx context.Context, channelUserID, userID string) (_ *ugc.Kick, err error) {
	defer ugc.Wrap(&err, "dynamostore.GetKick")
	if err := store.CheckIDs("channel_user_id", channelUserID, "user_id", userID); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, pk("KICKS#"+channelUserID, "U#"+userID))
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, ugc.ErrNotFound
	}
	return &ugc.Kick{ChannelUserID: channelUserID, UserID: userID, Until: it.getT("until")}, nil
}

// DeleteStagesOf removes the user's stage sessions and their seats, the
// seats the user holds, requests by or to the user, the user's invites and
// kicks naming the user; idempotent.
func (s *Store) DeleteStagesOf(ctx context.Context, userID string) (err error) {
	defer ugc.Wrap(&err, "dynamostore.DeleteStagesOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	sessions, err := s.queryIndex(ctx, indexGSI1, attrG1PK, "STAGESCH#"+userID)
	if err != nil {
		return err
	}
	var keys []item
	for _, ss := range sessions {
		seats, err := s.queryPK(ctx, "SEATS#"+ss.getS("id"))
		if err != nil {
			return err
		}
		keys = append(keys, keysOf(seats)...)
		keys = append(keys, keyOf(ss))
	}
	keys = append(keys, activeKey(userID))
	held, err := s.queryIndex(ctx, indexGSI1, attrG1PK, "SEATSOF#"+userID)
	if err != nil {
		return err
	}
	for _, it := range held {
		if _, err := s.releaseSeat(ctx, it.getS("sid"), userID); err != nil {
			return err
		}
	}
	for _, g := range []struct{ index, attr, p string }{
		{indexGSI3, attrG3PK, "JRU#" + userID}, {indexGSI1, attrG1PK, "JRCH#" + userID},
	} {
		reqs, err := s.queryIndex(ctx, g.index, g.attr, g.p)
		if err != nil {
			return err
		}
		for _, it := range reqs {
			r := decodeRequest(it)
			keys = append(keys, keyOf(it))
			if r.Status == ugc.RequestPending {
				keys = append(keys, pendKey(r.ChannelUserID, r.UserID))
			}
		}
	}
	for _, g := range []string{"INVCH#" + userID, "KICKED#" + userID} {
		its, err := s.queryIndex(ctx, indexGSI1, attrG1PK, g)
		if err != nil {
			return err
		}
		keys = append(keys, keysOf(its)...)
	}
	kicks, err := s.queryPK(ctx, "KICKS#"+userID)
	if err != nil {
		return err
	}
	keys = append(keys, keysOf(kicks)...)
	return s.batchDelete(ctx, dedupe(keys))
}
