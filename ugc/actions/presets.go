package actions

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// validatePreset checks preset data of typ the way the action (or the
// poll) is checked, and returns it in canonical form.
func (s *Service) validatePreset(typ string, data json.RawMessage) (json.RawMessage, error) {
	if typ == PresetPoll {
		var in PollInput
		if err := decodeStrict(data, &in); err != nil {
			return nil, err
		}
		if err := in.Validate(); err != nil {
			if e := (*ugc.Error)(nil); errors.As(err, &e) && e.Field != "" {
				c := *e
				c.Field = "data." + e.Field
				return nil, &c
			}
			return nil, err
		}
		return json.Marshal(in)
	}
	canon, _, err := Validate(typ, data, s.opts.EnableAmazonProduct)
	return canon, err
}

// PutPreset saves the user's configuration of one action type (an overlay
// type or "poll"), validated like the action itself, and returns it in
// canonical form with defaults filled in.
func (s *Service) PutPreset(ctx context.Context, userID, typ string, data json.RawMessage) (p *ugc.Preset, err error) {
	defer ugc.Wrap(&err, "actions.PutPreset")
	canon, err := s.validatePreset(typ, data)
	if err != nil {
		return nil, err
	}
	p = &ugc.Preset{UserID: userID, Type: typ, Data: canon, UpdatedAt: s.now()}
	if err := s.st.PutPreset(ctx, *p); err != nil {
		return nil, err
	}
	return p, nil
}

// Presets returns the user's saved configurations, ordered by type.
func (s *Service) Presets(ctx context.Context, userID string) (ps []ugc.Preset, err error) {
	defer ugc.Wrap(&err, "actions.Presets")
	return s.st.ListPresets(ctx, userID)
}

// RuleInput is a rule to create: when an event named EventName arrives for
// the channel (e.g. "Stream Start"), send the user's preset of PresetType
// after Delay.
type RuleInput struct {
	EventName  string
	PresetType string
	Delay      time.Duration
}

// PutRule creates a rule on the user's channel. The preset type must be an
// overlay type (polls are started by the streamer); the preset need not
// exist yet (a rule without one does nothing). Delay is whole seconds
// from 0 to Options.MaxRuleDelay (field "delaySeconds" in errors).
func (s *Service) PutRule(ctx context.Context, userID string, in RuleInput) (r *ugc.Rule, err error) {
	defer ugc.Wrap(&err, "actions.PutRule")
	if err := checkText("eventName", in.EventName, 1, 128); err != nil {
		return nil, err
	}
	if !validType(in.PresetType) {
		return nil, ugc.InvalidField("presetType", "must be an overlay type")
	}
	if in.Delay < 0 || in.Delay > s.opts.MaxRuleDelay || in.Delay%time.Second != 0 {
		return nil, ugc.InvalidField("delaySeconds", "must be whole seconds from 0 to %d", int64(s.opts.MaxRuleDelay/time.Second))
	}
	r = &ugc.Rule{ID: s.opts.NewID(), ChannelUserID: userID, EventName: in.EventName, PresetType: in.PresetType,
		Delay: in.Delay, CreatedAt: s.now()}
	if err := s.st.PutRule(ctx, *r); err != nil {
		return nil, err
	}
	return r, nil
}

// Rules returns the rules of the user's channel.
func (s *Service) Rules(ctx context.Context, userID string) (rs []ugc.Rule, err error) {
	defer ugc.Wrap(&err, "actions.Rules")
	return s.st.ListRules(ctx, userID)
}

// DeleteRule removes a rule; ErrNotFound when there is none.
func (s *Service) DeleteRule(ctx context.Context, userID, id string) (err error) {
	defer ugc.Wrap(&err, "actions.DeleteRule")
	removed, err := s.st.DeleteRule(ctx, userID, id)
	if err == nil && !removed {
		err = ugc.Errorf(ugc.ErrNotFound, "no rule %q", id)
	}
	return err
}

// StreamEvent implements metrics.StreamEventListener: it is told of every
// newly recorded stream event of a user's channel. A "Stream End" removes
// the active action (viewers drop it when the stream ends); every rule
// whose EventName equals the event's name is scheduled to send its preset
// after its delay. It does not block: the rules run on timers the Service
// owns, and their failures are logged.
func (s *Service) StreamEvent(ctx context.Context, userID string, ev ugc.StreamEvent) {
	if ev.Name == "Stream End" {
		if _, err := s.st.DeleteActiveAction(ctx, userID, ""); err != nil {
			s.opts.Logger.WarnContext(ctx, "actions: clearing the active action at stream end", "user_id", userID, "error", err)
		}
	}
	rules, err := s.st.ListRules(ctx, userID)
	if err != nil {
		s.opts.Logger.WarnContext(ctx, "actions: listing rules", "user_id", userID, "error", err)
		return
	}
	for _, r := range rules {
		if r.EventName != ev.Name {
			continue
		}
		s.timers.after(r.Delay, func(ctx context.Context) { s.fireRule(ctx, r) })
	}
}

// fireRule sends the rule's preset, if the user has one.
func (s *Service) fireRule(ctx context.Context, r ugc.Rule) {
	presets, err := s.st.ListPresets(ctx, r.ChannelUserID)
	if err != nil {
		s.opts.Logger.WarnContext(ctx, "actions: rule: listing presets", "rule_id", r.ID, "error", err)
		return
	}
	for _, p := range presets {
		if p.Type != r.PresetType {
			continue
		}
		if _, err := s.start(ctx, r.ChannelUserID, p.Type, p.Data); err != nil {
			s.opts.Logger.WarnContext(ctx, "actions: rule: sending the preset", "rule_id", r.ID, "error", err)
		}
		return
	}
	s.opts.Logger.InfoContext(ctx, "actions: rule: no preset", "rule_id", r.ID, "type", r.PresetType)
}
