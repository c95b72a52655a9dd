package chatsvc

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Connection tuning.
const (
	// sendQueueSize is how many frames may wait for a slow client before the
	// connection is closed.
	sendQueueSize = 512
	// readLimit bounds one client frame.
	readLimit = 64 << 10
	// flushTimeout bounds the delivery of the frames still queued for a
	// connection that is being closed after DisconnectUser or session
	// expiry.
	flushTimeout = 5 * time.Second
)

// closeReq is how the server closes a connection.
type closeReq struct {
	code   websocket.StatusCode
	reason string
}

var (
	closeGoingAway      = closeReq{websocket.StatusGoingAway, "server shutting down"}
	closeRoomDeleted    = closeReq{websocket.StatusNormalClosure, "room deleted"}
	closeDisconnected   = closeReq{websocket.StatusNormalClosure, "disconnected"}
	closeSessionExpired = closeReq{websocket.StatusNormalClosure, "session expired"}
	closeSlowClient     = closeReq{websocket.StatusPolicyViolation, "send queue full"}
	closeClientGone     = closeReq{websocket.StatusNormalClosure, ""}
)

// conn is one messaging WebSocket. Frames reach the client only through
// send, drained by the connection's writer goroutine, so a slow client
// never blocks a broadcast.
type conn struct {
	s      *Service
	ws     *websocket.Conn
	roomID string
	grant  *tokenGrant
	ip     string

	send   chan []byte
	done   chan struct{}
	ctx    context.Context // canceled to abort a write in progress
	cancel context.CancelFunc

	once  sync.Once
	close closeReq // set once, before done is closed
	flush bool     // deliver queued frames before closing
}

// ServeWebSocket serves the chat messaging WebSocket on any path. The chat
// token is the subprotocol the client offers in Sec-WebSocket-Protocol and
// is echoed back. A token that is unknown, expired, already used, or whose
// room is gone is refused with HTTP 401 and no upgrade.
func (s *Service) ServeWebSocket(w http.ResponseWriter, r *http.Request) {
	token := offeredToken(r)
	now := s.env.Now()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "chat service closed", http.StatusServiceUnavailable)
		return
	}
	g, rm, why := s.redeemLocked(token, now)
	if g == nil {
		s.mu.Unlock()
		http.Error(w, "Unauthorized: "+why, http.StatusUnauthorized)
		return
	}
	// Join the room before the handshake completes, so a client that sees
	// the upgrade also sees every frame broadcast after it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &conn{
		s:      s,
		roomID: rm.ID,
		grant:  g,
		ip:     remoteIP(r),
		send:   make(chan []byte, sendQueueSize),
		done:   make(chan struct{}),
		ctx:    ctx,
		cancel: cancel,
	}
	rm.conns[c] = struct{}{}
	s.conns[c] = struct{}{}
	s.wg.Add(1) // this goroutine, until the connection is gone
	s.mu.Unlock()
	defer s.wg.Done()

	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:       []string{token},
		InsecureSkipVerify: true, // any origin, as a local emulator should
	})
	if err != nil {
		s.detach(c) // Accept has written the HTTP error
		return
	}
	ws.SetReadLimit(readLimit)
	c.ws = ws
	s.mu.Lock()
	s.live[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go c.writeLoop()

	expire := time.AfterFunc(g.sessionExp.Sub(s.env.Now()), func() {
		s.detach(c)
		c.shutdown(closeSessionExpired, true)
	})
	defer expire.Stop()

	for {
		typ, b, err := ws.Read(context.Background())
		if err != nil {
			break
		}
		if typ != websocket.MessageText {
			c.sendError("", codeBadRequest, "Invalid request: frames must be JSON text")
			continue
		}
		s.handleFrame(c, b)
	}
	s.detach(c)
	c.shutdown(closeClientGone, false)
}

// offeredToken returns the first subprotocol the client offers.
func offeredToken(r *http.Request) string {
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(h, ",") {
			if p = strings.TrimSpace(p); p != "" {
				return p
			}
		}
	}
	return ""
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// detach removes c from its room and the service, so no more frames are
// queued for it.
func (s *Service) detach(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.detachLocked(c)
}

func (s *Service) detachLocked(c *conn) {
	delete(s.conns, c)
	if r := s.rooms[c.roomID]; r != nil {
		r.removeConn(c)
	}
}

