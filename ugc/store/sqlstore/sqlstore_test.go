package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ivs-ugc/ugc-go/ugc/store/sqlstore"
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
