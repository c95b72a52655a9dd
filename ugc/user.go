package ugc

import "time"

// User is a platform user and the AWS resources of their channel.
// ID never changes; Username can (compared case-insensitively).
type User struct {
	ID        string    // stable, opaque, chosen at registration
	Username  string    // display form as typed; unique case-insensitively
	Email     string    // as typed, domain lower-cased; unique
	Color     string    // one of Colors
	Avatar    string    // one of StockAvatars or AvatarCustom
	Assets    Assets    // uploaded images
	Channel   Channel   // the user's IVS resources; zero until provisioned
	CreatedAt time.Time // registration time
	UpdatedAt time.Time // last write
	// Version is the store's optimistic-concurrency counter: set by the
	// store on create (1) and incremented by every update.
	Version int64
}

// Assets records the versions of a user's uploaded images. An empty
// version means none; the asset URL embeds the version so caches stay fresh.
type Assets struct {
	AvatarVersion string
	BannerVersion string
}

// Channel is a user's AWS resources: an IVS channel and its stream key, a
// chat room and a real-time stage.
type Channel struct {
	Arn            string    // IVS channel ARN
	IngestEndpoint string    // e.g. "abcdef.global-contribute.live-video.net"
	PlaybackURL    string    // HLS playback URL
	StreamKeyArn   string    // IVS stream key ARN
	StreamKey      StreamKey // the secret
	Type           string    // BASIC | STANDARD | ADVANCED_SD | ADVANCED_HD
	LatencyMode    string    // LOW | NORMAL
	ChatRoomArn    string    // IVS Chat room ARN
	StageArn       string    // IVS Real-Time stage ARN
	TrackingID     string    // affiliate tracking ID: lower(channel ID)[-region code]
}

// ChannelID returns the resource ID at the end of an IVS ARN
// ("arn:aws:ivs:us-east-1:123:channel/AbCd" → "AbCd"), or "" if arn has no "/".
func ChannelID(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return ""
}
