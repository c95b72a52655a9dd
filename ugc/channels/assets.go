package channels

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// AssetStore stores uploaded images by key. Keys are slash-separated paths
// of [A-Za-z0-9._-] segments, such as "<userID>/avatar/<version>".
type AssetStore interface {
	// Put stores the content of r under key, replacing any previous one.
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	// Open returns the content and content type stored under key, or
	// ugc.ErrNotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, string, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// DirAssets is an AssetStore in a local directory: each key is a file, and
// its content type is kept in a sibling file with the suffix ".type".
type DirAssets struct{ root *os.Root }

var _ AssetStore = (*DirAssets)(nil)

// NewDirAssets returns a DirAssets rooted at dir, creating dir if needed.
// Keys cannot escape dir.
func NewDirAssets(dir string) (*DirAssets, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &DirAssets{root: r}, nil
}

// Close releases the directory handle.
func (d *DirAssets) Close() error { return d.root.Close() }

// maxKeyElem is the longest element of an asset key.
const maxKeyElem = 200

func checkKey(key string) error {
	if key == "" || len(key) > 512 || strings.HasSuffix(key, ".type") || !fs.ValidPath(key) {
		return ugc.InvalidField("key", "invalid asset key")
	}
	for elem := range strings.SplitSeq(key, "/") {
		// File systems refuse names over 255 bytes; keep room for the
		// ".type" and ".tmp-" files next to each asset.
		if len(elem) > maxKeyElem {
			return ugc.InvalidField("key", "invalid asset key")
		}
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/') {
			return ugc.InvalidField("key", "invalid asset key")
		}
	}
	return nil
}

// Put writes the content to a temporary file and renames it into place, so
// readers never see a partial file.
func (d *DirAssets) Put(ctx context.Context, key, contentType string, r io.Reader) (err error) {
	defer ugc.Wrap(&err, "channels.DirAssets.Put")
	if err := checkKey(key); err != nil {
		return err
	}
	if dir := filepath.Dir(filepath.FromSlash(key)); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := key + ".tmp-" + randomID()[:8]
	f, err := d.root.Create(tmp)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.root.WriteFile(key+".type", []byte(contentType), 0o644)
	}
	if err == nil {
		err = d.root.Rename(tmp, key)
	}
	if err != nil {
		d.root.Remove(tmp)
	}
	return err
}

// Open opens the file of key.
func (d *DirAssets) Open(ctx context.Context, key string) (_ io.ReadCloser, _ string, err error) {
	defer ugc.Wrap(&err, "channels.DirAssets.Open")
	if err := checkKey(key); err != nil {
		return nil, "", err
	}
	f, err := d.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", ugc.Errorf(ugc.ErrNotFound, "no asset %q", key)
	}
	if err != nil {
		return nil, "", err
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		f.Close()
		return nil, "", ugc.Errorf(ugc.ErrNotFound, "no asset %q", key)
	}
	ct, err := d.root.ReadFile(key + ".type")
	if err != nil {
		ct = []byte("application/octet-stream")
	}
	return f, string(ct), nil
}

// Delete removes the file of key and its content type.
func (d *DirAssets) Delete(ctx context.Context, key string) (err error) {
	defer ugc.Wrap(&err, "channels.DirAssets.Delete")
	if err := checkKey(key); err != nil {
		return err
	}
	for _, name := range []string{key, key + ".type"} {
		if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
