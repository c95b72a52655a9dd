package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
)

// actionRoutes are the routes of package actions: overlays (timed
// metadata), presets and polls.
func actionRoutes(svc *actions.Service) []Route {
	h := actionHandlers{svc: svc}
	return []Route{
		{Method: "POST", Pattern: "/v1/me/actions", Auth: AuthRequired, Tag: "actions",
			Summary: "Show an overlay on the caller's stream (timed metadata), replacing the active one",
			Description: "type is quiz, product, amazon_product (when enabled), notice or celebration; data is checked field by field. " +
				"409 channel_offline when not broadcasting, 409 stage_live while the stage is live (only polls then), " +
				"413 when the encoded document exceeds IVS's 1 KB, 409 superseded when a newer overlay replaced it before it was sent.",
			Request: startActionRequest{}, Response: actionResponse{}, Status: http.StatusCreated, Handler: h.start},
		{Method: "DELETE", Pattern: "/v1/me/actions/active", Auth: AuthRequired, Tag: "actions",
			Summary: "Stop the caller's active overlay, sending the clear document (idempotent)", Handler: h.stop},
		{Method: "GET", Pattern: "/v1/channels/{username}/actions/active", Tag: "actions",
			Summary:     "The overlay showing on a channel, for viewers who join late",
			Description: "404 when there is none (never started, stopped or expired).",
			Response:    actionResponse{}, Handler: h.active},

		{Method: "GET", Pattern: "/v1/me/action-presets", Auth: AuthRequired, Tag: "actions",
			Summary:  "The caller's saved overlay and poll configurations, by type",
			Response: presetsResponse{}, Handler: h.presets},
		{Method: "PUT", Pattern: "/v1/me/action-presets/{type}", Auth: AuthRequired, Tag: "actions",
			Summary:     "Save the caller's configuration of one action type (an overlay type or poll)",
			Description: "The body is the data of the type, validated like the action; the response has defaults filled in.",
			Request:     json.RawMessage{}, Response: presetResponse{}, Handler: h.putPreset},

		{Method: "GET", Pattern: "/v1/me/action-rules", Auth: AuthRequired, Tag: "actions",
			Summary:  "The caller's rules: overlays sent automatically when a stream event arrives",
			Response: rulesResponse{}, Handler: h.rules},
		{Method: "POST", Pattern: "/v1/me/action-rules", Auth: AuthRequired, Tag: "actions",
			Summary: "Add a rule: when eventName arrives for the caller's channel, send their preset of presetType after delaySeconds",
			Description: "eventName is an IVS event name such as \"Stream Start\" (1 to 128 characters); presetType an overlay " +
				"type; delaySeconds 0 to the server's maximum (default 600). A rule whose preset is not saved does nothing.",
			Request: ruleRequest{}, Response: ruleResponse{}, Status: http.StatusCreated, Handler: h.putRule},
		{Method: "DELETE", Pattern: "/v1/me/action-rules/{id}", Auth: AuthRequired, Tag: "actions",
			Summary: "Remove one of the caller's rules", Description: "404 for an unknown rule or one of another channel.",
			Status: http.StatusNoContent, Handler: h.deleteRule},

		{Method: "POST", Pattern: "/v1/me/polls", Auth: AuthRequired, Tag: "polls",
			Summary: "Start a poll in the caller's chat",
			Description: "question up to 256 characters, 2 to 5 unique options up to 40, durationSeconds 10 to 1800. " +
				"409 poll_active while another poll is open.",
			Request: startPollRequest{}, Response: pollResponse{}, Status: http.StatusCreated, Handler: h.startPoll},
		{Method: "DELETE", Pattern: "/v1/me/polls/active", Auth: AuthRequired, Tag: "polls",
			Summary: "End the caller's open poll now (idempotent)", Handler: h.endPoll},
		{Method: "GET", Pattern: "/v1/channels/{username}/polls/active", Auth: AuthOptional, Tag: "polls",
			Summary:     "A channel's open poll with its tallies (anonymous allowed)",
			Description: "myVote is set when the caller voted. 404 when no poll is open.",
			Response:    pollResponse{}, Handler: h.activePoll},
		{Method: "GET", Pattern: "/v1/channels/{username}/polls/{pollId}", Auth: AuthOptional, Tag: "polls",
			Summary:     "One poll of a channel with its tallies, open or ended (anonymous allowed)",
			Description: "Once ended, winner is the option index with the most votes, or tie is true.",
			Response:    pollResponse{}, Handler: h.poll},
		{Method: "POST", Pattern: "/v1/channels/{username}/polls/{pollId}/votes", Auth: AuthRequired, Tag: "polls",
			Summary: "Vote in a poll, once",
			Description: "409 already_voted for a second vote, 409 poll_closed after the end, 403 banned for a viewer " +
				"banned from the channel, 400 for an option out of range.",
			Request: voteRequest{}, Handler: h.vote},
	}
}

