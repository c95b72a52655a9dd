package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// rawOrNil returns the stored form of JSON data: nil when empty.
func rawOrNil(d json.RawMessage) any {
	if d == nil {
		return nil
	}
	return []byte(d)
}

// PutActiveAction replaces the channel's active action.
func (s *Store) PutActiveAction(ctx context.Context, a *ugc.Action) (err error) {
	defer s.wrap(&err, "sqlstore.PutActiveAction")
	if err := store.CheckActiveAction(a); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO active_actions (channel_user_id, id, type, data, started_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel_user_id) DO UPDATE SET id = excluded.id, type = excluded.type, data = excluded.data,
		started_at = excluded.started_at, expires_at = excluded.expires_at`,
		a.ChannelUserID, a.ID, a.Type, rawOrNil(a.Data), ms(a.StartedAt), ms(a.ExpiresAt))
}

// GetActiveAction returns the stored action (expired or not), or ErrNotFound.
func (s *Store) GetActiveAction(ctx context.Context, channelUserID string) (_ *ugc.Action, err error) {
	defer s.wrap(&err, "sqlstore.GetActiveAction")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	a := ugc.Action{ChannelUserID: channelUserID}
	var data []byte
	var started, expires int64
	if err := scanOne(s.queryRow(ctx, `SELECT id, type, data, started_at, expires_at FROM active_actions WHERE channel_user_id = ?`,
		channelUserID), "active action", &a.ID, &a.Type, &data, &started, &expires); err != nil {
		return nil, err
	}
	if data != nil {
		a.Data = data
	}
	a.StartedAt, a.ExpiresAt = tm(started), tm(expires)
	return &a, nil
}

// DeleteActiveAction removes the active action if id is "" or equals its
// ID; removed is false otherwise.
func (s *Store) DeleteActiveAction(ctx context.Context, channelUserID, id string) (removed bool, err error) {
	defer s.wrap(&err, "sqlstore.DeleteActiveAction")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return false, err
	}
	if err := store.CheckText("id", id, store.MaxIDLen); err != nil {
		return false, err
	}
	return s.deleteOne(ctx, `DELETE FROM active_actions WHERE channel_user_id = ? AND (?2 = '' OR id = ?2)`, channelUserID, id)
}

// PutPreset creates or replaces the user's preset of p.Type.
func (s *Store) PutPreset(ctx context.Context, p ugc.Preset) (err error) {
	defer s.wrap(&err, "sqlstore.PutPreset")
	if err := store.CheckPreset(p); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO presets (user_id, type, data, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, type) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		p.UserID, p.Type, rawOrNil(p.Data), ms(p.UpdatedAt))
}

// ListPresets returns the user's presets ordered by type.
func (s *Store) ListPresets(ctx context.Context, userID string) (_ []ugc.Preset, err error) {
	defer s.wrap(&err, "sqlstore.ListPresets")
	if err := store.CheckID("user_id", userID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT user_id, type, data, updated_at FROM presets WHERE user_id = ? ORDER BY type`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ugc.Preset
	for rows.Next() {
		var p ugc.Preset
		var data []byte
		var updated int64
		if err := rows.Scan(&p.UserID, &p.Type, &data, &updated); err != nil {
			return nil, err
		}
		if data != nil {
			p.Data = data
		}
		p.UpdatedAt = tm(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PutRule creates or replaces a rule (keyed by channel and ID).
func (s *Store) PutRule(ctx context.Context, r ugc.Rule) (err error) {
	defer s.wrap(&err, "sqlstore.PutRule")
	if err := store.CheckRule(r); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO rules (channel_user_id, id, event_name, preset_type, delay_ns, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel_user_id, id) DO UPDATE SET event_name = excluded.event_name, preset_type = excluded.preset_type,
		delay_ns = excluded.delay_ns, created_at = excluded.created_at`,
		r.ChannelUserID, r.ID, r.EventName, r.PresetType, int64(r.Delay), ms(r.CreatedAt))
}

// ListRules returns the channel's rules ordered by ID.
func (s *Store) ListRules(ctx context.Context, channelUserID string) (_ []ugc.Rule, err error) {
	defer s.wrap(&err, "sqlstore.ListRules")
	if err := store.CheckID("channel_user_id", channelUserID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT channel_user_id, id, event_name, preset_type, delay_ns, created_at FROM rules
		WHERE channel_user_id = ? ORDER BY id`, channelUserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ugc.Rule
	for rows.Next() {
		var r ugc.Rule
		var delay, created int64
		if err := rows.Scan(&r.ChannelUserID, &r.ID, &r.EventName, &r.PresetType, &delay, &created); err != nil {
			return nil, err
		}
		r.Delay, r.CreatedAt = time.Duration(delay), tm(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteRule removes a rule; removed is false when there was none.
func (s *Store) DeleteRule(ctx context.Context, channelUserID, id string) (removed bool, err error) {
	defer s.wrap(&err, "sqlstore.DeleteRule")
	if err := store.CheckIDs("channel_user_id", channelUserID, "id", id); err != nil {
		return false, err
	}
	return s.deleteOne(ctx, `DELETE FROM rules WHERE channel_user_id = ? AND id = ?`, channelUserID, id)
}

// DeleteActionsOf removes the user's active action, presets and rules;
// idempotent.
func (s *Store) DeleteActionsOf(ctx context.Context, userID string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteActionsOf")
	if err := store.CheckID("user_id", userID); err != nil {
		return err
	}
	return s.execAll(ctx, []string{
		`DELETE FROM active_actions WHERE channel_user_id = ?1`,
		`DELETE FROM presets WHERE user_id = ?1`,
		`DELETE FROM rules WHERE channel_user_id = ?1`,
	}, userID)
}
