package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ivs-ugc/ugc-go/internal/pagetoken"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ store.Store = (*Store)(nil)

// MemoryDSN is the DSN of a private in-memory database.
const MemoryDSN = ":memory:"

// Options configure a Store. The zero value of every field selects its
// default.
type Options struct {
	// ReadConns is the size of the read connection pool of a file
	// database (default: max(4, GOMAXPROCS)). Writes always go through one
	// connection. An in-memory database uses one connection for everything.
	ReadConns int
	// BusyTimeout is how long a connection waits for a lock held by another
	// process before failing (default 5s).
	BusyTimeout time.Duration
	// Rand is the source of the cursor secret generated when a database is
	// created (default crypto/rand.Reader).
	Rand io.Reader
	// Logger receives driver diagnostics (default: discarded).
	Logger *slog.Logger
}

// Option changes Options.
type Option func(*Options)

func (o *Options) setDefaults() {
	if o.ReadConns <= 0 {
		o.ReadConns = max(4, runtime.GOMAXPROCS(0))
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Store is the SQLite implementation of store.Store. Build one with Open;
// the zero value is not usable. It is safe for concurrent use.
type Store struct {
	opts   Options
	wdb    *sql.DB // one connection: every write transaction
	rdb    *sql.DB // read pool; wdb itself for an in-memory database
	memory bool
	pages  *pagetoken.Codec

	// The writer goroutine and its prepared statements (see writer.go).
	stmts      map[string]*sql.Stmt
	reads      *stmtCache // prepared reads (see stmts.go)
	reqs       chan *writeReq
	quit       chan struct{}
	writerDone chan struct{}

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the SQLite database at dsn, a file path
// or MemoryDSN (":memory:"), applies the pending migrations and returns a
// Store. The file is put in WAL mode with synchronous=NORMAL, foreign keys
// on and a busy timeout. Close the Store when done.
func Open(ctx context.Context, dsn string, opts ...Option) (_ *Store, err error) {
	defer ugc.Wrap(&err, "sqlstore.Open")
	if dsn == "" {
		return nil, ugc.InvalidField("dsn", "is required")
	}
	var o Options
	for _, fn := range opts {
		fn(&o)
	}
	o.setDefaults()

	s := &Store{opts: o, memory: dsn == MemoryDSN}
	busy := fmt.Sprintf("_pragma=busy_timeout(%d)", o.BusyTimeout.Milliseconds())
	common := busy + "&_pragma=foreign_keys(1)&_txlock=immediate"
	if s.memory {
		// One connection holds the one private database; reads and writes
		// share it.
		s.wdb, err = sql.Open("sqlite", "file::memory:?"+common)
		if err != nil {
			return nil, err
		}
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetMaxIdleConns(1)
		s.wdb.SetConnMaxLifetime(0)
		s.wdb.SetConnMaxIdleTime(0)
		s.rdb = s.wdb
	} else {
		path := "file:" + (&url.URL{Path: dsn}).EscapedPath()
		wdsn := path + "?" + common + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
			"&_pragma=journal_size_limit(67108864)" // truncate the WAL to 64 MiB after checkpoints
		if s.wdb, err = sql.Open("sqlite", wdsn); err != nil {
			return nil, err
		}
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetMaxIdleConns(1)
		s.wdb.SetConnMaxLifetime(0)
		s.wdb.SetConnMaxIdleTime(0)
		// The writer connection creates the file and switches it to WAL
		// before any reader opens it.
		if err := s.wdb.PingContext(ctx); err != nil {
			s.wdb.Close()
			return nil, err
		}
		rdsn := path + "?" + busy + "&_pragma=query_only(1)&_txlock=deferred"
		if s.rdb, err = sql.Open("sqlite", rdsn); err != nil {
			s.wdb.Close()
			return nil, err
		}
		s.rdb.SetMaxOpenConns(o.ReadConns)
		s.rdb.SetMaxIdleConns(o.ReadConns)
	}
	s.reads = &stmtCache{db: s.rdb}
	if err := s.migrate(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	key, err := s.cursorKey(ctx)
	if err != nil {
		s.closeDBs()
		return nil, err
	}
	s.pages = pagetoken.New(key)
	if err := s.prepareHot(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	s.startWriter()
	return s, nil
}

// OpenMemory returns a Store over a new private in-memory database.
func OpenMemory(ctx context.Context, opts ...Option) (*Store, error) {
	return Open(ctx, MemoryDSN, opts...)
}

// Close closes the database. It is safe to call twice.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.stopWriter()
		// SQLite's advice for long-lived connections: refresh the
		// planner's statistics where they are stale, at a bounded cost.
		if _, err := s.wdb.Exec(`PRAGMA analysis_limit = 400; PRAGMA optimize`); err != nil {
			s.opts.Logger.Warn("sqlstore: PRAGMA optimize failed", "err", err)
		}
		s.closeErr = s.closeDBs()
	})
	return s.closeErr
}

// closeDBs closes the statements and databases; the writer goroutine must
// not be running.
func (s *Store) closeDBs() error {
	var errs []error
	for _, st := range s.stmts {
		errs = append(errs, st.Close())
	}
	if s.reads != nil {
		errs = append(errs, s.reads.close())
	}
	if s.rdb != nil && s.rdb != s.wdb {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

// cursorKey returns the database's cursor secret, creating it on first use
// so cursors survive restarts.
func (s *Store) cursorKey(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := io.ReadFull(s.opts.Rand, fresh); err != nil {
		return nil, fmt.Errorf("generate cursor key: %w", err)
	}
	var key []byte
	err := s.writeDirect(ctx, func(ctx context.Context, tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('cursor_key', ?) ON CONFLICT (key) DO NOTHING`, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'cursor_key'`).Scan(&key)
	})
	return key, err
}

// read runs fn in one read transaction, so it sees a single snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: !s.memory})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// zeroMS is how the zero time.Time is stored.
const zeroMS = -62135596800000

// ms returns the stored form of t: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// tm returns the time of stored Unix milliseconds v, in UTC.
func tm(v int64) time.Time {
	if v == zeroMS {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// wrap is ugc.Wrap for the methods of s: it also reports a driver failure
// of a closed Store as errClosed (ErrUnavailable).
func (s *Store) wrap(errp *error, op string) {
	if *errp != nil && ugc.KindOf(*errp) == nil && s.closed.Load() {
		*errp = errClosed
	}
	ugc.Wrap(errp, op)
}

// notFound returns ErrNotFound for what.
func notFound(what string) error { return ugc.Errorf(ugc.ErrNotFound, "%s not found", what) }

// exists returns ErrAlreadyExists naming field.
func exists(field, format string, args ...any) error {
	return &ugc.Error{Kind: ugc.ErrAlreadyExists, Field: field, Message: fmt.Sprintf(format, args...)}
}

// queryRow scans one row and maps sql.ErrNoRows to ErrNotFound for what.
func scanOne(row *sql.Row, what string, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return err
}

// affected returns the number of rows res changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// queryKey joins the parts of a query's identity for cursor binding.
func queryKey(parts ...string) string { return strings.Join(parts, "\x00") }

// pageArgs checks p and decodes its cursor for query into cur; it returns
// the page size and whether a cursor was given.
func (s *Store) pageArgs(p store.Page, query string, cur any) (limit int, has bool, err error) {
	limit, err = store.Limit(p)
	if err != nil {
		return 0, false, err
	}
	if p.Cursor == "" {
		return limit, false, nil
	}
	if err := s.pages.Decode(query, p.Cursor, cur); err != nil {
		return 0, false, err
	}
	return limit, true, nil
}

// itoa formats v for query keys.
func itoa(v int64) string { return strconv.FormatInt(v, 10) }
