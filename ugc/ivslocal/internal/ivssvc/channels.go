package ivssvc

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// channel is one IVS channel. The exported fields are its configuration and
// are persisted; the rest is runtime state.
type channel struct {
	ARN                          string            `json:"arn"`
	ID                           string            `json:"id"`
	Name                         string            `json:"name"`
	LatencyMode                  string            `json:"latencyMode"`
	Type                         string            `json:"type"`
	Authorized                   bool              `json:"authorized"`
	InsecureIngest               bool              `json:"insecureIngest"`
	Preset                       string            `json:"preset"`
	RecordingConfigurationArn    string            `json:"recordingConfigurationArn"`
	PlaybackRestrictionPolicyArn string            `json:"playbackRestrictionPolicyArn"`
	AdConfigurationArn           string            `json:"adConfigurationArn"`
	ContainerFormat              string            `json:"containerFormat"`
	Multitrack                   multitrack        `json:"multitrackInputConfiguration"`
	IngestEndpoint               string            `json:"ingestEndpoint"`
	PlaybackURL                  string            `json:"playbackUrl"`
	Srt                          srt               `json:"srt"`
	Tags                         map[string]string `json:"tags,omitempty"` // only in the state file

	live     *live
	sessions []*session // oldest first
	metadata []MetadataEntry
	metaRate []time.Time // PutMetadata calls in the last second
}

type multitrack struct {
	Enabled           bool   `json:"enabled"`
	MaximumResolution string `json:"maximumResolution"`
	Policy            string `json:"policy"`
}

type srt struct {
	Endpoint   string `json:"endpoint"`
	Passphrase string `json:"passphrase"`
}

// channelJSON is the Channel shape of the API.
type channelJSON struct {
	Arn                          string            `json:"arn"`
	Name                         string            `json:"name"`
	LatencyMode                  string            `json:"latencyMode"`
	Type                         string            `json:"type"`
	Authorized                   bool              `json:"authorized"`
	InsecureIngest               bool              `json:"insecureIngest"`
	IngestEndpoint               string            `json:"ingestEndpoint"`
	PlaybackURL                  string            `json:"playbackUrl"`
	Preset                       string            `json:"preset"`
	RecordingConfigurationArn    string            `json:"recordingConfigurationArn"`
	PlaybackRestrictionPolicyArn string            `json:"playbackRestrictionPolicyArn"`
	AdConfigurationArn           string            `json:"adConfigurationArn"`
	ContainerFormat              string            `json:"containerFormat"`
	Multitrack                   multitrack        `json:"multitrackInputConfiguration"`
	Srt                          srt               `json:"srt"`
	Tags                         map[string]string `json:"tags"`
}

// channelSummaryJSON is the ChannelSummary shape of the API.
type channelSummaryJSON struct {
	Arn                          string            `json:"arn"`
	Name                         string            `json:"name"`
	LatencyMode                  string            `json:"latencyMode"`
	Type                         string            `json:"type"`
	Authorized                   bool              `json:"authorized"`
	InsecureIngest               bool              `json:"insecureIngest"`
	Preset                       string            `json:"preset"`
	RecordingConfigurationArn    string            `json:"recordingConfigurationArn"`
	PlaybackRestrictionPolicyArn string            `json:"playbackRestrictionPolicyArn"`
	AdConfigurationArn           string            `json:"adConfigurationArn"`
	Tags                         map[string]string `json:"tags"`
}

func (s *Service) tagsOf(arn string) map[string]string {
	t, _ := s.env.Tags.Get(arn)
	if t == nil {
		t = map[string]string{}
	}
	return t
}

func (s *Service) channelOut(c *channel) channelJSON {
	return channelJSON{
		Arn: c.ARN, Name: c.Name, LatencyMode: c.LatencyMode, Type: c.Type,
		Authorized: c.Authorized, InsecureIngest: c.InsecureIngest,
		IngestEndpoint: c.IngestEndpoint, PlaybackURL: c.PlaybackURL, Preset: c.Preset,
		RecordingConfigurationArn:    c.RecordingConfigurationArn,
		PlaybackRestrictionPolicyArn: c.PlaybackRestrictionPolicyArn,
		AdConfigurationArn:           c.AdConfigurationArn,
		ContainerFormat:              c.ContainerFormat,
		Multitrack:                   c.Multitrack,
		Srt:                          c.Srt,
		Tags:                         s.tagsOf(c.ARN),
	}
}

