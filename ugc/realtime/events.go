package realtime

import (
	"context"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Stage event names the service acts on.
const (
	eventJoined = "Participant Joined"
	eventLeft   = "Participant Left"
)

// screenSeatUser is the seat user ID of the host's screen share: it holds
// a publisher seat while connected, like a guest.
func screenSeatUser(hostID string) string { return string(RoleScreenShare) + ":" + hostID }

// HandleStageEvent applies one IVS Stage Update event (it implements
// metrics.StageEventHandler):
//
//   - the host joining clears the session's host-left time; the host
//     leaving sets it, and the janitor ends the session when the host has
//     not returned within Options.HostGrace;
//   - a guest joining turns its seat reservation into a held seat; a guest
//     without a seat for that participant (a token used after its seat
//     expired, was taken back or never handed out) is disconnected;
//   - the host's screen share takes a seat on joining, and is
//     disconnected when the stage is full;
//   - a banned spectator, or anyone joining a stage whose session has
//     ended, is disconnected;
//   - leaving frees the participant's seat.
//
// Events of stages or participants the service did not make are ignored.
// Handling is idempotent, so redelivered events are harmless.
func (s *Service) HandleStageEvent(ctx context.Context, ev ugc.StageEvent) (err error) {
	defer ugc.Wrap(&err, "realtime.HandleStageEvent")
	if ev.StageArn == "" || ev.ParticipantID == "" || (ev.Name != eventJoined && ev.Name != eventLeft) {
		return nil
	}
	role, uid, ok := parseIVSUserID(ev.UserID)
	if !ok {
		return nil
	}
	host, err := s.store.GetUserByResource(ctx, ev.StageArn)
	if errors.Is(err, ugc.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	joined := ev.Name == eventJoined
	ss, err := s.store.ActiveStageSession(ctx, host.ID)
	if errors.Is(err, ugc.ErrNotFound) || (err == nil && ss.StageArn != ev.StageArn) {
		if joined {
			return s.disconnect(ctx, ev.StageArn, ev.ParticipantID, "The session has ended.")
		}
		return nil
	}
	if err != nil {
		return err
	}
	at := ev.Time
	if at.IsZero() {
		at = s.now()
	}
	// A late event of an earlier session is harmless: seats match by
	// participant ID, and a stale host-left time is checked against IVS
	// by the janitor before it ends anything.
	switch role {
	case RoleHost:
		if uid != host.ID {
			return nil
		}
		return s.hostPresence(ctx, ss, joined, at)
	case RoleScreenShare:
		if uid != host.ID {
			return nil
		}
		if !joined {
			return s.releaseSeatOf(ctx, ss.ID, screenSeatUser(host.ID), ev.ParticipantID)
		}
		now := s.now()
		err := s.store.ReserveSeat(ctx, ugc.Seat{SessionID: ss.ID, UserID: screenSeatUser(host.ID), ParticipantID: ev.ParticipantID, ReservedAt: now}, GuestSeats, now)
		switch {
		case err == nil:
			return nil
		case ugc.CodeOf(err) == "stage_full":
			return s.disconnect(ctx, ev.StageArn, ev.ParticipantID, "The stage is full.")
		case ugc.CodeOf(err) == "seat_held":
			return s.takeSeat(ctx, ss.ID, screenSeatUser(host.ID), ev)
		}
		return err
	case RoleGuest:
		if !joined {
			return s.releaseSeatOf(ctx, ss.ID, uid, ev.ParticipantID)
		}
		return s.takeSeat(ctx, ss.ID, uid, ev)
	case RoleSpectator:
		if joined && uid != "" {
			if b, err := s.banned(ctx, host.ID, uid); err != nil {
				return err
			} else if b {
				return s.disconnect(ctx, ev.StageArn, ev.ParticipantID, "You are banned from this channel.")
			}
		}
	}
	return nil
}

// takeSeat marks the seat of seatUser held for good when it belongs to
// the participant that joined; a participant without such a seat is
// disconnected.
func (s *Service) takeSeat(ctx context.Context, sessionID, seatUser string, ev ugc.StageEvent) error {
	seats, err := s.store.ListSeats(ctx, sessionID, s.now())
	if err != nil {
		return err
	}
	for _, st := range seats {
		if st.UserID == seatUser && st.ParticipantID == ev.ParticipantID {
			if st.ExpiresAt.IsZero() {
				return nil
			}
			st.ExpiresAt = time.Time{}
			return s.store.UpdateSeat(ctx, st)
		}
	}
	return s.disconnect(ctx, ev.StageArn, ev.ParticipantID, "No publisher seat is reserved for this participant.")
}

// hostPresence records the host joining (clears HostLeftAt) or leaving
// (sets it, unless already set).
func (s *Service) hostPresence(ctx context.Context, ss *ugc.StageSession, joined bool, at time.Time) error {
	if joined == ss.HostLeftAt.IsZero() {
		return nil // nothing changes
	}
	cur, err := s.store.GetStageSession(ctx, ss.ID)
	if err != nil || !cur.Active() {
		return err
	}
	x := *cur
	if joined {
		x.HostLeftAt = time.Time{}
	} else {
		x.HostLeftAt = at
	}
	// The store refuses to update a session that ended since the read, so
	// this write cannot bring it back.
	err = s.store.UpdateStageSession(ctx, &x)
	if ugc.CodeOf(err) == "session_ended" {
		return nil
	}
	return err
}
