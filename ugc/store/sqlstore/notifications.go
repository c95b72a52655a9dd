package sqlstore

import (
	"context"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// AppendNotification stores n and sets n.Seq to the user's next sequence
// number. The counter lives apart from the rows, so retention never makes a
// number repeat.
func (s *Store) AppendNotification(ctx context.Context, n *ugc.Notification) (err error) {
	defer s.wrap(&err, "sqlstore.AppendNotification")
	if err := store.CheckNotification(n); err != nil {
		return err
	}
	var seq int64
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		if err := tx.QueryRowContext(ctx, sqlNextSeq, n.UserID).Scan(&seq); err != nil {
			return err
		}
		var data any
		if n.Data != nil {
			data = n.Data
		}
		_, err := tx.ExecContext(ctx, sqlInsertNotification, n.UserID, seq, n.Type, data, ms(n.CreatedAt))
		return err
	})
	if err != nil {
		return err
	}
	n.Seq = seq
	return nil
}

// The statements of AppendNotification.
const (
	sqlNextSeq = `INSERT INTO notification_seqs (user_id, seq) VALUES (?, 1)
		ON CONFLICT (user_id) DO UPDATE SET seq = seq + 1 RETURNING seq`
	sqlInsertNotification = `INSERT INTO notifications (user_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)`
)

// ListNotifications returns the user's notifications with Seq > after,
// oldest first, at most limit (0 means store.DefaultPageLimit).
func (s *Store) ListNotifications(ctx context.Context, userID string, after int64, limit int) (_ []ugc.Notification, err error) {
	defer s.wrap(&err, "sqlstore.ListNotifications")
	limit, err = store.CheckNotificationsQuery(userID, after, limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT user_id, seq, type, data, created_at FROM notifications
		WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?`, userID, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ugc.Notification
	for rows.Next() {
		var n ugc.Notification
		var created int64
		if err := rows.Scan(&n.UserID, &n.Seq, &n.Type, &n.Data, &created); err != nil {
			return nil, err
		}
		n.CreatedAt = tm(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

// DeleteNotificationsBefore removes notifications created before t;
// idempotent.
func (s *Store) DeleteNotificationsBefore(ctx context.Context, t time.Time) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteNotificationsBefore")
	return s.exec(ctx, `DELETE FROM notifications WHERE created_at < ?`, ms(t))
}