func (s *Service) channelSummary(c *channel) channelSummaryJSON {
	return channelSummaryJSON{
		Arn: c.ARN, Name: c.Name, LatencyMode: c.LatencyMode, Type: c.Type,
		Authorized: c.Authorized, InsecureIngest: c.InsecureIngest, Preset: c.Preset,
		RecordingConfigurationArn:    c.RecordingConfigurationArn,
		PlaybackRestrictionPolicyArn: c.PlaybackRestrictionPolicyArn,
		AdConfigurationArn:           c.AdConfigurationArn,
		Tags:                         s.tagsOf(c.ARN),
	}
}

// channelConfig holds the settable channel fields of CreateChannel and
// UpdateChannel; nil means "not given".
type channelConfig struct {
	Name                         *string     `json:"name"`
	LatencyMode                  *string     `json:"latencyMode"`
	Type                         *string     `json:"type"`
	Authorized                   *bool       `json:"authorized"`
	InsecureIngest               *bool       `json:"insecureIngest"`
	Preset                       *string     `json:"preset"`
	RecordingConfigurationArn    *string     `json:"recordingConfigurationArn"`
	PlaybackRestrictionPolicyArn *string     `json:"playbackRestrictionPolicyArn"`
	AdConfigurationArn           *string     `json:"adConfigurationArn"`
	ContainerFormat              *string     `json:"containerFormat"`
	Multitrack                   *multitrack `json:"multitrackInputConfiguration"`
}

// apply validates cfg and applies it over c, then checks the combination.
// An explicitly empty preset on a transcoded channel keeps its default.
func (cfg *channelConfig) apply(c *channel) *emu.Error {
	if v := cfg.Name; v != nil {
		if err := checkName("name", *v); err != nil {
			return err
		}
		c.Name = *v
	}
	if v := cfg.LatencyMode; v != nil && *v != "" {
		if err := checkEnum("latencyMode", *v, "NORMAL", "LOW"); err != nil {
			return err
		}
		c.LatencyMode = *v
	}
	if v := cfg.Type; v != nil && *v != "" {
		if err := checkEnum("type", *v, "BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"); err != nil {
			return err
		}
		c.Type = *v
	}
	if v := cfg.Authorized; v != nil {
		c.Authorized = *v
	}
	if v := cfg.InsecureIngest; v != nil {
		c.InsecureIngest = *v
	}
	if v := cfg.RecordingConfigurationArn; v != nil {
		if err := checkARN("recordingConfigurationArn", *v, reRecordingARN, false); err != nil {
			return err
		}
		c.RecordingConfigurationArn = *v
	}
	if v := cfg.PlaybackRestrictionPolicyArn; v != nil {
		if err := checkARN("playbackRestrictionPolicyArn", *v, rePlaybackRPARN, false); err != nil {
			return err
		}
		c.PlaybackRestrictionPolicyArn = *v
	}
	if v := cfg.AdConfigurationArn; v != nil {
		if err := checkARN("adConfigurationArn", *v, reAdConfigARN, false); err != nil {
			return err
		}
		c.AdConfigurationArn = *v
	}
	if v := cfg.ContainerFormat; v != nil && *v != "" {
		if err := checkEnum("containerFormat", *v, "TS", "FRAGMENTED_MP4"); err != nil {
			return err
		}
		c.ContainerFormat = *v
	}
	if m := cfg.Multitrack; m != nil {
		if err := checkEnum("multitrackInputConfiguration.maximumResolution", m.MaximumResolution, "SD", "HD", "FULL_HD"); err != nil {
			return err
		}
		if err := checkEnum("multitrackInputConfiguration.policy", m.Policy, "ALLOW", "REQUIRE"); err != nil {
			return err
		}
		c.Multitrack.Enabled = m.Enabled
		if m.MaximumResolution != "" {
			c.Multitrack.MaximumResolution = m.MaximumResolution
		}
		if m.Policy != "" {
			c.Multitrack.Policy = m.Policy
		}
	}
	advanced := c.Type == "ADVANCED_SD" || c.Type == "ADVANCED_HD"
	if v := cfg.Preset; v != nil && *v != "" {
		if err := checkEnum("preset", *v, "HIGHER_BANDWIDTH_DELIVERY", "CONSTRAINED_BANDWIDTH_DELIVERY"); err != nil {
			return err
		}
		if !advanced {
			return emu.Validation("preset can be set only for ADVANCED_SD and ADVANCED_HD channels")
		}
		c.Preset = *v
	}
	switch {
	case !advanced:
		c.Preset = ""
	case c.Preset == "":
		c.Preset = "HIGHER_BANDWIDTH_DELIVERY"
	}
	if c.Multitrack.Enabled {
		if c.Type != "STANDARD" {
			return emu.Validation("multitrack input is supported only on STANDARD channels")
		}
		if c.ContainerFormat != "FRAGMENTED_MP4" {
			return emu.Validation("containerFormat must be FRAGMENTED_MP4 when multitrack input is enabled")
		}
	}
	return nil
}

