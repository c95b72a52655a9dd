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

// jobData checks a job to write (see store.CheckJob) and returns its
// encoded Data.
func jobData(j *ugc.Job) (string, error) {
	if err := store.CheckJob(j); err != nil {
		return "", err
	}
	data, err := json.Marshal(j.Data)
	return string(data), err
}

// PutJob creates or replaces the job, keeping CreatedAt from the first write.
func (s *Store) PutJob(ctx context.Context, j *ugc.Job) (err error) {
	defer s.wrap(&err, "sqlstore.PutJob")
	data, err := jobData(j)
	if err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO jobs (kind, id, step, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET step = excluded.step, data = excluded.data, updated_at = excluded.updated_at`,
		j.Kind, j.ID, j.Step, data, ms(j.CreatedAt), ms(j.UpdatedAt))
}

// CreateJob stores a new job; an existing (Kind, ID) is ErrAlreadyExists
// with code "job_exists".
func (s *Store) CreateJob(ctx context.Context, j *ugc.Job) (err error) {
	defer s.wrap(&err, "sqlstore.CreateJob")
	data, err := jobData(j)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, id, step, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			j.Kind, j.ID, j.Step, data, ms(j.CreatedAt), ms(j.UpdatedAt))
		if isUnique(err) {
			return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: "id", Code: "job_exists", Message: "the job exists"}
		}
		return err
	})
}

// UpdateJob replaces the job if its stored UpdatedAt equals prevUpdatedAt,
// moving UpdatedAt strictly past prevUpdatedAt. The check and the write run
// in one transaction of the writer goroutine, so they are atomic.
func (s *Store) UpdateJob(ctx context.Context, j *ugc.Job, prevUpdatedAt time.Time) (err error) {
	defer s.wrap(&err, "sqlstore.UpdateJob")
	data, err := jobData(j)
	if err != nil {
		return err
	}
	prev := ms(prevUpdatedAt)
	updated := ms(j.UpdatedAt)
	if updated <= prev {
		updated = prev + 1
	}
	err = s.write(ctx, func(ctx context.Context, tx *wtx) error {
		var stored int64
		if err := scanOne(tx.QueryRowContext(ctx, `SELECT updated_at FROM jobs WHERE kind = ? AND id = ?`, j.Kind, j.ID),
			"job", &stored); err != nil {
			return err
		}
		if stored != prev {
			return ugc.WithCode(ugc.ErrFailedPrecondition, "job_changed", "the job was updated at %s, not %s",
				tm(stored).Format(time.RFC3339Nano), tm(prev).Format(time.RFC3339Nano))
		}
		_, err := tx.ExecContext(ctx, `UPDATE jobs SET step = ?, data = ?, updated_at = ? WHERE kind = ? AND id = ?`,
			j.Step, data, updated, j.Kind, j.ID)
		return err
	})
	if err != nil {
		return err
	}
	j.UpdatedAt = tm(updated)
	return nil
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
	return keysetPage(ctx, s, q, query, args, limit, scanJob, func(last *ugc.Job) any { return jobCursor{U: ms(last.UpdatedAt), ID: last.ID} })
}
