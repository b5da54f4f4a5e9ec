package features

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// testCatalog is a small catalogue with known patterns, so spans can be
// asserted exactly whatever the shipped catalogue says.
const testCatalog = `{
  "version": 1,
  "categories": [{"id": "perks_travel"}, {"id": "easy_work"}, {"id": "no_requirements"}, {"id": "lavish_pay"},
                 {"id": "age_band"}, {"id": "messaging_contact"}, {"id": "risky_destination"}],
  "indicators": [
    {"id": "free_flight", "category": "perks_travel", "reason": {"en": "Flights paid."},
     "patterns": {"en": ["free flight", "free flights", "free * ticket"], "zh": ["包机票", "机票报销"],
                  "vi": ["bao vé máy bay"], "id": ["tiket pesawat ditanggung"], "th": ["ออกตั๋วเครื่องบินให้"],
                  "ko": ["항공권 제공"], "ja": ["渡航費負担"]}},
    {"id": "food_lodging", "category": "perks_travel", "reason": {"en": "Food and housing."},
     "patterns": {"zh": ["包吃包住"], "vi": ["bao ăn ở"], "th": ["มีที่พักและอาหาร"], "ko": ["숙식 제공"], "en": ["free food and accommodation"]}},
    {"id": "light_work", "category": "easy_work", "reason": {"en": "Easy work."},
     "patterns": {"vi": ["việc nhẹ lương cao"], "en": ["easy job"], "ja": ["簡単な翻訳作業"]}},
    {"id": "no_experience", "category": "no_requirements", "reason": {"en": "No experience."},
     "patterns": {"en": ["no experience"], "id": ["tanpa pengalaman"]}},
    {"id": "compound_town", "category": "risky_destination", "reason": {"en": "Known compound town."},
     "patterns": {"en": ["myawaddy", "kk park"], "zh": ["妙瓦底"]}},
    {"id": "pay", "category": "lavish_pay", "reason": {"en": "Pay far above the norm."}, "extractor": "pay_above_norm"},
    {"id": "age", "category": "age_band", "reason": {"en": "Narrow age band."}, "extractor": "age_band"},
    {"id": "chat_app", "category": "messaging_contact", "reason": {"en": "Messaging app only."}, "extractor": "messaging_contact"}
  ]
}`

func newTestAnalyzer(t testing.TB) *Analyzer { return analyzerWith(t, []byte(testCatalog)) }

// newDefaultAnalyzer is an analyzer with the shipped catalogue.
func newDefaultAnalyzer(t testing.TB) *Analyzer { return analyzerWith(t, DefaultCatalogJSON()) }

