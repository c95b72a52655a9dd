package chatsvc

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Room defaults and limits.
const (
	defaultMaxMessageLength = 500
	defaultMaxMessageRate   = 10
	maxLoggingConfigs       = 3
	defaultListMaxResults   = 50
	fallbackAllow           = "ALLOW"
	fallbackDeny            = "DENY"
)

// roomConfig is what a room is, as saved in the state file.
type roomConfig struct {
	ID         string        `json:"id"`
	ARN        string        `json:"arn"`
	Name       string        `json:"name"`
	CreateTime time.Time     `json:"createTime"`
	UpdateTime time.Time     `json:"updateTime"`
	MaxLength  int           `json:"maximumMessageLength"`
	MaxRate    int           `json:"maximumMessageRatePerSecond"`
	Review     *reviewConfig `json:"messageReviewHandler,omitempty"`
	Logging    []string      `json:"loggingConfigurationIdentifiers,omitempty"`
}

func (c roomConfig) clone() roomConfig {
	if c.Review != nil {
		rc := *c.Review
		c.Review = &rc
	}
	c.Logging = slices.Clone(c.Logging)
	return c
}

// reviewConfig is a room's messageReviewHandler, in its wire shape.
type reviewConfig struct {
	URI            string `json:"uri"`
	FallbackResult string `json:"fallbackResult"`
}

// room is a room with its live connections and its message rate window.
// Every field is guarded by Service.mu.
type room struct {
	roomConfig
	conns map[*conn]struct{}
	sends []time.Time // accepted SEND_MESSAGE times within the last second
}

func newRoom(c roomConfig) *room {
	return &room{roomConfig: c, conns: map[*conn]struct{}{}}
}

func (r *room) removeConn(c *conn) { delete(r.conns, c) }

// allowSend records a message sent at now unless the room already accepted
// MaxRate messages in the second before now.
func (r *room) allowSend(now time.Time) bool {
	cut := now.Add(-time.Second)
	i := 0
	for i < len(r.sends) && !r.sends[i].After(cut) {
		i++
	}
	r.sends = r.sends[i:]
	if len(r.sends) >= r.MaxRate {
		return false
	}
	r.sends = append(r.sends, now)
	return true
}

// roomJSON is the Room and RoomSummary shape of the API.
type roomJSON struct {
	Arn                             string            `json:"arn"`
	ID                              string            `json:"id"`
	Name                            string            `json:"name"`
	CreateTime                      string            `json:"createTime"`
	UpdateTime                      string            `json:"updateTime"`
	MaximumMessageLength            *int              `json:"maximumMessageLength,omitempty"`
	MaximumMessageRatePerSecond     *int              `json:"maximumMessageRatePerSecond,omitempty"`
	MessageReviewHandler            *reviewConfig     `json:"messageReviewHandler,omitempty"`
	LoggingConfigurationIdentifiers []string          `json:"loggingConfigurationIdentifiers"`
	Tags                            map[string]string `json:"tags"`
}

// toJSON renders the room; a summary has no maximum* members.
func (s *Service) toJSON(r *room, summary bool) roomJSON {
	tags, _ := s.env.Tags.Get(r.ARN)
	if tags == nil {
		tags = map[string]string{}
	}
	out := roomJSON{
		Arn:                             r.ARN,
		ID:                              r.ID,
		Name:                            r.Name,
		CreateTime:                      isoTime(r.CreateTime),
		UpdateTime:                      isoTime(r.UpdateTime),
		LoggingConfigurationIdentifiers: slices.Clone(r.Logging),
		Tags:                            tags,
	}
	if out.LoggingConfigurationIdentifiers == nil {
		out.LoggingConfigurationIdentifiers = []string{}
	}
	if r.Review != nil {
		rc := *r.Review
		out.MessageReviewHandler = &rc
	}
	if !summary {
		ml, mr := r.MaxLength, r.MaxRate
		out.MaximumMessageLength, out.MaximumMessageRatePerSecond = &ml, &mr
	}
	return out
}

// reviewInput is messageReviewHandler in a request.
type reviewInput struct {
	URI            *string `json:"uri"`
	FallbackResult *string `json:"fallbackResult"`
}

// check validates the handler and returns the configuration it asks for:
// nil when the URI is empty (no handler).
func (in *reviewInput) check(v *validator) *reviewConfig {
	uri := ""
	if in.URI != nil {
		uri = *in.URI
	}
	v.length("messageReviewHandler.uri", uri, 0, 170)
	v.pattern("messageReviewHandler.uri", uri, lambdaARNPattern)
	fb := fallbackAllow
	if in.FallbackResult != nil {
		fb = *in.FallbackResult
		if fb != fallbackAllow && fb != fallbackDeny {
			v.addf("messageReviewHandler.fallbackResult", "Member must satisfy enum value set: [ALLOW, DENY]")
		}
	}
	if uri == "" {
		return nil
	}
	return &reviewConfig{URI: uri, FallbackResult: fb}
}

