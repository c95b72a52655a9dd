package memstore

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/internal/pagetoken"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory implementation of store.Store. It is safe for
// concurrent use. The zero value is not usable; build one with New.
type Store struct {
	codec *pagetoken.Codec

	mu     sync.RWMutex
	closed bool

	// Users and accounts.
	users         map[string]*ugc.User
	usernames     map[string]string              // normalized username → user ID
	emails        map[string]string              // normalized email → user ID
	resources     map[string]map[string]struct{} // resource ARN → user IDs
	creds         map[string]ugc.Credentials
	authSessions  map[string]ugc.AuthSession
	userSessions  map[string]map[string]struct{} // user ID → token hashes
	resetTokens   map[string]ugc.ResetToken
	jobs          map[jobKey]*ugc.Job
	jobsByUpdated map[string]*ordered[timeRef] // kind → (UpdatedAt, ID)

	// Follows and the live index.
	following map[string]*followList  // follower → channels followed
	chans     map[string]*chanState   // user → followers and live entries
	liveIdx   *ordered[ugc.LiveEntry] // each live user's latest entry by (Since desc, UserID)

	// Stream sessions.
	sessions     map[string]*sessionRec
	sessByUser   map[string]map[string]struct{} // user → all session IDs
	userSessIdx  map[string]*ordered[timeRef]   // user → sessions with a start, newest first
	events       map[string]*eventLog           // session ID → events
	metricsCache map[string]ugc.MetricsCacheEntry

	// Moderation and actions.
	bans       map[pairKey]ugc.Ban
	bansByChan map[string]*ordered[timeRef]
	bansByUser map[string]map[string]struct{} // banned user → channels
	mods       map[pairKey]ugc.Moderator
	modsByChan map[string]*ordered[timeRef]
	modsByUser map[string]map[string]struct{} // moderator → channels
	blocked    map[string][]string
	active     map[string]*ugc.Action
	presets    map[string]map[string]ugc.Preset // user → type → preset
	rules      map[string]map[string]ugc.Rule   // channel → ID → rule

	// Polls.
	polls       map[string]*pollRec
	pollsByChan map[string]map[string]struct{}

	// Stages.
	stages       map[string]*ugc.StageSession
	stagesByChan map[string]map[string]struct{}
	activeStage  map[string]string // channel → active session ID
	activeIdx    *ordered[timeRef]
	seats        map[string]map[string]ugc.Seat // session → user → seat
	seatsByUser  map[string]map[string]struct{} // user → sessions
	requests     map[string]*ugc.JoinRequest
	reqByChan    map[string]*ordered[timeRef]
	reqByUser    map[string]map[string]struct{} // requester → request IDs
	invites      map[string]ugc.Invite
	invByChan    map[string]map[string]struct{}
	kicks        map[pairKey]ugc.Kick
	kicksByUser  map[string]map[string]struct{} // kicked user → channels
	kicksByChan  map[string]map[string]struct{}

	// Notifications.
	notes   map[string][]ugc.Notification // user → notifications, Seq ascending
	noteSeq map[string]int64
}

// Option configures a Store.
type Option func(*config)

type config struct {
	cursorKey []byte
}

// WithCursorKey sets the secret that signs page cursors. Stores built with
// the same key accept each other's cursors for the same query. By default
// each Store draws a random 32-byte key, so its cursors are good only for
// it.
func WithCursorKey(key []byte) Option {
	return func(c *config) { c.cursorKey = bytes.Clone(key) }
}

// New returns an empty Store.
func New(opts ...Option) *Store {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if len(c.cursorKey) == 0 {
		c.cursorKey = make([]byte, 32)
		_, _ = rand.Read(c.cursorKey) // crypto/rand.Read never fails
	}
	return &Store{
		codec:         pagetoken.New(c.cursorKey),
		users:         map[string]*ugc.User{},
		usernames:     map[string]string{},
		emails:        map[string]string{},
		resources:     map[string]map[string]struct{}{},
		creds:         map[string]ugc.Credentials{},
		authSessions:  map[string]ugc.AuthSession{},
		userSessions:  map[string]map[string]struct{}{},
		resetTokens:   map[string]ugc.ResetToken{},
		jobs:          map[jobKey]*ugc.Job{},
		jobsByUpdated: map[string]*ordered[timeRef]{},
		following:     map[string]*followList{},
		chans:         map[string]*chanState{},
		liveIdx:       newOrdered(cmpLive),
		sessions:      map[string]*sessionRec{},
		sessByUser:    map[string]map[string]struct{}{},
		userSessIdx:   map[string]*ordered[timeRef]{},
		events:        map[string]*eventLog{},
		metricsCache:  map[string]ugc.MetricsCacheEntry{},
		bans:          map[pairKey]ugc.Ban{},
		bansByChan:    map[string]*ordered[timeRef]{},
		bansByUser:    map[string]map[string]struct{}{},
		mods:          map[pairKey]ugc.Moderator{},
		modsByChan:    map[string]*ordered[timeRef]{},
		modsByUser:    map[string]map[string]struct{}{},
		blocked:       map[string][]string{},
		active:        map[string]*ugc.Action{},
		presets:       map[string]map[string]ugc.Preset{},
		rules:         map[string]map[string]ugc.Rule{},
		polls:         map[string]*pollRec{},
		pollsByChan:   map[string]map[string]struct{}{},
		stages:        map[string]*ugc.StageSession{},
		stagesByChan:  map[string]map[string]struct{}{},
		activeStage:   map[string]string{},
		activeIdx:     newOrdered(oldestFirst),
		seats:         map[string]map[string]ugc.Seat{},
		seatsByUser:   map[string]map[string]struct{}{},
		requests:      map[string]*ugc.JoinRequest{},
		reqByChan:     map[string]*ordered[timeRef]{},
		reqByUser:     map[string]map[string]struct{}{},
		invites:       map[string]ugc.Invite{},
		invByChan:     map[string]map[string]struct{}{},
		kicks:         map[pairKey]ugc.Kick{},
		kicksByUser:   map[string]map[string]struct{}{},
		kicksByChan:   map[string]map[string]struct{}{},
		notes:         map[string][]ugc.Notification{},
		noteSeq:       map[string]int64{},
	}
}

