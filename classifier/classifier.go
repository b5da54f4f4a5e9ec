// Package classifier turns a posting into the result a user sees: a
// calibrated risk probability, a 0-100 score, a band, the indicator hits
// with plain-language reasons and spans, the features that weighed most,
// the language, and the model id. The JSON names of Result are the contract
// shared by the CLI, the HTTP API and the web page.
package classifier

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
)

// Statuses of a result.
const (
	StatusScored = "scored"
	// StatusInsufficientText: too little text (or too little the model
	// knows) to judge; no probability is given, indicator hits still are.
	StatusInsufficientText = "insufficient_text"
)

// Bands of risk.
const (
	BandLow    = "low"
	BandReview = "review"
	BandHigh   = "high"
)

// DefaultTopFeatures is how many features each way a result lists.
const DefaultTopFeatures = 5

// Result is what lurescan says about one posting.
type Result struct {
	ID     string `json:"id,omitempty"`
	Status string `json:"status"`
	// Probability that the posting is a trafficking lure, calibrated on
	// held-out data; nil when the text is insufficient.
	Probability *float64 `json:"probability"`
	// Score is Probability on a 0-100 scale.
	Score *int `json:"score"`
	// Band is low, review or high, from Thresholds; nil when insufficient.
	Band *string `json:"band"`
	// Thresholds are the ones applied: the call's own, else the model's for
	// the detected language, else the model's.
	Thresholds model.Thresholds `json:"thresholds"`
	// Message explains an insufficient_text status.
	Message     string            `json:"message,omitempty"`
	Language    features.Language `json:"language"`
	Indicators  []IndicatorHit    `json:"indicators"`
	Categories  []string          `json:"categories"`
	TopFeatures TopFeatures       `json:"top_features"`
	Words       int               `json:"words"`
	ModelID     string            `json:"model_id"`
}

// IndicatorHit is a red flag found in the posting, with where it is.
type IndicatorHit struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Reason   string `json:"reason"`
	Field    string `json:"field"`
	// Start and End are byte offsets into the original text of Field.
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// TopFeatures are the model features that weighed most for and against.
type TopFeatures struct {
	For     []Feature `json:"for"`
	Against []Feature `json:"against"`
}

