package chatsvc

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// logConfig is a logging configuration, as saved in the state file. Nothing
// is ever logged: the emulator only keeps the resource.
type logConfig struct {
	ID          string          `json:"id"`
	ARN         string          `json:"arn"`
	Name        string          `json:"name"`
	CreateTime  time.Time       `json:"createTime"`
	UpdateTime  time.Time       `json:"updateTime"`
	Destination destinationJSON `json:"destinationConfiguration"`
}

// destinationJSON is the DestinationConfiguration union, in its wire form:
// exactly one member is set.
type destinationJSON struct {
	S3 *struct {
		BucketName string `json:"bucketName"`
	} `json:"s3,omitempty"`
	CloudWatchLogs *struct {
		LogGroupName string `json:"logGroupName"`
	} `json:"cloudWatchLogs,omitempty"`
	Firehose *struct {
		DeliveryStreamName string `json:"deliveryStreamName"`
	} `json:"firehose,omitempty"`
}

var (
	bucketNamePattern     = regexp.MustCompile(`^[a-z0-9-.]+$`)
	logGroupNamePattern   = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`)
	deliveryStreamPattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)
)

// check validates a destination from a request.
func (d *destinationJSON) check(v *validator) {
	const field = "destinationConfiguration"
	n := 0
	if d.S3 != nil {
		n++
		v.length(field+".s3.bucketName", d.S3.BucketName, 3, 63)
		v.pattern(field+".s3.bucketName", d.S3.BucketName, bucketNamePattern)
	}
	if d.CloudWatchLogs != nil {
		n++
		v.length(field+".cloudWatchLogs.logGroupName", d.CloudWatchLogs.LogGroupName, 1, 512)
		v.pattern(field+".cloudWatchLogs.logGroupName", d.CloudWatchLogs.LogGroupName, logGroupNamePattern)
	}
	if d.Firehose != nil {
		n++
		v.length(field+".firehose.deliveryStreamName", d.Firehose.DeliveryStreamName, 1, 64)
		v.pattern(field+".firehose.deliveryStreamName", d.Firehose.DeliveryStreamName, deliveryStreamPattern)
	}
	if n != 1 {
		v.addf(field, "Exactly one of s3, cloudWatchLogs and firehose must be set")
	}
}

// logConfigJSON is the LoggingConfiguration and its summary on the wire.
type logConfigJSON struct {
	Arn                      string            `json:"arn"`
	ID                       string            `json:"id"`
	Name                     string            `json:"name"`
	CreateTime               string            `json:"createTime"`
	UpdateTime               string            `json:"updateTime"`
	DestinationConfiguration destinationJSON   `json:"destinationConfiguration"`
	State                    string            `json:"state"`
	Tags                     map[string]string `json:"tags"`
}

func (s *Service) logConfigJSON(c *logConfig) logConfigJSON {
	tags, _ := s.env.Tags.Get(c.ARN)
	if tags == nil {
		tags = map[string]string{}
	}
	return logConfigJSON{
		Arn:                      c.ARN,
		ID:                       c.ID,
		Name:                     c.Name,
		CreateTime:               isoTime(c.CreateTime),
		UpdateTime:               isoTime(c.UpdateTime),
		DestinationConfiguration: c.Destination,
		State:                    "ACTIVE",
		Tags:                     tags,
	}
}

type logConfigInput struct {
	Identifier               *string           `json:"identifier"`
	Name                     *string           `json:"name"`
	DestinationConfiguration *destinationJSON  `json:"destinationConfiguration"`
	Tags                     map[string]string `json:"tags"`
}

func (s *Service) createLoggingConfiguration(req *http.Request) (int, any, error) {
	var in logConfigInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	if in.Name != nil {
		v.length("name", *in.Name, 0, 128)
		v.pattern("name", *in.Name, roomNamePattern)
	}
	if in.DestinationConfiguration == nil {
		v.addf("destinationConfiguration", "Member must not be null")
	} else {
		in.DestinationConfiguration.check(&v)
	}
	v.tags("tags", in.Tags)
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	now := s.env.Now().UTC().Truncate(time.Millisecond)
	id := emu.RandomID(12)
	c := &logConfig{ID: id, ARN: s.env.ARN("ivschat", "logging-configuration/"+id), CreateTime: now, UpdateTime: now, Destination: *in.DestinationConfiguration}
	if in.Name != nil {
		c.Name = *in.Name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs[id] = c
	s.env.Tags.Register(c.ARN, in.Tags)
	return http.StatusOK, s.logConfigJSON(c), nil
}

func (s *Service) getLoggingConfiguration(req *http.Request) (int, any, error) {
	var in logConfigInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.lookupLogLocked("identifier", in.Identifier)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, s.logConfigJSON(c), nil
}

func (s *Service) updateLoggingConfiguration(req *http.Request) (int, any, error) {
	var in logConfigInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	if in.Name != nil {
		v.length("name", *in.Name, 0, 128)
		v.pattern("name", *in.Name, roomNamePattern)
	}
	if in.DestinationConfiguration != nil {
		in.DestinationConfiguration.check(&v)
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.lookupLogLocked("identifier", in.Identifier)
	if e != nil {
		return 0, nil, e
	}
	if in.Name != nil {
		c.Name = *in.Name
	}
	if in.DestinationConfiguration != nil {
		c.Destination = *in.DestinationConfiguration
	}
	c.UpdateTime = s.env.Now().UTC().Truncate(time.Millisecond)
	return http.StatusOK, s.logConfigJSON(c), nil
}

// deleteLoggingConfiguration deletes the configuration and detaches it from
// every room that lists it.
func (s *Service) deleteLoggingConfiguration(req *http.Request) (int, any, error) {
	var in logConfigInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.lookupLogLocked("identifier", in.Identifier)
	if e != nil {
		return 0, nil, e
	}
	delete(s.logs, c.ID)
	s.env.Tags.Forget(c.ARN)
	for _, r := range s.rooms {
		r.Logging = slices.DeleteFunc(r.Logging, func(a string) bool { return a == c.ARN })
	}
	return http.StatusNoContent, nil, nil
}

type listLogsInput struct {
	NextToken  *string `json:"nextToken"`
	MaxResults *int    `json:"maxResults"`
}

type listLogsOutput struct {
	LoggingConfigurations []logConfigJSON `json:"loggingConfigurations"`
	NextToken             string          `json:"nextToken,omitempty"`
}

func (s *Service) listLoggingConfigurations(req *http.Request) (int, any, error) {
	var in listLogsInput
	if e := decodeBody(req, &in); e != nil {
		return 0, nil, e
	}
	var v validator
	limit := defaultListMaxResults
	if in.MaxResults != nil {
		v.between("maxResults", *in.MaxResults, 1, 50)
		limit = *in.MaxResults
	}
	after := ""
	if in.NextToken != nil && *in.NextToken != "" {
		id, ok := decodePageToken(*in.NextToken)
		if !ok {
			v.addf("nextToken", "The page token is not valid")
		}
		after = id
	}
	if e := v.err(); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.logs))
	for id := range s.logs {
		if id > after {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	out := listLogsOutput{LoggingConfigurations: []logConfigJSON{}}
	for i, id := range ids {
		if i == limit {
			out.NextToken = encodePageToken(ids[i-1])
			break
		}
		out.LoggingConfigurations = append(out.LoggingConfigurations, s.logConfigJSON(s.logs[id]))
	}
	return http.StatusOK, out, nil
}

// lookupLogLocked resolves a logging-configuration ARN (or bare ID). s.mu
// must be held.
func (s *Service) lookupLogLocked(field string, ident *string) (*logConfig, *emu.Error) {
	var v validator
	if ident == nil || *ident == "" {
		v.addf(field, "Member must not be null")
		return nil, v.err()
	}
	id := *ident
	if strings.HasPrefix(id, "arn:") {
		if !loggingARNPattern.MatchString(id) {
			v.pattern(field, id, loggingARNPattern)
			return nil, v.err()
		}
		prefix := s.env.ARN("ivschat", "logging-configuration/")
		id = strings.TrimPrefix(id, prefix)
		if id == *ident {
			id = ""
		}
	} else if !roomIDPattern.MatchString(id) {
		v.pattern(field, id, loggingARNPattern)
		return nil, v.err()
	}
	c, ok := s.logs[id]
	if !ok {
		return nil, logNotFound(*ident)
	}
	return c, nil
}

// checkLoggingLocked reports the first of ids that names no logging
// configuration of this account. s.mu must be held.
func (s *Service) checkLoggingLocked(ids []string) *emu.Error {
	for _, arn := range ids {
		if _, e := s.lookupLogLocked("loggingConfigurationIdentifiers", &arn); e != nil {
			return e
		}
	}
	return nil
}

// logNotFound is the ResourceNotFoundException of a missing logging
// configuration.
func logNotFound(ident string) *emu.Error {
	id := ident
	if i := strings.LastIndex(ident, "/"); i >= 0 {
		id = ident[i+1:]
	}
	e := emu.NotFound(ident)
	e.Extra = map[string]any{"resourceId": id, "resourceType": "LOGGING_CONFIGURATION"}
	return e
}
