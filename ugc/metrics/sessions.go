package metrics

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// maxDetailEvents bounds the events a session detail returns.
const maxDetailEvents = 20_000

// Sessions returns the user's stream sessions that have started, newest
// first, in full pages.
func (s *Service) Sessions(ctx context.Context, userID string, p store.Page) (_ []*ugc.StreamSession, next string, err error) {
	defer ugc.Wrap(&err, "metrics.Sessions")
	return s.opts.Store.ListStreamSessions(ctx, userID, p)
}

// SessionDetail is one session with its events, encoder configuration and
// metrics.
type SessionDetail struct {
	Session             *ugc.StreamSession
	Events              []ugc.StreamEvent // oldest first
	IngestConfiguration json.RawMessage   // nil until IVS reports a complete one
	Metrics             []Series
}

// Session returns the user's session with its events, its encoder
// configuration (fetched once from IVS when complete, then kept) and its
// metrics. A session of another user is ErrNotFound.
func (s *Service) Session(ctx context.Context, userID, sessionID string) (_ *SessionDetail, err error) {
	defer ugc.Wrap(&err, "metrics.Session")
	if err := store.CheckIDs("userID", userID, "sessionID", sessionID); err != nil {
		return nil, err
	}
	sess, err := s.opts.Store.GetStreamSession(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if sess.UserID != userID || sess.StartTime.IsZero() {
		return nil, ugc.Errorf(ugc.ErrNotFound, "no session %q", sessionID)
	}
	events, err := s.allEvents(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if sess.IngestConfiguration == nil {
		sess.IngestConfiguration = s.fetchIngestConfiguration(ctx, sess)
	}
	series, err := s.sessionMetrics(ctx, sess)
	if err != nil {
		return nil, err
	}
	return &SessionDetail{Session: sess, Events: events, IngestConfiguration: sess.IngestConfiguration, Metrics: series}, nil
}

func (s *Service) allEvents(ctx context.Context, sessionID string) ([]ugc.StreamEvent, error) {
	var all []ugc.StreamEvent
	p := store.Page{Limit: store.MaxPageLimit}
	for len(all) < maxDetailEvents {
		evs, next, err := s.opts.Store.ListStreamEvents(ctx, sessionID, p)
		if err != nil {
			return nil, err
		}
		all = append(all, evs...)
		if next == "" {
			break
		}
		p.Cursor = next
	}
	return all, nil
}

// fetchIngestConfiguration asks IVS for the session's encoder
// configuration and stores it when complete. Failures only cost a later
// retry, so they are logged, not returned.
func (s *Service) fetchIngestConfiguration(ctx context.Context, sess *ugc.StreamSession) json.RawMessage {
	out, err := s.opts.IVS.GetStreamSession(ctx, &ivs.GetStreamSessionInput{
		ChannelArn: aws.String(sess.ChannelArn), StreamId: aws.String(sess.ID),
	})
	if err != nil || out.StreamSession == nil {
		s.opts.Logger.WarnContext(ctx, "cannot fetch ingest configuration", "session", sess.ID, "err", err)
		return nil
	}
	cfg := encodeIngestConfiguration(out.StreamSession.IngestConfiguration)
	if cfg == nil {
		return nil
	}
	for range maxVersionRetries {
		cur, version, err := s.opts.Store.GetStreamSessionVersion(ctx, sess.ID)
		if err != nil {
			break
		}
		cur.IngestConfiguration = cfg
		_, err = s.opts.Store.PutStreamSession(ctx, cur, version)
		if ugc.CodeOf(err) == "version_conflict" {
			continue
		}
		if err != nil {
			s.opts.Logger.WarnContext(ctx, "cannot store ingest configuration", "session", sess.ID, "err", err)
		}
		break
	}
	return cfg
}

type audioConfig struct {
	Channels      int64  `json:"channels"`
	Codec         string `json:"codec"`
	SampleRate    int64  `json:"sampleRate"`
	TargetBitrate int64  `json:"targetBitrate"`
}

type videoConfig struct {
	AvcLevel        string `json:"avcLevel"`
	AvcProfile      string `json:"avcProfile"`
	Codec           string `json:"codec"`
	Encoder         string `json:"encoder"`
	Level           string `json:"level,omitempty"`
	Profile         string `json:"profile,omitempty"`
	Track           string `json:"track,omitempty"`
	TargetBitrate   int64  `json:"targetBitrate"`
	TargetFramerate int64  `json:"targetFramerate"`
	VideoHeight     int64  `json:"videoHeight"`
	VideoWidth      int64  `json:"videoWidth"`
}

// encodeIngestConfiguration returns the configuration as JSON with IVS's
// key names, or nil when audio or video is missing or all empty (IVS
// reports zeros until the encoder has sent enough).
func encodeIngestConfiguration(c *ivstypes.IngestConfiguration) json.RawMessage {
	if c == nil || c.Audio == nil || c.Video == nil {
		return nil
	}
	a := audioConfig{Channels: c.Audio.Channels, Codec: aws.ToString(c.Audio.Codec), SampleRate: c.Audio.SampleRate, TargetBitrate: c.Audio.TargetBitrate}
	v := videoConfig{
		AvcLevel: aws.ToString(c.Video.AvcLevel), AvcProfile: aws.ToString(c.Video.AvcProfile), Codec: aws.ToString(c.Video.Codec),
		Encoder: aws.ToString(c.Video.Encoder), Level: aws.ToString(c.Video.Level), Profile: aws.ToString(c.Video.Profile),
		Track: aws.ToString(c.Video.Track), TargetBitrate: c.Video.TargetBitrate, TargetFramerate: c.Video.TargetFramerate,
		VideoHeight: c.Video.VideoHeight, VideoWidth: c.Video.VideoWidth,
	}
	if a == (audioConfig{}) || v == (videoConfig{}) {
		return nil
	}
	b, err := json.Marshal(struct {
		Audio audioConfig `json:"audio"`
		Video videoConfig `json:"video"`
	}{a, v})
	if err != nil {
		return nil
	}
	return b
}
