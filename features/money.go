package features

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Period is the time a pay amount is for.
type Period string

// Pay periods.
const (
	PeriodHour  Period = "hour"
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
	PeriodYear  Period = "year"
)

// monthlyFactor converts an amount per period into an amount per month.
var monthlyFactor = map[Period]float64{
	PeriodHour: 176, PeriodDay: 26, PeriodWeek: 4.33, PeriodMonth: 1, PeriodYear: 1.0 / 12,
}

// Money is a pay amount read from an advert.
type Money struct {
	Currency string  `json:"currency"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Period   Period  `json:"period"`
	// PeriodStated is false when the period was assumed.
	PeriodStated bool `json:"period_stated"`
	// USDMonthly is Max per month in US dollars.
	USDMonthly float64 `json:"usd_monthly"`
	// NormRatio is Max per month over the typical entry-level monthly wage
	// where the advert's audience lives; 0 when no norm applies.
	NormRatio float64 `json:"norm_ratio,omitempty"`
	// Start and End are byte offsets in the normalised text.
	Start, End int `json:"-"`
}

type currencyInfo struct {
	Code    string   `json:"code"`
	USD     float64  `json:"usd"`
	Norm    float64  `json:"norm"`
	Country string   `json:"country"`
	Aliases []string `json:"aliases"`
	Symbols []string `json:"symbols"`
}

type currencyFile struct {
	Currencies       []currencyInfo      `json:"currencies"`
	LanguageNorm     map[string]string   `json:"language_norm"`
	LanguageCurrency map[string]string   `json:"language_currency"`
	Multipliers      map[string]float64  `json:"multipliers"`
	Periods          map[Period][]string `json:"periods"`
}

//go:embed data/currencies.json
var currenciesJSON []byte

type lexKind uint8

const (
	lexCurrency lexKind = iota
	lexSymbol
	lexMultiplier
	lexPeriod
)

type lexEntry struct {
	text     string
	kind     lexKind
	currency string
	mult     float64
	period   Period
}

// MoneyReader finds pay amounts with their currency and period in
// normalised text: "$1,000/month", "3000元日薪", "15 triệu", "P50,000",
// "RM3,000", "gaji 15-20 juta". Immutable; safe for concurrent use.
type MoneyReader struct {
	currencies map[string]currencyInfo
	langNorm   map[string]string
	langCur    map[string]string
	// lexicon entries by first and by last byte, longest first
	byFirst [256][]lexEntry
	byLast  [256][]lexEntry
}

// NewMoneyReader builds a reader from the embedded currency table.
func NewMoneyReader() (*MoneyReader, error) {
	var f currencyFile
	if err := json.Unmarshal(currenciesJSON, &f); err != nil {
		return nil, fmt.Errorf("currency table: %w", err)
	}
	r := &MoneyReader{currencies: map[string]currencyInfo{}, langNorm: f.LanguageNorm, langCur: f.LanguageCurrency}
	var lex []lexEntry
	for _, c := range f.Currencies {
		r.currencies[c.Code] = c
		for _, a := range c.Aliases {
			lex = append(lex, lexEntry{text: a, kind: lexCurrency, currency: c.Code})
		}
		for _, s := range c.Symbols {
			lex = append(lex, lexEntry{text: s, kind: lexSymbol, currency: c.Code})
		}
	}
	for t, m := range f.Multipliers {
		lex = append(lex, lexEntry{text: t, kind: lexMultiplier, mult: m})
	}
	for p, words := range f.Periods {
		if _, ok := monthlyFactor[p]; !ok {
			return nil, fmt.Errorf("currency table: unknown period %q", p)
		}
		for _, w := range words {
			lex = append(lex, lexEntry{text: w, kind: lexPeriod, period: p})
		}
	}
	sort.SliceStable(lex, func(i, j int) bool {
		if len(lex[i].text) != len(lex[j].text) {
			return len(lex[i].text) > len(lex[j].text)
		}
		return lex[i].text < lex[j].text
	})
	for _, e := range lex {
		r.byFirst[e.text[0]] = append(r.byFirst[e.text[0]], e)
		last := e.text[len(e.text)-1]
		r.byLast[last] = append(r.byLast[last], e)
	}
	return r, nil
}

// lexAt returns the longest lexicon entry of one of kinds starting at s[i:],
// respecting word boundaries for Latin-letter entries.
func (r *MoneyReader) lexAt(s string, i int, kinds ...lexKind) (lexEntry, int, bool) {
	if i >= len(s) {
		return lexEntry{}, 0, false
	}
	for _, e := range r.byFirst[s[i]] {
		if !strings.HasPrefix(s[i:], e.text) || !hasKind(e.kind, kinds) {
			continue
		}
		end := i + len(e.text)
		if endsInLetter(e.text) && end < len(s) {
			if rr, _ := utf8.DecodeRuneInString(s[end:]); isLatinLetter(rr) {
				continue
			}
		}
		return e, end, true
	}
	return lexEntry{}, 0, false
}

// lexBefore returns the longest entry of kinds that ends at s[:i],
// respecting word boundaries for Latin-letter entries on both sides.
func (r *MoneyReader) lexBefore(s string, i int, kinds ...lexKind) (lexEntry, int, bool) {
	if i <= 0 || i > len(s) {
		return lexEntry{}, 0, false
	}
	for _, e := range r.byLast[s[i-1]] {
		if len(e.text) > i || !hasKind(e.kind, kinds) || s[i-len(e.text):i] != e.text {
			continue
		}
		start := i - len(e.text)
		if startsInLetter(e.text) && start > 0 {
			if rr, _ := utf8.DecodeLastRuneInString(s[:start]); isLatinLetter(rr) {
				continue
			}
		}
		if endsInLetter(e.text) && i < len(s) {
			if rr, _ := utf8.DecodeRuneInString(s[i:]); isLatinLetter(rr) {
				continue
			}
		}
		return e, start, true
	}
	return lexEntry{}, 0, false
}

func hasKind(k lexKind, kinds []lexKind) bool {
	for _, x := range kinds {
		if k == x {
			return true
		}
	}
	return false
}

func isLatinLetter(r rune) bool {
	sc, unspaced := scriptOf(r)
	return !unspaced && sc == ScriptLatin && unicode.IsLetter(r)
}

func endsInLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isLatinLetter(r)
}

func startsInLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isLatinLetter(r)
}

// skipSpace skips spaces and joiners that sit between a number and its unit.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func skipSpaceBack(s string, i int) int {
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == ':') {
		i--
	}
	return i
}

// amount is one number with what stands right around it.
type amount struct {
	value    float64
	mult     string // multiplier word, if any
	currency string
	period   Period
	pay      bool // the period word names pay: 日薪, 時給, 일당
	start    int
	end      int
}

// readAfter reads multiplier, currency and period following a number.
func (r *MoneyReader) readAfter(s string, a *amount) {
	i := skipSpace(s, a.end)
	if e, end, ok := r.lexAt(s, i, lexMultiplier); ok {
		a.value *= e.mult
		a.mult = e.text
		switch e.text {
		case "triệu", "trieu", "tr":
			a.currency = "VND"
		case "juta", "jt":
			a.currency = "IDR"
		case "lakh", "lakhs", "lac":
			a.currency = "INR"
		case "만":
			a.currency = "KRW"
		}
		a.end = end
		i = skipSpace(s, end)
	}
	if e, end, ok := r.lexAt(s, i, lexCurrency, lexSymbol); ok && (len(e.text) > 1 || gluedLetterAfter(s, a.end, i, end)) {
		// A one-letter alias (p, u) must be glued on: "3000u", not "6 p.m.".
		a.currency = e.currency
		a.end = end
		i = skipSpace(s, end)
	}
	// "/month", "per month", "a day", "mỗi tháng", "/月": a period word
	// needs a connector, or to follow with no space ("3000元日薪",
	// "15tr/tháng"), or to be an adverb ("monthly").
	j := i
	connected := i == a.end
	if j < len(s) && s[j] == '/' {
		j, connected = skipSpace(s, j+1), true
	} else {
		for _, w := range periodConnectors {
			if strings.HasPrefix(s[j:], w) {
				j, connected = skipSpace(s, j+len(w)), true
				break
			}
		}
	}
	if e, end, ok := r.lexAt(s, j, lexPeriod); ok && (connected || standalonePeriods[e.text]) {
		a.period = e.period
		a.pay = containsAny(e.text, payMarks)
		a.end = end
	}
}

// payMarks are words for pay; one of them before an amount in the same
// clause lets the amount be read in the language's currency.
var payMarks = []string{
	"salary", "pay", "wage", "income", "earn", "allowance", "commission", "bonus",
	"lương", "luong", "thu nhập", "thu nhap", "thưởng", "hoa hồng",
	"gaji", "upah", "pendapatan", "penghasilan", "komisi", "elaun",
	"sahod", "sweldo", "suweldo", "bayad",
	"เงินเดือน", "รายได้", "ค่าแรง", "ค่าจ้าง", "โบนัส", "ค่าคอม", "ผลตอบแทน",
	"薪", "工资", "工資", "收入", "待遇", "提成", "奖金", "獎金", "佣金", "报酬", "報酬", "月入", "日结", "日結", "赚", "賺",
	"給", "収入", "稼",
	"급", "일당", "연봉", "수입", "보수", "페이",
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// payBefore reports whether a pay word comes before byte offset i in the
// same clause with no other number between: "lương 8000000/tháng",
// "月薪 8000/月", but not "月薪8000元，每天工作12小时".
func payBefore(s string, i int) bool {
	lo := max(0, i-64)
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo++
	}
	w := s[lo:i]
	for j := len(w) - 1; j >= 0; j-- {
		if c := w[j]; c >= '0' && c <= '9' || strings.IndexByte(",;!?()\n|", c) >= 0 {
			w = w[j+1:]
			break
		}
	}
	for _, brk := range []string{"。", "、", ". "} {
		if k := strings.LastIndex(w, brk); k >= 0 {
			w = w[k+len(brk):]
		}
	}
	return containsAny(w, payMarks)
}

// gluedLetterAfter reports whether a one-letter currency alias at
// s[i:end] follows the amount ending at numEnd with no space and is not an
// abbreviation: "3000u" but not "6 p.m." or "6p.m.".
func gluedLetterAfter(s string, numEnd, i, end int) bool {
	if i != numEnd {
		return false
	}
	return end >= len(s) || s[end] != '.'
}

// periodConnectors join an amount to its period.
var periodConnectors = []string{"per ", "a ", "an ", "each ", "every ", "mỗi ", "một ", "setiap ", "tiap ", "kada ", "bawat ", "isang ", "per-", "ต่อ", "每", "一个", "一個", "/"}

// standalonePeriods may follow an amount after a plain space.
var standalonePeriods = map[string]bool{
	"monthly": true, "daily": true, "weekly": true, "yearly": true, "hourly": true, "annually": true,
	"sebulan": true, "perbulan": true, "perhari": true, "sehari": true, "seminggu": true, "setahun": true,
	"harian": true, "bulanan": true, "mingguan": true, "tahunan": true, "perjam": true, "sejam": true,
	"arawang": true, "buwanang": true, "lingguhang": true,
}

// readBefore reads a currency symbol or alias and a period word before a number.
func (r *MoneyReader) readBefore(s string, a *amount) {
	i := skipSpaceBack(s, a.start)
	if e, start, ok := r.lexBefore(s, i, lexSymbol, lexCurrency); ok && (len(e.text) > 1 || i == a.start) {
		// A one-letter alias must touch the number: "P500", not "to 6 p.m.".
		if a.currency == "" {
			a.currency = e.currency
		}
		a.start = start
		i = skipSpaceBack(s, start)
	}
	if a.period != "" {
		return
	}
	if e, start, ok := r.lexBefore(s, i, lexPeriod); ok && !startsInLetter(e.text) {
		// 月薪 3000, 日薪300, วันละ 1,000 บาท; not a duration ("月休4天 300").
		if !durationBefore(s, start) {
			a.period = e.period
			a.pay = containsAny(e.text, payMarks)
		}
		return
	}
	if p, ok := r.periodWordsBefore(s, i); ok {
		a.period = p // Daily salary 2000, salary per day: 1,500, lương ngày 500k
	}
}

// durationBefore reports whether a number other than 1 ends just before
// byte offset i: "4天" is four days, not "a day".
func durationBefore(s string, i int) bool {
	j := skipSpaceBack(s, i)
	end := j
	for j > 0 && s[j-1] >= '0' && s[j-1] <= '9' {
		j--
	}
	return j < end && s[j:end] != "1"
}

// payWords name pay; they may stand between a period word and the amount
// ("daily salary 2000") and make a bare period word a rate ("lương ngày").
var payWords = map[string]bool{
	"salary": true, "salaries": true, "pay": true, "wage": true, "wages": true, "income": true, "rate": true,
	"basic": true, "base": true, "earn": true, "earnings": true, "allowance": true, "gross": true, "net": true,
	"lương": true, "luong": true, "nhập": true, "nhap": true,
	"gaji": true, "upah": true, "pendapatan": true, "penghasilan": true, "pokok": true,
	"sahod": true, "sweldo": true, "suweldo": true,
}

// periodBeforeConnectors make the period word after them a rate: "per day".
var periodBeforeConnectors = map[string]bool{
	"per": true, "a": true, "an": true, "each": true, "every": true, "mỗi": true, "moi": true, "một": true,
	"theo": true, "setiap": true, "tiap": true, "kada": true, "bawat": true, "isang": true,
}

// prevWord returns the Latin word that ends at s[:i] after spaces, and its
// start; ok is false when something other than a word comes first.
func prevWord(s string, i int) (string, int, bool) {
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
		i--
	}
	j := i
	for j > 0 {
		rr, n := utf8.DecodeLastRuneInString(s[:j])
		if !isLatinLetter(rr) && !unicode.Is(unicode.Mn, rr) {
			break
		}
		j -= n
	}
	return s[j:i], j, j < i
}

// periodWordsBefore reads a rate written in words before an amount that
// ends at s[:i]: "daily salary", "salary per day", "gaji harian",
// "lương ngày", looking back over at most four words.
func (r *MoneyReader) periodWordsBefore(s string, i int) (Period, bool) {
	for step := 0; step < 4; step++ {
		w, start, ok := prevWord(s, i)
		if !ok {
			return "", false
		}
		if payWords[w] {
			i = start
			continue
		}
		e, end, ok := r.lexAt(s, start, lexPeriod)
		if !ok || end != start+len(w) {
			return "", false
		}
		if standalonePeriods[w] {
			return e.period, true
		}
		if w2, _, ok := prevWord(s, start); ok && (periodBeforeConnectors[w2] || payWords[w2]) {
			return e.period, true
		}
		return "", false
	}
	return "", false
}

// rangeConnectors join the two ends of a range.
var rangeConnectors = []string{"-", "–", "—", "~", "〜", "～", "to ", "đến ", "den ", "hingga ", "sampai ", "至", "到", "ถึง", "up to ", "till "}

// rangeEnd reports whether a range connector follows byte offset end (the
// end of token k, or of what was read after it) and returns the index of
// the number token after the connector.
func rangeEnd(s string, toks []Token, k, end int) (int, bool) {
	i := skipSpace(s, end)
	for _, w := range rangeConnectors {
		if !strings.HasPrefix(s[i:], w) {
			continue
		}
		j := skipSpace(s, i+len(w))
		// The next number token must start right there (a currency symbol
		// of up to four bytes may sit between: "$1,000 - $2,000").
		for n := k + 1; n < len(toks) && int(toks[n].Start) <= j+4; n++ {
			if toks[n].Kind == KindNumber && int(toks[n].Start) >= j {
				return n, true
			}
		}
		return 0, false
	}
	return 0, false
}

// minAssumedUSDMonthly is the least pay per month, in US dollars, that an
// amount written without a currency is taken for: below it the number is
// something else.
const minAssumedUSDMonthly = 20

// Read returns the pay amounts in the normalised text s with tokens toks;
// lang is the posting's detected language.
func (r *MoneyReader) Read(s string, toks []Token, lang string, out []Money) []Money {
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.Kind != KindNumber {
			continue
		}
		a := amount{value: parseNumber(t.Text(s)), start: int(t.Start), end: int(t.End)}
		r.readAfter(s, &a)
		r.readBefore(s, &a)
		// A range: 15-20 triệu, $1,000 - $2,000, 2万至3万.
		hi := a
		if k2, ok := rangeEnd(s, toks, k, a.end); ok {
			{
				b := amount{value: parseNumber(toks[k2].Text(s)), start: int(toks[k2].Start), end: int(toks[k2].End)}
				r.readBefore(s, &b)
				r.readAfter(s, &b)
				if b.currency != "" || a.currency != "" || b.mult != "" || b.period != "" {
					if a.mult == "" && b.mult != "" {
						// "15-20 triệu": the multiplier written once.
						a.value *= b.value / parseNumber(toks[k2].Text(s))
					}
					hi = b
					k = k2
				}
			}
		}
		cur := firstNonEmpty(a.currency, hi.currency)
		assumed := false
		if cur == "" && (a.mult != "" || hi.mult != "" ||
			(hi.period != "" || a.period != "") && (a.pay || hi.pay || payBefore(s, a.start))) {
			// "月薪2-3万", "lương 8000000/tháng": the language's currency.
			// A bare duration is not pay: "工作12小时", "libur 4hari/bulan".
			cur, assumed = r.langCur[lang], true
		}
		if cur == "" || a.value <= 0 {
			continue
		}
		info, ok := r.currencies[cur]
		if !ok {
			continue
		}
		period := Period(firstNonEmpty(string(hi.period), string(a.period)))
		m := Money{Currency: cur, Min: a.value, Max: hi.value, Period: period, PeriodStated: period != "", Start: a.start, End: hi.end}
		if m.Max < m.Min {
			m.Min, m.Max = m.Max, m.Min
		}
		if !m.PeriodStated {
			m.Period = PeriodMonth
			if info.Norm == 0 && m.Max*info.USD >= 20000 {
				m.Period = PeriodYear // "$85,000" in a US advert is a salary per year
			}
		}
		monthly := m.Max * monthlyFactor[m.Period]
		m.USDMonthly = monthly * info.USD
		if assumed && m.USDMonthly < minAssumedUSDMonthly {
			continue // "lương tháng 13" is the 13th-month bonus, not 13 đồng
		}
		if norm := r.normUSD(info, lang); norm > 0 {
			m.NormRatio = m.USDMonthly / norm
		}
		out = append(out, m)
	}
	return out
}

// normUSD is the monthly entry-level wage in US dollars that pay in info is
// measured against: the currency's own country, or for currencies without
// one (USD, EUR) the country of the posting's language.
func (r *MoneyReader) normUSD(info currencyInfo, lang string) float64 {
	if info.Norm > 0 {
		return info.Norm * info.USD
	}
	if code, ok := r.langNorm[lang]; ok {
		if c := r.currencies[code]; c.Norm > 0 {
			return c.Norm * c.USD
		}
	}
	return 0
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseNumber reads "1,000", "1.000.000", "15,5", "2.5" and "3000". A
// separator followed by exactly three digits groups thousands; otherwise it
// is a decimal point.
func parseNumber(s string) float64 {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ',' || c == '.' {
			rest := 0
			for j := i + 1; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
				rest++
			}
			if rest == 3 {
				continue
			}
			b = append(b, '.')
			continue
		}
		if c >= '0' && c <= '9' {
			b = append(b, c)
		} else if r, n := utf8.DecodeRuneInString(s[i:]); unicode.IsDigit(r) {
			b = append(b, byte('0'+digitValue(r)))
			i += n - 1
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0
	}
	return v
}

// digitValue returns the value of a decimal digit of any script.
func digitValue(r rune) int {
	for _, zero := range []rune{0x0E50, 0x0ED0, 0x17E0, 0x1040, 0x0660, 0x06F0, 0x0966} {
		if r >= zero && r <= zero+9 {
			return int(r - zero)
		}
	}
	return 0
}