// shutdown asks the writer to close the connection with cr. With flush,
// frames already queued are delivered first; without, a write in progress
// is aborted. Only the first call counts. It never blocks.
func (c *conn) shutdown(cr closeReq, flush bool) {
	c.once.Do(func() {
		c.close, c.flush = cr, flush
		if !flush {
			c.cancel()
		}
		close(c.done)
	})
}

// enqueue queues a frame without blocking. A full queue shuts the
// connection down and returns false; the caller must then detach c. The
// service lock must be held, so that frames keep one order everywhere.
func (c *conn) enqueue(b []byte) bool {
	select {
	case c.send <- b:
		return true
	default:
		c.shutdown(closeSlowClient, false)
		return false
	}
}

// writeLoop writes queued frames until the connection is shut down, then
// closes it.
func (c *conn) writeLoop() {
	defer c.s.wg.Done()
	defer func() {
		c.s.mu.Lock()
		delete(c.s.live, c)
		c.s.mu.Unlock()
	}()
	for {
		select {
		case b := <-c.send:
			if !c.write(b) {
				c.ws.CloseNow()
				c.shutdown(closeClientGone, false)
				return
			}
		case <-c.done:
			if c.flush {
				stop := time.AfterFunc(flushTimeout, c.cancel)
				c.drain()
				stop.Stop()
			}
			c.ws.Close(c.close.code, c.close.reason)
			c.cancel()
			return
		}
	}
}

func (c *conn) drain() {
	for {
		select {
		case b := <-c.send:
			if !c.write(b) {
				return
			}
		default:
			return
		}
	}
}

// write writes one frame. It blocks while the client does not read; a
// full queue, Close or an expired flush cancel c.ctx, which aborts it.
func (c *conn) write(b []byte) bool {
	return c.ws.Write(c.ctx, websocket.MessageText, b) == nil
}

// sendError queues an ERROR frame for this connection only.
func (c *conn) sendError(requestID string, code int, msg string) {
	b := mustJSON(errorFrame{
		Type:         typeError,
		ID:           emu.RandomID(12),
		RequestID:    requestID,
		ErrorCode:    code,
		ErrorMessage: msg,
	})
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if !c.enqueue(b) {
		c.s.detachLocked(c)
	}
}

// broadcastLocked queues one frame for every connection of the room,
// closing the connections whose queue is full. s.mu must be held, which
// also keeps the order of frames the same on every connection.
func (s *Service) broadcastLocked(r *room, b []byte) {
	for c := range r.conns {
		if !c.enqueue(b) {
			s.detachLocked(c)
		}
	}
}

// handleFrame runs one client request.
func (s *Service) handleFrame(c *conn, b []byte) {
	var f clientFrame
	if err := json.Unmarshal(b, &f); err != nil {
		c.sendError("", codeBadRequest, "Invalid request: the frame must be a JSON object with string attributes")
		return
	}
	switch f.Action {
	case actionSendMessage:
		s.wsSendMessage(c, f)
	case actionDeleteMessage:
		s.wsDeleteMessage(c, f)
	case actionDisconnectUser:
		s.wsDisconnectUser(c, f)
	default:
		c.sendError(f.RequestID, codeBadRequest, "Invalid request: unknown Action "+strconv.Quote(f.Action))
	}
}

// capabilityMessage is the ErrorMessage of a 403 for a missing capability.
func capabilityMessage(capability string) string {
	return "Forbidden: the connection's token lacks the " + capability + " capability"
}

