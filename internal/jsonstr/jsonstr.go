// Package jsonstr reads JSON strings exactly as encoding/json decodes them,
// quickly: it serves the hand-written fast paths that decode API requests
// (api) and JSON Lines training records (training), each of which falls
// back to encoding/json for whatever it does not handle.
package jsonstr

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Text is what the readers take: a request body or a line.
type Text interface{ ~string | ~[]byte }

// PlainPrefix returns the length of the longest prefix of s without a
// quote, a backslash or a control character: the part of a string that is
// its own value. Adverts are long, so it tests eight bytes at a time with
// the classic bit tricks: for a word x, (x - 0x01..01*n) &^ x & 0x80..80 is
// non-zero iff some byte of x is below n (n <= 0x80), and a byte equals c
// iff it is below 1 after xor with c. The last bytes, and the word with a
// hit, are scanned one by one.
func PlainPrefix[T Text](s T) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q, bs := x^(ones*'"'), x^(ones*'\\')
		if ((x-ones*' ')&^x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < ' ' {
			break
		}
	}
	return i
}

// Read reads the JSON string whose opening quote is s[i] and returns its
// value as encoding/json decodes it and the index after its closing quote.
// ok is false for what encoding/json's scanner refuses (unknown escapes,
// control characters, a missing quote). A value without escapes taken from
// a string is a slice of it. s must be valid UTF-8 (encoding/json would
// turn bad bytes into U+FFFD).
func Read[T Text](s T, i int) (value string, next int, ok bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	start := i + 1
	end := start + PlainPrefix(s[start:])
	if end < len(s) && s[end] == '"' {
		return string(s[start:end]), end + 1, true
	}
	return unescape(s, start, end)
}

// unescape finishes reading a string that has escapes, from the string's
// first byte start and its first escape (or bad byte) at i. It decodes
// escapes exactly as encoding/json's unquote does, lone surrogates becoming
// U+FFFD. The value is written once, into memory of the string's raw length
// (escapes only shrink), and becomes the string without a copy.
func unescape[T Text](s T, start, i int) (string, int, bool) {
	j := i // the closing quote
	for j < len(s) && s[j] != '"' {
		if s[j] == '\\' {
			j++
		}
		j++
		j += PlainPrefix(s[min(j, len(s)):])
	}
	out := make([]byte, 0, min(j, len(s))-start)
	out = append(out, s[start:i]...)
	for i < len(s) {
		run := PlainPrefix(s[i:])
		out = append(out, s[i:i+run]...)
		i += run
		if i >= len(s) || s[i] < ' ' {
			return "", i, false
		}
		if s[i] == '"' {
			// out is not written again: the string may share its memory.
			return unsafe.String(unsafe.SliceData(out), len(out)), i + 1, true
		}
		if i+1 >= len(s) {
			return "", i, false
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(s, i+2)
			if r < 0 {
				return "", i, false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// A valid pair is consumed whole; anything else becomes
				// U+FFFD and whatever follows is read on its own.
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, hex4(s, i+2)); dec != unicode.ReplacementChar {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
				}
				r = unicode.ReplacementChar
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return "", i, false
		}
		i += 2
	}
	return "", i, false
}

// hex4 reads four hex digits at s[i:], or returns -1.
func hex4[T Text](s T, i int) rune {
	if i+4 > len(s) {
		return -1
	}
	var r rune
	for k := i; k < i+4; k++ {
		c := s[k]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// SkipSpace returns the index of the first byte from i on that is not
// JSON whitespace (exactly encoding/json's four characters).
func SkipSpace[T Text](s T, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
