package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// Blocked term limits.
const (
	MaxTerms   = 500 // terms per channel
	MaxTermLen = 50  // characters per term
)

// isWordRune reports whether r belongs to a word: letters, digits,
// combining marks and '_' (the word characters of a regexp's \b, extended
// to Unicode).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// foldRune is the case folding of matching: lower case.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// scanner walks the words of a text.
type scanner struct {
	text  string
	pos   int
	start int // byte offset of the current word in text
	end   int // byte offset just past it
}

// next advances to the next word and reports whether there was one; it
// returns the folded word appended to buf[:0]. (The buffer is passed in
// and out, not kept in the scanner, so a caller's stack buffer stays on
// the stack.)
func (s *scanner) next(buf []byte) ([]byte, bool) {
	t := s.text
	i := s.pos
	for i < len(t) {
		r, n := rune(t[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(t[i:])
		}
		if isWordRune(r) {
			break
		}
		i += n
	}
	buf = buf[:0]
	if i >= len(t) {
		s.pos = i
		return buf, false
	}
	s.start = i
	for i < len(t) {
		c := t[i]
		if c < utf8.RuneSelf {
			if !isWordRune(rune(c)) {
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isWordRune(r) {
			break
		}
		buf = utf8.AppendRune(buf, foldRune(r))
		i += n
	}
	s.end, s.pos = i, i
	return buf, true
}

// words returns the folded words of text.
func words(text string) []string {
	var out []string
	sc := scanner{text: text}
	var buf []byte
	for {
		var more bool
		if buf, more = sc.next(buf); !more {
			return out
		}
		out = append(out, string(buf))
	}
}

// Matcher finds blocked terms in messages: case-insensitive, whole words.
// A term of several words matches those words in sequence, whatever
// separates them ("buy now" matches "BUY... now!"). Build one with
// CompileTerms; it is immutable and safe for concurrent use. The zero
// Matcher matches nothing.
type Matcher struct {
	single  map[string]struct{}   // one-word terms
	phrases map[string][][]string // first word → the other words of each phrase
}

// CompileTerms compiles terms into a Matcher. Terms without a word
// character are ignored. Matching costs one map lookup per word of the
// message, whatever the number of terms.
func CompileTerms(terms []string) *Matcher {
	m := &Matcher{single: map[string]struct{}{}, phrases: map[string][][]string{}}
	for _, t := range terms {
		w := words(t)
		switch len(w) {
		case 0:
		case 1:
			m.single[w[0]] = struct{}{}
		default:
			m.phrases[w[0]] = append(m.phrases[w[0]], w[1:])
		}
	}
	return m
}

// Len returns the number of distinct terms compiled.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	n := len(m.single)
	for _, p := range m.phrases {
		n += len(p)
	}
	return n
}

// Match reports whether text contains a blocked term.
func (m *Matcher) Match(text string) bool {
	_, _, ok := m.find(text, 0)
	return ok
}

// find returns the byte span of the first blocked term in text at or after
// byte offset from.
func (m *Matcher) find(text string, from int) (start, end int, ok bool) {
	if m == nil || len(m.single) == 0 && len(m.phrases) == 0 {
		return 0, 0, false
	}
	var arr [64]byte
	buf := arr[:0]
	sc := scanner{text: text, pos: from}
	for {
		var more bool
		if buf, more = sc.next(buf); !more {
			return 0, 0, false
		}
		if _, hit := m.single[string(buf)]; hit {
			return sc.start, sc.end, true
		}
		if len(m.phrases) == 0 {
			continue
		}
		if rests, hit := m.phrases[string(buf)]; hit {
			for _, rest := range rests {
				if end, ok := matchRest(text, sc.end, rest); ok {
					return sc.start, end, true
				}
			}
		}
	}
}

// matchRest reports whether the words of text from byte offset pos are
// rest, and where the last one ends.
func matchRest(text string, pos int, rest []string) (int, bool) {
	var arr [64]byte
	buf := arr[:0]
	sc := scanner{text: text, pos: pos}
	for _, w := range rest {
		var ok bool
		if buf, ok = sc.next(buf); !ok || string(buf) != w {
			return 0, false
		}
	}
	return sc.end, true
}

// Mask returns text with every character of each blocked term replaced by
// '*', and whether anything was replaced.
func (m *Matcher) Mask(text string) (string, bool) {
	start, end, ok := m.find(text, 0)
	if !ok {
		return text, false
	}
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for ok {
		b.WriteString(text[prev:start])
		b.WriteString(strings.Repeat("*", utf8.RuneCountInString(text[start:end])))
		prev = end
		start, end, ok = m.find(text, end)
	}
	b.WriteString(text[prev:])
	return b.String(), true
}

// NormalizeTerms checks and cleans a list of blocked terms: each is
// trimmed and its runs of spaces collapsed to one; duplicates (terms
// whose words are the same, compared case-insensitively) are dropped,
// keeping the first. At most MaxTerms
// terms of at most MaxTermLen characters, valid UTF-8 without control
// characters and with at least one letter or digit; else ErrInvalidArgument
// naming "terms". The result is never nil.
func NormalizeTerms(terms []string) ([]string, error) {
	out := make([]string, 0, len(terms))
	seen := make(map[string]bool, len(terms))
	for i, t := range terms {
		if !utf8.ValidString(t) {
			return nil, ugc.InvalidField("terms", "term %d is not valid UTF-8", i)
		}
		t = strings.Join(strings.Fields(t), " ")
		if utf8.RuneCountInString(t) > MaxTermLen {
			return nil, ugc.InvalidField("terms", "term %d is longer than %d characters", i, MaxTermLen)
		}
		if strings.IndexFunc(t, unicode.IsControl) >= 0 {
			return nil, ugc.InvalidField("terms", "term %d contains a control character", i)
		}
		w := words(t)
		if len(w) == 0 {
			return nil, ugc.InvalidField("terms", "term %d has no letter or digit", i)
		}
		key := strings.Join(w, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	if len(out) > MaxTerms {
		return nil, ugc.InvalidField("terms", "at most %d terms, not %d", MaxTerms, len(out))
	}
	return out, nil
}