// Close marks the store closed: later calls fail with an error wrapping
// ugc.ErrUnavailable. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	return nil
}

var errClosed = ugc.WithCode(ugc.ErrUnavailable, "store_closed", "memstore: the store is closed")

// lock takes the write lock, or fails when the store is closed.
func (s *Store) lock() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed
	}
	return nil
}

// rlock takes the read lock, or fails when the store is closed.
func (s *Store) rlock() error {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errClosed
	}
	return nil
}

// pairKey keys records by (channel, user).
type pairKey struct{ a, b string }

// tm returns t as stored: UTC, truncated to the millisecond; zero stays zero.
func tm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// ms returns t as milliseconds since the epoch (0 for the zero time).
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func cloneRaw(b json.RawMessage) json.RawMessage {
	if b == nil {
		return nil
	}
	return bytes.Clone(b)
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	return maps.Clone(m)
}

// addTo adds v to the set m[k], making the set when needed.
func addTo(m map[string]map[string]struct{}, k, v string) {
	set := m[k]
	if set == nil {
		set = map[string]struct{}{}
		m[k] = set
	}
	set[v] = struct{}{}
}

// removeFrom removes v from the set m[k], dropping empty sets.
func removeFrom(m map[string]map[string]struct{}, k, v string) {
	if set := m[k]; set != nil {
		delete(set, v)
		if len(set) == 0 {
			delete(m, k)
		}
	}
}

// cursor is the payload of every page cursor: the sort key of the last
// item returned.
type cursor struct {
	T int64  `json:"t,omitempty"` // a time in milliseconds
	U int64  `json:"u,omitempty"` // a second time in milliseconds
	S string `json:"s,omitempty"` // an ID
	L bool   `json:"l,omitempty"` // ListFollowing: the cursor is within the live part
}

// query joins a method name and the arguments that identify a list, the
// context a cursor is bound to.
func query(parts ...string) string { return strings.Join(parts, "\x00") }

// pageArgs checks p and decodes its cursor; has is false on the first page.
func (s *Store) pageArgs(q string, p store.Page) (limit int, c cursor, has bool, err error) {
	if limit, err = store.Limit(p); err != nil {
		return 0, c, false, err
	}
	if p.Cursor == "" {
		return limit, c, false, nil
	}
	if err := s.codec.Decode(q, p.Cursor, &c); err != nil {
		return 0, c, false, err
	}
	// pagetoken accepts base64 with altered padding bits, which decodes to
	// the same bytes; only the canonical (strict) form is a cursor this
	// store issued unedited.
	payload, sig, _ := strings.Cut(p.Cursor, ".")
	strict := base64.RawURLEncoding.Strict()
	if _, err := strict.DecodeString(payload); err != nil {
		return 0, c, false, errCursor
	}
	if _, err := strict.DecodeString(sig); err != nil {
		return 0, c, false, errCursor
	}
	return limit, c, true, nil
}

// errCursor is the error of a cursor that was edited.
var errCursor = &ugc.Error{Kind: ugc.ErrInvalidArgument, Code: "invalid_cursor", Field: "cursor",
	Message: "invalid or expired cursor"}

func (s *Store) encode(q string, c cursor) string { return s.codec.Encode(q, c) }

func cmpTimeDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func cmpTimeAsc(a, b int64) int { return -cmpTimeDesc(a, b) }

// timeRef is the key of every time-ordered index but the following list:
// a time in Unix milliseconds and the ID that breaks ties (a user, session,
// event, request or job ID).
type timeRef struct {
	at int64
	id string
}

// newestFirst orders refs by time descending, then ID ascending: bans,
// a user's stream sessions, a channel's join requests.
func newestFirst(a, b timeRef) int {
	if c := cmpTimeDesc(a.at, b.at); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// oldestFirst orders refs by time ascending, then ID ascending:
// moderators, a session's events, active stage sessions, jobs.
func oldestFirst(a, b timeRef) int {
	if c := cmpTimeAsc(a.at, b.at); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}