type roomInput struct {
	Identifier                      *string           `json:"identifier"`
	Name                            *string           `json:"name"`
	MaximumMessageLength            *int              `json:"maximumMessageLength"`
	MaximumMessageRatePerSecond     *int              `json:"maximumMessageRatePerSecond"`
	MessageReviewHandler            *reviewInput      `json:"messageReviewHandler"`
	LoggingConfigurationIdentifiers []string          `json:"loggingConfigurationIdentifiers"`
	Tags                            map[string]string `json:"tags"`
}

// checkCommon validates the members CreateRoom and UpdateRoom share.
func (in *roomInput) checkCommon(v *validator) (review *reviewConfig) {
	if in.Name != nil {
		v.length("name", *in.Name, 0, 128)
		v.pattern("name", *in.Name, roomNamePattern)
	}
	if in.MaximumMessageLength != nil {
		v.between("maximumMessageLength", *in.MaximumMessageLength, 1, 500)
	}
	if in.MaximumMessageRatePerSecond != nil {
		v.between("maximumMessageRatePerSecond", *in.MaximumMessageRatePerSecond, 1, 100)
	}
	if in.MessageReviewHandler != nil {
		review = in.MessageReviewHandler.check(v)
	}
	if len(in.LoggingConfigurationIdentifiers) > maxLoggingConfigs {
		v.addf("loggingConfigurationIdentifiers", "Member must have length less than or equal to %d", maxLoggingConfigs)
	}
	for _, id := range in.LoggingConfigurationIdentifiers {
		v.pattern("loggingConfigurationIdentifiers", id, loggingARNPattern)
	}
	return review
}

func (s *Service) createRoom(req *http.Request) (int, any, error) {
	var in roomInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	review := in.checkCommon(&v)
	v.tags("tags", in.Tags)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	now := s.env.Now().UTC().Truncate(time.Millisecond)
	id := emu.RandomID(12)
	cfg := roomConfig{
		ID:         id,
		ARN:        s.env.ARN("ivschat", "room/"+id),
		CreateTime: now,
		UpdateTime: now,
		MaxLength:  defaultMaxMessageLength,
		MaxRate:    defaultMaxMessageRate,
		Review:     review,
		Logging:    slices.Clone(in.LoggingConfigurationIdentifiers),
	}
	if in.Name != nil {
		cfg.Name = *in.Name
	}
	if in.MaximumMessageLength != nil {
		cfg.MaxLength = *in.MaximumMessageLength
	}
	if in.MaximumMessageRatePerSecond != nil {
		cfg.MaxRate = *in.MaximumMessageRatePerSecond
	}
	r := newRoom(cfg)
	s.mu.Lock()
	if e := s.checkLoggingLocked(cfg.Logging); e != nil {
		s.mu.Unlock()
		return 0, nil, e
	}
	s.rooms[id] = r
	s.env.Tags.Register(cfg.ARN, in.Tags)
	out := s.toJSON(r, false)
	s.mu.Unlock()
	return http.StatusOK, out, nil
}

func (s *Service) getRoom(req *http.Request) (int, any, error) {
	var in roomInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, e := s.lookupLocked("identifier", in.Identifier)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, s.toJSON(r, false), nil
}

func (s *Service) updateRoom(req *http.Request) (int, any, error) {
	var in roomInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	review := in.checkCommon(&v)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, e := s.lookupLocked("identifier", in.Identifier)
	if e != nil {
		return 0, nil, e
	}
	if e := s.checkLoggingLocked(in.LoggingConfigurationIdentifiers); e != nil {
		return 0, nil, e
	}
	if in.Name != nil {
		r.Name = *in.Name
	}
	if in.MaximumMessageLength != nil {
		r.MaxLength = *in.MaximumMessageLength
	}
	if in.MaximumMessageRatePerSecond != nil {
		r.MaxRate = *in.MaximumMessageRatePerSecond
	}
	if in.MessageReviewHandler != nil {
		r.Review = review
	}
	if in.LoggingConfigurationIdentifiers != nil {
		r.Logging = slices.Clone(in.LoggingConfigurationIdentifiers)
	}
	r.UpdateTime = s.env.Now().UTC().Truncate(time.Millisecond)
	return http.StatusOK, s.toJSON(r, false), nil
}