type actionHandlers struct{ svc *actions.Service }

type startActionRequest struct {
	Type string          `json:"type" enum:"quiz,product,amazon_product,notice,celebration"`
	Data json.RawMessage `json:"data,omitempty" doc:"the fields of the type; optional for celebration"`
}

type actionResponse struct {
	ID        string          `json:"id"`
	Type      string          `json:"type" enum:"quiz,product,amazon_product,notice,celebration"`
	Data      json.RawMessage `json:"data" doc:"the data as sent to viewers, defaults filled in"`
	StartedAt time.Time       `json:"startedAt"`
	ExpiresAt *time.Time      `json:"expiresAt" doc:"null for an overlay that stays until replaced or stopped"`
}

type presetsResponse struct {
	Presets map[string]json.RawMessage `json:"presets" doc:"the saved data by type"`
}

type presetResponse struct {
	Type      string          `json:"type"`
	Data      json.RawMessage `json:"data"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

type ruleRequest struct {
	EventName    string `json:"eventName" doc:"an IVS event name, e.g. Stream Start"`
	PresetType   string `json:"presetType" enum:"quiz,product,amazon_product,notice,celebration"`
	DelaySeconds int64  `json:"delaySeconds,omitempty" doc:"0 to the server's maximum (default 600)"`
}

type ruleResponse struct {
	ID           string    `json:"id"`
	EventName    string    `json:"eventName"`
	PresetType   string    `json:"presetType"`
	DelaySeconds int64     `json:"delaySeconds"`
	CreatedAt    time.Time `json:"createdAt"`
}

type rulesResponse struct {
	Rules []ruleResponse `json:"rules"`
}

func toRule(r ugc.Rule) ruleResponse {
	return ruleResponse{ID: r.ID, EventName: r.EventName, PresetType: r.PresetType,
		DelaySeconds: int64(r.Delay / time.Second), CreatedAt: r.CreatedAt.UTC()}
}

type startPollRequest struct {
	Question        string   `json:"question"`
	Options         []string `json:"options"`
	DurationSeconds int      `json:"durationSeconds"`
}

type pollOption struct {
	Text  string `json:"text"`
	Votes int64  `json:"votes"`
}

type pollResponse struct {
	ID         string       `json:"id"`
	Question   string       `json:"question"`
	Options    []pollOption `json:"options"`
	TotalVotes int64        `json:"totalVotes"`
	Status     string       `json:"status" enum:"active,ended"`
	StartedAt  time.Time    `json:"startedAt"`
	EndsAt     time.Time    `json:"endsAt" doc:"when the poll closes or closed (earlier than planned when ended early)"`
	MyVote     *int         `json:"myVote,omitempty" doc:"the option the signed-in caller voted for"`
	Winner     *int         `json:"winner,omitempty" doc:"once ended: the option with the most votes"`
	Tie        bool         `json:"tie,omitempty" doc:"once ended: true when no single option has the most votes (or none has any)"`
}

type voteRequest struct {
	Option *int `json:"option" doc:"the index of the chosen option"`
}

func toAction(a *ugc.Action) actionResponse {
	return actionResponse{ID: a.ID, Type: a.Type, Data: a.Data, StartedAt: a.StartedAt.UTC(), ExpiresAt: timeOrNull(a.ExpiresAt)}
}

func toPoll(v *actions.PollView) pollResponse {
	r := pollResponse{ID: v.ID, Question: v.Question, Options: make([]pollOption, len(v.Options)),
		TotalVotes: v.Total(), Status: v.Status, StartedAt: v.StartedAt.UTC(), EndsAt: v.ClosesAt.UTC()}
	for i, o := range v.Options {
		r.Options[i] = pollOption{Text: o, Votes: v.Counts[i]}
	}
	if v.MyVote >= 0 {
		my := v.MyVote
		r.MyVote = &my
	}
	if v.Status == actions.PollEnded {
		if v.Tie {
			r.Tie = true
		} else if v.Winner >= 0 {
			w := v.Winner
			r.Winner = &w
		}
	}
	return r
}

func (h actionHandlers) start(w http.ResponseWriter, r *http.Request) error {
	var in startActionRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.svc.Start(r.Context(), callerID(r), in.Type, in.Data)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, toAction(a))
	return nil
}

func (h actionHandlers) stop(w http.ResponseWriter, r *http.Request) error {
	return h.svc.Stop(r.Context(), callerID(r))
}

func (h actionHandlers) active(w http.ResponseWriter, r *http.Request) error {
	a, err := h.svc.Active(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, toAction(a))
	return nil
}

func (h actionHandlers) presets(w http.ResponseWriter, r *http.Request) error {
	list, err := h.svc.Presets(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	resp := presetsResponse{Presets: make(map[string]json.RawMessage, len(list))}
	for _, p := range list {
		resp.Presets[p.Type] = p.Data
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h actionHandlers) putPreset(w http.ResponseWriter, r *http.Request) error {
	var data json.RawMessage
	if err := DecodeJSON(r, &data); err != nil {
		return err
	}
	p, err := h.svc.PutPreset(r.Context(), callerID(r), r.PathValue("type"), data)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, presetResponse{Type: p.Type, Data: p.Data, UpdatedAt: p.UpdatedAt.UTC()})
	return nil
}

func (h actionHandlers) rules(w http.ResponseWriter, r *http.Request) error {
	list, err := h.svc.Rules(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	resp := rulesResponse{Rules: make([]ruleResponse, 0, len(list))}
	for _, rl := range list {
		resp.Rules = append(resp.Rules, toRule(rl))
	}
	WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h actionHandlers) putRule(w http.ResponseWriter, r *http.Request) error {
	var in ruleRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.DelaySeconds < 0 || in.DelaySeconds > 1<<32 { // the Service checks its own bound; this one keeps the Duration from overflowing
		return ugc.InvalidField("delaySeconds", "is out of range")
	}
	rl, err := h.svc.PutRule(r.Context(), callerID(r), actions.RuleInput{EventName: in.EventName, PresetType: in.PresetType,
		Delay: time.Duration(in.DelaySeconds) * time.Second})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, toRule(*rl))
	return nil
}

func (h actionHandlers) deleteRule(w http.ResponseWriter, r *http.Request) error {
	return h.svc.DeleteRule(r.Context(), callerID(r), r.PathValue("id"))
}

func (h actionHandlers) startPoll(w http.ResponseWriter, r *http.Request) error {
	var in startPollRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.svc.StartPoll(r.Context(), callerID(r), actions.PollInput(in))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, toPoll(v))
	return nil
}

func (h actionHandlers) endPoll(w http.ResponseWriter, r *http.Request) error {
	return h.svc.EndPoll(r.Context(), callerID(r))
}

func (h actionHandlers) activePoll(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.ActivePoll(r.Context(), r.PathValue("username"), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, toPoll(v))
	return nil
}

func (h actionHandlers) poll(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.Poll(r.Context(), r.PathValue("username"), r.PathValue("pollId"), callerID(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, toPoll(v))
	return nil
}

func (h actionHandlers) vote(w http.ResponseWriter, r *http.Request) error {
	var in voteRequest
	if err := DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Option == nil {
		return ugc.InvalidField("option", "is required")
	}
	return h.svc.Vote(r.Context(), r.PathValue("username"), r.PathValue("pollId"), callerID(r), *in.Option)
}
