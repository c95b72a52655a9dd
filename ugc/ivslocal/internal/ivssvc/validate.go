package ivssvc

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

var (
	reName          = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	reChannelARN    = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+$`)
	reStreamKeyARN  = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stream-key/[a-zA-Z0-9-]+$`)
	reRecordingARN  = regexp.MustCompile(`^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:recording-configuration/[a-zA-Z0-9-]+$`)
	rePlaybackRPARN = regexp.MustCompile(`^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:playback-restriction-policy/[a-zA-Z0-9-]+$`)
	reAdConfigARN   = regexp.MustCompile(`^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:ad-configuration/[a-zA-Z0-9-]+$`)
	reNextToken     = regexp.MustCompile(`^[a-zA-Z0-9+/=_-]*$`)
	reStreamID      = regexp.MustCompile(`^st-[a-zA-Z0-9]+$`)
)

// constraint returns the ValidationException AWS sends for one failed field.
func constraint(field string, value any, rule string) *emu.Error {
	return emu.Validation("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, field, rule)
}

func checkName(field, v string) *emu.Error {
	if len(v) > 128 {
		return constraint(field, v, "Member must have length less than or equal to 128")
	}
	if !reName.MatchString(v) {
		return constraint(field, v, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9-_]*$")
	}
	return nil
}

func checkARN(field, v string, re *regexp.Regexp, required bool) *emu.Error {
	if v == "" && required {
		return constraint(field, v, "Member must not be null")
	}
	if len(v) > 128 {
		return constraint(field, v, "Member must have length less than or equal to 128")
	}
	if v != "" && !re.MatchString(v) {
		return constraint(field, v, "Member must satisfy regular expression pattern: "+re.String())
	}
	return nil
}

func checkEnum(field, v string, allowed ...string) *emu.Error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return constraint(field, v, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// pageArgs validates maxResults (1..max, default def) and nextToken and
// returns the offset the token stands for.
func pageArgs(maxResults *int, nextToken string, max, def int) (limit, offset int, err *emu.Error) {
	limit = def
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > max {
			return 0, 0, constraint("maxResults", *maxResults, "Member must have value between 1 and "+strconv.Itoa(max))
		}
		limit = *maxResults
	}
	if nextToken == "" {
		return limit, 0, nil
	}
	if len(nextToken) > 1024 || !reNextToken.MatchString(nextToken) {
		return 0, 0, constraint("nextToken", nextToken, "Member must satisfy regular expression pattern: [a-zA-Z0-9+/=_-]*")
	}
	raw, decErr := base64.RawURLEncoding.DecodeString(nextToken)
	n, convErr := strconv.Atoi(strings.TrimPrefix(string(raw), "o:"))
	if decErr != nil || convErr != nil || !strings.HasPrefix(string(raw), "o:") || n < 0 {
		return 0, 0, emu.Validation("The nextToken is invalid")
	}
	return limit, n, nil
}

// page slices items[offset:offset+limit] and returns the token of the next
// page, "" on the last one.
func page[T any](items []T, limit, offset int) ([]T, string) {
	if offset >= len(items) {
		return []T{}, ""
	}
	end := min(offset+limit, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end)))
	}
	return items[offset:end], next
}
