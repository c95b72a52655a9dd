package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStmts bounds the read statements a Store keeps prepared.
const maxCachedStmts = 512

// stmtCache keeps the read statements of one *sql.DB prepared, by query
// text: parsing costs more than running a small query in SQLite.
// database/sql prepares a Stmt again on each pooled connection it runs on.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the prepared form of query, preparing it on first use; nil
// when it cannot (the caller then runs the query unprepared). It must not be
// called while the caller holds a connection of an in-memory Store, whose
// only connection prepare would wait for.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok {
		_ = st.Close()
		return old
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

// close closes the statements.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.m {
		errs = append(errs, st.Close())
	}
	c.m = nil
	return errors.Join(errs...)
}

// queryRow runs a single-row read outside any transaction.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.reads.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.rdb.QueryRowContext(ctx, query, args...)
}

// query runs a read outside any transaction.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.reads.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.rdb.QueryContext(ctx, query, args...)
}

// reader runs single-row reads through the Store's statement cache.
type reader struct{ s *Store }

// QueryRowContext runs a single-row read outside any transaction.
func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.s.queryRow(ctx, query, args...)
}

// keysetPage runs a keyset-paged list query whose args already end with
// limit+1: it scans every row, keeps the first limit and, when there was
// one more, returns the cursor of the last kept row (cursorOf) signed for
// the list q.
func keysetPage[T any](ctx context.Context, s *Store, q, query string, args []any, limit int,
	scan func(scanner) (T, error), cursorOf func(last T) any) ([]T, string, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	return out, s.pages.Encode(q, cursorOf(out[limit-1])), nil
}
