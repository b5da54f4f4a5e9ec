package web

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/model/defaultmodel"
)

func TestLocalesComplete(t *testing.T) {
	ls, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.ordered) != 5 {
		t.Fatalf("%d interface languages, want 5", len(ls.ordered))
	}
	en := ls.byCode["en"]
	for _, l := range ls.ordered {
		t.Run(l.Code, func(t *testing.T) {
			for key := range en.Messages {
				if strings.TrimSpace(l.Messages[key]) == "" {
					t.Errorf("message %q is empty", key)
				}
			}
			if l.Code != "en" {
				same := 0
				for key, msg := range l.Messages {
					if msg == en.Messages[key] {
						same++
					}
				}
				if same > 0 {
					t.Errorf("%d messages are the English text, untranslated", same)
				}
			}
		})
	}
}

func TestPickLanguage(t *testing.T) {
	ls, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, explicit, accept, want string
	}{
		{"nothing", "", "", "en"},
		{"explicit wins", "th", "vi-VN,vi;q=0.9", "th"},
		{"unknown explicit", "xx", "vi", "vi"},
		{"vietnamese", "", "vi-VN,vi;q=0.9,en;q=0.8", "vi"},
		{"chinese mainland", "", "zh-CN,zh;q=0.9", "zh"},
		{"chinese taiwan gets simplified", "", "zh-TW", "zh"},
		{"indonesian", "", "id-ID", "id"},
		{"malay reads indonesian", "", "ms-MY", "id"},
		{"thai", "", "th", "th"},
		{"second choice", "", "de-DE,th;q=0.5", "th"},
		{"unsupported", "", "fr-FR", "en"},
		{"garbage", "", ";;;q=x,,", "en"},
		{"too long", "", strings.Repeat("vi,", 300), "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := ls.pick(r, tt.explicit).Code; got != tt.want {
				t.Errorf("pick(%q, %q) = %s, want %s", tt.explicit, tt.accept, got, tt.want)
			}
		})
	}
}

// TestTemplatesTranslated renders a result with every kind of feature and
// an error in each language and looks for untranslated messages.
func TestTemplatesTranslated(t *testing.T) {
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := classifier.New(m)
	h, err := New(Config{}, func() *classifier.Classifier { return c })
	if err != nil {
		t.Fatal(err)
	}
	p := h.(*page)
	band, score, prob := classifier.BandReview, 40, 0.4
	kinds := []string{"word", "title phrase", "character", "characters", "indicator", "category", "categories",
		"category_count", "pay", "contact", "age", "length", "style", "empty_field", "attribute", "other"}
	texts := []string{"x", "x y", "工", "工作", "free_flight", "urgency", "urgency+passport", "3", "usd=2048",
		"telegram", "max=30", "32", "caps", "company", "k=v", "?"}
	var fs []classifier.Feature
	for i, k := range kinds {
		fs = append(fs, classifier.Feature{Kind: k, Text: texts[i]})
	}
	res := classifier.Result{
		Status: classifier.StatusScored, Band: &band, Score: &score, Probability: &prob,
		Thresholds:  model.Thresholds{Review: 0.1, High: 0.7},
		Language:    features.Language{Code: "zh", Confidence: 0.3},
		Indicators:  []classifier.IndicatorHit{{ID: "free_flight", Category: "perks_travel", Reason: "r", Field: "title", Start: 0, End: 1, Text: "x"}},
		TopFeatures: classifier.TopFeatures{For: fs, Against: fs},
	}
	posting := &features.Posting{Title: "x", Text: "text", Company: "c", Contact: "d"}
	for _, l := range p.locales.ordered {
		t.Run(l.Code, func(t *testing.T) {
			data := p.newPageData(l, form{Lang: l.Code})
			data.Result = newResultView(l, m.Catalog(), posting, res, p.hotline(l))
			data.Error = l.T("error_field_too_long", "field", l.T("label_title"))
			data.RequestID = "req-1"
			var buf bytes.Buffer
			if err := p.tmpl.ExecuteTemplate(&buf, "page.html", data); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			// The script's copy of the messages keeps its placeholders.
			if i := strings.Index(out, `id="ui-data"`); i >= 0 {
				out = out[:i]
			}
			if i := strings.Index(out, "MISSING("); i >= 0 {
				t.Errorf("untranslated: %s", out[i:min(len(out), i+60)])
			}
			if !strings.Contains(out, `class="result band-review"`) || !strings.Contains(out, l.T("verdict_review")) {
				t.Error("the review band is not shown")
			}
			if ph := placeholder.FindString(out); ph != "" {
				t.Errorf("placeholder %s left in the page", ph)
			}
			for _, f := range data.Result.FeaturesFor {
				if f == "usd=2048" || f == "free_flight" || strings.Contains(f, "urgency") {
					t.Errorf("feature shown raw: %q", f)
				}
			}
		})
	}
}

func TestFeatureLabelsShowTheAdvertsWords(t *testing.T) {
	ls, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := features.ParseCatalog(features.DefaultCatalogJSON())
	if err != nil {
		t.Fatal(err)
	}
	got := featureLabels(ls.byCode["en"], cat, []classifier.Feature{
		{Kind: "word", Text: "regist", Example: "registered"},
		{Kind: "title phrase", Text: "per year", Example: "Per Year"},
		{Kind: "word", Text: "salari"}, // no example: the stem
		{Kind: "word", Text: "regist", Example: "Registered"},
	})
	want := []string{"“registered”", "“Per Year”", "“salari”", "“Registered”"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("labels %q, want %q", got, want)
	}
}
