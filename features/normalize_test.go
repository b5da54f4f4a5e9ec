package features

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii case", "Free FLIGHT", "free flight"},
		{"full-width digits and letters", "ＵＳＤ１２３", "usd123"},
		{"ligature", "ﬁnance", "finance"},
		{"sharp s folds to ss", "Straße", "strasse"},
		{"final sigma", "ΟΔΟΣ", "οδοσ"},
		{"vietnamese precomposed kept", "Việc Nhẹ", "việc nhẹ"},
		{"vietnamese decomposed composes", "Vie\u0323\u0302c", "việc"},
		{"ideographic space", "高薪\u3000包住", "高薪 包住"},
		{"empty", "", ""},

		// Invisible characters are dropped.
		{"soft hyphen", "pass\u00adport", "passport"},
		{"zero-width space", "free fl\u200bights", "free flights"},
		{"zero-width joiner", "pass\u200dport", "passport"},
		{"zero-width non-joiner", "pass\u200cport", "passport"},
		{"byte-order mark", "\ufeffpass\ufeffport", "passport"},
		{"word joiner", "tele\u2060gram", "telegram"},
		{"invisible operators", "tele\u2062gr\u2064am", "telegram"},
		{"mongolian vowel separator", "tele\u180egram", "telegram"},
		{"bidi controls", "\u202etele\u202cgram\u200e", "telegram"},
		{"variation selectors", "pass\ufe0fport\ufe00", "passport"},
		{"tag characters", "tele\U000E0067gram", "telegram"},
		{"hangul filler", "tele\u3164gram", "telegram"},
		{"several in a row", "p\u00ad\u200b\u200d\ufeffassport", "passport"},
		{"only invisible", "\u200b\u00ad\ufeff", ""},
		{"reproduction", "pass\u00adport required, free fl\u200bights, tele\u200bgram", "passport required, free flights, telegram"},
		{"persian zwnj dropped", "می\u200cخواهم", "میخواهم"},
		{"arabic number sign kept", "\u0600١٢", "\u0600١٢"},

		// Look-alike letters among Latin ones become Latin.
		{"cyrillic a", "p\u0430ssport", "passport"},
		{"cyrillic a twice", "p\u0430ssport telegr\u0430m", "passport telegram"},
		{"cyrillic capital first", "\u0422elegram", "telegram"},
		{"cyrillic run", "\u0440\u0430ssp\u043ert", "passport"},
		{"cyrillic at the end", "vis\u0430", "visa"},
		{"cyrillic capitals", "\u0421\u0410LL N\u041eW", "call now"},
		{"cyrillic supplement", "\u0501ollar \u051dhatsapp \u04bbotel paypa\u04cf", "dollar whatsapp hotel paypal"},
		{"cyrillic i j s", "\u0456\u0458\u0455x", "ijsx"},
		{"greek capitals", "\u039fK \u03a4\u0395LEGRAM", "ok telegram"},
		{"greek small letters", "\u03bdis\u03b1 \u03bfk", "visa ok"},
		{"greek capital nu is n", "\u039dow", "now"},
		{"greek capital upsilon is y", "\u03a5es", "yes"},
		{"mathematical greek capital", "\U0001D6A8pply", "apply"},
		{"confusable with accent", "\u0435\u0301lan", "e\u0301lan"},
		{"mixed word after full-width", "ＵＳＤ ｐ\u0430ss", "usd pass"},
		{"invisible and look-alike", "p\u0430ss\u00adp\u043ert", "passport"},
		{"look-alike beside a vietnamese letter", "vi\u1ec7\u0441", "việc"},

		// Genuine Greek and Cyrillic are left alone.
		{"russian", "Требуются сотрудники", "требуются сотрудники"},
		{"russian beside latin", "Работа в Telegram", "работа в telegram"},
		{"greek word", "Ελλάδα", "ελλάδα"},
		{"greek all look-alikes", "ΚΑΙ", "και"},
		{"russian glued to latin", "CSработа", "csработа"},
		{"russian suffix on a latin word", "iPhoneом", "iphoneом"},
		{"micro sign", "5µg", "5μg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := Normalize(tt.in, nil)
			if got.Text != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got.Text, tt.want)
			}
		})
	}
}

