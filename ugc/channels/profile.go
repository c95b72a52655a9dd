package channels

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Get returns the user with the ID, or ErrNotFound.
func (s *Service) Get(ctx context.Context, userID string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "channels.Get")
	return s.store.GetUser(ctx, userID)
}

// GetByUsername returns the user with the username (case-insensitively),
// or ErrNotFound.
func (s *Service) GetByUsername(ctx context.Context, username string) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "channels.GetByUsername")
	return s.store.GetUserByUsername(ctx, username)
}

// ProfileUpdate holds the profile attributes a user can change; nil fields
// are left alone. Nothing else about a user can be written this way.
type ProfileUpdate struct {
	Username *string // 4–20 of [A-Za-z0-9._], not reserved, unique case-insensitively
	Color    *string // one of ugc.Colors
	Avatar   *string // one of ugc.StockAvatars, or "custom" once an avatar image is uploaded
}

// UpdateProfile validates and applies in. A username taken by another user
// is ErrAlreadyExists naming "username"; followers, bans and everything
// else keyed by the user ID follow the user through a rename.
func (s *Service) UpdateProfile(ctx context.Context, userID string, in ProfileUpdate) (_ *ugc.User, err error) {
	defer ugc.Wrap(&err, "channels.UpdateProfile")
	if in.Username != nil {
		if err := ugc.ValidateUsername(*in.Username); err != nil {
			return nil, err
		}
	}
	if in.Color != nil {
		if err := ugc.ValidateColor(*in.Color); err != nil {
			return nil, err
		}
	}
	if in.Avatar != nil {
		if err := ugc.ValidateAvatar(*in.Avatar); err != nil {
			return nil, err
		}
	}
	var oldName string
	defer func() { s.cache.forget(oldName, "", "") }()
	return s.updateUser(ctx, userID, func(u *ugc.User) error {
		oldName = u.Username
		if in.Username != nil {
			u.Username = *in.Username
		}
		if in.Color != nil {
			u.Color = *in.Color
		}
		if in.Avatar != nil {
			if *in.Avatar == ugc.AvatarCustom && u.Assets.AvatarVersion == "" {
				return ugc.InvalidField("avatar", "upload an avatar image before choosing %q", ugc.AvatarCustom)
			}
			u.Avatar = *in.Avatar
		}
		return nil
	})
}

// ImageKind names an uploadable image.
type ImageKind string

// The image kinds.
const (
	ImageAvatar ImageKind = "avatar" // at most MaxAvatarBytes
	ImageBanner ImageKind = "banner" // at most MaxBannerBytes
)

// Image size limits (MB = 10^6 bytes, as the seed counts).
const (
	MaxAvatarBytes = 1_000_000
	MaxBannerBytes = 5_000_000
)

func (k ImageKind) limit() (int64, error) {
	switch k {
	case ImageAvatar:
		return MaxAvatarBytes, nil
	case ImageBanner:
		return MaxBannerBytes, nil
	}
	return 0, ugc.InvalidField("kind", "must be avatar or banner")
}

// sniffImage returns the content type of a JPEG or PNG image, judged by
// its content (its header must decode), or an error.
func sniffImage(b []byte) (string, error) {
	bad := &ugc.Error{Kind: ugc.ErrInvalidArgument, Code: "unsupported_media_type", Field: "image",
		Message: "must be a JPEG or PNG image"}
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		if _, err := jpeg.DecodeConfig(bytes.NewReader(b)); err != nil {
			return "", bad
		}
		return "image/jpeg", nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
			return "", bad
		}
		return "image/png", nil
	}
	return "", bad
}

// assetKey is the key of a user's image version.
func assetKey(userID string, kind ImageKind, version string) string {
	if checkKey(userID) != nil || strings.Contains(userID, "/") {
		sum := sha256.Sum256([]byte(userID))
		userID = "x" + hex.EncodeToString(sum[:16])
	}
	return userID + "/" + string(kind) + "/" + version
}

