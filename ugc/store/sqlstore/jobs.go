package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// PutJob creates or replaces the job, keeping CreatedAt from the first write.
func (s *Store) PutJob(ctx context.Context, j *ugc.Job) (err error) {
	defer s.wrap(&err, "sqlstore.PutJob")
	if j == nil {
		return ugc.InvalidField("job", "is required")
	}
	if err := store.CheckIDs("kind", j.Kind, "id", j.ID); err != nil {
		return err
	}
	if err := store.CheckText("step", j.Step, store.MaxIDLen); err != nil {
		return err
	}
	data, err := json.Marshal(j.Data)
	if err != nil {
		return err
	}
	if len(data) > store.MaxDataLen {
		return ugc.InvalidField("data", "must encode to at most %d bytes", store.MaxDataLen)
	}
	return s.exec(ctx, `INSERT INTO jobs (kind, id, step, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET step = excluded.step, data = excluded.data, updated_at = excluded.updated_at`,
		j.Kind, j.ID, j.Step, string(data), ms(j.CreatedAt), ms(j.UpdatedAt))
}

func scanJob(r scanner) (*ugc.Job, error) {
	var j ugc.Job
	var data string
	var created, updated int64
	if err := r.Scan(&j.Kind, &j.ID, &j.Step, &data, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &j.Data); err != nil {
		return nil, err
	}
	j.CreatedAt, j.UpdatedAt = tm(created), tm(updated)
	return &j, nil
}

// GetJob returns the job, or ErrNotFound.
func (s *Store) GetJob(ctx context.Context, kind, id string) (_ *ugc.Job, err error) {
	defer s.wrap(&err, "sqlstore.GetJob")
	if err := store.CheckIDs("kind", kind, "id", id); err != nil {
		return nil, err
	}
	j, err := scanJob(s.queryRow(ctx, `SELECT kind, id, step, data, created_at, updated_at FROM jobs
		WHERE kind = ? AND id = ?`, kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("job")
	}
	return j, err
}

// DeleteJob removes the job; idempotent.
func (s *Store) DeleteJob(ctx context.Context, kind, id string) (err error) {
	defer s.wrap(&err, "sqlstore.DeleteJob")
	if err := store.CheckIDs("kind", kind, "id", id); err != nil {
		return err
	}
	return s.exec(ctx, `DELETE FROM jobs WHERE kind = ? AND id = ?`, kind, id)
}

type jobCursor struct {
	U  int64  `json:"u"`
	ID string `json:"i"`
}

// ListJobs returns the jobs of a kind last updated before updatedBefore,
// oldest update first, ties by ID.
func (s *Store) ListJobs(ctx context.Context, kind string, updatedBefore time.Time, p store.Page) (_ []*ugc.Job, _ string, err error) {
	defer s.wrap(&err, "sqlstore.ListJobs")
	if err := store.CheckID("kind", kind); err != nil {
		return nil, "", err
	}
	before := ms(updatedBefore)
	q := queryKey("jobs", kind)
	var c jobCursor
	limit, has, err := s.pageArgs(p, q, &c)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT kind, id, step, data, created_at, updated_at FROM jobs WHERE kind = ? AND updated_at < ?`
	args := []any{kind, before}
	if has {
		query += ` AND updated_at >= ? AND (updated_at > ? OR id > ?)`
		args = append(args, c.U, c.U, c.ID)
	}
	query += ` ORDER BY updated_at, id LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []*ugc.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = s.pages.Encode(q, jobCursor{U: ms(last.UpdatedAt), ID: last.ID})
	}
	return out, next, nil
}
