package channels

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/ugc"
)

func TestDirAssets(t *testing.T) {
	d, err := NewDirAssets(t.TempDir())
	must(t, err)
	defer d.Close()
	ctx := context.Background()
	must(t, d.Put(ctx, "u1/avatar/v1", "image/png", strings.NewReader("one")))
	must(t, d.Put(ctx, "u1/avatar/v1", "image/jpeg", strings.NewReader("two"))) // replaces
	rc, ct, err := d.Open(ctx, "u1/avatar/v1")
	must(t, err)
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "two" || ct != "image/jpeg" {
		t.Errorf("Open = %q, %q; want two, image/jpeg", b, ct)
	}
	must(t, d.Delete(ctx, "u1/avatar/v1"))
	must(t, d.Delete(ctx, "u1/avatar/v1")) // idempotent
	for _, key := range []string{"u1/avatar/v1", "u1", "u1/avatar"} {
		if _, _, err := d.Open(ctx, key); !errors.Is(err, ugc.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", key, err)
		}
	}
	for _, key := range []string{"", "../x", "a/../../x", "/etc/passwd", "a//b", "a/b.type", "a b", "a\\b"} {
		if err := d.Put(ctx, key, "image/png", strings.NewReader("x")); !errors.Is(err, ugc.ErrInvalidArgument) {
			t.Errorf("Put(%q) = %v, want ErrInvalidArgument", key, err)
		}
	}
}

// FuzzSniffImage checks that the content check never panics and accepts
// only what starts like a JPEG or PNG and decodes as one.
func FuzzSniffImage(f *testing.F) {
	f.Add(pngImage(f, 2, 2))
	f.Add(jpegImage(f))
	f.Add(gifImage(f))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("\xff\xd8\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, err := sniffImage(b)
		switch {
		case err != nil:
			if ugc.CodeOf(err) != "unsupported_media_type" {
				t.Errorf("error code %q", ugc.CodeOf(err))
			}
		case ct == "image/png" && bytes.HasPrefix(b, []byte("\x89PNG")):
		case ct == "image/jpeg" && bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		default:
			t.Errorf("accepted %q as %s", b[:min(len(b), 8)], ct)
		}
	})
}

// FuzzAssetKey checks that keys the service makes are valid and that no
// valid key can leave the asset directory.
func FuzzAssetKey(f *testing.F) {
	f.Add("u1", "v1")
	f.Add("../../etc", "x")
	f.Add("a/b", "..")
	f.Fuzz(func(t *testing.T, userID, version string) {
		key := assetKey(userID, ImageAvatar, "v"+strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
				return r
			}
			return -1
		}, version))
		if len(key) <= 512 {
			if err := checkKey(key); err != nil {
				t.Errorf("assetKey(%q) = %q is not a valid key: %v", userID, key, err)
			}
		}
		if checkKey(userID) == nil && (strings.Contains(userID, "..") && strings.Contains("/"+userID+"/", "/../")) {
			t.Errorf("checkKey accepted a key with a .. element: %q", userID)
		}
	})
}
