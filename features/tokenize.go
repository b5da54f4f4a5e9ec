package features

import (
	"unicode"
	"unicode/utf8"
)

// Script classifies the writing system of a token.
type Script uint8

// Scripts the tokenizer tells apart. Han, Kana, Hangul, Thai, Lao, Khmer and
// Myanmar are tokenized one character at a time: they are written without
// spaces between words (Hangul is, but its words carry particles, so
// character n-grams serve it better than whole words).
const (
	ScriptLatin Script = iota // and every other space-separated script
	ScriptCyrillic
	ScriptHan
	ScriptKana
	ScriptHangul
	ScriptThai
	ScriptLao
	ScriptKhmer
	ScriptMyanmar
	numScripts
)

// Unspaced reports whether the script is tokenized per character.
func (s Script) Unspaced() bool { return s >= ScriptHan }

// TokenKind is what a token is.
type TokenKind uint8

// Token kinds.
const (
	KindWord   TokenKind = iota // a run of letters (and marks)
	KindNumber                  // digits with internal separators: 1,000.50
	KindChar                    // one character of an unspaced script
)

// Token is a span of the normalised text.
type Token struct {
	Start, End int32
	Kind       TokenKind
	Script     Script
	// Break is set when a sentence or line break separates the token from
	// the one before it; phrases are not matched across it.
	Break bool
}

// Text returns the token's text within the normalised text s.
func (t Token) Text(s string) string { return s[t.Start:t.End] }

// TextStats are counts gathered while tokenizing, for language detection and
// style features.
type TextStats struct {
	Letters  [numScripts]int // letters per script
	Emoji    int
	Exclaims int
}

func scriptOf(r rune) (Script, bool) {
	switch {
	case r < 0x0250:
		return ScriptLatin, false
	case unicode.Is(unicode.Han, r):
		return ScriptHan, true
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r), r == 'ー':
		return ScriptKana, true
	case unicode.Is(unicode.Hangul, r):
		return ScriptHangul, true
	case unicode.Is(unicode.Thai, r):
		return ScriptThai, true
	case unicode.Is(unicode.Lao, r):
		return ScriptLao, true
	case unicode.Is(unicode.Khmer, r):
		return ScriptKhmer, true
	case unicode.Is(unicode.Myanmar, r):
		return ScriptMyanmar, true
	case unicode.Is(unicode.Cyrillic, r):
		return ScriptCyrillic, false
	}
	return ScriptLatin, false
}

// commonUnspaced classifies the letters of the unspaced scripts' main
// blocks without the unicode tables: the CJK unified ideographs, Hangul
// syllables, hiragana and katakana. Every rune it accepts is a letter of
// the script it gives (TestCommonUnspaced checks against the tables).
func commonUnspaced(r rune) (Script, bool) {
	switch {
	case 0x4E00 <= r && r <= 0x9FFF:
		return ScriptHan, true
	case 0xAC00 <= r && r <= 0xD7A3:
		return ScriptHangul, true
	case 0x3041 <= r && r <= 0x3096, 0x30A1 <= r && r <= 0x30FA:
		return ScriptKana, true
	}
	return 0, false
}

func isEmoji(r rune) bool {
	return (r >= 0x1F300 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || (r >= 0x1F000 && r <= 0x1F2FF)
}

// isNumberSep reports whether c may sit inside a number: 1,000.50 or 1.000.000.
func isNumberSep(c byte) bool { return c == ',' || c == '.' }

// Tokenize splits the normalised text s into tokens, appending to toks.
// Letters and digits never share a token ("rm3000" is "rm" and "3000"),
// so amounts and currencies can be read apart.
func Tokenize(s string, toks []Token) ([]Token, TextStats) {
	var st TextStats
	i := 0
	brk := false
	add := func(t Token) {
		t.Break = brk
		brk = false
		toks = append(toks, t)
	}
	for i < len(s) {
		c := s[i]
		// ASCII fast path.
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z':
				j := i + 1
				for j < len(s) {
					d := s[j]
					if 'a' <= d && d <= 'z' {
						j++
						continue
					}
					if d >= utf8.RuneSelf {
						r, n := utf8.DecodeRuneInString(s[j:])
						if sc, unspaced := scriptOf(r); !unspaced && sc == ScriptLatin && (unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)) {
							st.Letters[ScriptLatin]++
							j += n
							continue
						}
					}
					break
				}
				st.Letters[ScriptLatin] += j - i
				add(Token{Start: int32(i), End: int32(j), Kind: KindWord, Script: ScriptLatin})
				i = j
			case '0' <= c && c <= '9':
				j := i + 1
				for j < len(s) {
					d := s[j]
					if '0' <= d && d <= '9' {
						j++
						continue
					}
					if isNumberSep(d) && j+1 < len(s) && '0' <= s[j+1] && s[j+1] <= '9' {
						j += 2
						continue
					}
					break
				}
				add(Token{Start: int32(i), End: int32(j), Kind: KindNumber})
				i = j
			default:
				switch c {
				case '!':
					st.Exclaims++
					brk = true
				case '.', '?', ';', '\n', '|':
					brk = true
				}
				i++
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if sc, ok := commonUnspaced(r); ok {
			st.Letters[sc]++
			add(Token{Start: int32(i), End: int32(i + n), Kind: KindChar, Script: sc})
			i += n
			continue
		}
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			sc, unspaced := scriptOf(r)
			st.Letters[sc]++
			if unspaced {
				add(Token{Start: int32(i), End: int32(i + n), Kind: KindChar, Script: sc})
				i += n
				continue
			}
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !(unicode.IsLetter(r2) || unicode.Is(unicode.Mn, r2) || unicode.Is(unicode.Mc, r2)) {
					break
				}
				sc2, unspaced2 := scriptOf(r2)
				if unspaced2 {
					break
				}
				st.Letters[sc2]++
				j += n2
			}
			add(Token{Start: int32(i), End: int32(j), Kind: KindWord, Script: sc})
			i = j
		case unicode.IsDigit(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsDigit(r2) {
					break
				}
				j += n2
			}
			add(Token{Start: int32(i), End: int32(j), Kind: KindNumber})
			i = j
		default:
			switch {
			case isEmoji(r):
				st.Emoji++
			case r == '！':
				st.Exclaims++
				brk = true
			case r == '。' || r == '？' || r == '；' || r == '•' || r == '\u2028':
				brk = true
			}
			i += n
		}
	}
	return toks, st
}
