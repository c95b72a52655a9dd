package actions_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/actions"
)

func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	tests := []struct {
		name      string
		typ, data string
		amazon    bool
		want      string // canonical data; "" when an error is expected
		wantDur   time.Duration
		wantField string
		wantCode  string
	}{
		{name: "quiz default duration", typ: "quiz", data: `{"question":"Q?","answers":["a","b","c"],"correctAnswerIndex":2}`,
			want: `{"question":"Q?","answers":["a","b","c"],"correctAnswerIndex":2,"duration":15}`, wantDur: 15 * time.Second},
		{name: "quiz question at limit", typ: "quiz", data: `{"question":"` + long(256) + `","answers":["a","b","c"],"correctAnswerIndex":0,"duration":5}`,
			want: `{"question":"` + long(256) + `","answers":["a","b","c"],"correctAnswerIndex":0,"duration":5}`, wantDur: 5 * time.Second},
		{name: "quiz question too long", typ: "quiz", data: `{"question":"` + long(257) + `","answers":["a","b","c"],"correctAnswerIndex":0}`, wantField: "data.question"},
		{name: "quiz empty question", typ: "quiz", data: `{"question":"  ","answers":["a","b","c"],"correctAnswerIndex":0}`, wantField: "data.question"},
		{name: "quiz two answers", typ: "quiz", data: `{"question":"q","answers":["a","b"],"correctAnswerIndex":0}`, wantField: "data.answers"},
		{name: "quiz six answers", typ: "quiz", data: `{"question":"q","answers":["a","b","c","d","e","f"],"correctAnswerIndex":0}`, wantField: "data.answers"},
		{name: "quiz duplicate answers", typ: "quiz", data: `{"question":"q","answers":["a","b"," A "],"correctAnswerIndex":0}`, wantField: "data.answers"},
		{name: "quiz answer too long", typ: "quiz", data: `{"question":"q","answers":["a","b","` + long(129) + `"],"correctAnswerIndex":0}`, wantField: "data.answers"},
		{name: "quiz bad index", typ: "quiz", data: `{"question":"q","answers":["a","b","c"],"correctAnswerIndex":3}`, wantField: "data.correctAnswerIndex"},
		{name: "quiz duration 31", typ: "quiz", data: `{"question":"q","answers":["a","b","c"],"correctAnswerIndex":0,"duration":31}`, wantField: "data.duration"},
		{name: "quiz unknown field", typ: "quiz", data: `{"question":"q","answers":["a","b","c"],"correctAnswerIndex":0,"x":1}`, wantField: "data.x"},
		{name: "quiz wrong type", typ: "quiz", data: `{"question":1}`, wantField: "data.question"},
		{name: "product", typ: "product", data: `{"title":"Mug","price":"$10","imageUrl":"https://x.test/m.png","description":"A mug"}`,
			want: `{"title":"Mug","price":"$10","imageUrl":"https://x.test/m.png","description":"A mug"}`},
		{name: "product title too long", typ: "product", data: `{"title":"` + long(33) + `","price":"1","imageUrl":"https://x.test/m.png","description":""}`, wantField: "data.title"},
		{name: "product price too long", typ: "product", data: `{"title":"t","price":"12345678901","imageUrl":"https://x.test/m.png","description":""}`, wantField: "data.price"},
		{name: "product ftp image", typ: "product", data: `{"title":"t","price":"1","imageUrl":"ftp://x.test/m.png","description":""}`, wantField: "data.imageUrl"},
		{name: "product image too long", typ: "product", data: `{"title":"t","price":"1","imageUrl":"https://x.test/` + strings.Repeat("a", 250) + `","description":""}`, wantField: "data.imageUrl"},
		{name: "product description too long", typ: "product", data: `{"title":"t","price":"1","imageUrl":"https://x.test/m.png","description":"` + long(257) + `"}`, wantField: "data.description"},
		{name: "amazon disabled", typ: "amazon_product", data: `{"title":"t","price":"1","imageUrl":"https://x.test/m.png","productUrl":"https://x.test/p"}`, wantField: "type", wantCode: "action_disabled"},
		{name: "amazon enabled", typ: "amazon_product", amazon: true, data: `{"title":"t","price":"1","imageUrl":"https://x.test/m.png","productUrl":"https://x.test/p"}`,
			want: `{"title":"t","price":"1","imageUrl":"https://x.test/m.png","productUrl":"https://x.test/p"}`},
		{name: "amazon bad product URL", typ: "amazon_product", amazon: true, data: `{"title":"t","price":"1","imageUrl":"https://x.test/m.png","productUrl":"p"}`, wantField: "data.productUrl"},
		{name: "notice", typ: "notice", data: `{"title":"Hi","message":"Welcome","duration":30}`, want: `{"title":"Hi","message":"Welcome","duration":30}`, wantDur: 30 * time.Second},
		{name: "notice title too long", typ: "notice", data: `{"title":"` + long(25) + `","message":"m"}`, wantField: "data.title"},
		{name: "notice message too long", typ: "notice", data: `{"title":"t","message":"` + long(257) + `"}`, wantField: "data.message"},
		{name: "notice duration 4", typ: "notice", data: `{"title":"t","message":"m","duration":4}`, wantField: "data.duration"},
		{name: "celebration default", typ: "celebration", data: `{}`, want: `{"duration":10}`, wantDur: 10 * time.Second},
		{name: "celebration no data", typ: "celebration", data: ``, want: `{"duration":10}`, wantDur: 10 * time.Second},
		{name: "celebration null data", typ: "celebration", data: `null`, want: `{"duration":10}`, wantDur: 10 * time.Second},
		{name: "celebration too long", typ: "celebration", data: `{"duration":60}`, wantField: "data.duration"},
		{name: "unknown type", typ: "poll", data: `{}`, wantField: "type"},
		{name: "null data", typ: "notice", data: `null`, wantField: "data"},
		{name: "trailing data", typ: "notice", data: `{"title":"t","message":"m"} {}`, wantField: "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, d, err := actions.Validate(tt.typ, json.RawMessage(tt.data), tt.amazon)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Validate = %s, want an error naming %q", got, tt.wantField)
				}
				if !ugcIs(err, ugc.ErrInvalidArgument) || ugc.FieldOf(err) != tt.wantField {
					t.Errorf("error %v: field %q, want %q (invalid argument)", err, ugc.FieldOf(err), tt.wantField)
				}
				if tt.wantCode != "" && ugc.CodeOf(err) != tt.wantCode {
					t.Errorf("code %q, want %q", ugc.CodeOf(err), tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("canonical data mismatch (-want +got):\n%s", diff)
			}
			if d != tt.wantDur {
				t.Errorf("duration %s, want %s", d, tt.wantDur)
			}
		})
	}
}

