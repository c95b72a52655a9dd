package channels

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
)

func TestUpdateProfile(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	alice := e.register(t, "alice")
	e.register(t, "bobby")
	tests := []struct {
		name  string
		in    ProfileUpdate
		kind  error
		field string
	}{
		{"taken any case", ProfileUpdate{Username: ptr("BOBBY")}, ugc.ErrAlreadyExists, "username"},
		{"reserved any case", ProfileUpdate{Username: ptr("Login")}, ugc.ErrInvalidArgument, "username"},
		{"charset", ProfileUpdate{Username: ptr("al ice")}, ugc.ErrInvalidArgument, "username"},
		{"too long", ProfileUpdate{Username: ptr(strings.Repeat("a", 21))}, ugc.ErrInvalidArgument, "username"},
		{"color", ProfileUpdate{Color: ptr("pink")}, ugc.ErrInvalidArgument, "color"},
		{"avatar", ProfileUpdate{Avatar: ptr("cat")}, ugc.ErrInvalidArgument, "avatar"},
		{"custom avatar without upload", ProfileUpdate{Avatar: ptr("custom")}, ugc.ErrInvalidArgument, "avatar"},
		{"valid", ProfileUpdate{Username: ptr("Alice.2"), Color: ptr("green"), Avatar: ptr("tiger")}, nil, ""},
		{"own name in another case", ProfileUpdate{Username: ptr("ALICE.2")}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.UpdateProfile(ctx, alice.ID, tt.in)
			if tt.kind == nil {
				must(t, err)
				return
			}
			if !errors.Is(err, tt.kind) || ugc.FieldOf(err) != tt.field {
				t.Errorf("UpdateProfile(%+v) = %v, want %v naming %q", tt.in, err, tt.kind, tt.field)
			}
		})
	}
	got, err := e.svc.Get(ctx, alice.ID)
	must(t, err)
	want := []string{"ALICE.2", "green", "tiger", alice.Email, alice.Channel.Arn}
	if diff := cmp.Diff(want, []string{got.Username, got.Color, got.Avatar, got.Email, got.Channel.Arn}); diff != "" {
		t.Errorf("profile mismatch (-want +got):\n%s", diff)
	}
	if _, err := e.st.GetUserByUsername(ctx, "alice"); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("old username still resolves: %v", err)
	}
}

// TestRenameKeepsFollowersAndBans checks that what is keyed by user ID
// follows a rename.
func TestRenameKeepsFollowersAndBans(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			star, fan, troll := e.register(t, "star"), e.register(t, "fan1"), e.register(t, "troll")
			must(t, e.svc.Follow(ctx, fan.ID, "star"))
			must(t, e.st.PutBan(ctx, ugc.Ban{ChannelUserID: star.ID, UserID: troll.ID, CreatedAt: e.clock.Now()}))
			_, err := e.svc.UpdateProfile(ctx, star.ID, ProfileUpdate{Username: ptr("superstar")})
			must(t, err)
			fanView, err := e.svc.ChannelPage(ctx, "SuperStar", fan.ID)
			must(t, err)
			trollView, err := e.svc.ChannelPage(ctx, "superstar", troll.ID)
			must(t, err)
			got := []any{fanView.FollowerCount, fanView.IsFollowing, trollView.IsViewerBanned}
			if diff := cmp.Diff([]any{int64(1), true, true}, got); diff != "" {
				t.Errorf("after rename (-want +got):\n%s", diff)
			}
			if _, err := e.svc.ChannelPage(ctx, "star", ""); !errors.Is(err, ugc.ErrNotFound) {
				t.Errorf("old name: %v, want ErrNotFound", err)
			}
		})
	}
}

// TestRenameRace renames many users to one name at once: exactly one wins.
func TestRenameRace(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			e := newEnv(t, driver)
			ctx := context.Background()
			const n = 8
			users := make([]*ugc.User, n)
			for i := range n {
				users[i] = e.register(t, fmt.Sprintf("user%d", i))
			}
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					name := "Winner"
					if i%2 == 1 {
						name = "winner"
					}
					_, errs[i] = e.svc.UpdateProfile(ctx, users[i].ID, ProfileUpdate{Username: &name})
				})
			}
			wg.Wait()
			won, lost := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case errors.Is(err, ugc.ErrAlreadyExists) && ugc.FieldOf(err) == "username":
					lost++
				default:
					t.Errorf("unexpected error %v", err)
				}
			}
			if won != 1 || lost != n-1 {
				t.Errorf("won %d, lost %d; want 1, %d", won, lost, n-1)
			}
		})
	}
}

func pngImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

func jpegImage(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	must(t, jpeg.Encode(&b, img, nil))
	return b.Bytes()
}

