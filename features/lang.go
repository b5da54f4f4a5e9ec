package features

import (
	_ "embed"
	"slices"
	"strings"
	"unicode/utf8"
)

// Language is the detected language of a posting.
type Language struct {
	// Code is a BCP 47 tag: en, zh, zh-Hant, vi, id, ms, tl, th, ko, ja, ...;
	// "und" when nothing could be told.
	Code string `json:"code"`
	// Confidence in [0,1]: how clearly the text is in Code. Short and mixed
	// texts get low confidence, never an error.
	Confidence float64 `json:"confidence"`
}

//go:embed data/langwords.txt
var langWordsFile string

// viLetters are letters that occur in Vietnamese and hardly anywhere else.
const viLetters = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"

// chinesePairs lists common characters that differ between traditional and
// simplified Chinese, as traditional-simplified pairs.
const chinesePairs = "們们這这個个來来時时為为會会學学說说對对員员質质與与從从資资職职務务經经驗验語语開开發发" +
	"廣广東东門门關关電电話话環环節节點点區区體体應应費费隊队場场國国際际歲岁滿满換换買买賣卖現现" +
	"鐘钟錢钱車车請请難难幫帮號号視视聽听讀读寫写網网絡络屬属實实處处總总讓让專专業业級级線线機机" +
	"聯联齡龄萬万則则無无僅仅內内歡欢證证護护簽签飛飞額额險险優优勢势輕轻鬆松據据條条責责備备導导" +
	"戶户營营運运銷销團团較较並并當当過过還还進进後后麼么沒没樣样長长見见問问間间頭头報报覺觉"

// maxDetectWords is how many words of a text vote on its language.
const maxDetectWords = 200

// LanguageDetector tells the language of a tokenized text from its scripts
// and, for Latin and Cyrillic scripts, from marker words. It is immutable.
type LanguageDetector struct {
	markers map[string][]uint8 // word -> indexes into langs of the languages that use it
	weak    map[string][]uint8 // weak markers: count half
	langs   []string           // in file order, for stable tie breaks
	viIndex int
	trad    map[rune]bool
	simp    map[rune]bool
	vi      map[rune]bool
}

