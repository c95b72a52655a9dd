package ivssvc

import (
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// Event detail types of IVS.
const (
	detailStateChange  = "IVS Stream State Change"
	detailHealthChange = "IVS Stream Health Change"
	detailLimitBreach  = "IVS Limit Breach"
)

// live is the runtime state of a broadcasting channel.
type live struct {
	session *session
	health  string // HEALTHY or STARVING
	viewers int64

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// stopAndWait stops the metrics goroutine and waits for it to return.
func (l *live) stopAndWait() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

// session is one stream session of a channel.
type session struct {
	streamID string
	start    time.Time
	end      *time.Time
	channel  channelJSON // the channel as it was when it went live
	events   []streamEvent
	hasError bool
}

type streamEvent struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Code      string `json:"code,omitempty"`
	EventTime string `json:"eventTime"`
}

func (ss *session) addEvent(name, typ, code string, t time.Time) {
	if len(ss.events) >= maxEventsPerSession {
		ss.events = ss.events[1:]
	}
	ss.events = append(ss.events, streamEvent{Name: name, Type: typ, Code: code, EventTime: isoTime(t)})
}

// MetadataEntry is one PutMetadata payload as the service received it.
type MetadataEntry struct {
	Time    time.Time `json:"time"`
	Payload string    `json:"payload"`
}

func notBroadcasting(arn string) *emu.Error {
	return emu.Errorf("ChannelNotBroadcasting", "Channel: %s is not broadcasting", arn)
}

// channelByIDLocked returns the channel with the given ID.
func (s *Service) channelByIDLocked(id string) (*channel, *emu.Error) {
	for _, c := range s.channels {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, emu.NotFound(s.env.ARN("ivs", "channel/"+id))
}

// stateEvent builds an IVS Stream State Change (or Health Change) event.
func (s *Service) streamEvent(detailType, name string, c *channel, streamID string) emu.Event {
	return s.env.NewEvent(detailType, []string{c.ARN}, map[string]any{
		"event_name":   name,
		"channel_name": c.Name,
		"stream_id":    streamID,
	})
}

// StartStream simulates an encoder connecting with the stream key value:
// the key's channel goes live. It returns the channel ARN and the new
// stream ID. An unknown key is a ResourceNotFoundException and a live channel
// a ConflictException.
func (s *Service) StartStream(keyValue string) (channelARN, streamID string, err error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", "", emu.Errorf("ServiceUnavailable", "the service is closed")
	}
	var key *streamKey
	for _, k := range s.keys {
		if k.Value == keyValue {
			key = k
			break
		}
	}
	if key == nil {
		s.mu.Unlock()
		return "", "", emu.Errorf("ResourceNotFoundException", "no stream key matches the given value")
	}
	c := s.channels[key.ChannelARN]
	if c.live != nil {
		s.mu.Unlock()
		return "", "", emu.Conflict("Channel: %s is already live", c.ARN)
	}
	now := s.env.Now()
	ss := &session{streamID: "st-" + emu.RandomID(23), start: now, channel: s.channelOut(c)}
	ss.addEvent("Session Created", detailStateChange, "", now)
	ss.addEvent("Stream Start", detailStateChange, "", now)
	if len(c.sessions) >= maxSessionsPerChannel {
		c.sessions = c.sessions[1:]
	}
	c.sessions = append(c.sessions, ss)
	l := &live{session: ss, health: "HEALTHY", stop: make(chan struct{}), done: make(chan struct{})}
	c.live = l
	evs := []emu.Event{
		s.streamEvent(detailStateChange, "Session Created", c, ss.streamID),
		s.streamEvent(detailStateChange, "Stream Start", c, ss.streamID),
	}
	interval := s.interval
	s.mu.Unlock()

	s.publish(c.ID, l)
	go s.runMetrics(c.ID, l, interval)
	s.emit(evs)
	return c.ARN, ss.streamID, nil
}

// endLocked ends c's live stream and returns the stopped stream and events.
func (s *Service) endLocked(c *channel) (*live, []emu.Event) {
	l := c.live
	now := s.env.Now()
	l.session.end = &now
	l.session.addEvent("Stream End", detailStateChange, "", now)
	l.session.addEvent("Session Ended", detailStateChange, "", now)
	c.live = nil
	return l, []emu.Event{
		s.streamEvent(detailStateChange, "Stream End", c, l.session.streamID),
		s.streamEvent(detailStateChange, "Session Ended", c, l.session.streamID),
	}
}

// EndStream simulates the encoder of the channel with the given ID
// disconnecting. It fails with ChannelNotBroadcasting when the channel is
// offline.
func (s *Service) EndStream(channelID string) error {
	s.mu.Lock()
	c, err := s.channelByIDLocked(channelID)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if c.live == nil {
		s.mu.Unlock()
		return notBroadcasting(c.ARN)
	}
	l, evs := s.endLocked(c)
	s.mu.Unlock()
	l.stopAndWait()
	s.emit(evs)
	return nil
}

// SetStarvation starts or ends input starvation on a live channel. Setting
// the state it already has does nothing.
func (s *Service) SetStarvation(channelID string, active bool) error {
	s.mu.Lock()
	c, err := s.channelByIDLocked(channelID)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if c.live == nil {
		s.mu.Unlock()
		return notBroadcasting(c.ARN)
	}
	want, name := "HEALTHY", "Starvation End"
	if active {
		want, name = "STARVING", "Starvation Start"
	}
	if c.live.health == want {
		s.mu.Unlock()
		return nil
	}
	c.live.health = want
	c.live.session.addEvent(name, detailHealthChange, "", s.env.Now())
	ev := s.streamEvent(detailHealthChange, name, c, c.live.session.streamID)
	s.mu.Unlock()
	s.emit([]emu.Event{ev})
	return nil
}

// limit describes a breachable IVS limit.
type limit struct {
	value, exceededBy float64
	unit              string
	perStream         bool
}

// limits are the limit names of IVS Limit Breach events.
var limits = map[string]limit{
	"Ingest Bitrate":        {value: 8_500_000, exceededBy: 500_000, unit: "bits per second", perStream: true},
	"Ingest Resolution":     {value: 2_073_600, exceededBy: 1_612_800, unit: "total pixels", perStream: true},
	"Concurrent Broadcasts": {value: 100, exceededBy: 1, unit: "active streams"},
	"Concurrent Viewers":    {value: 15_000, exceededBy: 1, unit: "viewers"},
}

// LimitNames returns the limit names LimitBreach accepts, sorted.
func LimitNames() []string {
	out := make([]string, 0, len(limits))
	for n := range limits {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// LimitBreach emits an IVS Limit Breach event for the live channel and
// records an error event in its stream session.
func (s *Service) LimitBreach(channelID, limitName string) error {
	lim, ok := limits[limitName]
	if !ok {
		return emu.Validation("unknown limitName %q; known: %v", limitName, LimitNames())
	}
	s.mu.Lock()
	c, err := s.channelByIDLocked(channelID)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if c.live == nil {
		s.mu.Unlock()
		return notBroadcasting(c.ARN)
	}
	ss := c.live.session
	ss.addEvent(limitName, detailLimitBreach, "LimitBreach", s.env.Now())
	ss.hasError = true
	detail := map[string]any{
		"limit_name":  limitName,
		"limit_value": lim.value,
		"exceeded_by": lim.exceededBy,
		"limit_unit":  lim.unit,
	}
	resources := []string{}
	if lim.perStream {
		detail["channel_name"] = c.Name
		detail["stream_id"] = ss.streamID
		resources = []string{c.ARN}
	}
	ev := s.env.NewEvent(detailLimitBreach, resources, detail)
	s.mu.Unlock()
	s.emit([]emu.Event{ev})
	return nil
}

// Metadata returns the PutMetadata payloads the channel with the given ID
// received, oldest first.
func (s *Service) Metadata(channelID string) ([]MetadataEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByIDLocked(channelID)
	if err != nil {
		return nil, err
	}
	return append([]MetadataEntry{}, c.metadata...), nil
}

// runMetrics publishes metrics every interval until l is stopped.
func (s *Service) runMetrics(channelID string, l *live, interval time.Duration) {
	defer close(l.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			s.publish(channelID, l)
		}
	}
}

// publish writes one point of each AWS/IVS stream metric to env.Metrics.
func (s *Service) publish(channelID string, l *live) {
	sink := s.env.Metrics
	s.mu.Lock()
	starving := l.health == "STARVING"
	l.viewers = max(0, l.viewers+rand.Int64N(11)-3)
	viewers := l.viewers
	s.mu.Unlock()
	if sink == nil {
		return
	}
	now := s.env.Now()
	dims := map[string]string{"Channel": channelID}
	jitter := func(v float64) float64 { return v * (0.97 + 0.06*rand.Float64()) }
	video, audio, fps := jitter(defaultVideoBitrate), jitter(defaultAudioBitrate), float64(defaultFramerate)
	if starving {
		video, audio, fps = 0, 0, 0
	}
	sink.PutPoint("AWS/IVS", "IngestVideoBitrate", dims, now, video, "Bits/Second", 1)
	sink.PutPoint("AWS/IVS", "IngestAudioBitrate", dims, now, audio, "Bits/Second", 1)
	sink.PutPoint("AWS/IVS", "IngestFramerate", dims, now, fps, "Count/Second", 1)
	sink.PutPoint("AWS/IVS", "KeyframeInterval", dims, now, defaultKeyframeSeconds, "Seconds", 1)
	sink.PutPoint("AWS/IVS", "ConcurrentViews", dims, now, float64(viewers), "Count", 1)
}

type streamJSON struct {
	ChannelArn  string `json:"channelArn"`
	StreamID    string `json:"streamId"`
	PlaybackURL string `json:"playbackUrl,omitempty"`
	StartTime   string `json:"startTime"`
	State       string `json:"state"`
	Health      string `json:"health"`
	ViewerCount int64  `json:"viewerCount"`
}

func streamOut(c *channel, withURL bool) streamJSON {
	out := streamJSON{
		ChannelArn: c.ARN, StreamID: c.live.session.streamID, StartTime: isoTime(c.live.session.start),
		State: "LIVE", Health: c.live.health, ViewerCount: c.live.viewers,
	}
	if withURL {
		out.PlaybackURL = c.PlaybackURL
	}
	return out
}

type channelArnIn struct {
	ChannelArn string `json:"channelArn"`
}

func (s *Service) getStream(r *http.Request) (int, any, error) {
	var in channelArnIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		return 0, nil, err
	}
	if c.live == nil {
		return 0, nil, notBroadcasting(c.ARN)
	}
	return http.StatusOK, map[string]any{"stream": streamOut(c, true)}, nil
}

func (s *Service) listStreams(r *http.Request) (int, any, error) {
	var in struct {
		FilterBy *struct {
			Health string `json:"health"`
		} `json:"filterBy"`
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	limit, offset, err := pageArgs(in.MaxResults, in.NextToken, 100, defaultListMaxResults)
	if err != nil {
		return 0, nil, err
	}
	health := ""
	if in.FilterBy != nil {
		health = in.FilterBy.Health
		if err := checkEnum("filterBy.health", health, "HEALTHY", "STARVING", "UNKNOWN"); err != nil {
			return 0, nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*channel
	for _, c := range s.channels {
		if c.live != nil && (health == "" || c.live.health == health) {
			match = append(match, c)
		}
	}
	sort.Slice(match, func(i, j int) bool { return match[i].ARN < match[j].ARN })
	pg, next := page(match, limit, offset)
	out := make([]streamJSON, 0, len(pg))
	for _, c := range pg {
		out = append(out, streamOut(c, false))
	}
	res := map[string]any{"streams": out}
	if next != "" {
		res["nextToken"] = next
	}
	return http.StatusOK, res, nil
}

// The ingest configuration every simulated broadcast reports.
var (
	videoConfig = map[string]any{
		"avcProfile": "High", "avcLevel": "3.1", "codec": "avc1.64001F", "encoder": "ivslocal simulated encoder",
		"targetBitrate": defaultVideoBitrate, "targetFramerate": defaultFramerate,
		"videoHeight": 1080, "videoWidth": 1920, "level": "3.1", "profile": "High", "track": "Track0",
	}
	audioConfig = map[string]any{
		"channels": 2, "codec": "mp4a.40.2", "sampleRate": 48000, "targetBitrate": defaultAudioBitrate, "track": "Track0",
	}
)

func (s *Service) sessionOut(ss *session) map[string]any {
	events := make([]streamEvent, 0, len(ss.events))
	for i := len(ss.events) - 1; i >= 0; i-- {
		events = append(events, ss.events[i])
	}
	rc := map[string]any{
		"arn": ss.channel.RecordingConfigurationArn, "name": "", "state": "",
		"destinationConfiguration": map[string]any{}, "recordingReconnectWindowSeconds": 0, "tags": map[string]string{},
	}
	if ss.channel.RecordingConfigurationArn != "" {
		rc["state"] = "ACTIVE"
	}
	out := map[string]any{
		"streamId":               ss.streamID,
		"startTime":              isoTime(ss.start),
		"channel":                ss.channel,
		"ingestConfiguration":    map[string]any{"video": videoConfig, "audio": audioConfig},
		"ingestConfigurations":   map[string]any{"videoConfigurations": []any{videoConfig}, "audioConfigurations": []any{audioConfig}},
		"recordingConfiguration": rc,
		"truncatedEvents":        events,
	}
	if ss.end != nil {
		out["endTime"] = isoTime(*ss.end)
	}
	return out
}

func (s *Service) getStreamSession(r *http.Request) (int, any, error) {
	var in struct {
		ChannelArn string `json:"channelArn"`
		StreamID   string `json:"streamId"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if in.StreamID != "" && (len(in.StreamID) != 26 || !reStreamID.MatchString(in.StreamID)) {
		return 0, nil, constraint("streamId", in.StreamID, "Member must have length 26 and satisfy regular expression pattern: st-[a-zA-Z0-9]+")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		return 0, nil, err
	}
	var found *session
	if in.StreamID == "" {
		if n := len(c.sessions); n > 0 {
			found = c.sessions[n-1]
		}
	} else {
		for _, ss := range c.sessions {
			if ss.streamID == in.StreamID {
				found = ss
			}
		}
	}
	if found == nil {
		target := in.StreamID
		if target == "" {
			target = "stream session of " + c.ARN
		}
		return 0, nil, emu.NotFound(target)
	}
	return http.StatusOK, map[string]any{"streamSession": s.sessionOut(found)}, nil
}

func (s *Service) listStreamSessions(r *http.Request) (int, any, error) {
	var in struct {
		ChannelArn string `json:"channelArn"`
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	limit, offset, err := pageArgs(in.MaxResults, in.NextToken, 100, defaultListMaxResults)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		return 0, nil, err
	}
	newest := make([]*session, 0, len(c.sessions))
	for i := len(c.sessions) - 1; i >= 0; i-- {
		newest = append(newest, c.sessions[i])
	}
	pg, next := page(newest, limit, offset)
	out := make([]map[string]any, 0, len(pg))
	for _, ss := range pg {
		m := map[string]any{"streamId": ss.streamID, "startTime": isoTime(ss.start), "hasErrorEvent": ss.hasError}
		if ss.end != nil {
			m["endTime"] = isoTime(*ss.end)
		}
		out = append(out, m)
	}
	res := map[string]any{"streamSessions": out}
	if next != "" {
		res["nextToken"] = next
	}
	return http.StatusOK, res, nil
}

func (s *Service) stopStream(r *http.Request) (int, any, error) {
	var in channelArnIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		s.mu.Unlock()
		return 0, nil, err
	}
	if c.live == nil {
		s.mu.Unlock()
		return 0, nil, notBroadcasting(c.ARN)
	}
	l, evs := s.endLocked(c)
	s.mu.Unlock()
	l.stopAndWait()
	s.emit(evs)
	return http.StatusOK, nil, nil
}

// prune drops the times older than one second before now.
func prune(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-time.Second)) {
		i++
	}
	return ts[i:]
}

func (s *Service) putMetadata(r *http.Request) (int, any, error) {
	var in struct {
		ChannelArn string `json:"channelArn"`
		Metadata   string `json:"metadata"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Metadata == "" {
		return 0, nil, constraint("metadata", in.Metadata, "Member must have length greater than or equal to 1")
	}
	if len(in.Metadata) > maxMetadataBytes {
		return 0, nil, emu.Validation("1 validation error detected: Value at 'metadata' failed to satisfy constraint: Member must have length less than or equal to %d bytes", maxMetadataBytes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		return 0, nil, err
	}
	if c.live == nil {
		return 0, nil, notBroadcasting(c.ARN)
	}
	now := s.env.Now()
	c.metaRate = prune(c.metaRate, now)
	s.metaAcct = prune(s.metaAcct, now)
	if len(c.metaRate) >= metadataTPSPerChannel {
		return 0, nil, emu.Errorf("ThrottlingException", "Request rate exceeds %d TPS for channel %s", metadataTPSPerChannel, c.ARN)
	}
	if len(s.metaAcct) >= metadataTPSPerAccount {
		return 0, nil, emu.Errorf("ThrottlingException", "Request rate exceeds %d TPS for the account", metadataTPSPerAccount)
	}
	c.metaRate = append(c.metaRate, now)
	s.metaAcct = append(s.metaAcct, now)
	if len(c.metadata) >= maxMetadataLogged {
		c.metadata = c.metadata[1:]
	}
	c.metadata = append(c.metadata, MetadataEntry{Time: now, Payload: in.Metadata})
	return http.StatusNoContent, nil, nil
}