type createChannelIn struct {
	channelConfig
	Tags map[string]string `json:"tags"`
}

func (s *Service) createChannel(r *http.Request) (int, any, error) {
	var in createChannelIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := emu.ValidateTags(in.Tags); err != nil {
		return 0, nil, err
	}
	id := emu.RandomID(12)
	region, account := s.env.Region, s.env.Account
	ingest := randomHex(12)
	c := &channel{
		ARN:             s.env.ARN("ivs", "channel/"+id),
		ID:              id,
		LatencyMode:     "LOW",
		Type:            "STANDARD",
		ContainerFormat: "TS",
		Multitrack:      multitrack{MaximumResolution: "FULL_HD", Policy: "ALLOW"},
		IngestEndpoint:  ingest + ".global-contribute.live-video.net",
		PlaybackURL: fmt.Sprintf("https://%s.%s.playback.live-video.net/api/video/v1/%s.%s.channel.%s.m3u8",
			randomHex(12), region, region, account, id),
		Srt: srt{Endpoint: ingest + ".srt.live-video.net", Passphrase: emu.RandomID(32)},
	}
	if err := in.apply(c); err != nil {
		return 0, nil, err
	}
	kid := emu.RandomID(12)
	k := &streamKey{ARN: s.env.ARN("ivs", "stream-key/"+kid), ChannelARN: c.ARN, Value: newStreamKeyValue(region)}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[c.ARN] = c
	s.keys[k.ARN] = k
	s.env.Tags.Register(c.ARN, in.Tags)
	s.env.Tags.Register(k.ARN, nil)
	return http.StatusOK, map[string]any{"channel": s.channelOut(c), "streamKey": s.keyOut(k, true)}, nil
}

type arnIn struct {
	Arn string `json:"arn"`
}

// channelByARNLocked validates arn and returns its channel.
func (s *Service) channelByARNLocked(field, arn string) (*channel, *emu.Error) {
	if err := checkARN(field, arn, reChannelARN, true); err != nil {
		return nil, err
	}
	c := s.channels[arn]
	if c == nil {
		return nil, emu.NotFound(arn)
	}
	return c, nil
}

func (s *Service) getChannel(r *http.Request) (int, any, error) {
	var in arnIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("arn", in.Arn)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"channel": s.channelOut(c)}, nil
}

type updateChannelIn struct {
	Arn string `json:"arn"`
	channelConfig
}

func (s *Service) updateChannel(r *http.Request) (int, any, error) {
	var in updateChannelIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("arn", in.Arn)
	if err != nil {
		return 0, nil, err
	}
	if c.live != nil {
		return 0, nil, emu.Conflict("Live channels cannot be updated")
	}
	upd := *c
	if err := in.apply(&upd); err != nil {
		return 0, nil, err
	}
	*c = upd
	return http.StatusOK, map[string]any{"channel": s.channelOut(c)}, nil
}