func TestNormalizeOriginalSpans(t *testing.T) {
	tests := []struct {
		name, in, find, wantOrig string
	}{
		{"ascii", "Call NOW please", "now", "NOW"},
		{"full-width", "月薪３０００元", "3000", "３０００"},
		{"ligature inside word", "the ﬁnance team", "finance", "ﬁnance"},
		{"sharp s", "Große Chance", "grosse", "Große"},
		{"decomposed", "lương Vie\u0323\u0302c", "việc", "Vie\u0323\u0302c"},
		{"soft hyphen inside", "a pass\u00adport", "passport", "pass\u00adport"},
		{"zero-width space inside", "free fl\u200bights now", "free flights", "free fl\u200bights"},
		{"joiners inside", "tele\u200d\u200cgram", "telegram", "tele\u200d\u200cgram"},
		{"leading invisible left out", "\ufeff\u200bpassport", "passport", "passport"},
		{"word after invisibles", "pass\u00adport tele\u200bgram now", "now", "now"},
		{"cyrillic a", "my p\u0430ssport", "passport", "p\u0430ssport"},
		{"greek capital", "\u039fK go", "ok", "\u039fK"},
		{"word after look-alikes", "p\u0430ss t\u0435l\u0435gr\u0430m ＮＯＷ", "now", "ＮＯＷ"},
		{"look-alike after full-width", "ＵＳＤ ｐ\u0430ss", "pass", "ｐ\u0430ss"},
		{"invisible and look-alike", "x p\u0430ss\u00adp\u043ert y", "passport", "p\u0430ss\u00adp\u043ert"},
		{"part of a word", "p\u0430ss\u00adport", "port", "port"},
		{"russian after mixed", "p\u0430ss Требуются", "требуются", "Требуются"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := Normalize(tt.in, nil)
			i := indexOf(n.Text, tt.find)
			if i < 0 {
				t.Fatalf("%q not in normalised %q", tt.find, n.Text)
			}
			s, e := n.Original(i, i+len(tt.find))
			if got := tt.in[s:e]; got != tt.wantOrig {
				t.Errorf("original of %q = %q, want %q", tt.find, got, tt.wantOrig)
			}
		})
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// The offset map stays whole whatever is dropped or replaced: one entry per
// normalised byte and one past the end, never decreasing, every rune
// boundary mapping to a rune boundary of the original.
func TestNormalizeOffsetMapInvariants(t *testing.T) {
	for _, in := range []string{
		"p\u0430ss\u00adp\u043ert \u039dOW ﬁnance Straße",
		"\u200b\u200b",
		"\u0422\u0435\u200dlegram\ufe0f 👨\u200d👩\u200d👧",
		"Vie\u0323\u0302c p\u0430ss ｐ\u0430ss",
		"abc\u00ad",
	} {
		t.Run(in, func(t *testing.T) {
			n, _ := Normalize(in, nil)
			if len(n.orig) != len(n.Text)+1 || int(n.orig[len(n.Text)]) != len(in) {
				t.Fatalf("map of %d entries ending at %d for %d normalised and %d original bytes",
					len(n.orig), n.orig[len(n.orig)-1], len(n.Text), len(in))
			}
			for i := range n.Text {
				if n.orig[i] > n.orig[i+1] {
					t.Errorf("map decreases at %d: %v", i, n.orig)
				}
				if !utf8.RuneStart(in[n.orig[i]]) {
					t.Errorf("byte %d maps inside a rune of the original", i)
				}
			}
		})
	}
}

// An indicator phrase written with invisible characters or look-alike
// letters is found, and highlighted over the original bytes.
func TestAnalyzerSeesThroughDisguises(t *testing.T) {
	a := newDefaultAnalyzer(t)
	tests := []struct {
		name, text, want string
		start, end       int
	}{
		{"soft hyphen", "Documents: pass\u00adport only.", "pass\u00adport", 11, 21},
		{"zero-width joiner", "Documents: pass\u200dport only.", "pass\u200dport", 11, 22},
		{"byte-order mark", "Documents: pass\ufeffport only.", "pass\ufeffport", 11, 22},
		{"cyrillic a", "Documents: p\u0430ssport only.", "p\u0430ssport", 11, 20},
		{"greek capitals", "Documents: \u03a1\u0391SSPORT only.", "\u03a1\u0391SSPORT", 11, 21},
		{"both", "Documents: p\u0430ss\u00adp\u043ert only.", "p\u0430ss\u00adp\u043ert", 11, 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.Analyze(&Posting{Text: tt.text}, false)
			var got []Hit
			for _, h := range res.Hits {
				if h.Category == "passport" {
					got = append(got, h)
				}
			}
			if len(got) != 1 || got[0].Indicator != "passport_mentioned" || got[0].Start != tt.start || got[0].End != tt.end ||
				got[0].Text != tt.want || tt.text[got[0].Start:got[0].End] != tt.want {
				t.Errorf("passport hits %+v, want passport_mentioned %q at [%d, %d)", got, tt.want, tt.start, tt.end)
			}
		})
	}
}

