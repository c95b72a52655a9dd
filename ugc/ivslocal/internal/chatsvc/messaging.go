package chatsvc

import (
	"maps"
	"net/http"
	"unicode/utf8"
)

type sendEventInput struct {
	RoomIdentifier *string           `json:"roomIdentifier"`
	EventName      *string           `json:"eventName"`
	Attributes     map[string]string `json:"attributes"`
}

type idOutput struct {
	ID string `json:"id"`
}

// sendEvent broadcasts an EVENT with the given name and attributes to every
// connection of the room.
func (s *Service) sendEvent(req *http.Request) (int, any, error) {
	var in sendEventInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	name := ""
	if in.EventName == nil {
		v.addf("eventName", "Member must not be null")
	} else {
		name = *in.EventName
		v.length("eventName", name, 1, eventNameMaxLength)
	}
	v.attributes("attributes", in.Attributes)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	ev := newEvent(s.env.Now(), "", name, maps.Clone(in.Attributes))
	b := mustJSON(ev)
	s.mu.Lock()
	defer s.mu.Unlock()
	r, e := s.lookupLocked("roomIdentifier", in.RoomIdentifier)
	if e != nil {
		return 0, nil, e
	}
	s.broadcastLocked(r, b)
	return http.StatusOK, idOutput{ID: ev.ID}, nil
}

type deleteMessageInput struct {
	RoomIdentifier *string `json:"roomIdentifier"`
	ID             *string `json:"id"`
	Reason         *string `json:"reason"`
}

// deleteMessage broadcasts aws:DELETE_MESSAGE for a message ID. Like the
// real service it does not check that the message was ever sent.
func (s *Service) deleteMessage(req *http.Request) (int, any, error) {
	var in deleteMessageInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	id := ""
	if in.ID == nil {
		v.addf("id", "Member must not be null")
	} else {
		id = *in.ID
		v.pattern("id", id, messageIDPattern)
	}
	reason := checkReason(&v, in.Reason)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	r, e := s.lookupLocked("roomIdentifier", in.RoomIdentifier)
	s.mu.Unlock()
	if e != nil {
		return 0, nil, e
	}
	evID, ok := s.deleteMessageEvent(r.ID, "", id, reason)
	if !ok {
		return 0, nil, roomNotFound(*in.RoomIdentifier)
	}
	return http.StatusOK, idOutput{ID: evID}, nil
}

type disconnectUserInput struct {
	RoomIdentifier *string `json:"roomIdentifier"`
	UserID         *string `json:"userId"`
	Reason         *string `json:"reason"`
}

// disconnectUser broadcasts aws:DISCONNECT_USER and closes the user's
// connections to the room.
func (s *Service) disconnectUser(req *http.Request) (int, any, error) {
	var in disconnectUserInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	userID := ""
	if in.UserID == nil {
		v.addf("userId", "Member must not be null")
	} else {
		userID = *in.UserID
		v.length("userId", userID, 1, 128)
	}
	reason := checkReason(&v, in.Reason)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	r, e := s.lookupLocked("roomIdentifier", in.RoomIdentifier)
	s.mu.Unlock()
	if e != nil {
		return 0, nil, e
	}
	if !s.disconnectUserEvent(r.ID, "", userID, reason) {
		return 0, nil, roomNotFound(*in.RoomIdentifier)
	}
	return http.StatusOK, struct{}{}, nil
}

// checkReason validates an optional reason (1-256 characters).
func checkReason(v *validator, reason *string) string {
	if reason == nil {
		return ""
	}
	if utf8.RuneCountInString(*reason) > 256 || *reason == "" {
		v.length("reason", *reason, 1, 256)
	}
	return *reason
}
