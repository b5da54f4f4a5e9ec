package features

import (
	"strings"
	"unicode/utf8"
)

// AgeBand is an age range an advert asks for ("18-35 years old", "35岁以下").
type AgeBand struct {
	Min, Max   int
	Start, End int // normalised byte offsets
}

// ageWords mark a nearby number as an age (whole tokens); ageMarks do the
// same for scripts without spaces and are searched in a byte window.
var ageWords = map[string]bool{
	"age": true, "aged": true, "ages": true, "old": true, "yo": true, "tuổi": true, "tuoi": true,
	"usia": true, "umur": true, "berusia": true, "edad": true, "gulang": true, "idade": true, "âge": true,
}

var ageMarks = []string{"岁", "歲", "歳", "年龄", "年齡", "年齢", "อายุ", "세", "살", "나이", "연령"}

// ageLimitWords say "at most": "under 35", "35岁以下", "ไม่เกิน 35".
var ageLimitWords = map[string]bool{
	"under": true, "below": true, "max": true, "maximum": true, "dưới": true, "duoi": true,
	"maksimal": true, "maks": true, "bawah": true, "not over": true,
}

var ageLimitMarks = []string{"以下", "以内", "以內", "まで", "이하", "미만", "ไม่เกิน"}

func isAgeNumber(s string, t Token) (int, bool) {
	if t.Kind != KindNumber || t.End-t.Start > 2 {
		return 0, false
	}
	v := 0
	for i := t.Start; i < t.End; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			v = int(parseNumber(t.Text(s)))
			break
		}
		v = v*10 + int(c-'0')
	}
	return v, v >= 14 && v <= 75
}

// near reports whether a token within dist of toks[lo..hi] is in words, or
// one of marks occurs within 48 bytes of the span (16 Thai characters).
func near(s string, toks []Token, lo, hi, dist int, words map[string]bool, marks []string) bool {
	for k := lo - dist; k <= hi+dist; k++ {
		if k < 0 || k >= len(toks) || (k >= lo && k <= hi) {
			continue
		}
		if words[toks[k].Text(s)] {
			return true
		}
	}
	from, to := max(0, int(toks[lo].Start)-48), min(len(s), int(toks[hi].End)+48)
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	window := s[from:to]
	for _, m := range marks {
		if strings.Contains(window, m) {
			return true
		}
	}
	return false
}

// ReadAges finds age bands in the normalised text s with tokens toks.
func ReadAges(s string, toks []Token, out []AgeBand) []AgeBand {
	for k := 0; k < len(toks); k++ {
		lo, ok := isAgeNumber(s, toks[k])
		if !ok {
			continue
		}
		// A range: two age numbers joined by a connector.
		if k2, ok := rangeEnd(s, toks, k, int(toks[k].End)); ok {
			if hi, ok := isAgeNumber(s, toks[k2]); ok && hi > lo && near(s, toks, k, k2, 4, ageWords, ageMarks) {
				out = append(out, AgeBand{Min: lo, Max: hi, Start: int(toks[k].Start), End: int(toks[k2].End)})
				k = k2
				continue
			}
		}
		// An upper limit: "under 35", "35岁以下".
		if near(s, toks, k, k, 2, ageLimitWords, ageLimitMarks) && near(s, toks, k, k, 3, ageWords, ageMarks) {
			out = append(out, AgeBand{Min: 0, Max: lo, Start: int(toks[k].Start), End: int(toks[k].End)})
		}
	}
	return out
}
