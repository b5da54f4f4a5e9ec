package features

import (
	"reflect"
	"testing"
	"unicode"
)

func tokenTexts(s string) []string {
	n, _ := Normalize(s, nil)
	toks, _ := Tokenize(n.Text, nil)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text(n.Text)
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"english words and punctuation", "Free flights, visa & hotel!", []string{"free", "flights", "visa", "hotel"}},
		{"letters and digits split", "RM3,000/month", []string{"rm", "3,000", "month"}},
		{"number separators", "Rp 18.000.000 or $1,500.50", []string{"rp", "18.000.000", "or", "1,500.50"}},
		{"trailing separator is not part of the number", "earn 500.", []string{"earn", "500"}},
		{"vietnamese words keep diacritics", "Việc nhẹ lương cao", []string{"việc", "nhẹ", "lương", "cao"}},
		{"indonesian", "Gaji tinggi tanpa pengalaman", []string{"gaji", "tinggi", "tanpa", "pengalaman"}},
		{"chinese per character", "高薪客服", []string{"高", "薪", "客", "服"}},
		{"chinese with number", "月薪3000元", []string{"月", "薪", "3000", "元"}},
		{"japanese kana and kanji", "高収入バイト", []string{"高", "収", "入", "バ", "イ", "ト"}},
		{"korean per syllable", "숙식 제공", []string{"숙", "식", "제", "공"}},
		{"thai per character", "รายได้", []string{"ร", "า", "ย", "ไ", "ด", "้"}},
		{"mixed scripts", "CS客服 job", []string{"cs", "客", "服", "job"}},
		{"russian", "Работа в Таиланде", []string{"работа", "в", "таиланде"}},
		{"emoji dropped", "💰💰 big pay 🛫", []string{"big", "pay"}},
		{"emoji zwj sequence", "👨\u200d👩\u200d👧 family ❤\ufe0f 👍🏽", []string{"family"}},
		{"flag tag sequence", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F uk", []string{"uk"}},
		{"empty", "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tokenTexts(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Words disguised with invisible characters or look-alike letters tokenize
// like their plain spelling, as Latin words.
func TestTokenizeDisguisedWords(t *testing.T) {
	tests := []struct{ name, in, clean string }{
		{"soft hyphen and zero-width space", "pass\u00adport required, free fl\u200bights, tele\u200bgram", "passport required, free flights, telegram"},
		{"zero-width joiner", "pass\u200dport", "passport"},
		{"byte-order mark", "pass\ufeffport", "passport"},
		{"word joiner", "tele\u2060gram", "telegram"},
		{"variation selector", "pass\ufe0fport", "passport"},
		{"cyrillic look-alikes", "p\u0430ssport telegr\u0430m", "passport telegram"},
		{"greek look-alikes", "\u03a1\u0391SSPORT \u03bdis\u03b1", "passport visa"},
		{"both", "p\u0430ss\u00adp\u043ert, \u0422ele\u200bgr\u0430m", "passport, telegram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tokenTexts(tt.in), tokenTexts(tt.clean); !reflect.DeepEqual(got, want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, want)
			}
			n, _ := Normalize(tt.in, nil)
			toks, st := Tokenize(n.Text, nil)
			for _, tk := range toks {
				if tk.Script != ScriptLatin {
					t.Errorf("token %q is in script %d, want Latin", tk.Text(n.Text), tk.Script)
				}
			}
			if st.Letters[ScriptCyrillic] != 0 {
				t.Errorf("%d Cyrillic letters counted", st.Letters[ScriptCyrillic])
			}
		})
	}
}

// Genuine Cyrillic and Greek words stay in their script.
func TestTokenizeKeepsGenuineScripts(t *testing.T) {
	n, _ := Normalize("Требуются сотрудники, Ελλάδα, Telegram", nil)
	toks, st := Tokenize(n.Text, nil)
	got := make([]string, len(toks))
	for i, tk := range toks {
		got[i] = tk.Text(n.Text)
	}
	if want := []string{"требуются", "сотрудники", "ελλάδα", "telegram"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
	if st.Letters[ScriptCyrillic] != 19 {
		t.Errorf("%d Cyrillic letters, want 19", st.Letters[ScriptCyrillic])
	}
}

// Emoji are counted per pictograph: dropping the joiners and variation
// selectors of emoji sequences changes no count.
func TestTokenizeEmojiSequencesCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"👨\u200d👩\u200d👧", 3},
		{"❤\ufe0f❤", 2},
		{"👍🏽", 2},
		{"💰💰 big pay 🛫", 3},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, _ := Normalize(tt.in, nil)
			if _, st := Tokenize(n.Text, nil); st.Emoji != tt.want {
				t.Errorf("%d emoji, want %d", st.Emoji, tt.want)
			}
		})
	}
}

func TestTokenizeBreaksAndStats(t *testing.T) {
	n, _ := Normalize("No. Experience needed!! 🎉\nApply", nil)
	toks, st := Tokenize(n.Text, nil)
	var breaks []bool
	for _, tk := range toks {
		breaks = append(breaks, tk.Break)
	}
	want := []bool{false, true, false, true}
	if !reflect.DeepEqual(breaks, want) {
		t.Errorf("breaks = %v, want %v", breaks, want)
	}
	if st.Emoji != 1 || st.Exclaims != 2 {
		t.Errorf("stats = %+v, want 1 emoji and 2 exclamations", st)
	}
}

// TestCommonUnspaced: every rune commonUnspaced takes is a letter (or
// combining mark) that the unicode tables put in the script it says, and
// that the tokenizer's general path would make a character token of that
// script.
func TestCommonUnspaced(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		sc, ok := commonUnspaced(r)
		if !ok {
			continue
		}
		n++
		want, unspaced := scriptOf(r)
		letter := unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
		if !letter || !unspaced || want != sc {
			t.Errorf("U+%04X: commonUnspaced says %v; the tables say letter %v, script %v, unspaced %v", r, sc, letter, want, unspaced)
		}
	}
	if n < 30000 {
		t.Errorf("commonUnspaced takes %d runes; it was meant for the CJK, Hangul and kana blocks", n)
	}
}
