package realtime

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivs-ugc/ugc-go/internal/awserr"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// maxListPages bounds a listing, against a service that never ends its pages.
const maxListPages = 1000

// HostSession is what the host joins a session with.
type HostSession struct {
	Session     *ugc.StageSession
	Host        *Token // PUBLISH + SUBSCRIBE, role host
	ScreenShare *Token // PUBLISH + SUBSCRIBE, role screenshare
}

// StartSession starts a collaborative session on the host's stage, or
// rejoins the active one, and returns fresh host and screen-share tokens.
// The channel shows as live (kind real-time) in the live index from the
// session's start. A host who never joins, or leaves and does not return
// within Options.HostGrace, has the session ended by the janitor.
func (s *Service) StartSession(ctx context.Context, hostID string) (_ *HostSession, err error) {
	defer ugc.Wrap(&err, "realtime.StartSession")
	if err := store.CheckID("userId", hostID); err != nil {
		return nil, err
	}
	u, err := s.store.GetUser(ctx, hostID)
	if err != nil {
		return nil, err
	}
	if u.Channel.StageArn == "" {
		return nil, errNoStage()
	}
	ss, err := s.store.ActiveStageSession(ctx, hostID)
	if errors.Is(err, ugc.ErrNotFound) {
		now := s.now()
		ss = &ugc.StageSession{ChannelUserID: hostID, StageArn: u.Channel.StageArn, ID: s.opts.NewID(), StartedAt: now, HostLeftAt: now}
		err = s.store.CreateStageSession(ctx, ss)
		if errors.Is(err, ugc.ErrAlreadyExists) { // another call won the race
			ss, err = s.store.ActiveStageSession(ctx, hostID)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.SetLive(ctx, ugc.LiveEntry{UserID: hostID, Kind: ugc.LiveRealTime, Since: ss.StartedAt, Ref: ss.ID}); err != nil {
		return nil, err
	}
	host, err := s.mint(ctx, ss.StageArn, u, hostID, RoleHost, s.opts.TokenDuration)
	if err != nil {
		return nil, err
	}
	screen, err := s.mint(ctx, ss.StageArn, u, hostID, RoleScreenShare, s.opts.TokenDuration)
	if err != nil {
		return nil, err
	}
	return &HostSession{Session: ss, Host: host, ScreenShare: screen}, nil
}

// EndSession ends the host's active session: it is marked ended, the
// channel leaves the live index, seats are freed and every connected
// participant is disconnected. It is idempotent: without an active
// session it only disconnects whoever is still connected to the stage.
// A failed disconnect is returned; the janitor retries it.
func (s *Service) EndSession(ctx context.Context, hostID string) (err error) {
	defer ugc.Wrap(&err, "realtime.EndSession")
	if err := store.CheckID("userId", hostID); err != nil {
		return err
	}
	u, err := s.store.GetUser(ctx, hostID)
	if err != nil {
		return err
	}
	if ss, err := s.store.ActiveStageSession(ctx, hostID); err == nil {
		if err := s.endSession(ctx, ss); err != nil {
			return err
		}
	} else if !errors.Is(err, ugc.ErrNotFound) {
		return err
	}
	if u.Channel.StageArn == "" {
		return nil
	}
	return s.disconnectAll(ctx, u.Channel.StageArn, "the host ended the session")
}

// endSession marks ss ended and frees what it held in the store.
func (s *Service) endSession(ctx context.Context, ss *ugc.StageSession) error {
	now := s.now()
	ended := *ss
	ended.EndedAt = now
	// An already ended session (another caller got there first) still
	// gets the clean-up below: that caller may have died before it.
	if err := s.store.UpdateStageSession(ctx, &ended); err != nil && !errors.Is(err, ugc.ErrNotFound) && ugc.CodeOf(err) != "session_ended" {
		return err
	}
	if err := s.store.ClearLive(ctx, ss.ChannelUserID, ugc.LiveRealTime, ss.ID); err != nil {
		return err
	}
	seats, err := s.store.ListSeats(ctx, ss.ID, now)
	if err != nil {
		return err
	}
	for _, st := range seats {
		if _, err := s.store.ReleaseSeat(ctx, ss.ID, st.UserID); err != nil {
			return err
		}
	}
	return nil
}

// stageSessionID returns the stage's active IVS session ID, "" when none.
func (s *Service) stageSessionID(ctx context.Context, stageArn string) (string, error) {
	out, err := s.opts.Stages.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(stageArn)})
	if err != nil {
		return "", awserr.Map(err)
	}
	if out.Stage == nil {
		return "", nil
	}
	return aws.ToString(out.Stage.ActiveSessionId), nil
}

