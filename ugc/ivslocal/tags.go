package ivslocal

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// reTagARN is the ARN pattern the tag operations accept (IVS, IVS Chat and
// IVS Real-Time resources).
var reTagARN = regexp.MustCompile(`^arn:aws:(ivs|ivschat):[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+$`)

// tagFlavor tells which service a resource ARN belongs to: its name in the
// call log and its error flavor.
func tagFlavor(arn string) (service string, flavor emu.Flavor) {
	switch {
	case strings.HasPrefix(arn, "arn:aws:ivschat:"):
		return "ivschat", emu.FlavorChat
	case strings.Contains(arn, ":stage/"), strings.Contains(arn, ":storage-configuration/"),
		strings.Contains(arn, ":encoder-configuration/"), strings.Contains(arn, ":ingest-configuration/"):
		return "ivsrealtime", emu.FlavorIVS
	default:
		return "ivs", emu.FlavorIVS
	}
}

// registerTags installs GET, POST and DELETE /tags/{resourceArn} for every
// service, dispatching on the ARN.
func (s *Server) registerTags() {
	ops := []struct {
		pattern, op string
		h           func(arn string, r *http.Request) (int, any, error)
	}{
		{"GET /tags/{arn...}", "ListTagsForResource", s.listTags},
		{"POST /tags/{arn...}", "TagResource", s.tagResource},
		{"DELETE /tags/{arn...}", "UntagResource", s.untagResource},
	}
	for _, o := range ops {
		s.mux.HandleFunc(o.pattern, func(w http.ResponseWriter, r *http.Request) {
			arn := r.PathValue("arn")
			service, flavor := tagFlavor(arn)
			s.env.Op(service, o.op, flavor, func(r *http.Request) (int, any, error) {
				if err := checkTagARN(arn, flavor); err != nil {
					return 0, nil, err
				}
				return o.h(arn, r)
			})(w, r)
		})
	}
}

func checkTagARN(arn string, flavor emu.Flavor) *emu.Error {
	if len(arn) >= 1 && len(arn) <= 128 && reTagARN.MatchString(arn) {
		return nil
	}
	msg := "Member must satisfy regular expression pattern: " + reTagARN.String()
	e := emu.Validation("1 validation error detected: Value '%s' at 'resourceArn' failed to satisfy constraint: %s", arn, msg)
	if flavor == emu.FlavorChat {
		e.Extra = map[string]any{"reason": "FIELD_VALIDATION_FAILED", "fieldList": []map[string]string{{"name": "resourceArn", "message": msg}}}
	}
	return e
}

func tagNotFound(arn string, flavor emu.Flavor) *emu.Error {
	e := emu.NotFound(arn)
	if flavor == emu.FlavorChat {
		e.Extra = map[string]any{"resourceId": arn, "resourceType": strings.ToUpper(strings.SplitN(arn[strings.LastIndex(arn, ":")+1:], "/", 2)[0])}
	}
	return e
}

func (s *Server) listTags(arn string, r *http.Request) (int, any, error) {
	tags, ok := s.env.Tags.Get(arn)
	if !ok {
		_, flavor := tagFlavor(arn)
		return 0, nil, tagNotFound(arn, flavor)
	}
	return http.StatusOK, map[string]any{"tags": tags}, nil
}

func (s *Server) tagResource(arn string, r *http.Request) (int, any, error) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Tags == nil {
		return 0, nil, emu.Validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if err := emu.ValidateTags(in.Tags); err != nil {
		return 0, nil, err
	}
	cur, ok := s.env.Tags.Get(arn)
	if !ok {
		_, flavor := tagFlavor(arn)
		return 0, nil, tagNotFound(arn, flavor)
	}
	merged := len(cur)
	for k := range in.Tags {
		if _, exists := cur[k]; !exists {
			merged++
		}
	}
	if merged > 50 {
		return 0, nil, emu.Validation("a resource can have at most 50 tags")
	}
	if !s.env.Tags.Set(arn, in.Tags) {
		_, flavor := tagFlavor(arn)
		return 0, nil, tagNotFound(arn, flavor)
	}
	return http.StatusOK, nil, nil
}

func (s *Server) untagResource(arn string, r *http.Request) (int, any, error) {
	keys := r.URL.Query()["tagKeys"]
	if len(keys) == 0 {
		return 0, nil, emu.Validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	if len(keys) > 50 {
		return 0, nil, emu.Validation("1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	if !s.env.Tags.Remove(arn, keys) {
		_, flavor := tagFlavor(arn)
		return 0, nil, tagNotFound(arn, flavor)
	}
	return http.StatusOK, nil, nil
}