func TestNormalizeCountsUpper(t *testing.T) {
	n, _ := Normalize("URGENT hiring Ｎow", nil)
	if n.Upper != 7 {
		t.Errorf("Upper = %d, want 7", n.Upper)
	}
}

// benchTexts are advert-sized inputs for the normalisation benchmark: Latin
// text that is not pure ASCII (the slow path), Cyrillic, Chinese and a
// Latin advert salted with invisible characters and look-alike letters.
var benchTexts = []struct{ name, text string }{
	{"latin", strings.Repeat("URGENT – hiring café staff “no experience” needed, free flights and visa, salary €2,000/month. ", 20)},
	{"cyrillic", strings.Repeat("Требуются сотрудники в Таиланд, зарплата от 2000 USD, перелёт и жильё бесплатно, пишите в Telegram. ", 20)},
	{"chinese", strings.Repeat("高薪招聘客服，包吃包住，月薪３０００美元，无需经验，机票报销，联系飞机。", 20)},
	{"web", strings.Repeat("Senior\u00a0Engineer\u00a0– competitive salary… apply at careers page™, relocation package ½ paid. ", 20)},
	{"obfuscated", strings.Repeat("pass\u00adport required, free fl\u200bights, tele\u2060gram, p\u0430ssport, Тelegrаm only. ", 20)},
}

func BenchmarkNormalize(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			var buf []byte
			b.SetBytes(int64(len(bt.text)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_, buf = Normalize(bt.text, buf)
			}
		})
	}
}

// FuzzNormalizeOffsetMap checks the offset map on any input: whole, never
// decreasing, landing on rune boundaries, and Original giving a valid span;
// and that Normalize left no mixed word unfolded (its quick test for one
// missed none).
func FuzzNormalizeOffsetMap(f *testing.F) {
	for _, s := range []string{"p\u0430ss\u00adp\u043ert", "\u039dOW\u200b", "ﬁ\u0435\u0301", "Straße ΟΔΟΣ", "\ufeff", "ＵＳＤ ｐ\u0430ss",
		"a\u0531\u0440", "\u0531x\u0440", "客p\u0430", "\u1ec7\u0440"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, _ := Normalize(in, nil)
		if n.orig == nil {
			if len(n.Text) != len(in) {
				t.Fatalf("no map but %d normalised bytes for %d", len(n.Text), len(in))
			}
			return
		}
		if len(n.orig) != len(n.Text)+1 || int(n.orig[len(n.Text)]) != len(in) {
			t.Fatalf("map of %d entries for %d normalised bytes", len(n.orig), len(n.Text))
		}
		for i := range n.Text {
			if n.orig[i] > n.orig[i+1] || (utf8.ValidString(in) && !utf8.RuneStart(in[n.orig[i]])) {
				t.Fatalf("bad map entry %d: %v", i, n.orig)
			}
		}
		toks, _ := Tokenize(n.Text, nil)
		for _, tk := range toks {
			if s, e := n.Original(int(tk.Start), int(tk.End)); s < 0 || s >= e || e > len(in) {
				t.Fatalf("token %q maps to [%d, %d)", tk.Text(n.Text), s, e)
			}
		}
		again, _ := foldConfusables(in, []byte(n.Text), append([]int32(nil), n.orig...))
		if string(again) != n.Text {
			t.Fatalf("normalised %q, folding look-alikes again gives %q", n.Text, again)
		}
	})
}