func (s *Service) deleteChannel(r *http.Request) (int, any, error) {
	var in arnIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("arn", in.Arn)
	if err != nil {
		return 0, nil, err
	}
	if c.live != nil {
		return 0, nil, emu.Conflict("Live channels cannot be deleted")
	}
	for arn, k := range s.keys {
		if k.ChannelARN == c.ARN {
			delete(s.keys, arn)
			s.env.Tags.Forget(arn)
		}
	}
	delete(s.channels, c.ARN)
	s.env.Tags.Forget(c.ARN)
	return http.StatusNoContent, nil, nil
}

type listChannelsIn struct {
	FilterByName                         string `json:"filterByName"`
	FilterByRecordingConfigurationArn    string `json:"filterByRecordingConfigurationArn"`
	FilterByPlaybackRestrictionPolicyArn string `json:"filterByPlaybackRestrictionPolicyArn"`
	FilterByAdConfigurationArn           string `json:"filterByAdConfigurationArn"`
	MaxResults                           *int   `json:"maxResults"`
	NextToken                            string `json:"nextToken"`
}

func (s *Service) listChannels(r *http.Request) (int, any, error) {
	var in listChannelsIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	limit, offset, err := pageArgs(in.MaxResults, in.NextToken, 100, defaultListMaxResults)
	if err != nil {
		return 0, nil, err
	}
	if err := checkName("filterByName", in.FilterByName); err != nil {
		return 0, nil, err
	}
	if err := checkARN("filterByRecordingConfigurationArn", in.FilterByRecordingConfigurationArn, reRecordingARN, false); err != nil {
		return 0, nil, err
	}
	if err := checkARN("filterByPlaybackRestrictionPolicyArn", in.FilterByPlaybackRestrictionPolicyArn, rePlaybackRPARN, false); err != nil {
		return 0, nil, err
	}
	if err := checkARN("filterByAdConfigurationArn", in.FilterByAdConfigurationArn, reAdConfigARN, false); err != nil {
		return 0, nil, err
	}
	filters := 0
	for _, f := range []string{in.FilterByName, in.FilterByRecordingConfigurationArn, in.FilterByPlaybackRestrictionPolicyArn, in.FilterByAdConfigurationArn} {
		if f != "" {
			filters++
		}
	}
	if filters > 1 {
		return 0, nil, emu.Conflict("Only one filter can be used at a time")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*channel
	for _, c := range s.channels {
		switch {
		case in.FilterByName != "" && c.Name != in.FilterByName,
			in.FilterByRecordingConfigurationArn != "" && c.RecordingConfigurationArn != in.FilterByRecordingConfigurationArn,
			in.FilterByPlaybackRestrictionPolicyArn != "" && c.PlaybackRestrictionPolicyArn != in.FilterByPlaybackRestrictionPolicyArn,
			in.FilterByAdConfigurationArn != "" && c.AdConfigurationArn != in.FilterByAdConfigurationArn:
			continue
		}
		match = append(match, c)
	}
	sort.Slice(match, func(i, j int) bool { return match[i].ARN < match[j].ARN })
	pg, next := page(match, limit, offset)
	out := make([]channelSummaryJSON, 0, len(pg))
	for _, c := range pg {
		out = append(out, s.channelSummary(c))
	}
	res := map[string]any{"channels": out}
	if next != "" {
		res["nextToken"] = next
	}
	return http.StatusOK, res, nil
}

type batchError struct {
	Arn     string `json:"arn"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Service) batchGetChannel(r *http.Request) (int, any, error) {
	var in struct {
		Arns []string `json:"arns"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if len(in.Arns) < 1 || len(in.Arns) > 50 {
		return 0, nil, constraint("arns", len(in.Arns), "Member must have length between 1 and 50")
	}
	for i, a := range in.Arns {
		if err := checkARN(fmt.Sprintf("arns.%d.member", i+1), a, reChannelARN, true); err != nil {
			return 0, nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chans := []channelJSON{}
	errs := []batchError{}
	for _, a := range in.Arns {
		if c := s.channels[a]; c != nil {
			chans = append(chans, s.channelOut(c))
			continue
		}
		errs = append(errs, batchError{Arn: a, Code: "ResourceNotFoundException", Message: "Resource: " + a + " not found"})
	}
	return http.StatusOK, map[string]any{"channels": chans, "errors": errs}, nil
}