func (s *Service) deleteRoom(req *http.Request) (int, any, error) {
	var in roomInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	r, e := s.lookupLocked("identifier", in.Identifier)
	if e != nil {
		s.mu.Unlock()
		return 0, nil, e
	}
	delete(s.rooms, r.ID)
	s.env.Tags.Forget(r.ARN)
	for token, g := range s.grants {
		if g.roomID == r.ID {
			delete(s.grants, token)
		}
	}
	conns := make([]*conn, 0, len(r.conns))
	for c := range r.conns {
		conns = append(conns, c)
		delete(s.conns, c)
	}
	r.conns = map[*conn]struct{}{}
	s.mu.Unlock()
	for _, c := range conns {
		c.shutdown(closeRoomDeleted, false)
	}
	return http.StatusNoContent, nil, nil
}

type listRoomsInput struct {
	Name                           *string `json:"name"`
	NextToken                      *string `json:"nextToken"`
	MaxResults                     *int    `json:"maxResults"`
	MessageReviewHandlerURI        *string `json:"messageReviewHandlerUri"`
	LoggingConfigurationIdentifier *string `json:"loggingConfigurationIdentifier"`
}

type listRoomsOutput struct {
	Rooms     []roomJSON `json:"rooms"`
	NextToken string     `json:"nextToken,omitempty"`
}

// listRooms pages through rooms in ID order. The page token is the
// base64url of the last ID returned, so rooms created or deleted between
// pages neither repeat nor shift the listing.
func (s *Service) listRooms(req *http.Request) (int, any, error) {
	var in listRoomsInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	limit := defaultListMaxResults
	if in.MaxResults != nil {
		v.between("maxResults", *in.MaxResults, 1, 50)
		limit = *in.MaxResults
	}
	if in.Name != nil {
		v.length("name", *in.Name, 0, 128)
		v.pattern("name", *in.Name, roomNamePattern)
	}
	if in.MessageReviewHandlerURI != nil {
		v.length("messageReviewHandlerUri", *in.MessageReviewHandlerURI, 0, 170)
		v.pattern("messageReviewHandlerUri", *in.MessageReviewHandlerURI, lambdaARNPattern)
	}
	if in.LoggingConfigurationIdentifier != nil {
		v.pattern("loggingConfigurationIdentifier", *in.LoggingConfigurationIdentifier, loggingARNPattern)
	}
	after := ""
	if in.NextToken != nil && *in.NextToken != "" {
		id, ok := decodePageToken(*in.NextToken)
		if !ok {
			v.addf("nextToken", "The page token is not valid")
		}
		after = id
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.rooms))
	for id, r := range s.rooms {
		if id <= after {
			continue
		}
		if in.Name != nil && *in.Name != "" && r.Name != *in.Name {
			continue
		}
		if in.MessageReviewHandlerURI != nil && *in.MessageReviewHandlerURI != "" &&
			(r.Review == nil || r.Review.URI != *in.MessageReviewHandlerURI) {
			continue
		}
		if in.LoggingConfigurationIdentifier != nil && !slices.Contains(r.Logging, *in.LoggingConfigurationIdentifier) {
			continue
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := listRoomsOutput{Rooms: []roomJSON{}}
	for i, id := range ids {
		if i == limit {
			out.NextToken = encodePageToken(ids[i-1])
			break
		}
		out.Rooms = append(out.Rooms, s.toJSON(s.rooms[id], true))
	}
	return http.StatusOK, out, nil
}

// roomIDFromARN returns the ID of a room ARN of this region and account, or
// "" when arn is not one.
func (s *Service) roomIDFromARN(arn string) string {
	prefix := s.env.ARN("ivschat", "room/")
	if !strings.HasPrefix(arn, prefix) {
		return ""
	}
	return arn[len(prefix):]
}

// lookupLocked resolves a room identifier, a room ARN or (as a convenience
// the real service may not offer) a bare room ID. s.mu must be held.
func (s *Service) lookupLocked(field string, ident *string) (*room, *emu.Error) {
	var v validator
	if ident == nil || *ident == "" {
		v.addf(field, "Member must not be null")
		return nil, v.err()
	}
	id := *ident
	if strings.HasPrefix(id, "arn:") {
		if !roomARNPattern.MatchString(id) {
			v.pattern(field, id, roomARNPattern)
			return nil, v.err()
		}
		id = s.roomIDFromARN(*ident)
	} else if !roomIDPattern.MatchString(id) {
		v.pattern(field, id, roomARNPattern)
		return nil, v.err()
	}
	r, ok := s.rooms[id]
	if id == "" || !ok {
		return nil, roomNotFound(*ident)
	}
	return r, nil
}

// roomNotFound is the ResourceNotFoundException of a missing room.
func roomNotFound(ident string) *emu.Error {
	id := ident
	if i := strings.LastIndex(ident, "/"); i >= 0 {
		id = ident[i+1:]
	}
	e := emu.NotFound(ident)
	e.Extra = map[string]any{"resourceId": id, "resourceType": "ROOM"}
	return e
}