// PutImage stores a new avatar or banner image read from r and returns its
// URL. The content must be a JPEG or PNG image (judged by its bytes, not a
// declared type): else ErrInvalidArgument with code "unsupported_media_type".
// Larger than the kind's limit is ErrTooLarge. Uploading an avatar selects
// it (Avatar becomes "custom"). The previous version is deleted.
func (s *Service) PutImage(ctx context.Context, userID string, kind ImageKind, r io.Reader) (url string, err error) {
	defer ugc.Wrap(&err, "channels.PutImage")
	limit, err := kind.limit()
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", ugc.InvalidField("image", "cannot read the upload: %v", err)
	}
	if int64(len(b)) > limit {
		return "", &ugc.Error{Kind: ugc.ErrTooLarge, Field: "image", Message: fmt.Sprintf("must be at most %d bytes", limit)}
	}
	ct, err := sniffImage(b)
	if err != nil {
		return "", err
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return "", err
	}
	version := strconv.FormatInt(s.now().UnixMilli(), 36) + "-" + randomID()[:8]
	key := assetKey(u.ID, kind, version)
	if err := s.opts.Assets.Put(ctx, key, ct, bytes.NewReader(b)); err != nil {
		return "", ugc.Errorf(ugc.ErrUnavailable, "cannot store the image: %v", err)
	}
	var old string
	if _, err := s.updateUser(ctx, userID, func(u *ugc.User) error {
		if kind == ImageAvatar {
			old = u.Assets.AvatarVersion
			u.Assets.AvatarVersion = version
			u.Avatar = ugc.AvatarCustom
		} else {
			old = u.Assets.BannerVersion
			u.Assets.BannerVersion = version
		}
		return nil
	}); err != nil {
		if derr := s.opts.Assets.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.log.WarnContext(ctx, "channels: cannot delete unused image", "key", key, "err", derr)
		}
		return "", err
	}
	s.cache.forget(u.Username, "", "")
	if old != "" {
		if derr := s.opts.Assets.Delete(ctx, assetKey(u.ID, kind, old)); derr != nil {
			s.log.WarnContext(ctx, "channels: cannot delete replaced image", "userId", u.ID, "kind", kind, "err", derr)
		}
	}
	return s.AssetURL(key), nil
}

// DeleteImage removes the user's avatar or banner image; when the avatar
// was selected, a stock avatar replaces it. Deleting an image that is not
// there is not an error.
func (s *Service) DeleteImage(ctx context.Context, userID string, kind ImageKind) (err error) {
	defer ugc.Wrap(&err, "channels.DeleteImage")
	if _, err := kind.limit(); err != nil {
		return err
	}
	var old, name string
	if _, err := s.updateUser(ctx, userID, func(u *ugc.User) error {
		name = u.Username
		if kind == ImageAvatar {
			old = u.Assets.AvatarVersion
			u.Assets.AvatarVersion = ""
			if u.Avatar == ugc.AvatarCustom {
				u.Avatar = ugc.StockAvatars[pick(u.ID+"/avatar", len(ugc.StockAvatars))]
			}
		} else {
			old = u.Assets.BannerVersion
			u.Assets.BannerVersion = ""
		}
		return nil
	}); err != nil {
		return err
	}
	s.cache.forget(name, "", "")
	if old == "" {
		return nil
	}
	return s.opts.Assets.Delete(ctx, assetKey(userID, kind, old))
}

// AssetURL returns the public URL of an asset key.
func (s *Service) AssetURL(key string) string { return s.opts.AssetBaseURL + "/" + key }

// AvatarURL returns the URL of the user's uploaded avatar, or "" when none.
func (s *Service) AvatarURL(u *ugc.User) string {
	if u == nil || u.Assets.AvatarVersion == "" {
		return ""
	}
	return s.AssetURL(assetKey(u.ID, ImageAvatar, u.Assets.AvatarVersion))
}

// BannerURL returns the URL of the user's banner, or "" when none.
func (s *Service) BannerURL(u *ugc.User) string {
	if u == nil || u.Assets.BannerVersion == "" {
		return ""
	}
	return s.AssetURL(assetKey(u.ID, ImageBanner, u.Assets.BannerVersion))
}

// OpenAsset opens a stored asset by key (the part of its URL after
// AssetBaseURL) and returns its content type; a missing one is ErrNotFound.
func (s *Service) OpenAsset(ctx context.Context, key string) (_ io.ReadCloser, _ string, err error) {
	defer ugc.Wrap(&err, "channels.OpenAsset")
	if err := checkKey(key); err != nil {
		return nil, "", ugc.Errorf(ugc.ErrNotFound, "no such asset")
	}
	return s.opts.Assets.Open(ctx, key)
}

// IngestServer returns the RTMPS ingest URL of the user's channel,
// "rtmps://<ingestEndpoint>:443/app/", or "" when it has none.
func (s *Service) IngestServer(u *ugc.User) string {
	if u == nil || u.Channel.IngestEndpoint == "" {
		return ""
	}
	return "rtmps://" + u.Channel.IngestEndpoint + ":443/app/"
}
