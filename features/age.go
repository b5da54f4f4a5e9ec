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
// "old" counts only in "years old" (see isAgeWord).
var ageWords = map[string]bool{
	"age": true, "aged": true, "ages": true, "yo": true, "tuổi": true, "tuoi": true,
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

// isAgeWord reports whether token k is in words, or is "old" in "years old".
func isAgeWord(s string, toks []Token, k int, words map[string]bool) bool {
	w := toks[k].Text(s)
	if words[w] {
		return true
	}
	if w == "old" && k > 0 {
		switch toks[k-1].Text(s) {
		case "years", "year", "yrs", "yr":
			return true
		}
	}
	return false
}

// near reports whether a token within dist of toks[lo..hi] is in words, or
// one of marks occurs within 48 bytes of the span (16 Thai characters).
func near(s string, toks []Token, lo, hi, dist int, words map[string]bool, marks []string) bool {
	for k := lo - dist; k <= hi+dist; k++ {
		if k < 0 || k >= len(toks) || (k >= lo && k <= hi) {
			continue
		}
		if isAgeWord(s, toks, k, words) {
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

// ageUnits may follow an age; they are checked before the units that say
// a number is something else (周 in 周岁 is not a week).
var ageUnits = []string{"周岁", "週歲", "岁", "歲", "歳", "세", "살", "ปี", "years", "year", "yrs", "yr", "tuổi", "tuoi", "tahun", "thn", "taon", "gulang", "anos", "años"}

// otherUnits say a number counts something other than years of age; the
// money lexicon's currencies, multipliers and periods shorter than a year
// do the same ("20-30k", "18-30 days", "10-12 hours").
var otherUnits = []string{
	"hours", "hrs", "minutes", "mins", "weeks", "months", "people", "persons", "pax", "pcs", "km", "kg", "cm", "%",
	"jam", "orang", "giờ", "người", "oras", "katao", "小时", "小時", "个月", "個月", "人", "ชั่วโมง", "คน", "시간", "개월", "명", "時間", "ヶ月", "か月", "カ月",
}

type unitWord struct {
	text string
	age  bool
}

// unitsByFirst holds ageUnits then otherUnits by first byte.
var unitsByFirst = func() (t [256][]unitWord) {
	for _, u := range ageUnits {
		t[u[0]] = append(t[u[0]], unitWord{u, true})
	}
	for _, u := range otherUnits {
		t[u[0]] = append(t[u[0]], unitWord{u, false})
	}
	return t
}()

// notAnAge reports whether the number ending at end (and starting at
// start) is money or a count of something: a currency, multiplier or unit
// follows it, or a currency precedes it.
func notAnAge(s string, start, end int) bool {
	i := skipSpace(s, end)
	rest := s[i:]
	if rest != "" {
		for _, u := range unitsByFirst[rest[0]] {
			if strings.HasPrefix(rest, u.text) {
				if u.age {
					return false
				}
				if !(endsInLetter(u.text) && len(rest) > len(u.text) && isHandleByte(rest[len(u.text)])) {
					return true
				}
			}
		}
	}
	r := moneyLexicon()
	if r == nil {
		return false
	}
	if e, _, ok := r.lexAt(s, i, lexCurrency, lexSymbol, lexMultiplier, lexPeriod); ok && e.period != PeriodYear && (len(e.text) > 1 || i == end) {
		return true
	}
	j := skipSpaceBack(s, start)
	e, _, ok := r.lexBefore(s, j, lexCurrency, lexSymbol)
	return ok && (len(e.text) > 1 || j == start)
}

// ageNegations before a limit word undo it: "no age limit", "not under
// 18", "tidak ada batas usia", "年龄不限".
var ageNegations = map[string]bool{
	"no": true, "not": true, "without": true, "any": true, "không": true, "khong": true, "tidak": true, "tanpa": true,
	"bukan": true, "walang": true, "hindi": true,
}

var ageNegationMarks = []string{"不限", "不超", "ไม่จำกัด", "제한 없", "제한없", "不問"}

// limitNear reports whether a limit word or mark is near token k and not
// negated.
func limitNear(s string, toks []Token, k int) bool {
	for n := k - 2; n <= k+2; n++ {
		if n < 0 || n >= len(toks) || n == k || !ageLimitWords[toks[n].Text(s)] {
			continue
		}
		for m := n - 2; m < n; m++ {
			if m >= 0 && ageNegations[toks[m].Text(s)] {
				return false
			}
		}
		return true
	}
	from, to := max(0, int(toks[k].Start)-48), min(len(s), int(toks[k].End)+48)
	for from > 0 && !utf8.RuneStart(s[from]) {
		from--
	}
	window := s[from:to]
	for _, m := range ageLimitMarks {
		if strings.Contains(window, m) {
			return !containsAny(window, ageNegationMarks)
		}
	}
	return false
}

// ReadAges finds age bands in the normalised text s with tokens toks.
func ReadAges(s string, toks []Token, out []AgeBand) []AgeBand {
	for k := 0; k < len(toks); k++ {
		if toks[k].Kind != KindNumber { // isAgeNumber's first test, without a call for each word
			continue
		}
		lo, ok := isAgeNumber(s, toks[k])
		if !ok {
			continue
		}
		// A range: two age numbers joined by a connector, with an age word
		// near and no unit or currency that makes them something else.
		if k2, ok := rangeEnd(s, toks, k, int(toks[k].End)); ok {
			if hi, ok := isAgeNumber(s, toks[k2]); ok && hi > lo && near(s, toks, k, k2, 4, ageWords, ageMarks) {
				if !notAnAge(s, int(toks[k].Start), int(toks[k].End)) && !notAnAge(s, int(toks[k2].Start), int(toks[k2].End)) {
					out = append(out, AgeBand{Min: lo, Max: hi, Start: int(toks[k].Start), End: int(toks[k2].End)})
				}
				k = k2
				continue
			}
		}
		// An upper limit: "under 35", "35岁以下".
		if limitNear(s, toks, k) && near(s, toks, k, k, 3, ageWords, ageMarks) && !notAnAge(s, int(toks[k].Start), int(toks[k].End)) {
			out = append(out, AgeBand{Min: 0, Max: lo, Start: int(toks[k].Start), End: int(toks[k].End)})
		}
	}
	return out
}
