package features

import (
	"unicode"
	"unicode/utf8"
)

// isIgnorable reports whether r is a default-ignorable code point: one that
// renders as nothing (soft hyphen, zero-width space, joiners, word joiner,
// byte-order mark, bidirectional controls, variation selectors, tags, Hangul
// fillers). Adverts insert them inside words ("pass\u00adport") to break
// phrase matching while looking unchanged, so Normalize drops them. The set
// is Unicode's Default_Ignorable_Code_Point, which leaves out the visible
// format characters (Arabic number signs and other prepended concatenation
// marks, interlinear annotation and Egyptian hieroglyph format controls).
//
// ZWNJ and ZWJ (U+200C, U+200D) are dropped everywhere, inside Persian and
// Indic words and emoji sequences too: the tokenizer broke words at them
// (they are not letters), so keeping them split "می‌خواهم" in two, while
// dropping them gives the spelling people type without them; emoji are
// counted per pictograph, never per joiner or variation selector, and are
// not tokens, so emoji sequences give the same features either way.
func isIgnorable(r rune) bool {
	if r < 0x00AD {
		return false
	}
	switch {
	case r < 0x2000:
		return r == 0x00AD || r == 0x034F || r == 0x061C || r == 0x115F || r == 0x1160 ||
			r == 0x17B4 || r == 0x17B5 || (0x180B <= r && r <= 0x180F)
	case r <= 0x206F:
		return (0x200B <= r && r <= 0x200F) || (0x202A <= r && r <= 0x202E) || 0x2060 <= r
	case r < 0xFE00:
		return r == 0x3164
	case r <= 0xFFFF:
		return r <= 0xFE0F || r == 0xFEFF || r == 0xFFA0 || (0xFFF0 <= r && r <= 0xFFF8)
	}
	return (0x1BCA0 <= r && r <= 0x1BCA3) || (0x1D173 <= r && r <= 0x1D17A) || (0xE0000 <= r && r <= 0xE0FFF)
}

// confusableLo and confusableHi bound the code points, after case folding,
// that may be look-alikes of Latin letters (Greek, Cyrillic and the Cyrillic
// Supplement).
const (
	confusableLo = 0x0370
	confusableHi = 0x0530
)

// confusable[r-confusableLo] holds the Latin letter the case-folded rune r
// looks like: [0] when it was written in lower case, [1] in upper case
// (Greek ν looks like v, its capital Ν like N). 0 when it looks like none.
var confusable [confusableHi - confusableLo][2]byte

// confusableSources lists the Greek and Cyrillic letters, as written, that
// are drawn like a Latin letter in common fonts (after Unicode's
// confusables.txt, keeping only the close likenesses: Cyrillic к, м, н, т, в
// are small capitals, not Latin letters, and Greek μ is also the micro sign).
var confusableSources = map[rune]byte{
	// Cyrillic small letters.
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's',
	'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ү': 'y', 'ѵ': 'v',
	// Cyrillic capitals.
	'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't',
	'У': 'y', 'Х': 'x', 'І': 'i', 'Ј': 'j', 'Ѕ': 's', 'Ԁ': 'd', 'Ԛ': 'q', 'Ԝ': 'w', 'Һ': 'h', 'Ӏ': 'l',
	'Ү': 'y', 'Ѵ': 'v',
	// Greek capitals.
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Ο': 'o',
	'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x', 'Ϲ': 'c', 'Ϳ': 'j',
	// Greek small letters.
	'ο': 'o', 'α': 'a', 'ν': 'v', 'τ': 't', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'υ': 'u', 'η': 'n', 'χ': 'x',
	'ϲ': 'c', 'ϳ': 'j',
}

// Bits of lowClass, the class of each rune below confusableHi.
const (
	lowLatin      = 1 << iota // a Latin letter
	lowForeign                // a letter of another (spaced) script
	lowMark                   // a combining mark
	lowConfusable             // a letter that may be a Latin look-alike (in either case)
)

// lowClass classifies the runes below confusableHi, upper or lower case,
// without the unicode tables: Normalize looks up every rune it emits. A
// rune with no bit set ends a word.
var lowClass [confusableHi]uint8

func init() {
	defer func() {
		for r := rune(0); r < confusableHi; r++ {
			var c uint8
			switch runeClassSlow(r) {
			case clsLatin:
				c = lowLatin
			case clsForeign:
				c = lowForeign
			case clsMark:
				c = lowMark
			}
			if c == lowForeign && mayBeConfusable(unicode.ToLower(r)) {
				c |= lowConfusable
			}
			lowClass[r] = c
		}
	}()
	for r, l := range confusableSources {
		f := unicode.ToLower(r)
		if f < confusableLo || f >= confusableHi {
			panic("features: confusable outside the table: " + string(r))
		}
		up := 0
		if unicode.IsUpper(r) {
			up = 1
		}
		confusable[f-confusableLo][up] = l
	}
}

// mayBeConfusable reports whether the case-folded rune r looks like a Latin
// letter in one of its cases.
func mayBeConfusable(r rune) bool {
	if r < confusableLo || r >= confusableHi {
		return false
	}
	c := confusable[r-confusableLo]
	return c[0] != 0 || c[1] != 0
}

