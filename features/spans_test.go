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
