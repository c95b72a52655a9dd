package chatsvc

import (
	"crypto/rand"
	"encoding/base64"
	"maps"
	"net/http"
	"time"
)

// Token rules.
const (
	tokenTTL               = 60 * time.Second
	defaultSessionMinutes  = 60
	maxSessionMinutes      = 180
	capSendMessage         = "SEND_MESSAGE"
	capDeleteMessage       = "DELETE_MESSAGE"
	capDisconnectUser      = "DISCONNECT_USER"
	tokenRandomBytes       = 48
	tokenPrefix            = "AQICAH" // the look of real tokens; meaningless here
	maxGrantsBeforeCleanup = 10_000
)

// tokenGrant is what a chat token stands for. Guarded by Service.mu.
type tokenGrant struct {
	roomID     string
	userID     string
	attributes map[string]string
	caps       map[string]bool
	tokenExp   time.Time
	sessionExp time.Time
}

type createChatTokenInput struct {
	RoomIdentifier           *string           `json:"roomIdentifier"`
	UserID                   *string           `json:"userId"`
	Capabilities             []string          `json:"capabilities"`
	SessionDurationInMinutes *int              `json:"sessionDurationInMinutes"`
	Attributes               map[string]string `json:"attributes"`
}

type createChatTokenOutput struct {
	Token                 string `json:"token"`
	TokenExpirationTime   string `json:"tokenExpirationTime"`
	SessionExpirationTime string `json:"sessionExpirationTime"`
}

func (s *Service) createChatToken(req *http.Request) (int, any, error) {
	var in createChatTokenInput
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
	caps := map[string]bool{}
	for _, c := range in.Capabilities {
		switch c {
		case capSendMessage, capDeleteMessage, capDisconnectUser:
			caps[c] = true
		default:
			v.addf("capabilities", "Member must satisfy enum value set: [%s, %s, %s]", capSendMessage, capDisconnectUser, capDeleteMessage)
		}
	}
	minutes := defaultSessionMinutes
	if in.SessionDurationInMinutes != nil {
		minutes = *in.SessionDurationInMinutes
		v.between("sessionDurationInMinutes", minutes, 1, maxSessionMinutes)
	}
	v.attributes("attributes", in.Attributes)
	if e := v.err(); e != nil {
		return 0, nil, e
	}

	token := newToken()
	now := s.env.Now().UTC().Truncate(time.Millisecond)
	g := &tokenGrant{
		userID:     userID,
		attributes: maps.Clone(in.Attributes),
		caps:       caps,
		tokenExp:   now.Add(tokenTTL),
		sessionExp: now.Add(time.Duration(minutes) * time.Minute),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, e := s.lookupLocked("roomIdentifier", in.RoomIdentifier)
	if e != nil {
		return 0, nil, e
	}
	g.roomID = r.ID
	if len(s.grants) >= maxGrantsBeforeCleanup {
		s.dropStaleGrantsLocked(now)
	}
	s.grants[token] = g
	return http.StatusOK, createChatTokenOutput{
		Token:                 token,
		TokenExpirationTime:   isoTime(g.tokenExp),
		SessionExpirationTime: isoTime(g.sessionExp),
	}, nil
}

// dropStaleGrantsLocked forgets expired tokens.
func (s *Service) dropStaleGrantsLocked(now time.Time) {
	for t, g := range s.grants {
		if !now.Before(g.tokenExp) {
			delete(s.grants, t)
		}
	}
}

// redeemLocked consumes a token: it returns the grant and its room when
// the token exists (it is forgotten once used), has not expired and its room
// still exists; otherwise why it was refused. s.mu must be held.
func (s *Service) redeemLocked(token string, now time.Time) (*tokenGrant, *room, string) {
	g, ok := s.grants[token]
	switch {
	case token == "" || !ok:
		return nil, nil, "invalid token"
	case !now.Before(g.tokenExp):
		delete(s.grants, token)
		return nil, nil, "token expired"
	}
	r, ok := s.rooms[g.roomID]
	if !ok {
		delete(s.grants, token)
		return nil, nil, "room not found"
	}
	delete(s.grants, token) // a token connects once
	return g, r, ""
}

// newToken returns an opaque token made only of RFC 7230 token characters,
// as it travels as a WebSocket subprotocol.
func newToken() string {
	b := make([]byte, tokenRandomBytes)
	rand.Read(b)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}