func TestPollInputValidate(t *testing.T) {
	ok := actions.PollInput{Question: "Best?", Options: []string{"a", "b"}, DurationSeconds: 10}
	tests := []struct {
		name      string
		mod       func(*actions.PollInput)
		wantField string
	}{
		{"ok", func(*actions.PollInput) {}, ""},
		{"1800 s", func(p *actions.PollInput) { p.DurationSeconds = 1800 }, ""},
		{"five options", func(p *actions.PollInput) { p.Options = []string{"a", "b", "c", "d", "e"} }, ""},
		{"empty question", func(p *actions.PollInput) { p.Question = "" }, "question"},
		{"question too long", func(p *actions.PollInput) { p.Question = strings.Repeat("q", 257) }, "question"},
		{"one option", func(p *actions.PollInput) { p.Options = []string{"a"} }, "options"},
		{"six options", func(p *actions.PollInput) { p.Options = []string{"a", "b", "c", "d", "e", "f"} }, "options"},
		{"option too long", func(p *actions.PollInput) { p.Options = []string{"a", strings.Repeat("ö", 41)} }, "options"},
		{"empty option", func(p *actions.PollInput) { p.Options = []string{"a", " "} }, "options"},
		{"duplicate options", func(p *actions.PollInput) { p.Options = []string{"Yes", "yes "} }, "options"},
		{"9 s", func(p *actions.PollInput) { p.DurationSeconds = 9 }, "durationSeconds"},
		{"1801 s", func(p *actions.PollInput) { p.DurationSeconds = 1801 }, "durationSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Options = append([]string(nil), ok.Options...)
			tt.mod(&in)
			err := in.Validate()
			if got := ugc.FieldOf(err); got != tt.wantField || (tt.wantField != "") != (err != nil) {
				t.Errorf("Validate() = %v (field %q), want field %q", err, got, tt.wantField)
			}
		})
	}
}

