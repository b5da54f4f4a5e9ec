package web

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
)

// Bands as the page names them; insufficient text is a band of its own.
const bandInsufficient = "insufficient"

// maxFound bounds the quoted matches listed under one reason.
const maxFound = 5

// resultView is what the result section shows. The same template renders
// an empty one as the skeleton the script fills in.
type resultView struct {
	L        *locale
	Skeleton bool
	// Band is high, review, low or insufficient.
	Band     string
	HasScore bool
	Score    int
	// MeterLow and MeterHigh are the band thresholds on the 0-100 scale.
	MeterLow, MeterHigh string
	Language            string
	Fields              []fieldView
	Reasons             []reasonView
	FeaturesFor         []string
	FeaturesAgainst     []string
	Hotline             string
}

// fieldView is one part of the advert with its warning signs marked.
type fieldView struct {
	Name     string
	Label    string
	Lang     string
	Segments []segment
}

// reasonView is one indicator with its reason and the text it matched.
type reasonView struct {
	N        int
	ID       string
	Category string
	Reason   string
	Found    []string
}

// formFields are the posting fields the form has, in display order, with
// the message that labels each.
var formFields = []struct {
	field features.Field
	label string
}{
	{features.FieldTitle, "label_title"},
	{features.FieldCompany, "label_company"},
	{features.FieldText, "label_text"},
	{features.FieldContact, "label_contact"},
}

// newResultView explains res, the result for p, in l's language.
func newResultView(l *locale, cat *features.Catalog, p *features.Posting, res classifier.Result, hotline string) *resultView {
	v := &resultView{L: l, Band: bandInsufficient, Hotline: hotline, Language: languageLabel(l, res.Language)}
	if res.Band != nil && res.Score != nil {
		v.Band, v.HasScore, v.Score = *res.Band, true, *res.Score
	}
	v.MeterLow = strconv.FormatFloat(res.Thresholds.Review*100, 'f', 1, 64)
	v.MeterHigh = strconv.FormatFloat(res.Thresholds.High*100, 'f', 1, 64)

	refs := map[string]int{}
	spans := map[string][]span{}
	for _, h := range res.Indicators {
		n, ok := refs[h.ID]
		if !ok {
			n = len(v.Reasons) + 1
			refs[h.ID] = n
			v.Reasons = append(v.Reasons, reasonView{N: n, ID: h.ID, Category: categoryName(l, cat, h.Category), Reason: h.Reason})
		}
		r := &v.Reasons[n-1]
		if len(r.Found) < maxFound && !slices.Contains(r.Found, h.Text) {
			r.Found = append(r.Found, h.Text)
		}
		spans[h.Field] = append(spans[h.Field], span{start: h.Start, end: h.End, ref: n, category: categoryName(l, cat, h.Category)})
	}
	textLang := ""
	if res.Language.Code != "und" && res.Language.Confidence >= 0.5 {
		textLang = res.Language.Code
	}
	warning := l.T("warning_sign")
	for _, f := range formFields {
		text := p.FieldText(f.field)
		if text == "" {
			continue
		}
		v.Fields = append(v.Fields, fieldView{
			Name: f.field.String(), Label: l.T(f.label), Lang: textLang,
			Segments: segments(text, spans[f.field.String()], warning),
		})
	}
	v.FeaturesFor = featureLabels(l, cat, res.TopFeatures.For)
	v.FeaturesAgainst = featureLabels(l, cat, res.TopFeatures.Against)
	return v
}

// Verdict is the plain-words verdict of the band.
func (v *resultView) Verdict() string { return v.L.T("verdict_" + v.Band) }

// Summary says what the verdict means for the reader.
func (v *resultView) Summary() string { return v.L.T("summary_" + v.Band) }

// ScoreText is the score in words.
func (v *resultView) ScoreText() string { return v.L.T("score", "score", strconv.Itoa(v.Score)) }

func languageLabel(l *locale, lang features.Language) string {
	name := l.LanguageName(lang.Code)
	if lang.Code != "und" && lang.Confidence < 0.5 {
		name = l.T("language_unsure", "language", name)
	}
	return l.T("detected_language", "language", name)
}

func categoryName(l *locale, cat *features.Catalog, id string) string {
	for _, c := range cat.Categories {
		if c.ID == id {
			if n := c.Name[l.Code]; n != "" {
				return n
			}
			if n := c.Name["en"]; n != "" {
				return n
			}
		}
	}
	return id
}

// featureLabels says in plain words what each feature is, once each.
func featureLabels(l *locale, cat *features.Catalog, fs []classifier.Feature) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		kind := f.Kind
		if i := strings.LastIndexByte(kind, ' '); i >= 0 {
			kind = kind[i+1:] // "title word" is a word
		}
		var label string
		switch {
		case kind == "word" || kind == "phrase" || kind == "character" || kind == "characters":
			// the words as the advert writes them, else the stems
			label = "“" + cmp.Or(f.Example, f.Text) + "”"
		case kind == "indicator":
			label = f.Text
			if ind, ok := cat.Indicator(f.Text); ok {
				label = categoryName(l, cat, ind.Category)
			}
		case kind == "category":
			label = categoryName(l, cat, f.Text)
		case kind == "categories":
			ids := strings.Split(f.Text, "+")
			for i, id := range ids {
				ids[i] = categoryName(l, cat, id)
			}
			label = strings.Join(ids, " + ")
		case kind == "category_count":
			label = l.T("category_count", "n", f.Text)
		case l.Messages["kind_"+kind] != "":
			label = l.T("kind_" + kind)
		default:
			label = f.Text
		}
		if !slices.Contains(out, label) {
			out = append(out, label)
		}
	}
	return out
}