// Feature is one model feature's contribution, in calibrated log-odds.
type Feature struct {
	Feature string `json:"feature"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	// Example is, for a word or phrase (Text is stems), the words as the
	// advert first writes them.
	Example string  `json:"example,omitempty"`
	Weight  float64 `json:"weight"`
}

// Options tune one call.
type Options struct {
	// Thresholds override the model's band thresholds (its per-language
	// ones too) when set.
	Thresholds *model.Thresholds
	// ReasonLanguage picks the language of indicator reasons (en, zh, vi,
	// id, th); English when missing.
	ReasonLanguage string
	// TopFeatures is how many features to list each way; 0 means the
	// default, negative means none.
	TopFeatures int
}

// Classifier scores postings with one model. Immutable; safe for
// concurrent use.
type Classifier struct {
	model *model.Model
	// reasons[indicator id][lang]
	catalog *features.Catalog
	// reasonLangs are the languages the catalogue gives reasons in, sorted.
	reasonLangs []string
}

// New returns a classifier for m.
func New(m *model.Model) *Classifier {
	cat := m.Catalog()
	seen := map[string]bool{}
	for _, ind := range cat.Indicators {
		for lang := range ind.Reason {
			seen[lang] = true
		}
	}
	return &Classifier{model: m, catalog: cat, reasonLangs: slices.Sorted(maps.Keys(seen))}
}

// ReasonLanguages lists the languages indicator reasons are given in
// (Options.ReasonLanguage), sorted.
func (c *Classifier) ReasonLanguages() []string { return slices.Clone(c.reasonLangs) }

// SupportsReasonLanguage reports whether lang is a language reasons are
// given in: empty (English), one of ReasonLanguages, or one of them with
// subtags, which falls back to it (zh-Hant to zh). Codes are matched as
// the catalogue writes them (lower case).
func (c *Classifier) SupportsReasonLanguage(lang string) bool {
	if lang == "" {
		return true
	}
	if i := strings.IndexByte(lang, '-'); i > 0 {
		lang = lang[:i]
	}
	_, found := slices.BinarySearch(c.reasonLangs, lang)
	return found
}

// Model returns the classifier's model.
func (c *Classifier) Model() *model.Model { return c.model }

// Classify scores one posting. It fails only for invalid input (no text,
// invalid UTF-8, bad thresholds) or a cancelled context.
func (c *Classifier) Classify(ctx context.Context, p *features.Posting, opts Options) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("classify: %w", err)
	}
	if err := p.Validate(); err != nil {
		return Result{}, fmt.Errorf("classify: %w", err)
	}
	if opts.Thresholds != nil {
		if err := opts.Thresholds.Validate(); err != nil {
			return Result{}, fmt.Errorf("classify: %w", err)
		}
	}
	top := opts.TopFeatures
	if top == 0 {
		top = DefaultTopFeatures
	}
	an := c.model.Analyzer().AnalyzeWith(p, features.AnalyzeOptions{Spans: top > 0})
	th := c.model.ThresholdsFor(an.Language.Code)
	if opts.Thresholds != nil {
		th = *opts.Thresholds
	}
	sc := c.model.Score(an.Features, max(top, 0))

	res := Result{
		ID:         p.ID,
		Thresholds: th,
		Language:   an.Language,
		Words:      an.Words,
		ModelID:    c.model.ID(),
		Indicators: make([]IndicatorHit, 0, len(an.Hits)),
		Categories: []string{},
	}
	settings := c.model.Meta().Settings
	switch {
	case an.Words < settings.MinWords:
		res.Status = StatusInsufficientText
		res.Message = fmt.Sprintf("Only %d words: not enough text to judge. Paste the whole advert.", an.Words)
	case sc.KnownText < settings.MinKnown:
		res.Status = StatusInsufficientText
		res.Message = fmt.Sprintf("The model knows only %d of the words in this text: not enough to judge.", sc.KnownText)
	default:
		res.Status = StatusScored
		p := sc.Probability
		score := int(math.Round(p * 100))
		band := bandOf(p, th)
		res.Probability, res.Score, res.Band = &p, &score, &band
	}
	cats := map[string]bool{}
	for _, h := range an.Hits {
		res.Indicators = append(res.Indicators, IndicatorHit{
			ID: h.Indicator, Category: h.Category, Reason: c.reason(h.Indicator, opts.ReasonLanguage),
			Field: h.Field.String(), Start: h.Start, End: h.End, Text: h.Text,
		})
		if !cats[h.Category] {
			cats[h.Category] = true
			res.Categories = append(res.Categories, h.Category)
		}
	}
	sort.Strings(res.Categories)
	res.TopFeatures = TopFeatures{For: describe(sc.For, p, an.Spans), Against: describe(sc.Against, p, an.Spans)}
	return res, nil
}

func bandOf(p float64, th model.Thresholds) string {
	switch {
	case p >= th.High:
		return BandHigh
	case p >= th.Review:
		return BandReview
	}
	return BandLow
}

// reason returns the indicator's reason in lang, or in English.
func (c *Classifier) reason(id, lang string) string {
	ind, ok := c.catalog.Indicator(id)
	if !ok {
		return ""
	}
	if r := ind.Reason[lang]; r != "" {
		return r
	}
	if i := strings.IndexByte(lang, '-'); i > 0 {
		if r := ind.Reason[lang[:i]]; r != "" {
			return r
		}
	}
	return ind.Reason["en"]
}

// featureKinds names feature prefixes for people.
var featureKinds = []struct{ prefix, kind string }{
	{"w:", "word"}, {"b:", "phrase"}, {"c:", "character"}, {"cc:", "characters"},
	{"i:", "indicator"}, {"k:", "category"}, {"kk:", "categories"}, {"k#:", "category_count"},
	{"m:", "pay"}, {"ct:", "contact"}, {"age:", "age"}, {"len:", "length"}, {"st:", "style"},
	{"e:", "empty_field"}, {"a:", "attribute"},
}

func describe(cs []model.Contribution, p *features.Posting, spans []features.FeatureSpan) []Feature {
	out := make([]Feature, 0, len(cs))
	for _, c := range cs {
		f := Feature{Feature: c.Feature, Kind: "other", Text: c.Feature, Weight: c.Weight}
		if h := features.HashFeature(c.Feature); len(spans) > 0 {
			for _, sp := range spans {
				if sp.Feature == h {
					f.Example = p.FieldText(sp.Field)[int(sp.Start):int(sp.End)]
					break
				}
			}
		}
		name := c.Feature
		field := ""
		if i := strings.IndexByte(name, '|'); i > 0 {
			field, name = name[:i], name[i+1:]
		}
		for _, fk := range featureKinds {
			if strings.HasPrefix(name, fk.prefix) {
				f.Kind, f.Text = fk.kind, name[len(fk.prefix):]
				break
			}
		}
		if field != "" {
			f.Kind = field + " " + f.Kind
		}
		out = append(out, f)
	}
	return out
}