// participants lists the participants of the stage's active IVS session
// (nil when there is none), connected ones only with connectedOnly.
func (s *Service) participants(ctx context.Context, stageArn string, connectedOnly bool) (ivsSession string, _ []types.ParticipantSummary, _ error) {
	sid, err := s.stageSessionID(ctx, stageArn)
	if err != nil || sid == "" {
		return "", nil, err
	}
	in := &ivsrealtime.ListParticipantsInput{StageArn: aws.String(stageArn), SessionId: aws.String(sid), MaxResults: aws.Int32(100)}
	if connectedOnly {
		in.FilterByState = types.ParticipantStateConnected
	}
	var all []types.ParticipantSummary
	for range maxListPages {
		out, err := s.opts.Stages.ListParticipants(ctx, in)
		if awserr.IsNotFound(err) { // the session ended meanwhile
			return sid, all, nil
		}
		if err != nil {
			return "", nil, awserr.Map(err)
		}
		all = append(all, out.Participants...)
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	return sid, all, nil
}

// disconnectAll disconnects every connected participant of the stage.
func (s *Service) disconnectAll(ctx context.Context, stageArn, reason string) error {
	_, ps, err := s.participants(ctx, stageArn, true)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range ps {
		errs = append(errs, s.disconnect(ctx, stageArn, aws.ToString(p.ParticipantId), reason))
	}
	return errors.Join(errs...)
}

// disconnect disconnects one participant; one that is gone is done.
func (s *Service) disconnect(ctx context.Context, stageArn, participantID, reason string) error {
	_, err := s.opts.Stages.DisconnectParticipant(ctx, &ivsrealtime.DisconnectParticipantInput{
		StageArn: aws.String(stageArn), ParticipantId: aws.String(participantID), Reason: aws.String(reason),
	})
	if err == nil || awserr.IsNotFound(err) {
		return nil
	}
	return awserr.Map(err)
}

// Participant is one participant of the host's live stage.
type Participant struct {
	ParticipantID string
	UserID        string // "" for an anonymous spectator or a participant we did not make
	Username      string // "" when UserID is ""
	Role          Role   // "" for a participant we did not make
	State         string // CONNECTED | DISCONNECTED
	Published     bool
}

// Participants lists the participants of the host's live stage session
// in join order (empty when the stage is offline).
func (s *Service) Participants(ctx context.Context, hostID string) (_ []Participant, err error) {
	defer ugc.Wrap(&err, "realtime.Participants")
	ss, err := s.store.ActiveStageSession(ctx, hostID)
	if errors.Is(err, ugc.ErrNotFound) {
		return []Participant{}, nil
	}
	if err != nil {
		return nil, err
	}
	_, ps, err := s.participants(ctx, ss.StageArn, false)
	if err != nil {
		return nil, err
	}
	out := make([]Participant, 0, len(ps))
	var ids []string
	for _, p := range ps {
		role, uid, _ := parseIVSUserID(aws.ToString(p.UserId))
		out = append(out, Participant{
			ParticipantID: aws.ToString(p.ParticipantId), UserID: uid, Role: role,
			State: string(p.State), Published: p.Published,
		})
		if uid != "" {
			ids = append(ids, uid)
		}
	}
	names := map[string]string{}
	for i := 0; i < len(ids); i += store.MaxBatch {
		us, err := s.store.GetUsers(ctx, ids[i:min(i+store.MaxBatch, len(ids))])
		if err != nil {
			return nil, err
		}
		for id, u := range us {
			names[id] = u.Username
		}
	}
	for i := range out {
		out[i].Username = names[out[i].UserID]
	}
	return out, nil
}

// Kick disconnects a participant of the host's live stage. A guest or
// spectator who is a user cannot request, join or publish again for
// Options.KickCooloff and is told through their event stream; their seat
// is freed. Kicking the host's own screen share just disconnects it; the
// host's own camera participant cannot be kicked.
func (s *Service) Kick(ctx context.Context, hostID, participantID string) (err error) {
	defer ugc.Wrap(&err, "realtime.Kick")
	if err := store.CheckID("participantId", participantID); err != nil {
		return err
	}
	ss, err := s.activeSession(ctx, hostID)
	if err != nil {
		return err
	}
	sid, err := s.stageSessionID(ctx, ss.StageArn)
	if err != nil {
		return err
	}
	if sid == "" {
		return ugc.Errorf(ugc.ErrNotFound, "no such participant")
	}
	out, err := s.opts.Stages.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
		StageArn: aws.String(ss.StageArn), SessionId: aws.String(sid), ParticipantId: aws.String(participantID),
	})
	if err != nil {
		return awserr.Map(err)
	}
	if out.Participant == nil {
		return ugc.Errorf(ugc.ErrNotFound, "no such participant")
	}
	role, uid, _ := parseIVSUserID(aws.ToString(out.Participant.UserId))
	if role == RoleHost {
		return ugc.InvalidField("participantId", "the host cannot kick themselves; end the session instead")
	}
	if uid != "" && uid != hostID {
		if err := s.store.PutKick(ctx, ugc.Kick{ChannelUserID: hostID, UserID: uid, Until: s.now().Add(s.opts.KickCooloff)}); err != nil {
			return err
		}
	}
	if err := s.disconnect(ctx, ss.StageArn, participantID, "You have been removed by the host."); err != nil {
		return err
	}
	if role == RoleGuest && uid != "" {
		if err := s.releaseSeatOf(ctx, ss.ID, uid, participantID); err != nil {
			return err
		}
	}
	if uid != "" && uid != hostID {
		host, err := s.store.GetUser(ctx, hostID)
		if err != nil {
			return err
		}
		return s.notify(ctx, uid, EventKicked, kickedData{Channel: host.Username, Until: s.now().Add(s.opts.KickCooloff)})
	}
	return nil
}

// releaseSeatOf frees userID's seat if it belongs to participantID.
func (s *Service) releaseSeatOf(ctx context.Context, sessionID, userID, participantID string) error {
	seats, err := s.store.ListSeats(ctx, sessionID, s.now())
	if err != nil {
		return err
	}
	for _, st := range seats {
		if st.UserID == userID && st.ParticipantID == participantID {
			_, err := s.store.ReleaseSeat(ctx, sessionID, userID)
			return err
		}
	}
	return nil
}
