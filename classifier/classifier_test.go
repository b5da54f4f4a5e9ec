package classifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/model/defaultmodel"
)

func defaultClassifier(t testing.TB) *Classifier {
	t.Helper()
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	return New(m)
}

func TestClassifyResultShape(t *testing.T) {
	c := defaultClassifier(t)
	text := "URGENT!! Customer service job in Bangkok, salary $2,000/month, free air ticket and free food and accommodation, no experience needed. Contact Telegram @hr_mina77"
	res, err := c.Classify(context.Background(), &features.Posting{ID: "p1", Text: text}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusScored || res.Probability == nil || res.Score == nil || res.Band == nil {
		t.Fatalf("result not scored: %+v", res)
	}
	if p := *res.Probability; p < 0 || p > 1 || *res.Score != int(math.Round(p*100)) {
		t.Errorf("probability %v and score %d disagree", p, *res.Score)
	}
	if res.ID != "p1" || res.ModelID != c.Model().ID() || res.Language.Code != "en" {
		t.Errorf("id %q, model %q, language %+v", res.ID, res.ModelID, res.Language)
	}
	if len(res.Indicators) == 0 {
		t.Fatal("no indicator hits in an advert full of them")
	}
	for _, h := range res.Indicators {
		if text[h.Start:h.End] != h.Text || h.Reason == "" || h.Field != "text" {
			t.Errorf("hit %+v: span text %q", h, text[h.Start:h.End])
		}
	}
	if len(res.TopFeatures.For) == 0 || len(res.TopFeatures.For) > DefaultTopFeatures {
		t.Errorf("top features for: %+v", res.TopFeatures.For)
	}
	examples := 0
	for _, f := range append(res.TopFeatures.For, res.TopFeatures.Against...) {
		if f.Kind == "" || f.Text == "" {
			t.Errorf("feature %+v", f)
		}
		kind := f.Kind[strings.LastIndexByte(f.Kind, ' ')+1:]
		switch {
		case (kind == "word" || kind == "phrase") && f.Example == "":
			t.Errorf("word feature %+v has no example from the advert", f)
		case f.Example != "" && !strings.Contains(text, f.Example):
			t.Errorf("feature %+v: example not in the advert", f)
		case f.Example != "":
			examples++
		}
	}
	if examples == 0 {
		t.Error("no top feature shows the advert's own words")
	}
	for _, f := range res.TopFeatures.For {
		if f.Weight <= 0 {
			t.Errorf("feature for %+v", f)
		}
	}
	for _, f := range res.TopFeatures.Against {
		if f.Weight >= 0 {
			t.Errorf("feature against with weight %v", f.Weight)
		}
	}
}

func TestInsufficientText(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct{ name, text string }{
		{"three words", "hiring now urgently"},
		{"gibberish the model does not know", "qzxv wplk jjrt bbnm ttyq zzkk vvcx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Classify(context.Background(), &features.Posting{Text: tt.text}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusInsufficientText || res.Probability != nil || res.Band != nil || res.Score != nil || res.Message == "" {
				t.Errorf("got %+v, want insufficient_text with no probability", res)
			}
		})
	}
}

func TestLanguageThresholdsApply(t *testing.T) {
	// A model whose English high band is stricter than its global one: an
	// English posting between the two is review, the same probability in
	// another language would be high.
	base := defaultClassifier(t).Model()
	meta := base.Meta()
	en := model.Thresholds{Review: meta.Thresholds.Review, High: 0.999999}
	meta.LanguageThresholds = map[string]model.Thresholds{"en": en}
	meta.ID = "" // a new model, a new id
	m, err := model.New(model.Spec{Meta: meta, Counts: base.Counts()})
	if err != nil {
		t.Fatal(err)
	}
	c := New(m)
	tests := []struct {
		name, text, lang string
		want             model.Thresholds
	}{
		{"english", "URGENT!! Customer service job in Bangkok, salary $2,000/month, free air ticket and free food and accommodation, no experience needed. Contact Telegram @hr_mina77", "en", en},
		{"vietnamese", "Tuyển gấp nhân viên chăm sóc khách hàng tại Campuchia, lương 1500-3000 USD/tháng, bao vé máy bay, bao ăn ở, không cần kinh nghiệm. Liên hệ Telegram @tuyendung_pp", "vi", meta.Thresholds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Classify(context.Background(), &features.Posting{Text: tt.text}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Language.Code != tt.lang || res.Thresholds != tt.want {
				t.Fatalf("language %s thresholds %+v, want %s %+v", res.Language.Code, res.Thresholds, tt.lang, tt.want)
			}
			if want := bandOf(*res.Probability, tt.want); *res.Band != want {
				t.Errorf("band %s at probability %v, want %s", *res.Band, *res.Probability, want)
			}
			override := model.Thresholds{Review: 0.1, High: 0.2}
			res, err = c.Classify(context.Background(), &features.Posting{Text: tt.text}, Options{Thresholds: &override})
			if err != nil || res.Thresholds != override {
				t.Errorf("per-call thresholds %+v not applied over the language's: %+v %v", override, res.Thresholds, err)
			}
		})
	}
}

