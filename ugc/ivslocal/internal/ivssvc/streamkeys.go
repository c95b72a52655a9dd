package ivssvc

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

// streamKey is one stream key; all fields are persisted.
type streamKey struct {
	ARN        string            `json:"arn"`
	ChannelARN string            `json:"channelArn"`
	Value      string            `json:"value"`
	Tags       map[string]string `json:"tags,omitempty"` // only in the state file
}

// keyOut returns the StreamKey shape, or the StreamKeySummary shape (no
// value) when withValue is false.
func (s *Service) keyOut(k *streamKey, withValue bool) map[string]any {
	m := map[string]any{"arn": k.ARN, "channelArn": k.ChannelARN, "tags": s.tagsOf(k.ARN)}
	if withValue {
		m["value"] = k.Value
	}
	return m
}

func (s *Service) keysOfLocked(channelARN string) []*streamKey {
	var out []*streamKey
	for _, k := range s.keys {
		if k.ChannelARN == channelARN {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}

func (s *Service) createStreamKey(r *http.Request) (int, any, error) {
	var in struct {
		ChannelArn string            `json:"channelArn"`
		Tags       map[string]string `json:"tags"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := emu.ValidateTags(in.Tags); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		return 0, nil, err
	}
	if len(s.keysOfLocked(c.ARN)) >= streamKeysPerChannel {
		return 0, nil, emu.Errorf("ServiceQuotaExceededException", "Limit of %d stream key per channel reached", streamKeysPerChannel)
	}
	k := &streamKey{ARN: s.env.ARN("ivs", "stream-key/"+emu.RandomID(12)), ChannelARN: c.ARN, Value: newStreamKeyValue(s.env.Region)}
	s.keys[k.ARN] = k
	s.env.Tags.Register(k.ARN, in.Tags)
	return http.StatusOK, map[string]any{"streamKey": s.keyOut(k, true)}, nil
}

func (s *Service) keyByARNLocked(arn string) (*streamKey, *emu.Error) {
	if err := checkARN("arn", arn, reStreamKeyARN, true); err != nil {
		return nil, err
	}
	k := s.keys[arn]
	if k == nil {
		return nil, emu.NotFound(arn)
	}
	return k, nil
}

func (s *Service) getStreamKey(r *http.Request) (int, any, error) {
	var in arnIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.keyByARNLocked(in.Arn)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"streamKey": s.keyOut(k, true)}, nil
}

func (s *Service) listStreamKeys(r *http.Request) (int, any, error) {
	var in struct {
		ChannelArn string `json:"channelArn"`
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	limit, offset, err := pageArgs(in.MaxResults, in.NextToken, 50, defaultKeysMaxResults)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelByARNLocked("channelArn", in.ChannelArn)
	if err != nil {
		return 0, nil, err
	}
	pg, next := page(s.keysOfLocked(c.ARN), limit, offset)
	out := make([]map[string]any, 0, len(pg))
	for _, k := range pg {
		out = append(out, s.keyOut(k, false))
	}
	res := map[string]any{"streamKeys": out}
	if next != "" {
		res["nextToken"] = next
	}
	return http.StatusOK, res, nil
}

func (s *Service) deleteStreamKey(r *http.Request) (int, any, error) {
	var in arnIn
	if err := emu.DecodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.keyByARNLocked(in.Arn)
	if err != nil {
		return 0, nil, err
	}
	delete(s.keys, k.ARN)
	s.env.Tags.Forget(k.ARN)
	return http.StatusNoContent, nil, nil
}

func (s *Service) batchGetStreamKey(r *http.Request) (int, any, error) {
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
		if err := checkARN(fmt.Sprintf("arns.%d.member", i+1), a, reStreamKeyARN, true); err != nil {
			return 0, nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := []map[string]any{}
	errs := []batchError{}
	for _, a := range in.Arns {
		if k := s.keys[a]; k != nil {
			keys = append(keys, s.keyOut(k, true))
			continue
		}
		errs = append(errs, batchError{Arn: a, Code: "ResourceNotFoundException", Message: "Resource: " + a + " not found"})
	}
	return http.StatusOK, map[string]any{"streamKeys": keys, "errors": errs}, nil
}
