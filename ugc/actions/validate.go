package actions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Limits of the overlay types, in characters (Unicode code points), as the
// seed's stream manager enforces them.
const (
	MaxQuizQuestionLen = 256
	MinQuizAnswers     = 3
	MaxQuizAnswers     = 5
	MaxQuizAnswerLen   = 128

	MaxProductTitleLen       = 32
	MaxProductPriceLen       = 10
	MaxProductImageURLLen    = 256
	MaxProductDescriptionLen = 256

	MaxAmazonTitleLen = 256
	MaxAmazonPriceLen = 32
	MaxAmazonURLLen   = 512

	MaxNoticeTitleLen   = 24
	MaxNoticeMessageLen = 256

	MinDurationSeconds = 5  // shortest quiz, notice or celebration
	MaxDurationSeconds = 30 // longest quiz, notice or celebration

	DefaultQuizDuration        = 15 // seconds
	DefaultNoticeDuration      = 15 // seconds
	DefaultCelebrationDuration = 10 // seconds
)

// Quiz is the data of a quiz overlay: a question, 3 to 5 unique answers,
// the index of the correct one and how long it shows (5–30 s, default 15).
type Quiz struct {
	Question           string   `json:"question"`
	Answers            []string `json:"answers"`
	CorrectAnswerIndex int      `json:"correctAnswerIndex"`
	Duration           int      `json:"duration"`
}

// Product is the data of a product overlay. It stays until replaced or
// stopped.
type Product struct {
	Title       string `json:"title"`
	Price       string `json:"price"`
	ImageURL    string `json:"imageUrl"`
	Description string `json:"description"`
}

// AmazonProduct is the data of an amazon_product overlay: the fields of a
// product search result the player shows. It stays until replaced or
// stopped, and is accepted only when Options.EnableAmazonProduct is set.
type AmazonProduct struct {
	Title      string `json:"title"`
	Price      string `json:"price"`
	ImageURL   string `json:"imageUrl"`
	ProductURL string `json:"productUrl"`
}

// Notice is the data of a notice overlay (5–30 s, default 15).
type Notice struct {
	Title    string `json:"title"`
	Message  string `json:"message"`
	Duration int    `json:"duration"`
}

// Celebration is the data of a celebration overlay (5–30 s, default 10).
type Celebration struct {
	Duration int `json:"duration"`
}

// Types lists the overlay types in the order they are documented.
var Types = []string{ugc.ActionQuiz, ugc.ActionProduct, ugc.ActionAmazonProduct, ugc.ActionNotice, ugc.ActionCelebration}

// PresetPoll is the preset type of a saved poll configuration (a PollInput).
const PresetPoll = "poll"

// decodeStrict decodes one JSON object into v, refusing unknown fields,
// trailing data and null.
func decodeStrict(data json.RawMessage, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return ugc.InvalidField("data", "is required")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return ugc.InvalidField("data."+te.Field, "must be a JSON %s", te.Type.Kind())
		}
		msg := err.Error()
		if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			return ugc.InvalidField("data."+strings.Trim(f, `"`), "is not a field of this type")
		}
		return ugc.InvalidField("data", "must be a JSON object: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ugc.InvalidField("data", "must hold a single JSON object")
	}
	return nil
}

func checkText(field, v string, min, max int) error {
	if !utf8.ValidString(v) {
		return ugc.InvalidField(field, "must be valid UTF-8")
	}
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	if n < min {
		return ugc.InvalidField(field, "is required")
	}
	if utf8.RuneCountInString(v) > max {
		return ugc.InvalidField(field, "must be at most %d characters", max)
	}
	return nil
}

func checkURL(field, v string, max int) error {
	if err := checkText(field, v, 1, max); err != nil {
		return err
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ugc.InvalidField(field, "must be an http or https URL")
	}
	return nil
}

func checkDuration(field string, d *int, def int) error {
	if *d == 0 {
		*d = def
	}
	if *d < MinDurationSeconds || *d > MaxDurationSeconds {
		return ugc.InvalidField(field, "must be between %d and %d seconds", MinDurationSeconds, MaxDurationSeconds)
	}
	return nil
}

// checkUnique reports the first option that repeats another, compared
// after trimming spaces and case-insensitively.
func checkUnique(field string, opts []string) error {
	seen := make(map[string]bool, len(opts))
	for _, o := range opts {
		k := strings.ToLower(strings.TrimSpace(o))
		if seen[k] {
			return ugc.InvalidField(field, "must be unique; %q repeats", o)
		}
		seen[k] = true
	}
	return nil
}