func TestThresholdOverride(t *testing.T) {
	c := defaultClassifier(t)
	p := &features.Posting{Text: "We are hiring a senior accountant for our Singapore office. Five years of audit experience and a CPA are required. Apply on our careers page."}
	base, err := c.Classify(context.Background(), p, Options{})
	if err != nil || base.Probability == nil {
		t.Fatalf("%+v %v", base, err)
	}
	prob := *base.Probability
	tests := []struct {
		name string
		th   model.Thresholds
		want string
	}{
		{"everything high", model.Thresholds{Review: 0, High: 0}, BandHigh},
		{"review only", model.Thresholds{Review: 0, High: 1}, BandReview},
		{"nothing flagged", model.Thresholds{Review: math.Nextafter(prob, 2), High: 1}, BandLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Classify(context.Background(), p, Options{Thresholds: &tt.th})
			if err != nil {
				t.Fatal(err)
			}
			if *res.Band != tt.want || res.Thresholds != tt.th {
				t.Errorf("band %s thresholds %+v, want %s %+v", *res.Band, res.Thresholds, tt.want, tt.th)
			}
		})
	}
	if _, err := c.Classify(context.Background(), p, Options{Thresholds: &model.Thresholds{Review: 0.9, High: 0.1}}); err == nil {
		t.Error("inverted thresholds accepted")
	}
}

func TestBadInput(t *testing.T) {
	c := defaultClassifier(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		p    features.Posting
		want error
	}{
		{"empty", context.Background(), features.Posting{}, features.ErrEmptyPosting},
		{"invalid utf-8", context.Background(), features.Posting{Title: "ok", Description: "bad \xff\xfe bytes"}, features.ErrInvalidUTF8},
		{"cancelled", ctx, features.Posting{Text: "a real advert text here"}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.Classify(tt.ctx, &tt.p, Options{}); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReasonLanguage(t *testing.T) {
	c := defaultClassifier(t)
	p := &features.Posting{Text: "Free air ticket and free accommodation, no experience needed, salary $2000 per month, contact Telegram @abc_hr now"}
	en, _ := c.Classify(context.Background(), p, Options{ReasonLanguage: "en"})
	zh, _ := c.Classify(context.Background(), p, Options{ReasonLanguage: "zh"})
	xx, _ := c.Classify(context.Background(), p, Options{ReasonLanguage: "xx"})
	if len(en.Indicators) == 0 {
		t.Fatal("no hits")
	}
	if en.Indicators[0].Reason == zh.Indicators[0].Reason {
		t.Errorf("Chinese reason equals English: %q", zh.Indicators[0].Reason)
	}
	if xx.Indicators[0].Reason != en.Indicators[0].Reason {
		t.Errorf("unknown language did not fall back to English: %q", xx.Indicators[0].Reason)
	}
}

func asJSON(t testing.TB, r Result) string {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// randomText draws n words from a mixed multilingual vocabulary.
func randomText(rng *rand.Rand, n int) string {
	vocab := strings.Fields("job salary free flight visa hotel telegram @hr_x 高薪 包吃包住 客服 việc nhẹ lương cao gaji tinggi " +
		"รายได้สูง 고수익 高収入 engineer python experience degree office team $2,000/month 18-35 Bangkok Myawaddy the and of 💰 !!! 3000元日薪")
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[rng.IntN(len(vocab))])
	}
	return b.String()
}

// TestScoresAreFiniteBoundedAndStable is the property test: texts from 0 to
// 100,000 words always get a finite probability in [0,1], the same on every
// run.
func TestScoresAreFiniteBoundedAndStable(t *testing.T) {
	c := defaultClassifier(t)
	rng := rand.New(rand.NewPCG(7, 8))
	lengths := []int{0, 1, 2, 5, 10, 50, 300, 2000, 10000, 100000}
	for i := 0; i < 40; i++ {
		lengths = append(lengths, rng.IntN(5000))
	}
	for _, n := range lengths {
		text := randomText(rng, n)
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			p := &features.Posting{Text: text}
			first, err := c.Classify(context.Background(), p, Options{})
			if n == 0 {
				if !errors.Is(err, features.ErrEmptyPosting) {
					t.Fatalf("empty text: err %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if first.Probability != nil {
				pr := *first.Probability
				if math.IsNaN(pr) || math.IsInf(pr, 0) || pr < 0 || pr > 1 {
					t.Fatalf("%d words: probability %v", n, pr)
				}
			} else if n >= 50 {
				t.Fatalf("%d words judged insufficient", n)
			}
			again, _ := c.Classify(context.Background(), p, Options{})
			if asJSON(t, first) != asJSON(t, again) {
				t.Errorf("%d words: result changed between runs", n)
			}
		})
	}
}

func TestConcurrentClassify(t *testing.T) {
	c := defaultClassifier(t)
	rng := rand.New(rand.NewPCG(9, 10))
	posts := make([]features.Posting, 30)
	want := make([]string, len(posts))
	for i := range posts {
		posts[i] = features.Posting{Text: randomText(rng, 20+rng.IntN(400))}
		res, err := c.Classify(context.Background(), &posts[i], Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = asJSON(t, res)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 60; r++ {
				i := (g*7 + r) % len(posts)
				res, err := c.Classify(context.Background(), &posts[i], Options{})
				if err != nil || asJSON(t, res) != want[i] {
					t.Errorf("post %d differs under concurrency (%v)", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSupportsReasonLanguage: the languages reasons are given in, with
// subtags falling back to them, and nothing else.
func TestSupportsReasonLanguage(t *testing.T) {
	c := defaultClassifier(t)
	if got := strings.Join(c.ReasonLanguages(), ","); got != "en,id,th,vi,zh" {
		t.Errorf("ReasonLanguages() = %s", got)
	}
	tests := []struct {
		lang string
		want bool
	}{
		{"", true}, {"en", true}, {"zh", true}, {"vi", true}, {"id", true}, {"th", true},
		{"zh-Hant", true}, {"en-GB", true}, {"th-TH-u-nu-thai", true},
		{"fr", false}, {"xx", false}, {"EN", false}, {"zh_Hant", false}, {"-zh", false}, {"ms", false}, {"english", false},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if got := c.SupportsReasonLanguage(tt.lang); got != tt.want {
				t.Errorf("SupportsReasonLanguage(%q) = %v, want %v", tt.lang, got, tt.want)
			}
		})
	}
}