// isIgnorable is Unicode's Default_Ignorable_Code_Point: the format
// characters (Cf) except the visible ones, the variation selectors and the
// other default ignorables. Normalize relies on none lying between U+3164
// and U+A720, and only U+00AD and U+034F below confusableHi.
func TestIsIgnorable(t *testing.T) {
	visibleFormat := func(r rune) bool {
		return unicode.Is(unicode.Prepended_Concatenation_Mark, r) || (0xFFF9 <= r && r <= 0xFFFB) ||
			(0x13430 <= r && r <= 0x1343F)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := (unicode.Is(unicode.Cf, r) && !visibleFormat(r)) || unicode.Is(unicode.Variation_Selector, r) ||
			unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
		if want && unicode.Is(unicode.White_Space, r) {
			want = false
		}
		if !want && isIgnorable(r) && (r < 0x2065 || r > 0x2065) && (r < 0xFFF0 || r > 0xFFF8) && (r < 0xE0000 || r > 0xE0FFF) {
			t.Errorf("U+%04X is not default-ignorable", r)
		}
		if want && !isIgnorable(r) {
			t.Errorf("U+%04X is default-ignorable", r)
		}
		if isIgnorable(r) && ((0x3164 < r && r < 0xA720) || (r < confusableHi && r != 0x00AD && r != 0x034F)) {
			t.Errorf("U+%04X is ignorable where Normalize does not look", r)
		}
	}
}

// TestCaselessRunes: Normalize copies the runes caseless accepts as they
// are, which is right only if none is ignorable, a possible Latin letter
// or has another case.
func TestCaselessRunes(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !caseless(r) {
			continue
		}
		n++
		if isIgnorable(r) || maybeLatin(r) || r < confusableHi || unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
			unicode.ToLower(r) != r || unicode.ToUpper(r) != r || unicode.SimpleFold(r) != r {
			t.Errorf("U+%04X is not caseless, or ignorable or Latin", r)
		}
	}
	if n < 20000 {
		t.Errorf("caseless accepts %d runes; it was meant for the CJK blocks", n)
	}
}

// TestAnalysisOutlivesScratch: analyses point into no pooled scratch
// memory. Each posting's analysis, marshalled as it is returned, must read
// the same after the scratch has been reused for many other postings; and
// the stem cache, filled from scratch text, must give the same features on
// a second pass (a stem that was a substring of overwritten scratch text
// would not).
func TestAnalysisOutlivesScratch(t *testing.T) {
	a := newDefaultAnalyzer(t)
	postings := []Posting{
		{Title: "Customer Service Representative", Text: "HR and PC skills OK, UX a plus. Running operations, registered nurses. Salary $2,000/month, contact Telegram @jobs99 or WA 0812-3456-7890. Age 18–30."},
		{Text: "Trabajando en casas, las oficinas; salario alto y vuelos gratis a Bangkok."},
		{Text: "Работа в Таиланде, высокая зарплата, бесплатный перелёт. Пaспорт (mixed)"},
		{Text: "高薪招聘客服，包吃包住，机票报销，无需经验，年龄十八到三十五岁，联系微信：abc12345"},
		{Text: "รับสมัครพนักงาน เงินเดือน 30,000 บาท บินฟรี ทำงานง่าย ไลน์ไอดี job_th99"},
		{Text: "Tuyển nhân viên, lương cao 20 triệu đồng, đi làm ngay, không cần kinh nghiệm"},
		{Title: "Ｆｕｌｌ－ｗｉｄｔｈ ｃａｓｔｉｎｇ", Text: "pass\u00adport required, free fl\u200bights, Ｔｅｌｅｇｒａｍ"},
	}
	snapshot := func() []string {
		var out []string
		for i := range postings {
			res := a.AnalyzeWith(&postings[i], AnalyzeOptions{Names: true, Spans: true})
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
			defer func(i int, res *Analysis, want string) { // re-read once every posting is done
				if b, _ := json.Marshal(res); string(b) != want {
					t.Errorf("posting %d: its analysis changed after later analyses reused the scratch", i)
				}
			}(i, res, string(b))
		}
		return out
	}
	first := snapshot()
	for range 20 { // churn the scratch
		for i := range postings {
			a.Analyze(&postings[len(postings)-1-i], false)
		}
	}
	second := snapshot()
	for i := range first {
		if first[i] != second[i] {
			t.Errorf("posting %d: analysed again, it reads differently", i)
		}
	}
	// Short words come back from the stemmer as they are: cached, they
	// must not point into the scratch text of the posting that first had
	// them, which the next posting overwrites with other words.
	p := &Posting{Text: "hr ok pc ux: the skills and the experience we need for this job"}
	q := &Posting{Text: "xx yy zz ww qq hr ok pc ux: the skills and the experience we need for this job"}
	a.Analyze(p, false)
	got := a.Analyze(q, true).Names
	want := newDefaultAnalyzer(t).Analyze(q, true).Names
	if !slices.Equal(got, want) {
		t.Errorf("after a posting with the same short words elsewhere: %v, want %v", got, want)
	}
}