// Validate checks the data of an overlay of type typ field by field (the
// errors name the field, e.g. "data.question") and returns it in canonical
// form with defaults filled in, and how long the overlay lasts (0: until
// replaced or stopped). amazonEnabled says whether amazon_product is
// accepted.
func Validate(typ string, data json.RawMessage, amazonEnabled bool) (canonical json.RawMessage, d time.Duration, err error) {
	var v any
	secs := 0
	switch typ {
	case ugc.ActionQuiz:
		var q Quiz
		if err := decodeStrict(data, &q); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.question", q.Question, 1, MaxQuizQuestionLen); err != nil {
			return nil, 0, err
		}
		if n := len(q.Answers); n < MinQuizAnswers || n > MaxQuizAnswers {
			return nil, 0, ugc.InvalidField("data.answers", "must hold %d to %d answers", MinQuizAnswers, MaxQuizAnswers)
		}
		for _, a := range q.Answers {
			if err := checkText("data.answers", a, 1, MaxQuizAnswerLen); err != nil {
				return nil, 0, err
			}
		}
		if err := checkUnique("data.answers", q.Answers); err != nil {
			return nil, 0, err
		}
		if q.CorrectAnswerIndex < 0 || q.CorrectAnswerIndex >= len(q.Answers) {
			return nil, 0, ugc.InvalidField("data.correctAnswerIndex", "must be the index of one of the answers")
		}
		if err := checkDuration("data.duration", &q.Duration, DefaultQuizDuration); err != nil {
			return nil, 0, err
		}
		v, secs = q, q.Duration
	case ugc.ActionProduct:
		var p Product
		if err := decodeStrict(data, &p); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.title", p.Title, 1, MaxProductTitleLen); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.price", p.Price, 1, MaxProductPriceLen); err != nil {
			return nil, 0, err
		}
		if err := checkURL("data.imageUrl", p.ImageURL, MaxProductImageURLLen); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.description", p.Description, 0, MaxProductDescriptionLen); err != nil {
			return nil, 0, err
		}
		v = p
	case ugc.ActionAmazonProduct:
		if !amazonEnabled {
			return nil, 0, &ugc.Error{Kind: ugc.ErrInvalidArgument, Field: "type", Code: "action_disabled",
				Message: "amazon_product overlays are not enabled"}
		}
		var p AmazonProduct
		if err := decodeStrict(data, &p); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.title", p.Title, 1, MaxAmazonTitleLen); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.price", p.Price, 0, MaxAmazonPriceLen); err != nil {
			return nil, 0, err
		}
		if err := checkURL("data.imageUrl", p.ImageURL, MaxAmazonURLLen); err != nil {
			return nil, 0, err
		}
		if err := checkURL("data.productUrl", p.ProductURL, MaxAmazonURLLen); err != nil {
			return nil, 0, err
		}
		v = p
	case ugc.ActionNotice:
		var n Notice
		if err := decodeStrict(data, &n); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.title", n.Title, 1, MaxNoticeTitleLen); err != nil {
			return nil, 0, err
		}
		if err := checkText("data.message", n.Message, 1, MaxNoticeMessageLen); err != nil {
			return nil, 0, err
		}
		if err := checkDuration("data.duration", &n.Duration, DefaultNoticeDuration); err != nil {
			return nil, 0, err
		}
		v, secs = n, n.Duration
	case ugc.ActionCelebration:
		c := Celebration{}
		if d := bytes.TrimSpace(data); len(d) > 0 && !bytes.Equal(d, []byte("null")) {
			if err := decodeStrict(data, &c); err != nil {
				return nil, 0, err
			}
		}
		if err := checkDuration("data.duration", &c.Duration, DefaultCelebrationDuration); err != nil {
			return nil, 0, err
		}
		v, secs = c, c.Duration
	default:
		return nil, 0, ugc.InvalidField("type", "must be one of %s", strings.Join(Types, ", "))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, 0, err
	}
	return b, time.Duration(secs) * time.Second, nil
}

// Poll limits.
const (
	MaxPollQuestionLen = 256
	MinPollOptions     = 2
	MaxPollOptions     = 5
	MaxPollOptionLen   = 40
	MinPollSeconds     = 10
	MaxPollSeconds     = 1800 // Twitch's longest poll; the seed stops at 120
)

// PollInput is a poll to start.
type PollInput struct {
	Question        string   `json:"question"`
	Options         []string `json:"options"`
	DurationSeconds int      `json:"durationSeconds"`
}

// Validate checks the poll field by field.
func (in *PollInput) Validate() error {
	if err := checkText("question", in.Question, 1, MaxPollQuestionLen); err != nil {
		return err
	}
	if n := len(in.Options); n < MinPollOptions || n > MaxPollOptions {
		return ugc.InvalidField("options", "must hold %d to %d options", MinPollOptions, MaxPollOptions)
	}
	for _, o := range in.Options {
		if err := checkText("options", o, 1, MaxPollOptionLen); err != nil {
			return err
		}
	}
	if err := checkUnique("options", in.Options); err != nil {
		return err
	}
	if in.DurationSeconds < MinPollSeconds || in.DurationSeconds > MaxPollSeconds {
		return ugc.InvalidField("durationSeconds", "must be between %d and %d", MinPollSeconds, MaxPollSeconds)
	}
	return nil
}
