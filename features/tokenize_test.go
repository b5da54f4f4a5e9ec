package features

import (
	"reflect"
	"testing"
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
