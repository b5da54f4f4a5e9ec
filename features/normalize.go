package features

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalized is a text after NFKC normalisation and case folding, with the
// map back to byte offsets in the original so that a match in the normalised
// text can be highlighted in the text the user gave.
type Normalized struct {
	Text string
	// orig[i] is the original byte offset where the normalisation segment that
	// produced normalised byte i starts; orig[len(Text)] is len(original).
	// nil means the two texts align byte for byte.
	orig []int32
	// Upper counts upper-case letters in the original (a style feature).
	Upper int
}

// Original maps a normalised byte span [start, end) to the span of the
// original text it came from.
func (n *Normalized) Original(start, end int) (int, int) {
	if n.orig == nil {
		return start, end
	}
	s := int(n.orig[start])
	// end maps to the start of the first segment after the span.
	e := end
	for e < len(n.Text) && n.orig[e] == n.orig[end-1] {
		e++
	}
	return s, int(n.orig[e])
}

// Normalize returns the NFKC case-folded form of s. buf is reused scratch
// space (may be nil); the result does not alias it.
func Normalize(s string, buf []byte) (Normalized, []byte) {
	buf = buf[:0]
	ascii := true
	upper := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
				upper++
			}
			buf = append(buf, c)
		}
		return Normalized{Text: string(buf), Upper: upper}, buf
	}

	orig := make([]int32, 0, len(s)+1)
	emit := func(r rune, at int) {
		if unicode.IsUpper(r) {
			upper++
		}
		n := len(buf)
		buf = appendFolded(buf, r)
		for ; n < len(buf); n++ {
			orig = append(orig, int32(at))
		}
	}
	q := norm.NFKC.QuickSpanString(s)
	// Runes before q are already NFKC: each is its own segment.
	for i, r := range s[:q] {
		emit(r, i)
	}
	if q < len(s) {
		var it norm.Iter
		it.InitString(norm.NFKC, s[q:])
		for !it.Done() {
			at := q + it.Pos()
			for _, r := range string(it.Next()) {
				emit(r, at)
			}
		}
	}
	orig = append(orig, int32(len(s)))
	return Normalized{Text: string(buf), orig: orig, Upper: upper}, buf
}

// appendFolded appends the case fold of r: lower case, with the full folds of
// ß and final sigma that plain lower-casing misses.
func appendFolded(buf []byte, r rune) []byte {
	switch r {
	case 'ß', 'ẞ':
		return append(buf, "ss"...)
	case 'ς':
		r = 'σ'
	default:
		r = unicode.ToLower(r)
	}
	return utf8.AppendRune(buf, r)
}
