package features

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Hit is one indicator found in a posting. Start and End are byte offsets
// into the original text of Field, so a page can highlight Text in place.
type Hit struct {
	Indicator string `json:"indicator"`
	Category  string `json:"category"`
	Field     Field  `json:"field"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
}

// wildcard is the pattern token that stands for any one token.
const wildcard = "*"

type trieNode struct {
	next     map[string]int32
	any      int32   // child for the wildcard, or -1
	outputs  []int32 // indicator indexes ending here
	patterns int
}

// Matcher finds catalogue phrases in tokenized text. Patterns are normalised
// and tokenized exactly like postings, so "Free Flights!" in a pattern and
// "free flights" in an advert are the same token sequence. Matches never
// cross a sentence break. Immutable and safe for concurrent use.
type Matcher struct {
	nodes []trieNode
	// negatable[i] says whether indicator i can be negated; before and
	// after are the normalised negation words.
	negatable     []bool
	before, after []string
	// rootLens[b] has bit n%64 set when some phrase starts with a token of
	// first byte b and length n: most tokens skip the map lookup.
	rootLens [256]uint64
	// rootHashes is a 65,536-bit filter of the phrases' first tokens, by
	// rootHash: of the tokens rootLens lets through, it stops most of the
	// rest before the map lookup (which was most of matching's time).
	rootHashes [1 << 10]uint64
}

// rootHash is the filter bit of a first token: the top 16 bits of its
// 32-bit FNV-1a hash.
func rootHash(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return h >> 16
}

// NewMatcher compiles the phrase patterns of every indicator in c. Latin
// patterns written with diacritics also match without them (Vietnamese posts
// are often typed without tone marks).
func NewMatcher(c *Catalog) *Matcher {
	m := &Matcher{nodes: []trieNode{{next: map[string]int32{}, any: -1}}}
	var toks []Token
	for idx, ind := range c.Indicators {
		for _, pats := range ind.Patterns {
			for _, p := range pats {
				for _, variant := range patternVariants(p) {
					toks = m.add(variant, int32(idx), toks[:0])
				}
			}
		}
	}
	for key := range m.nodes[0].next {
		m.rootLens[key[0]] |= 1 << (len(key) % 64)
		b := rootHash(key)
		m.rootHashes[b/64] |= 1 << (b % 64)
	}
	for _, ind := range c.Indicators {
		m.negatable = append(m.negatable, ind.Negatable)
	}
	m.before = normalisedWords(c.Negations.Before)
	m.after = normalisedWords(c.Negations.After)
	return m
}

// normalisedWords returns every language's words as Normalize writes them.
func normalisedWords(byLang map[string][]string) []string {
	var out []string
	for _, lang := range slices.Sorted(maps.Keys(byLang)) {
		for _, w := range byLang[lang] {
			n, _ := Normalize(w, nil)
			if n.Text != "" {
				out = append(out, n.Text)
			}
		}
	}
	return out
}

// negated reports whether the match mt of a negatable indicator has a
// negation word right before it (spaces between allowed, not a sentence
// break) or right after it (spaces and a colon between allowed). A Latin
// word must stand whole: "piano age limit" is not "no age limit".
func (m *Matcher) negated(s string, toks []Token, mt match) bool {
	if !m.negatable[mt.indicator] {
		return false
	}
	first, last := toks[mt.first], toks[mt.last]
	if !first.Break {
		before := strings.TrimRight(s[:first.Start], " ")
		for _, w := range m.before {
			if strings.HasSuffix(before, w) && wholeWordBefore(before[:len(before)-len(w)], w) {
				return true
			}
		}
	}
	if next := int(mt.last) + 1; next < len(toks) && !toks[next].Break {
		after := strings.TrimLeft(s[last.End:], " :：")
		for _, w := range m.after {
			if strings.HasPrefix(after, w) {
				return true
			}
		}
	}
	return false
}

// wholeWordBefore reports whether a word w found at the end of rest+w
// starts a word: nothing before it, or not a letter when w is Latin.
func wholeWordBefore(rest, w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.Is(unicode.Latin, r) || rest == "" {
		return true
	}
	p, _ := utf8.DecodeLastRuneInString(rest)
	return !unicode.IsLetter(p) && !unicode.IsDigit(p)
}

func patternVariants(p string) []string {
	if stripped := stripDiacritics(p); stripped != p {
		return []string{p, stripped}
	}
	return []string{p}
}

// stripDiacritics removes combining marks from Latin letters: "việc" → "viec".
func stripDiacritics(s string) string {
	var b strings.Builder
	changed := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			if sc, _ := scriptOf(r); sc == ScriptLatin && r < 0x0370 {
				changed = true
				continue
			}
		case r == 'đ':
			r, changed = 'd', true
		case r == 'Đ':
			r, changed = 'D', true
		}
		b.WriteRune(r)
	}
	if !changed {
		return s
	}
	return norm.NFC.String(b.String())
}

func (m *Matcher) add(pattern string, indicator int32, toks []Token) []Token {
	n, _ := Normalize(pattern, nil)
	text := n.Text
	// Tokenize the pattern; a bare "*" becomes a wildcard token.
	node := int32(0)
	depth := 0
	for _, part := range strings.Fields(text) {
		if part == wildcard {
			if depth == 0 {
				continue // a leading wildcard means nothing
			}
			if m.nodes[node].any < 0 {
				m.nodes[node].any = m.newNode()
			}
			node = m.nodes[node].any
			depth++
			continue
		}
		toks, _ = Tokenize(part, toks[:0])
		for _, t := range toks {
			key := part[t.Start:t.End]
			child, ok := m.nodes[node].next[key]
			if !ok {
				child = m.newNode()
				m.nodes[node].next[key] = child
			}
			node = child
			depth++
		}
	}
	if depth == 0 {
		return toks
	}
	for _, o := range m.nodes[node].outputs {
		if o == indicator {
			return toks
		}
	}
	m.nodes[node].outputs = append(m.nodes[node].outputs, indicator)
	return toks
}

func (m *Matcher) newNode() int32 {
	m.nodes = append(m.nodes, trieNode{next: map[string]int32{}, any: -1})
	return int32(len(m.nodes) - 1)
}

// match is a raw phrase match over token indexes [first, last].
type match struct {
	indicator   int32
	first, last int32
}

// Match appends the phrase matches in toks (over normalised text s). For
// each start token and indicator only the longest match is kept.
func (m *Matcher) Match(s string, toks []Token, out []match) []match {
	var active, next []int32
	for i := range toks {
		t := toks[i]
		if m.rootLens[s[t.Start]]&(1<<((t.End-t.Start)%64)) == 0 {
			continue
		}
		w := t.Text(s)
		if b := rootHash(w); m.rootHashes[b/64]&(1<<(b%64)) == 0 {
			continue
		}
		root := &m.nodes[0]
		child, ok := root.next[w]
		if !ok {
			continue
		}
		base := len(out)
		active = append(active[:0], child)
		for j := i; len(active) > 0; j++ {
			for _, n := range active {
				for _, o := range m.nodes[n].outputs {
					out = addLongest(out, base, match{indicator: o, first: int32(i), last: int32(j)})
				}
			}
			if j+1 >= len(toks) || toks[j+1].Break {
				break
			}
			key := toks[j+1].Text(s)
			next = next[:0]
			for _, n := range active {
				node := &m.nodes[n]
				if c, ok := node.next[key]; ok {
					next = append(next, c)
				}
				if node.any >= 0 {
					next = append(next, node.any)
				}
			}
			active, next = next, active
		}
	}
	return out
}

// addLongest appends mt unless a match of the same indicator from the same
// start (at out[base:]) exists; a longer one replaces it.
func addLongest(out []match, base int, mt match) []match {
	for k := base; k < len(out); k++ {
		if out[k].indicator == mt.indicator {
			if mt.last > out[k].last {
				out[k] = mt
			}
			return out
		}
	}
	return append(out, mt)
}
