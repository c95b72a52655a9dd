package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// maxBatch is the most write operations committed in one transaction.
const maxBatch = 128

// errClosed is returned by the methods of a closed Store.
var errClosed = ugc.WithCode(ugc.ErrUnavailable, "store_closed", "sqlstore: the store is closed")

// writeFunc is one write operation: it runs inside a transaction it must
// not commit or roll back. Its ctx carries the caller's values but is never
// cancelled, so a caller giving up cannot interrupt a shared transaction.
type writeFunc func(ctx context.Context, tx *wtx) error

// writeReq is a write operation queued for the writer goroutine.
type writeReq struct {
	ctx  context.Context
	fn   writeFunc
	done chan error // receives the outcome once its transaction has ended
}

// write runs fn as one atomic operation and returns once it has been
// committed (nil) or undone (an error). Concurrent operations are batched
// by the writer goroutine into one transaction (group commit), each inside
// its own savepoint, so a failing operation is undone alone.
func (s *Store) write(ctx context.Context, fn writeFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.reqs <- req:
	case <-s.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the outcome is awaited even if ctx ends, so that an
	// error always means the operation was not applied.
	return <-req.done
}

// writeDirect runs fn in its own transaction on the write connection,
// without the writer goroutine; Open uses it before the goroutine starts.
func (s *Store) writeDirect(ctx context.Context, fn writeFunc) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(ctx, &wtx{tx: tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// startWriter starts the writer goroutine; stopWriter stops it.
func (s *Store) startWriter() {
	s.reqs = make(chan *writeReq) // unbuffered: a send succeeds only while the writer runs
	s.quit = make(chan struct{})
	s.writerDone = make(chan struct{})
	go s.writer()
}

func (s *Store) stopWriter() {
	if s.quit == nil {
		return
	}
	close(s.quit)
	<-s.writerDone
}

// writer receives write operations and commits them in batches until quit
// is closed.
func (s *Store) writer() {
	defer close(s.writerDone)
	batch := make([]*writeReq, 0, maxBatch)
	for {
		select {
		case req := <-s.reqs:
			batch = append(batch[:0], req)
		case <-s.quit:
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case req := <-s.reqs:
				batch = append(batch, req)
			default:
				break gather
			}
		}
		s.commitBatch(batch)
		clear(batch)
	}
}

// commitBatch runs the operations of batch in one transaction and reports
// each outcome.
func (s *Store) commitBatch(batch []*writeReq) {
	results := make([]error, len(batch))
	// abort fails every operation of the batch with err.
	abort := func(tx *wtx, err error) {
		if tx != nil {
			_ = tx.tx.Rollback()
		}
		for _, r := range batch {
			r.done <- err
		}
	}
	ctx := context.Background()
	sqltx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		abort(nil, err)
		return
	}
	tx := &wtx{tx: sqltx, stmts: s.stmts}
	single := len(batch) == 1
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		octx := context.WithoutCancel(r.ctx)
		if single {
			results[i] = r.fn(octx, tx)
			if results[i] != nil {
				_ = sqltx.Rollback()
				r.done <- results[i]
				return
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, sqlSavepoint); err != nil {
			abort(tx, err)
			return
		}
		results[i] = r.fn(octx, tx)
		if results[i] != nil {
			if _, err := tx.ExecContext(ctx, sqlRollbackTo); err != nil {
				// The transaction itself is gone (e.g. an I/O error rolled
				// it back): nothing of the batch was applied.
				abort(tx, errors.Join(results[i], err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, sqlRelease); err != nil {
			abort(tx, err)
			return
		}
	}
	if err := sqltx.Commit(); err != nil {
		abort(nil, err)
		return
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// The savepoint statements of a batch.
const (
	sqlSavepoint  = `SAVEPOINT op`
	sqlRollbackTo = `ROLLBACK TO op`
	sqlRelease    = `RELEASE op`
)

// hotWrites are the statements prepared once on the write connection at
// Open: those of the high-rate writes (votes, stream events, follows,
// notifications, the live index) and of the batch savepoints. Parsing
// dominates the cost of a small write in SQLite.
var hotWrites = []string{
	sqlSavepoint, sqlRollbackTo, sqlRelease,
	sqlPollForVote, sqlInsertVote, sqlCountVote,
	sqlInsertEvent,
	sqlInsertFollow, sqlIncFollowers,
	sqlNextSeq, sqlInsertNotification,
	sqlSetLive, sqlDeleteLatest, sqlInsertLatest,
}

// wtx is the transaction a writeFunc runs in: a *sql.Tx that runs the
// statements of hotWrites through their prepared form.
type wtx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// ExecContext executes query within the transaction.
func (w *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := w.stmts[query]; st != nil {
		return w.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return w.tx.ExecContext(ctx, query, args...)
}

// QueryRowContext runs a query that returns at most one row.
func (w *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := w.stmts[query]; st != nil {
		return w.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return w.tx.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a query within the transaction.
func (w *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return w.tx.QueryContext(ctx, query, args...)
}

// prepareHot prepares hotWrites on the write connection; it runs before the
// writer goroutine starts, while the connection is free.
func (s *Store) prepareHot(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt, len(hotWrites))
	for _, q := range hotWrites {
		st, err := s.wdb.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}