func gifImage(t testing.TB) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
	var b bytes.Buffer
	must(t, gif.Encode(&b, img, nil))
	return b.Bytes()
}

func TestPutImage(t *testing.T) {
	e := newEnv(t, "memstore")
	ctx := context.Background()
	u := e.register(t, "painter")
	big := pngImage(t, 600, 600) // noisy pixels: well over 1 MB
	if len(big) <= MaxAvatarBytes {
		t.Fatalf("test image is %d bytes, want more than %d", len(big), MaxAvatarBytes)
	}
	tests := []struct {
		name     string
		kind     ImageKind
		data     []byte
		wantKind error
		wantCode string
		wantType string
	}{
		{"png avatar", ImageAvatar, pngImage(t, 4, 4), nil, "", "image/png"},
		{"jpeg avatar", ImageAvatar, jpegImage(t), nil, "", "image/jpeg"},
		{"png banner over the avatar limit", ImageBanner, big, nil, "", "image/png"},
		{"avatar too large", ImageAvatar, big, ugc.ErrTooLarge, "too_large", ""},
		{"gif", ImageAvatar, gifImage(t), ugc.ErrInvalidArgument, "unsupported_media_type", ""},
		{"png magic, garbage body", ImageAvatar, []byte("\x89PNG\r\n\x1a\nnot really"), ugc.ErrInvalidArgument, "unsupported_media_type", ""},
		{"text", ImageBanner, []byte("hello"), ugc.ErrInvalidArgument, "unsupported_media_type", ""},
		{"unknown kind", ImageKind("icon"), pngImage(t, 4, 4), ugc.ErrInvalidArgument, "invalid_argument", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := e.svc.Get(ctx, u.ID)
			must(t, err)
			url, err := e.svc.PutImage(ctx, u.ID, tt.kind, bytes.NewReader(tt.data))
			if tt.wantKind != nil {
				if !errors.Is(err, tt.wantKind) || ugc.CodeOf(err) != tt.wantCode {
					t.Fatalf("PutImage = %v (code %q), want %v with code %q", err, ugc.CodeOf(err), tt.wantKind, tt.wantCode)
				}
				return
			}
			must(t, err)
			after, err := e.svc.Get(ctx, u.ID)
			must(t, err)
			wantURL := e.svc.AvatarURL(after)
			if tt.kind == ImageBanner {
				wantURL = e.svc.BannerURL(after)
			}
			if url != wantURL || !strings.HasPrefix(url, "http://127.0.0.1:8080/assets/") {
				t.Errorf("url = %q, want %q under the asset base", url, wantURL)
			}
			key := strings.TrimPrefix(url, "http://127.0.0.1:8080/assets/")
			rc, ct, err := e.svc.OpenAsset(ctx, key)
			must(t, err)
			got, err := io.ReadAll(rc)
			rc.Close()
			must(t, err)
			if ct != tt.wantType || !bytes.Equal(got, tt.data) {
				t.Errorf("asset content type %q (%d bytes), want %q (%d bytes)", ct, len(got), tt.wantType, len(tt.data))
			}
			// The replaced version is gone.
			old := e.svc.AvatarURL(before)
			if tt.kind == ImageBanner {
				old = e.svc.BannerURL(before)
			}
			if old != "" {
				if _, _, err := e.svc.OpenAsset(ctx, strings.TrimPrefix(old, "http://127.0.0.1:8080/assets/")); !errors.Is(err, ugc.ErrNotFound) {
					t.Errorf("old version still served: %v", err)
				}
			}
			if tt.kind == ImageAvatar && after.Avatar != ugc.AvatarCustom {
				t.Errorf("Avatar = %q after an upload, want custom", after.Avatar)
			}
		})
	}

	// Delete both; the avatar falls back to a stock one.
	must(t, e.svc.DeleteImage(ctx, u.ID, ImageAvatar))
	must(t, e.svc.DeleteImage(ctx, u.ID, ImageBanner))
	must(t, e.svc.DeleteImage(ctx, u.ID, ImageBanner)) // idempotent
	got, err := e.svc.Get(ctx, u.ID)
	must(t, err)
	if e.svc.AvatarURL(got) != "" || e.svc.BannerURL(got) != "" || got.Avatar == ugc.AvatarCustom {
		t.Errorf("after delete: avatar %q url %q banner %q", got.Avatar, e.svc.AvatarURL(got), e.svc.BannerURL(got))
	}
	if _, _, err := e.svc.OpenAsset(ctx, "../../etc/passwd"); !errors.Is(err, ugc.ErrNotFound) {
		t.Errorf("OpenAsset outside the store = %v, want ErrNotFound", err)
	}
}