// latinLookAlike returns the Latin letter that the case-folded rune r at
// normalised byte i looks like, or 0. Whether it was written in upper case
// is read from the original text s at the start of the rune's segment.
func latinLookAlike(r rune, s string, orig []int32, i int) byte {
	if !mayBeConfusable(r) {
		return 0
	}
	c := confusable[r-confusableLo]
	if c[0] == c[1] {
		return c[0]
	}
	o, _ := utf8.DecodeRuneInString(s[orig[i]:])
	if unicode.IsUpper(o) {
		return c[1]
	}
	return c[0]
}

// maybeLatin reports whether r, from confusableHi up, is in a block of Latin
// letters (Vietnamese letters among them): phonetic extensions, Latin
// Extended Additional, -C, -D and -E.
func maybeLatin(r rune) bool {
	return (0x1D00 <= r && r <= 0x1EFF) || (0x2C60 <= r && r <= 0x2C7F) ||
		(0xA720 <= r && r <= 0xA7FF) || (0xAB30 <= r && r <= 0xAB6F)
}

// Rune classes for confusable folding.
const (
	clsBreak   = iota // not part of a word
	clsLatin          // a Latin letter
	clsForeign        // a letter of another spaced script
	clsMark           // a combining mark
)

// runeClass classifies the case-folded rune r the way the tokenizer splits
// words: letters and marks of spaced scripts make a word; an unspaced-script
// letter (Han, Thai...) is a token of its own and so ends the word.
func runeClass(r rune) int {
	if r < confusableHi {
		switch c := lowClass[r]; {
		case c&lowLatin != 0:
			return clsLatin
		case c&lowForeign != 0:
			return clsForeign
		case c&lowMark != 0:
			return clsMark
		}
		return clsBreak
	}
	return runeClassSlow(r)
}

func runeClassSlow(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return clsLatin
		}
		return clsBreak
	case r < 0x0300:
		if unicode.IsLetter(r) {
			return clsLatin
		}
		return clsBreak
	case 0x1E00 <= r && r <= 0x1EFF:
		return clsLatin
	case unicode.IsLetter(r):
		if r < 0x0E00 {
			return clsForeign // Greek to Sinhala: all spaced
		}
		if _, unspaced := scriptOf(r); unspaced {
			return clsBreak
		}
		if unicode.Is(unicode.Latin, r) {
			return clsLatin
		}
		return clsForeign
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
		return clsMark
	}
	return clsBreak
}

// foldConfusables rewrites, in a normalised text, the Greek and Cyrillic
// letters that look like Latin ones into those Latin letters, where a word
// mixes them with Latin letters: "pаssport" with a Cyrillic а becomes
// "passport". Only a run of non-Latin letters that are all look-alikes is
// rewritten, so genuine Russian or Greek words are left alone, including
// one glued to a Latin word ("csработа"). Every rewritten rune becomes
// one ASCII byte, so the text shrinks in place: buf and orig (the byte map
// to the original s, len(buf)+1 entries) are compacted together.
func foldConfusables(s string, buf []byte, orig []int32) ([]byte, []int32) {
	w, done := 0, 0 // write position; read position copied up to
	flush := func(upto int) {
		if w != done {
			copy(buf[w:], buf[done:upto])
			copy(orig[w:], orig[done:upto])
		}
		w += upto - done
		done = upto
	}
	ws := -1 // start of the current word
	latin, conf := false, false
	for i := 0; i <= len(buf); {
		cls, n := clsBreak, 1
		var r rune
		if i < len(buf) {
			if c := buf[i]; c < utf8.RuneSelf {
				r = rune(c)
			} else {
				r, n = utf8.DecodeRune(buf[i:])
			}
			cls = runeClass(r)
		}
		if cls != clsBreak {
			if ws < 0 {
				ws = i
			}
			latin = latin || cls == clsLatin
			conf = conf || (cls == clsForeign && mayBeConfusable(r))
			i += n
			continue
		}
		if ws >= 0 && latin && conf {
			flush(ws)
			w = rewriteMixedWord(s, buf, orig, ws, i, w)
			done = i
		}
		ws, latin, conf = -1, false, false
		i += n
	}
	flush(len(buf))
	orig[w] = orig[len(buf)]
	return buf[:w], orig[:w+1]
}

// rewriteMixedWord writes the word buf[ws:we] at buf[w:] (w <= ws), folding
// each run of non-Latin letters that are all Latin look-alikes, and returns
// the new write position.
func rewriteMixedWord(s string, buf []byte, orig []int32, ws, we, w int) int {
	put := func(i, n int) {
		copy(buf[w:], buf[i:i+n])
		copy(orig[w:], orig[i:i+n])
		w += n
	}
	for i := ws; i < we; {
		r, n := utf8.DecodeRune(buf[i:we])
		if runeClass(r) != clsForeign {
			put(i, n)
			i += n
			continue
		}
		// A run of foreign letters (and their marks) up to the next Latin
		// letter.
		j, all := i, true
		for j < we {
			r2, n2 := utf8.DecodeRune(buf[j:we])
			cls := runeClass(r2)
			if cls == clsLatin {
				break
			}
			if cls == clsForeign && latinLookAlike(r2, s, orig, j) == 0 {
				all = false
			}
			j += n2
		}
		for i < j {
			r2, n2 := utf8.DecodeRune(buf[i:j])
			if l := latinLookAlike(r2, s, orig, i); all && l != 0 {
				buf[w], orig[w] = l, orig[i]
				w++
			} else {
				put(i, n2)
			}
			i += n2
		}
	}
	return w
}
