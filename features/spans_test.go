package features

import "testing"

func TestFeatureSpansPointAtTheAdvertsWords(t *testing.T) {
	an := newTestAnalyzer(t)
	p := &Posting{
		Title:       "ＵＲＧＥＮＴ: Registered Nurses",
		Description: "We are recruiting registered nurses. Salary per year: £30,000.",
	}
	a := an.AnalyzeWith(p, AnalyzeOptions{Spans: true, Names: true})
	first := map[uint64]FeatureSpan{}
	for _, sp := range a.Spans {
		if _, ok := first[sp.Feature]; !ok {
			first[sp.Feature] = sp
		}
	}
	tests := []struct {
		feature string
		field   Field
		want    string
	}{
		{"w:regist", FieldTitle, "Registered"},
		{"w:recruit", FieldDescription, "recruiting"},
		{"b:regist nurs", FieldTitle, "Registered Nurses"},
		{"b:per year", FieldDescription, "per year"},
		{"title|w:urgent", FieldTitle, "ＵＲＧＥＮＴ"}, // full-width in the original
	}
	for _, tt := range tests {
		t.Run(tt.feature, func(t *testing.T) {
			sp, ok := first[HashFeature(tt.feature)]
			if !ok {
				t.Fatalf("no span for %s; names %v", tt.feature, a.Names)
			}
			if got := p.FieldText(sp.Field)[int(sp.Start):int(sp.End)]; sp.Field != tt.field || got != tt.want {
				t.Errorf("%s at %v %q, want %v %q", tt.feature, sp.Field, got, tt.field, tt.want)
			}
		})
	}
	if plain := an.Analyze(p, false); plain.Spans != nil {
		t.Error("spans recorded without being asked for")
	}
}

// TestHitsQuoteCJKAfterAnASCIIField: a field of CJK text after an
// all-ASCII one (whose offset map is empty) still maps its hits back to
// the words of the original, through the prefix Normalize copies as it is
// and the part NFKC's iterator normalises (after the full-width colon).
func TestHitsQuoteCJKAfterAnASCIIField(t *testing.T) {
	an := newTestAnalyzer(t)
	for _, tt := range []struct {
		name, text string
		start      int // of 包吃包住 in text
	}{
		{"prefix", "工作包吃包住", 6},
		{"after a full-width colon", "急招：工作包吃包住", 15},
		{"full-width letters", "急招：ＶＩＰ 包吃包住", 19},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &Posting{Title: "Clerk wanted", Description: tt.text}
			a := an.AnalyzeWith(p, AnalyzeOptions{Names: true})
			var got []Hit
			for _, h := range a.Hits {
				if h.Field == FieldDescription {
					got = append(got, h)
				}
			}
			if len(got) != 1 || got[0].Start != tt.start || got[0].End != tt.start+len("包吃包住") || got[0].Text != "包吃包住" {
				t.Errorf("hits in the description %+v, want one quoting 包吃包住 at %d", got, tt.start)
			}
		})
	}
}
