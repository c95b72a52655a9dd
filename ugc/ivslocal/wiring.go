package ivslocal

import (
	"errors"
	"fmt"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/chatsvc"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/stagesvc"
)

// ReviewHandler reviews chat messages in place of the AWS Lambda
// function of a room's messageReviewHandler.
type ReviewHandler = chatsvc.ReviewHandler

// ReviewRequest is what a ReviewHandler receives, in the shape
// of the Lambda payload.
type ReviewRequest = chatsvc.ReviewRequest

// ReviewSender describes the sender of a reviewed message.
type ReviewSender = chatsvc.ReviewSender

// ReviewResponse is a ReviewHandler's verdict, in the shape of
// the Lambda response.
type ReviewResponse = chatsvc.ReviewResponse

// Review results of a ReviewResponse.
const (
	ReviewAllow = chatsvc.ReviewAllow
	ReviewDeny  = chatsvc.ReviewDeny
)

// wire builds the chat, real-time and CloudWatch services on the server's
// environment and mounts them.
func (s *Server) wire() {
	chat := chatsvc.New(s.env)
	chat.Register(s.mux)
	s.chat = chat
	s.chatWS = chat.ServeWebSocket

	stages := stagesvc.New(s.env)
	stages.Register(s.mux)
	s.stages = stages

	s.parts = append(s.parts, chat, stages)
	s.persisted = append(s.persisted, namedState{"chat", chat}, namedState{"stages", stages})
	s.wireCloudWatch()
}

// SetMessageReviewHandler makes h review every message sent to a room that
// has a messageReviewHandler configured (whatever its Lambda ARN). A nil h
// removes the handler; messages to such rooms then get the room's
// fallbackResult.
func (s *Server) SetMessageReviewHandler(h ReviewHandler) {
	s.chat.SetReviewHandler(h)
}

// SetMessageReviewTimeout sets how long a review may take before the room's
// fallbackResult applies (200 ms, as in AWS, by default).
func (s *Server) SetMessageReviewTimeout(d time.Duration) {
	s.chat.SetReviewTimeout(d)
}

// JoinStage connects a participant to the stage with the given ID using a
// participant token and returns its participant ID, as a client SDK joining
// the stage would.
func (s *Server) JoinStage(stageID, token string) (participantID string, err error) {
	participantID, err = s.stages.Join(stageID, token)
	return participantID, stageErr("JoinStage", err)
}

// PublishParticipant makes a joined participant start publishing.
func (s *Server) PublishParticipant(stageID, participantID string) error {
	return stageErr("PublishParticipant", s.stages.Publish(stageID, participantID))
}

// UnpublishParticipant makes a participant stop publishing.
func (s *Server) UnpublishParticipant(stageID, participantID string) error {
	return stageErr("UnpublishParticipant", s.stages.Unpublish(stageID, participantID))
}

// LeaveStage disconnects a participant from its stage.
func (s *Server) LeaveStage(stageID, participantID string) error {
	return stageErr("LeaveStage", s.stages.Leave(stageID, participantID))
}

// stageErr adds the matching sentinel to an error of the stage service.
func stageErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var sentinel error
	switch {
	case errors.Is(err, stagesvc.ErrStageNotFound), errors.Is(err, stagesvc.ErrParticipantNotFound):
		sentinel = ErrNotFound
	case errors.Is(err, stagesvc.ErrTokenUsed), errors.Is(err, stagesvc.ErrNotConnected),
		errors.Is(err, stagesvc.ErrPublisherLimit), errors.Is(err, stagesvc.ErrStageFull):
		sentinel = ErrConflict
	default:
		sentinel = ErrInvalid
	}
	return fmt.Errorf("%s: %w: %w", op, sentinel, err)
}