// NewLanguageDetector builds a detector from the embedded marker words.
func NewLanguageDetector() *LanguageDetector {
	d := &LanguageDetector{
		markers: map[string][]uint8{},
		weak:    map[string][]uint8{},
		trad:    map[rune]bool{},
		simp:    map[rune]bool{},
		vi:      runeSet(viLetters),
	}
	pairs := []rune(chinesePairs)
	for i := 0; i+1 < len(pairs); i += 2 {
		d.trad[pairs[i]] = true
		d.simp[pairs[i+1]] = true
	}
	for _, line := range strings.Split(langWordsFile, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		code, weak := strings.CutSuffix(fields[0], "~")
		li := slices.Index(d.langs, code)
		if li < 0 {
			d.langs = append(d.langs, code)
			li = len(d.langs) - 1
		}
		m := d.markers
		if weak {
			m = d.weak
		}
		for _, w := range fields[1:] {
			m[w] = append(m[w], uint8(li))
		}
	}
	d.viIndex = slices.Index(d.langs, "vi")
	return d
}

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, utf8.RuneCountInString(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

// Detect returns the language of the normalised text s with tokens toks.
func (d *LanguageDetector) Detect(s string, toks []Token, st *TextStats) Language {
	// Dominant script by letters; CJK characters weigh like three Latin
	// letters each (a Han character carries about a word's information).
	weights := st.Letters
	for _, sc := range []Script{ScriptHan, ScriptKana, ScriptHangul} {
		weights[sc] *= 3
	}
	wtotal := 0
	best := ScriptLatin
	for sc, n := range weights {
		wtotal += n
		if n > weights[best] {
			best = Script(sc)
		}
	}
	if wtotal == 0 {
		return Language{Code: "und"}
	}
	// Confidence grows with evidence and saturates.
	evidence := min(float64(len(toks))/15, 1)
	conf := func(code string, c float64, sc Script) Language {
		share := float64(weights[sc]) / float64(wtotal)
		return Language{Code: code, Confidence: round3(c * share * (0.4 + 0.6*evidence))}
	}
	if best != ScriptLatin && best != ScriptCyrillic {
		code, c := d.scriptLanguage(s, toks, st, best)
		return conf(code, c, best)
	}
	// A post mostly in Latin letters but with a good share of another
	// script (code-mixed "CS / call center ... ตั๋วฟรี ที่พักฟรี") is
	// written for readers of that script.
	if other := strongestOther(weights, best); other != best && weights[other]*100 >= wtotal*35 {
		code, c := d.scriptLanguage(s, toks, st, other)
		return conf(code, c, other)
	}
	// Latin or Cyrillic: vote with marker words and Vietnamese letters.
	code, c, strength := d.vote(s, toks, best)
	if strength < 4 {
		// Few marker words: a post in another script with borrowed English
		// job words ("CS / call center ... ตั๋วฟรี ที่พักฟรี") is in that
		// script's language.
		second := -1
		for sc, n := range weights {
			if Script(sc) != best && (second < 0 || n > weights[second]) {
				second = sc
			}
		}
		if sec := Script(second); sec != ScriptLatin && sec != ScriptCyrillic && weights[sec]*5 >= wtotal {
			second := sec
			code2, c2 := d.scriptLanguage(s, toks, st, second)
			return conf(code2, c2, second)
		}
	}
	if code == "" {
		if best == ScriptCyrillic {
			return conf("ru", 0.3, best)
		}
		return Language{Code: "und"}
	}
	return conf(code, c, best)
}

// strongestOther returns the non-Latin, non-Cyrillic script with the most
// letters other than best (best itself if there is none).
func strongestOther(weights [numScripts]int, best Script) Script {
	other := best
	for sc, n := range weights {
		s := Script(sc)
		if s == best || s == ScriptLatin || s == ScriptCyrillic || n == 0 {
			continue
		}
		if other == best || n > weights[other] {
			other = s
		}
	}
	return other
}

// scriptLanguage names the language of text in a script that (nearly)
// belongs to one language, telling Chinese from Japanese and traditional
// from simplified.
func (d *LanguageDetector) scriptLanguage(s string, toks []Token, st *TextStats, sc Script) (string, float64) {
	switch sc {
	case ScriptHan, ScriptKana:
		if st.Letters[ScriptKana]*5 > st.Letters[ScriptHan] || st.Letters[ScriptKana] > 20 {
			return "ja", 1
		}
		if st.Letters[ScriptHangul]*6 > st.Letters[ScriptHan] {
			return "ko", 0.8
		}
		trad, simp := 0, 0
		for _, t := range toks {
			if t.Kind != KindChar || t.Script != ScriptHan {
				continue
			}
			r, _ := utf8.DecodeRuneInString(s[t.Start:])
			if d.trad[r] {
				trad++
			} else if d.simp[r] {
				simp++
			}
		}
		if trad > simp {
			return "zh-Hant", margin(trad, simp)
		}
		return "zh", margin(simp, trad)
	case ScriptHangul:
		return "ko", 1
	case ScriptThai:
		return "th", 1
	case ScriptLao:
		return "lo", 1
	case ScriptKhmer:
		return "km", 1
	case ScriptMyanmar:
		return "my", 1
	}
	return "", 0
}

// vote scores the Latin- or Cyrillic-script languages by marker words and
// returns the winner ("" if none), its margin over the runner-up and its
// votes.
func (d *LanguageDetector) vote(s string, toks []Token, script Script) (string, float64, int) {
	var votes [64]int
	words := 0
	for _, t := range toks {
		if t.Kind != KindWord {
			continue
		}
		// A few hundred words tell the language as well as thousands, and
		// a clear lead after a few dozen is final.
		if words++; words > maxDetectWords || (words%32 == 0 && clearLead(votes[:len(d.langs)])) {
			break
		}
		w := s[t.Start:t.End]
		for _, li := range d.markers[w] {
			votes[li] += 2
		}
		for _, li := range d.weak[w] {
			votes[li]++
		}
		if script == ScriptLatin && d.viIndex >= 0 && !isASCII(w) {
			for _, r := range w {
				if d.vi[r] {
					votes[d.viIndex] += 3
					break
				}
			}
		}
	}
	top, second := -1, -1
	for i := range d.langs {
		switch {
		case top < 0 || votes[i] > votes[top]:
			top, second = i, top
		case second < 0 || votes[i] > votes[second]:
			second = i
		}
	}
	if top < 0 || votes[top] == 0 {
		return "", 0, 0
	}
	sv := 0
	if second >= 0 {
		sv = votes[second]
	}
	return d.langs[top], margin(votes[top], sv), votes[top]
}

// clearLead reports whether one language has at least 24 votes and three
// times the runner-up's.
func clearLead(votes []int) bool {
	top, second := 0, 0
	for _, v := range votes {
		if v > top {
			top, second = v, top
		} else if v > second {
			second = v
		}
	}
	return top >= 24 && top >= 3*second
}

// margin turns a winner's and runner-up's votes into a confidence factor.
func margin(a, b int) float64 {
	if a+b == 0 {
		return 0.5
	}
	return 0.5 + 0.5*float64(a-b)/float64(a+b)
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
