package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
	"github.com/ivs-ugc/ugc-go/ugc/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// openFile opens a Store over a new file in a temporary directory and
// closes it when the test ends; it returns the Store and the file's path.
func openFile(t testing.TB) (*sqlstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ugc.db")
	s, err := sqlstore.Open(context.Background(), path)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

// drivers returns a file Store and an in-memory Store, by name.
func drivers(t *testing.T) map[string]*sqlstore.Store {
	t.Helper()
	f, _ := openFile(t)
	m, err := sqlstore.OpenMemory(context.Background())
	must(t, err)
	t.Cleanup(func() { m.Close() })
	return map[string]*sqlstore.Store{"file": f, "memory": m}
}

// must fails the test at once when a precondition's err is not nil.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("precondition: %v", err)
	}
}

// harness makes Stores for the conformance suite and the benchmarks: each
// MakeStore opens a new file in dir (a copy of template, when set, a fresh
// database whose migrations have run), or a new in-memory database.
type harness struct {
	dir      string
	template []byte
	memory   bool
	n        int
}

func (h *harness) MakeStore(ctx context.Context) (store.Store, error) {
	if h.memory {
		return sqlstore.OpenMemory(ctx)
	}
	h.n++
	path := filepath.Join(h.dir, fmt.Sprintf("store%d.db", h.n))
	if h.template != nil {
		if err := os.WriteFile(path, h.template, 0o600); err != nil {
			return nil, err
		}
	}
	return sqlstore.Open(ctx, path)
}

func (h *harness) Close() {}

// template returns the bytes of a new, migrated database file without a
// cursor secret, so that copies of it open fast (migrations dominate the
// cost of Open) and each draws its own secret.
func template(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "template.db")
	s, err := sqlstore.Open(t.Context(), path)
	must(t, err)
	must(t, s.Close())
	db, err := sql.Open("sqlite", path)
	must(t, err)
	_, err = db.Exec(`DELETE FROM meta; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE`)
	must(t, err)
	must(t, db.Close())
	b, err := os.ReadFile(path)
	must(t, err)
	return b
}

func TestConformance(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		tmpl := template(t)
		storetest.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (storetest.Harness, error) {
			return &harness{dir: t.TempDir(), template: tmpl}, nil
		})
	})
	t.Run("memory", func(t *testing.T) {
		storetest.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (storetest.Harness, error) {
			return &harness{memory: true}, nil
		})
	})
}

// BenchmarkStore runs the suite's benchmarks on a file database, the
// durable configuration.
func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, func(ctx context.Context, b *testing.B) (storetest.Harness, error) {
		return &harness{dir: b.TempDir()}, nil
	})
}
