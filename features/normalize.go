package features

import (
	"slices"
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
//
// Two kinds of disguise are undone on the way, since adverts use them to
// slip past filters while reading the same: default-ignorable code points
// (soft hyphen, zero-width space and joiners, byte-order mark, variation
// selectors; see isIgnorable) are dropped, so "pass\u00adport" reads
// "passport"; and Greek or Cyrillic letters that look like Latin ones are
// turned into them inside words that mix them with Latin letters, so
// "pаssport" with a Cyrillic а reads "passport" too (see foldConfusables).
// The offset map covers both: a span maps back over the dropped and
// replaced characters in the original.
func Normalize(s string, buf []byte) (Normalized, []byte) {
	n, buf, _ := normalizeAppend(s, buf[:0], nil)
	n.Text = string(buf)
	return n, buf
}

// normalizeAppend is Normalize that appends the normalised text to buf and,
// unless s is all ASCII, its offset map to orig, and leaves Text unset: the
// caller copies buf's new bytes into Text, or (AnalyzeWith, whose scratch
// memory outlives every use of the text) points Text at them. The returned
// Normalized's map is the appended part of orig.
func normalizeAppend(s string, buf []byte, orig []int32) (Normalized, []byte, []int32) {
	start := len(buf)
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
		return Normalized{Upper: upper}, buf, orig
	}

	ostart := len(orig)
	orig = slices.Grow(orig, len(s)+1)
	n := normalizer{buf: buf, orig: orig}
	q := norm.NFKC.QuickSpanString(s)
	// Runes before q are already NFKC: each is its own segment. Runs of
	// ASCII, most of most texts, are emitted in bulk.
	for i := 0; i < q; {
		if s[i] < utf8.RuneSelf {
			j := i + 1
			for j < q && s[j] < utf8.RuneSelf {
				j++
			}
			n.asciiRun(s, i, j)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:q])
		n.rune(r, i)
		i += size
	}
	// The rest goes through NFKC's iterator, segment by segment, except
	// runs of ASCII: the iterator returns an ASCII byte followed by another
	// as a segment of its own, unchanged, so those are emitted here, and
	// the iterator starts again where the run ends (at its last byte,
	// which may combine with what follows). TestNormalizeMatchesIterator
	// checks this against the iterator run over the whole rest.
	var it norm.Iter
	for pos := q; pos < len(s); {
		end := pos
		for end+1 < len(s) && s[end] < utf8.RuneSelf && s[end+1] < utf8.RuneSelf {
			end++
		}
		n.asciiRun(s, pos, end)
		pos = end
		it.InitString(norm.NFKC, s[pos:])
		for !it.Done() {
			at := pos + it.Pos()
			seg := it.Next()
			for j := 0; j < len(seg); {
				if c := seg[j]; c < utf8.RuneSelf {
					n.ascii(c, at)
					j++
					continue
				}
				r, size := utf8.DecodeRune(seg[j:])
				n.rune(r, at)
				j += size
			}
			if p := pos + it.Pos(); p+1 < len(s) && s[p] < utf8.RuneSelf && s[p+1] < utf8.RuneSelf {
				break
			}
		}
		pos += it.Pos()
	}
	buf, orig = n.buf, append(n.orig, int32(len(s)))
	if n.mixed {
		b, o := foldConfusables(s, buf[start:], orig[ostart:])
		buf, orig = buf[:start+len(b)], orig[:ostart+len(o)]
	}
	return Normalized{orig: orig[ostart:len(orig):len(orig)], Upper: n.upper}, buf, orig
}

// normalizer is normalizeAppend's state: the text and offset map so far,
// and what it knows of the current word.
type normalizer struct {
	buf  []byte
	orig []int32
	// word gathers the lowClass bits of the current word, roughly: runes
	// from confusableHi up neither end a word nor count, unless they may
	// be Latin letters (maybeLatin), so that a word mixing Latin letters
	// and look-alikes is never missed (mixed), and text without one, such
	// as Russian beside a Latin brand name, skips foldConfusables.
	word  uint8
	mixed bool
	upper int
}

// ascii emits the normalised ASCII byte c, of the segment starting at
// original offset at: never ignorable, folded to lower case.
func (n *normalizer) ascii(c byte, at int) {
	if lc := lowClass[c]; lc == 0 {
		n.word = 0
	} else {
		n.word |= lc
		n.mixed = n.mixed || n.word&(lowLatin|lowConfusable) == lowLatin|lowConfusable
	}
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
		n.upper++
	}
	n.buf = append(n.buf, c)
	n.orig = append(n.orig, int32(at))
}

// asciiRun emits the ASCII bytes s[i:j], each a segment of its own, as
// ascii would one by one. An ASCII byte is a Latin letter or ends a word
// (TestASCIIClasses), so the run only changes what is known of the
// current word at its two ends.
func (n *normalizer) asciiRun(s string, i, j int) {
	if i >= j {
		return
	}
	nb, no := len(n.buf), len(n.orig)
	n.buf = slices.Grow(n.buf, j-i)[:nb+j-i]
	n.orig = slices.Grow(n.orig, j-i)[:no+j-i]
	b, o := n.buf[nb:], n.orig[no:]
	run := s[i:j]
	upper := 0
	for k := 0; k < len(run) && k < len(b); k++ {
		c := run[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
			upper++
		}
		b[k] = c
	}
	for k := range o {
		o[k] = int32(i + k)
	}
	n.upper += upper
	// A word going on from before the run takes in its first letters.
	if lowClass[run[0]] != 0 {
		n.word |= lowLatin
		n.mixed = n.mixed || n.word&(lowLatin|lowConfusable) == lowLatin|lowConfusable
	}
	// The word at the end is the letters after the run's last word end.
	k := len(run) - 1
	for k >= 0 && lowClass[run[k]] != 0 {
		k--
	}
	if k >= 0 {
		n.word = 0
		if k < len(run)-1 {
			n.word = lowLatin
		}
	}
}

// rune emits the normalised rune r, of the segment starting at original
// offset at, unless it is ignorable, folded.
func (n *normalizer) rune(r rune, at int) {
	if r < utf8.RuneSelf {
		n.ascii(byte(r), at)
		return
	}
	switch {
	case r < confusableHi:
		if r == 0x00AD || r == 0x034F { // the ignorables below confusableHi
			return
		}
		if c := lowClass[r]; c == 0 {
			n.word = 0
		} else {
			n.word |= c
			n.mixed = n.mixed || n.word&(lowLatin|lowConfusable) == lowLatin|lowConfusable
		}
	case caseless(r):
		// CJK, kana, Hangul: neither ignorable nor Latin, and without
		// case.
		k := len(n.buf)
		n.buf = utf8.AppendRune(n.buf, r)
		for ; k < len(n.buf); k++ {
			n.orig = append(n.orig, int32(at))
		}
		return
	case 0x3164 < r && r < 0xA720:
		// Neither ignorable nor Latin.
	case isIgnorable(r):
		return
	case maybeLatin(r):
		n.word |= lowLatin
		n.mixed = n.mixed || n.word&lowConfusable != 0
	}
	if unicode.IsUpper(r) {
		n.upper++
	}
	k := len(n.buf)
	n.buf = appendFolded(n.buf, r)
	for ; k < len(n.buf); k++ {
		n.orig = append(n.orig, int32(at))
	}
}

// caseless reports whether r is in the block of scripts from Hangul
// compatibility jamo to the CJK unified ideographs (U+3165 to U+9FFF):
// none is ignorable, Latin or cased (TestCaselessRunes checks).
func caseless(r rune) bool { return 0x3164 < r && r < 0xA000 }

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