func (s *Service) wsSendMessage(c *conn, f clientFrame) {
	if !c.grant.caps[capSendMessage] {
		c.sendError(f.RequestID, codeForbidden, capabilityMessage(capSendMessage))
		return
	}
	if f.Content == nil || *f.Content == "" {
		c.sendError(f.RequestID, codeBadRequest, "Invalid request: Content is required")
		return
	}
	content := *f.Content
	if attributesSize(f.Attributes) > maxAttributesBytes {
		c.sendError(f.RequestID, codePayloadTooLarge, "Attributes exceed the maximum total size of 1 KB")
		return
	}

	now := s.env.Now()
	s.mu.Lock()
	r, ok := s.rooms[c.roomID]
	if !ok {
		s.mu.Unlock()
		c.sendError(f.RequestID, codeNotFound, "Room not found")
		return
	}
	if n := utf8.RuneCountInString(content); n > r.MaxLength {
		s.mu.Unlock()
		c.sendError(f.RequestID, codePayloadTooLarge, "Message content exceeds the room's maximum message length of "+strconv.Itoa(r.MaxLength)+" characters")
		return
	}
	if !r.allowSend(now) {
		s.mu.Unlock()
		c.sendError(f.RequestID, codeTooManyRequests, "Rate exceeded: the room allows "+strconv.Itoa(r.MaxRate)+" messages per second")
		return
	}
	var review *reviewConfig
	if r.Review != nil {
		rc := *r.Review
		review = &rc
	}
	roomARN := r.ARN
	s.mu.Unlock()

	id := emu.RandomID(12)
	attrs := f.Attributes
	if review != nil {
		out := s.review(*review, ReviewRequest{
			Content:    content,
			MessageId:  id,
			RoomArn:    roomARN,
			Attributes: attrs,
			Sender:     ReviewSender{UserId: c.grant.userID, Attributes: c.grant.attributes, Ip: c.ip},
		})
		if !out.allow {
			msg := "Message rejected during message review"
			if out.reason != "" {
				msg += ": " + out.reason
			}
			c.sendError(f.RequestID, codeNotAcceptable, msg)
			return
		}
		content, attrs = out.content, out.attributes
	}

	b := mustJSON(messageFrame{
		Type:       typeMessage,
		ID:         id,
		RequestID:  f.RequestID,
		Content:    content,
		Attributes: attrs,
		SendTime:   isoTime(s.env.Now()),
		Sender:     senderFrame{UserID: c.grant.userID, Attributes: c.grant.attributes},
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.rooms[c.roomID]; ok {
		s.broadcastLocked(r, b)
	}
}

func (s *Service) wsDeleteMessage(c *conn, f clientFrame) {
	if !c.grant.caps[capDeleteMessage] {
		c.sendError(f.RequestID, codeForbidden, capabilityMessage(capDeleteMessage))
		return
	}
	if !messageIDPattern.MatchString(f.ID) {
		c.sendError(f.RequestID, codeBadRequest, "Invalid request: Id must be 12 characters of [a-zA-Z0-9]")
		return
	}
	if utf8.RuneCountInString(f.Reason) > 256 {
		c.sendError(f.RequestID, codePayloadTooLarge, "Reason exceeds 256 characters")
		return
	}
	if _, ok := s.deleteMessageEvent(c.roomID, f.RequestID, f.ID, f.Reason); !ok {
		c.sendError(f.RequestID, codeNotFound, "Room not found")
	}
}

func (s *Service) wsDisconnectUser(c *conn, f clientFrame) {
	if !c.grant.caps[capDisconnectUser] {
		c.sendError(f.RequestID, codeForbidden, capabilityMessage(capDisconnectUser))
		return
	}
	if n := utf8.RuneCountInString(f.UserID); n < 1 || n > 128 {
		c.sendError(f.RequestID, codeBadRequest, "Invalid request: UserId must have 1 to 128 characters")
		return
	}
	if utf8.RuneCountInString(f.Reason) > 256 {
		c.sendError(f.RequestID, codePayloadTooLarge, "Reason exceeds 256 characters")
		return
	}
	if !s.disconnectUserEvent(c.roomID, f.RequestID, f.UserID, f.Reason) {
		c.sendError(f.RequestID, codeNotFound, "Room not found")
	}
}

// deleteMessageEvent broadcasts aws:DELETE_MESSAGE to the room and returns
// the event ID; false when the room does not exist.
func (s *Service) deleteMessageEvent(roomID, requestID, messageID, reason string) (string, bool) {
	attrs := map[string]string{"MessageId": messageID, "MessageID": messageID}
	if reason != "" {
		attrs["Reason"] = reason
	}
	ev := newEvent(s.env.Now(), requestID, eventDeleteMessage, attrs)
	b := mustJSON(ev)
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rooms[roomID]
	if !ok {
		return "", false
	}
	s.broadcastLocked(r, b)
	return ev.ID, true
}

// disconnectUserEvent broadcasts aws:DISCONNECT_USER to the room, then
// closes every connection of the user in that room with status 1000 once
// the event is delivered to it; false when the room does not exist.
func (s *Service) disconnectUserEvent(roomID, requestID, userID, reason string) bool {
	attrs := map[string]string{"UserId": userID}
	if reason != "" {
		attrs["Reason"] = reason
	}
	b := mustJSON(newEvent(s.env.Now(), requestID, eventDisconnectUser, attrs))
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rooms[roomID]
	if !ok {
		return false
	}
	s.broadcastLocked(r, b)
	for c := range r.conns {
		if c.grant.userID == userID {
			s.detachLocked(c)
			c.shutdown(closeDisconnected, true)
		}
	}
	return true
}
