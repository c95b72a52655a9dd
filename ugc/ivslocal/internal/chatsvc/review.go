package chatsvc

import (
	"context"
	"fmt"
	"maps"
)

// ReviewRequest is what the message review handler receives for each
// SEND_MESSAGE, in the shape of the AWS Lambda payload.
type ReviewRequest struct {
	Content    string            `json:"Content"`
	MessageId  string            `json:"MessageId"`
	RoomArn    string            `json:"RoomArn"`
	Attributes map[string]string `json:"Attributes"`
	Sender     ReviewSender      `json:"Sender"`
}

// ReviewSender describes the sender of a reviewed message: the token's user
// ID and attributes and the connection's IP address.
type ReviewSender struct {
	UserId     string            `json:"UserId"`
	Attributes map[string]string `json:"Attributes"`
	Ip         string            `json:"Ip"`
}

// Review results.
const (
	ReviewAllow = "ALLOW"
	ReviewDeny  = "DENY"
)

// ReviewResponse is the review handler's verdict, in the shape of the AWS
// Lambda response. ReviewResult must be ReviewAllow or ReviewDeny; anything
// else counts as an invalid response and the room's fallback result applies.
// With ReviewAllow, a non-empty Content replaces the message content and a
// non-nil Attributes replaces its attributes. With ReviewDeny, Reason (when
// set) is appended to the sender's ERROR message.
type ReviewResponse struct {
	ReviewResult string            `json:"ReviewResult"`
	Content      string            `json:"Content,omitempty"`
	Attributes   map[string]string `json:"Attributes,omitempty"`
	Reason       string            `json:"Reason,omitempty"`
}

// ReviewHandler reviews one message. It must return promptly once ctx is
// done (the review timeout, 200 ms by default); an error, a panic, an
// invalid result or the timeout make the room's fallback result apply.
type ReviewHandler func(ctx context.Context, req ReviewRequest) (ReviewResponse, error)

// reviewOutcome is the decision on one message.
type reviewOutcome struct {
	allow      bool
	content    string
	attributes map[string]string
	reason     string
}

// review runs the service's review handler for a message to a room with a
// handler configured, applying the timeout and the fallback result.
func (s *Service) review(cfg reviewConfig, req ReviewRequest) reviewOutcome {
	s.mu.Lock()
	h, timeout := s.handler, s.reviewTimeout
	s.mu.Unlock()

	original := reviewOutcome{allow: true, content: req.Content, attributes: req.Attributes}
	fallback := func() reviewOutcome {
		if cfg.FallbackResult == fallbackDeny {
			return reviewOutcome{allow: false}
		}
		return original
	}
	if h == nil {
		return fallback()
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type result struct {
		resp ReviewResponse
		err  error
	}
	ch := make(chan result, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{err: fmt.Errorf("review handler panicked: %v", p)}
			}
			ch <- res
		}()
		req.Attributes = maps.Clone(req.Attributes)
		req.Sender.Attributes = maps.Clone(req.Sender.Attributes)
		res.resp, res.err = h(ctx, req)
	}()

	select {
	case res := <-ch:
		if res.err != nil || ctx.Err() != nil {
			// An error, or an answer given only once the deadline had
			// passed (a handler returning because ctx was done).
			return fallback()
		}
		switch res.resp.ReviewResult {
		case ReviewAllow:
			out := original
			if res.resp.Content != "" {
				out.content = res.resp.Content
			}
			if res.resp.Attributes != nil {
				out.attributes = maps.Clone(res.resp.Attributes)
			}
			return out
		case ReviewDeny:
			return reviewOutcome{allow: false, reason: res.resp.Reason}
		default:
			return fallback()
		}
	case <-ctx.Done():
		return fallback()
	}
}
