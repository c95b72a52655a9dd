package chat_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/chat"
)

func TestMatcher(t *testing.T) {
	m := chat.CompileTerms([]string{"bad", "Buy Now", "CAFÉ", "中文", "f*ck", "x_y"})
	tests := []struct {
		text      string
		wantMatch bool
		wantMask  string
	}{
		{"", false, ""},
		{"all good here", false, "all good here"},
		{"bad", true, "***"},
		{"this is BAD!", true, "this is ***!"},
		{"Bad, bad, bAd.", true, "***, ***, ***."},
		{"badly", false, "badly"},
		{"notbad", false, "notbad"},
		{"bad_ass", false, "bad_ass"},
		{"(bad)", true, "(***)"},
		{"buy now", true, "*******"},
		{"BUY...  now!", true, "***********!"},
		{"buy", false, "buy"},
		{"buy later, now", false, "buy later, now"},
		{"buy buy now", true, "buy *******"},
		{"café au lait", true, "**** au lait"},
		{"Café", true, "****"},
		{"cafés", false, "cafés"},
		{"说中文吗", false, "说中文吗"},
		{"说 中文 吗", true, "说 ** 吗"},
		{"f ck", true, "****"},
		{"f-ck!", true, "****!"},
		{"x_y", true, "***"},
		{"x y", false, "x y"},
		{"bad\u0301", false, "bad\u0301"}, // a combining mark continues the word
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := m.Match(tt.text); got != tt.wantMatch {
				t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.wantMatch)
			}
			got, ok := m.Mask(tt.text)
			if got != tt.wantMask || ok != tt.wantMatch {
				t.Errorf("Mask(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.wantMask, tt.wantMatch)
			}
		})
	}
	if got := m.Len(); got != 6 {
		t.Errorf("Len = %d, want 6", got)
	}
	var zero *chat.Matcher
	if zero.Match("bad") || zero.Len() != 0 {
		t.Error("a nil Matcher matched")
	}
}

func TestNormalizeTerms(t *testing.T) {
	many := make([]string, chat.MaxTerms+1)
	for i := range many {
		many[i] = "term" + strings.Repeat("x", i%40) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	tests := []struct {
		name    string
		in      []string
		want    []string
		wantErr bool
	}{
		{"empty", nil, []string{}, false},
		{"clean", []string{"  Bad  ", "buy   now", "BAD", "bad!", "other"}, []string{"Bad", "buy now", "other"}, false},
		{"500", many[:500], many[:500], false},
		{"501", many, nil, true},
		{"duplicates do not count", append(many[:499:499], "BAD", "bad"), append(many[:499:499], "BAD"), false},
		{"too long", []string{strings.Repeat("é", chat.MaxTermLen+1)}, nil, true},
		{"longest", []string{strings.Repeat("é", chat.MaxTermLen)}, []string{strings.Repeat("é", chat.MaxTermLen)}, false},
		{"punctuation only", []string{"!!!"}, nil, true},
		{"blank", []string{"   "}, nil, true},
		{"control", []string{"a\x00b"}, nil, true},
		{"invalid utf-8", []string{"a\xffb"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chat.NormalizeTerms(tt.in)
			if (err != nil) != tt.wantErr || err != nil && ugc.FieldOf(err) != "terms" {
				t.Fatalf("NormalizeTerms: error %v, want error %v naming terms", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
				t.Errorf("NormalizeTerms mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// reference is a regexp matcher for ASCII text and terms: each term's
// words in sequence, separated by non-word characters, with word
// boundaries around.
func reference(terms []string, text string) bool {
	word := regexp.MustCompile(`\w+`)
	for _, t := range terms {
		ws := word.FindAllString(t, -1)
		if len(ws) == 0 {
			continue
		}
		for i := range ws {
			ws[i] = regexp.QuoteMeta(ws[i])
		}
		re := regexp.MustCompile(`(?i)(^|\W)` + strings.Join(ws, `\W+`) + `(\W|$)`)
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

func isASCIIPrintable(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// FuzzMatcher compares the Matcher with a regexp reference on ASCII input,
// and checks that Mask keeps the length and hides every match.
func FuzzMatcher(f *testing.F) {
	f.Add("bad", "this is bad!")
	f.Add("buy now", "BUY... now")
	f.Add("a_b", "a b a_b")
	f.Add("x", "xx x")
	f.Fuzz(func(t *testing.T, term, text string) {
		if !isASCIIPrintable(term) || !isASCIIPrintable(text) {
			t.Skip()
		}
		m := chat.CompileTerms([]string{term})
		want := reference([]string{term}, text)
		if got := m.Match(text); got != want {
			t.Fatalf("Match(%q) with term %q = %v, reference says %v", text, term, got, want)
		}
		masked, ok := m.Mask(text)
		if ok != want || len(masked) != len(text) {
			t.Fatalf("Mask(%q) = %q, %v", text, masked, ok)
		}
		if m.Match(masked) {
			t.Fatalf("Mask(%q) = %q still matches %q", text, masked, term)
		}
	})
}

// FuzzNormalizeTerms checks that normalizing is idempotent and that every
// stored term still matches itself.
func FuzzNormalizeTerms(f *testing.F) {
	f.Add("  Bad  ", "buy   now")
	f.Add("é", "É")
	f.Add("a\u0301", "x_y")
	f.Fuzz(func(t *testing.T, a, b string) {
		once, err := chat.NormalizeTerms([]string{a, b})
		if err != nil {
			if ugc.FieldOf(err) != "terms" {
				t.Fatalf("error %v does not name terms", err)
			}
			return
		}
		twice, err := chat.NormalizeTerms(once)
		if err != nil {
			t.Fatalf("NormalizeTerms(%q) failed on its own output %q: %v", []string{a, b}, once, err)
		}
		if diff := cmp.Diff(once, twice); diff != "" {
			t.Fatalf("not idempotent (-once +twice):\n%s", diff)
		}
		m := chat.CompileTerms(once)
		for _, term := range once {
			if !m.Match(term) {
				t.Fatalf("term %q does not match itself", term)
			}
		}
	})
}