// The exported schema states the limits the Go code enforces.
func TestMetadataSchemaMatchesLimits(t *testing.T) {
	var s struct {
		Required   []string `json:"required"`
		Properties struct {
			Type struct {
				Enum []string `json:"enum"`
			} `json:"type"`
		} `json:"properties"`
		Defs map[string]struct {
			Required   []string                  `json:"required"`
			Properties map[string]map[string]any `json:"properties"`
			Minimum    float64                   `json:"minimum"`
			Maximum    float64                   `json:"maximum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(actions.MetadataSchema, &s); err != nil {
		t.Fatalf("MetadataSchema is not JSON: %v", err)
	}
	if diff := cmp.Diff(append(append([]string(nil), actions.Types...), actions.TypeClear), s.Properties.Type.Enum); diff != "" {
		t.Errorf("type enum mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"v", "id", "type", "expiresAt"}, s.Required); diff != "" {
		t.Errorf("required mismatch (-want +got):\n%s", diff)
	}
	limit := func(def, field, key string) float64 {
		v, _ := s.Defs[def].Properties[field][key].(float64)
		return v
	}
	got := map[string]float64{
		"quiz.question":     limit("quiz", "question", "maxLength"),
		"quiz.answers.min":  limit("quiz", "answers", "minItems"),
		"quiz.answers.max":  limit("quiz", "answers", "maxItems"),
		"product.title":     limit("product", "title", "maxLength"),
		"product.price":     limit("product", "price", "maxLength"),
		"product.imageUrl":  limit("product", "imageUrl", "maxLength"),
		"product.desc":      limit("product", "description", "maxLength"),
		"amazon.title":      limit("amazon_product", "title", "maxLength"),
		"amazon.productUrl": limit("amazon_product", "productUrl", "maxLength"),
		"notice.title":      limit("notice", "title", "maxLength"),
		"notice.message":    limit("notice", "message", "maxLength"),
		"duration.min":      s.Defs["duration"].Minimum,
		"duration.max":      s.Defs["duration"].Maximum,
	}
	want := map[string]float64{
		"quiz.question": actions.MaxQuizQuestionLen, "quiz.answers.min": actions.MinQuizAnswers, "quiz.answers.max": actions.MaxQuizAnswers,
		"product.title": actions.MaxProductTitleLen, "product.price": actions.MaxProductPriceLen,
		"product.imageUrl": actions.MaxProductImageURLLen, "product.desc": actions.MaxProductDescriptionLen,
		"amazon.title": actions.MaxAmazonTitleLen, "amazon.productUrl": actions.MaxAmazonURLLen,
		"notice.title": actions.MaxNoticeTitleLen, "notice.message": actions.MaxNoticeMessageLen,
		"duration.min": actions.MinDurationSeconds, "duration.max": actions.MaxDurationSeconds,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schema limits mismatch (-want +got):\n%s", diff)
	}
	// Each type's required fields are exactly the canonical data's keys.
	samples := map[string]string{
		"quiz":           `{"question":"q","answers":["a","b","c"],"correctAnswerIndex":0}`,
		"product":        `{"title":"t","price":"1","imageUrl":"https://x.test/i","description":""}`,
		"amazon_product": `{"title":"t","price":"1","imageUrl":"https://x.test/i","productUrl":"https://x.test/p"}`,
		"notice":         `{"title":"t","message":"m"}`,
		"celebration":    `{}`,
	}
	for typ, data := range samples {
		canon, _, err := actions.Validate(typ, json.RawMessage(data), true)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		var m map[string]any
		_ = json.Unmarshal(canon, &m)
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		if diff := cmp.Diff(s.Defs[typ].Required, keys, sortStrings); diff != "" {
			t.Errorf("%s: required fields mismatch (-want +got):\n%s", typ, diff)
		}
	}
}

var sortStrings = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func ugcIs(err, kind error) bool { return ugc.KindOf(err) == kind }

// Validate is idempotent on its own output, and whatever it accepts
// encodes into a document DecodeMetadata reads back.
func FuzzValidate(f *testing.F) {
	f.Add("quiz", `{"question":"q","answers":["a","b","c"],"correctAnswerIndex":1,"duration":7}`)
	f.Add("notice", `{"title":"t","message":"m"}`)
	f.Add("product", `{"title":"t","price":"1","imageUrl":"https://x.test/i","description":"d"}`)
	f.Add("celebration", `{"duration":30}`)
	f.Fuzz(func(t *testing.T, typ, data string) {
		canon, d, err := actions.Validate(typ, json.RawMessage(data), true)
		if err != nil {
			return
		}
		again, d2, err := actions.Validate(typ, canon, true)
		if err != nil || string(again) != string(canon) || d2 != d {
			t.Fatalf("not idempotent: %s → %s, %v", canon, again, err)
		}
		a := &ugc.Action{ID: "id", Type: typ, Data: canon, StartedAt: time.Unix(1, 0)}
		payload, err := actions.EncodeMetadata(a)
		if err != nil {
			if ugc.KindOf(err) != ugc.ErrTooLarge {
				t.Fatalf("EncodeMetadata: %v", err)
			}
			return
		}
		m, err := actions.DecodeMetadata(payload)
		if err != nil || m.Type != typ || string(m.Data) != string(canon) {
			t.Fatalf("round trip of %s: %+v, %v", payload, m, err)
		}
	})
}

// DecodeMetadata accepts what EncodeMetadata writes and nothing it would
// not write back the same.
func FuzzDecodeMetadata(f *testing.F) {
	f.Add(`{"v":1,"id":"a1","type":"celebration","data":{"duration":10},"startedAt":"2026-11-25T12:00:00Z","expiresAt":"2026-11-25T12:00:10Z"}`)
	f.Add(`{"v":1,"id":"a1","type":"clear","expiresAt":null}`)
	f.Add(`{"v":2,"type":"quiz"}`)
	f.Fuzz(func(t *testing.T, payload string) {
		m, err := actions.DecodeMetadata(payload)
		if err != nil {
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", m, err)
		}
		m2, err := actions.DecodeMetadata(string(b))
		if err != nil {
			t.Fatalf("decoding the re-encoded %s: %v", b, err)
		}
		b2, _ := json.Marshal(m2)
		if string(b) != string(b2) {
			t.Fatalf("round trip: %s → %s", b, b2)
		}
	})
}