// analyzerWith is an analyzer with the default configuration and the
// catalogue in catalogJSON.
func analyzerWith(t testing.TB, catalogJSON []byte) *Analyzer {
	t.Helper()
	c, err := ParseCatalog(catalogJSON)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewAnalyzer(DefaultConfig(), c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type span struct {
	ID   string
	Text string
	S, E int
}

func TestIndicatorHitsWithSpans(t *testing.T) {
	a := newTestAnalyzer(t)
	tests := []struct {
		name string
		text string
		want []span
	}{
		{"english", "Easy job! FREE flights + free air ticket. No experience.",
			[]span{{"light_work", "Easy job", 0, 8}, {"free_flight", "FREE flights", 10, 22}, {"free_flight", "free air ticket", 25, 40}, {"no_experience", "No experience", 42, 55}}},
		{"english across punctuation", "free-flight", []span{{"free_flight", "free-flight", 0, 11}}},
		{"no match across a sentence break", "We offer no. Experience is a plus", nil},
		{"whole words only", "carefree flights", nil},
		{"chinese", "海外直招，包吃包住，机票报销", []span{{"food_lodging", "包吃包住", 15, 27}, {"free_flight", "机票报销", 30, 42}}},
		{"chinese full-width text", "ＫＫ　ＰＡＲＫ", []span{{"compound_town", "ＫＫ　ＰＡＲＫ", 0, 21}}},
		{"vietnamese", "Việc nhẹ lương cao, bao ăn ở", []span{{"light_work", "Việc nhẹ lương cao", 0, 24}, {"food_lodging", "bao ăn ở", 26, 37}}},
		{"vietnamese without diacritics", "viec nhe luong cao bao an o", []span{{"light_work", "viec nhe luong cao", 0, 18}, {"food_lodging", "bao an o", 19, 27}}},
		{"indonesian", "Tanpa pengalaman, tiket pesawat ditanggung", []span{{"no_experience", "Tanpa pengalaman", 0, 16}, {"free_flight", "tiket pesawat ditanggung", 18, 42}}},
		{"thai", "มีที่พักและอาหาร", []span{{"food_lodging", "มีที่พักและอาหาร", 0, 48}}},
		{"korean with and without space", "숙식제공 / 숙식 제공", []span{{"food_lodging", "숙식제공", 0, 12}, {"food_lodging", "숙식 제공", 15, 28}}},
		{"japanese", "簡単な翻訳作業、渡航費負担", []span{{"light_work", "簡単な翻訳作業", 0, 21}, {"free_flight", "渡航費負担", 24, 39}}},
		{"pay extractor", "Salary RM9,000 per month", []span{{"pay", "RM9,000 per month", 7, 24}}},
		{"age extractor", "Age 18-30", []span{{"age", "18-30", 4, 9}}},
		{"messaging extractor finds handles and links", "Contact Telegram @abc_hr or t.me/jobs_abc", []span{{"chat_app", "@abc_hr", 17, 24}, {"chat_app", "t.me/jobs_abc", 28, 41}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.Analyze(&Posting{Text: tt.text}, false)
			var got []span
			for _, h := range res.Hits {
				got = append(got, span{h.Indicator, h.Text, h.Start, h.End})
				if tt.text[h.Start:h.End] != h.Text {
					t.Errorf("hit %s: span [%d,%d) is %q, Text is %q", h.Indicator, h.Start, h.End, tt.text[h.Start:h.End], h.Text)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("hits in %q:\n got %v\nwant %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestHitsCarryTheirField(t *testing.T) {
	a := newTestAnalyzer(t)
	p := &Posting{Title: "Easy job in Myawaddy", Benefits: "Free flights and free food and accommodation"}
	res := a.Analyze(p, false)
	want := []struct {
		field Field
		id    string
	}{{FieldTitle, "light_work"}, {FieldTitle, "compound_town"}, {FieldBenefits, "free_flight"}, {FieldBenefits, "food_lodging"}}
	if len(res.Hits) != len(want) {
		t.Fatalf("hits = %+v, want %d", res.Hits, len(want))
	}
	for i, w := range want {
		h := res.Hits[i]
		if h.Field != w.field || h.Indicator != w.id || p.FieldText(h.Field)[h.Start:h.End] != h.Text {
			t.Errorf("hit %d = %+v, want %s in %s", i, h, w.id, w.field)
		}
	}
}

func TestFieldAwareFeatures(t *testing.T) {
	a := newTestAnalyzer(t)
	title := a.Analyze(&Posting{Title: "model"}, true)
	body := a.Analyze(&Posting{Description: "model"}, true)
	has := func(names []string, want string) bool {
		for _, n := range names {
			if n == want {
				return true
			}
		}
		return false
	}
	if !has(title.Names, "title|w:model") || !has(title.Names, "w:model") {
		t.Errorf("title features %v lack the scoped and plain word", title.Names)
	}
	if has(body.Names, "title|w:model") {
		t.Errorf("description features %v carry the title scope", body.Names)
	}
	if has(body.Names, "e:title") {
		t.Errorf("empty-field features emitted though off by default: %v", body.Names)
	}
	cfg := DefaultConfig()
	cfg.EmptyFields = true
	withEmpty, err := NewAnalyzer(cfg, a.Catalog())
	if err != nil {
		t.Fatal(err)
	}
	if names := withEmpty.Analyze(&Posting{Description: "model"}, true).Names; !has(names, "e:title") {
		t.Errorf("empty-field features missing when on: %v", names)
	}
}

func TestFeatureHashesMatchNames(t *testing.T) {
	a := newTestAnalyzer(t)
	res := a.Analyze(&Posting{Text: "Easy job in KK Park 高薪 包吃包住 $2,000/month"}, true)
	if len(res.Names) != len(res.Features) {
		t.Fatalf("%d names, %d hashes", len(res.Names), len(res.Features))
	}
	for i, n := range res.Names {
		if HashFeature(n) != res.Features[i] {
			t.Errorf("hash of %q differs from emitted hash", n)
		}
	}
	noNames := a.Analyze(&Posting{Text: "Easy job in KK Park 高薪 包吃包住 $2,000/month"}, false)
	if !reflect.DeepEqual(noNames.Features, res.Features) || noNames.Names != nil {
		t.Error("analysis without names differs in features")
	}
}

func TestCatalogValidation(t *testing.T) {
	tests := []struct{ name, json string }{
		{"not json", `{`},
		{"duplicate id", `{"categories":[{"id":"a"}],"indicators":[{"id":"x","category":"a","reason":{"en":"r"},"patterns":{"en":["p"]}},{"id":"x","category":"a","reason":{"en":"r"},"patterns":{"en":["q"]}}]}`},
		{"unknown category", `{"categories":[{"id":"a"}],"indicators":[{"id":"x","category":"b","reason":{"en":"r"},"patterns":{"en":["p"]}}]}`},
		{"no english reason", `{"categories":[{"id":"a"}],"indicators":[{"id":"x","category":"a","reason":{"zh":"r"},"patterns":{"en":["p"]}}]}`},
		{"no patterns", `{"categories":[{"id":"a"}],"indicators":[{"id":"x","category":"a","reason":{"en":"r"}}]}`},
		{"unknown extractor", `{"categories":[{"id":"a"}],"indicators":[{"id":"x","category":"a","reason":{"en":"r"},"extractor":"magic"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCatalog([]byte(tt.json)); err == nil {
				t.Error("ParseCatalog accepted an invalid catalogue")
			}
		})
	}
}

func TestDiacriticFoldingSharesFeatures(t *testing.T) {
	a := newTestAnalyzer(t)
	with := a.Analyze(&Posting{Text: "Tuyển nhân viên, lương cao, đi làm ngay"}, true)
	without := a.Analyze(&Posting{Text: "Tuyen nhan vien, luong cao, di lam ngay"}, true)
	words := func(names []string) []string {
		var out []string
		for _, n := range names {
			if len(n) > 2 && (n[:2] == "w:" || n[:2] == "b:") {
				out = append(out, n)
			}
		}
		return out
	}
	if got, want := words(with.Names), words(without.Names); !reflect.DeepEqual(got, want) {
		t.Errorf("word features differ:\n with tone marks %v\n without %v", got, want)
	}
	f := newDiacriticFolder()
	for in, want := range map[string]string{"lương": "luong", "đường": "duong", "café": "cafe", "straße": "straße", "plain": "plain", "ñandú": "nandu"} {
		if got := f.fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// The shipped catalogue finds a passport brought up in any of its
// languages; a more specific passport phrase wins where one matches.
func TestDefaultCatalogPassportMentions(t *testing.T) {
	a := newDefaultAnalyzer(t)
	tests := []struct {
		name string
		text string
		want span
	}{
		{"english", "Documents: passport only.", span{"passport_mentioned", "passport", 11, 19}},
		{"english specific phrase wins", "Bring your passport on Friday.", span{"passport_required", "Bring your passport", 0, 19}},
		{"vietnamese", "Giấy tờ: hộ chiếu và CMND.", span{"passport_mentioned", "hộ chiếu", 13, 25}},
		{"indonesian", "Syarat: paspor dan KTP.", span{"passport_mentioned", "paspor", 8, 14}},
		{"thai", "เอกสาร: พาสปอร์ต", span{"passport_mentioned", "พาสปอร์ต", 20, 44}},
		{"chinese", "带身份证和护照。", span{"passport_mentioned", "护照", 15, 21}},
		{"korean", "준비물: 여권", span{"passport_mentioned", "여권", 11, 17}},
		{"japanese", "必要なもの：パスポート", span{"passport_mentioned", "パスポート", 18, 33}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.Analyze(&Posting{Text: tt.text}, false)
			var got []span
			for _, h := range res.Hits {
				if h.Category == "passport" {
					got = append(got, span{h.Indicator, h.Text, h.Start, h.End})
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("passport hits %v, want [%v]", got, tt.want)
			}
		})
	}
}

func TestDropNestedHits(t *testing.T) {
	h := func(cat string, f Field, start, end int) Hit {
		return Hit{Indicator: cat + "_x", Category: cat, Field: f, Start: start, End: end}
	}
	tests := []struct {
		name string
		in   []Hit
		want []Hit
	}{
		{"nested in the same category", []Hit{h("passport", FieldText, 0, 19), h("passport", FieldText, 11, 19)},
			[]Hit{h("passport", FieldText, 0, 19)}},
		{"same span twice", []Hit{h("urgency", FieldText, 3, 9), h("urgency", FieldText, 3, 9)},
			[]Hit{h("urgency", FieldText, 3, 9)}},
		{"nested in another category", []Hit{h("perks_travel", FieldText, 0, 20), h("risky_destination", FieldText, 5, 12)},
			[]Hit{h("perks_travel", FieldText, 0, 20), h("risky_destination", FieldText, 5, 12)}},
		{"overlapping, not nested", []Hit{h("urgency", FieldText, 0, 10), h("urgency", FieldText, 5, 15)},
			[]Hit{h("urgency", FieldText, 0, 10), h("urgency", FieldText, 5, 15)}},
		{"another field", []Hit{h("passport", FieldTitle, 0, 19), h("passport", FieldBenefits, 2, 10)},
			[]Hit{h("passport", FieldTitle, 0, 19), h("passport", FieldBenefits, 2, 10)}},
		{"after a longer hit of another category", []Hit{h("passport", FieldText, 0, 30), h("urgency", FieldText, 2, 40), h("passport", FieldText, 25, 28)},
			[]Hit{h("passport", FieldText, 0, 30), h("urgency", FieldText, 2, 40)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]Hit(nil), tt.in...)
			sortHits(in)
			got := dropNestedHits(in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRepeatedPhraseHitsAreCapped: a posting repeating one phrase shows it
// at most maxHitsPerIndicator times, the first ones, and still has its
// indicator feature; repeats and nested copies are dropped as before.
func TestRepeatedPhraseHitsAreCapped(t *testing.T) {
	a := newTestAnalyzer(t)
	tests := []struct {
		name     string
		text     string
		wantHits int
	}{
		{"a few repeats are all shown", strings.Repeat("free flights. ", 3), 3},
		{"many repeats are capped", strings.Repeat("free flights. ", 5000), maxHitsPerIndicator},
		{"chinese without spaces", strings.Repeat("包吃包住", 5000), maxHitsPerIndicator},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.Analyze(&Posting{Text: tt.text}, true)
			if len(res.Hits) != tt.wantHits {
				t.Fatalf("%d hits, want %d", len(res.Hits), tt.wantHits)
			}
			for i, h := range res.Hits {
				if tt.text[h.Start:h.End] != h.Text || (i > 0 && h.Start <= res.Hits[i-1].Start) {
					t.Fatalf("hit %d %+v out of order or misplaced", i, h)
				}
			}
			if !slices.Contains(res.Names, "i:"+res.Hits[0].Indicator) {
				t.Errorf("indicator feature i:%s missing", res.Hits[0].Indicator)
			}
		})
	}
}

// BenchmarkAnalyzeRepeatedPhrase: 200 KB of one phrase (this took seconds
// while every hit was checked against every earlier one).
func BenchmarkAnalyzeRepeatedPhrase(b *testing.B) {
	a := newTestAnalyzer(b)
	p := &Posting{Text: strings.Repeat("包吃包住", 200_000/12)}
	for b.Loop() {
		a.Analyze(p, false)
	}
}

// TestNegatedIndicators: a negatable indicator (the age limit) does not fire
// where the advert says there is none, and still fires otherwise, including
// after a sentence that ends in a negation word.
func TestNegatedIndicators(t *testing.T) {
	a := newDefaultAnalyzer(t)
	tests := []struct {
		name string
		text string
		want bool // age_cap_wording found
	}{
		{"english limit", "Customer service staff, age limit 30, free flights to Bangkok.", true},
		{"english no limit", "Customer service staff, no age limit, free flights to Bangkok.", false},
		{"english without", "Open to all applicants without age limit.", false},
		{"english limit: none", "Age limit: none. Apply today.", false},
		{"negation in the previous sentence", "Experience needed? No. Age limit 35.", true},
		{"negation must be a whole word", "Casino age limit 30 applies.", true},
		{"vietnamese", "Không giới hạn độ tuổi, lương cao.", false},
		{"vietnamese limit", "Giới hạn độ tuổi 18-30, lương cao.", true},
		{"indonesian", "Tidak ada batas usia, gaji tinggi.", false},
		{"indonesian limit", "Batas usia 30 tahun, gaji tinggi.", true},
		{"chinese before", "无年龄限制，包吃包住。", false},
		{"chinese after", "年龄限制：无，包吃包住。", false},
		{"chinese limit", "年龄限制18至30岁，包吃包住。", true},
		{"thai", "ไม่จำกัดอายุ รายได้ดี", false},
		{"thai limit", "จำกัดอายุ 18-30 ปี รายได้ดี", true},
		{"korean after", "나이 제한 없음, 숙식 제공", false},
		{"korean limit", "나이 제한 30세, 숙식 제공", true},
		{"japanese after", "年齢制限なし、渡航費負担", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.Analyze(&Posting{Text: tt.text}, false)
			got := slices.ContainsFunc(res.Hits, func(h Hit) bool { return h.Indicator == "age_cap_wording" })
			if got != tt.want {
				t.Errorf("age_cap_wording in %q: %v, want %v (hits %+v)", tt.text, got, tt.want, res.Hits)
			}
		})
	}
}

func TestNegatableNeedsNegations(t *testing.T) {
	bad := strings.Replace(testCatalog, `"extractor": "age_band"}`, `"extractor": "age_band", "negatable": true}`, 1)
	if bad == testCatalog {
		t.Fatal("test catalogue changed; update this test")
	}
	if _, err := ParseCatalog([]byte(bad)); !errors.Is(err, ErrInvalidCatalog) {
		t.Errorf("negatable indicator without negations: err %v, want ErrInvalidCatalog", err)
	}
}
