package training

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/lurescan/lurescan/features"
)

// CategoryAgreement is how the indicator catalogue's hits agree with the
// categories written down for examples (Example.Categories): of the
// examples annotated with a category, how many the catalogue finds it in
// (recall), per language and overall; and how many examples it finds the
// category in without the annotation.
type CategoryAgreement struct {
	Category string `json:"category"`
	// Annotated and Found count lures; LegitAnnotated and LegitFound the
	// legitimate examples (hard negatives show the same signals).
	Annotated      int               `json:"annotated_lures"`
	Found          int               `json:"found_lures"`
	LegitAnnotated int               `json:"annotated_legit"`
	LegitFound     int               `json:"found_legit"`
	ByLanguage     map[string][2]int `json:"lures_by_language"` // [annotated, found]
	// Unannotated counts examples (either label) with a hit in the
	// category that their annotation does not list.
	Unannotated int `json:"hits_not_annotated"`
}

// Recall is Found / Annotated for lures.
func (c CategoryAgreement) Recall() float64 { return ratio(float64(c.Found), float64(c.Annotated)) }

// IndicatorAgreement analyses every example with an and compares the
// indicator categories hit with the annotated ones, for each category of
// the analyzer's catalogue. Examples without annotations (no categories)
// count as showing none.
func IndicatorAgreement(ex []Example, an *features.Analyzer) []CategoryAgreement {
	cats := an.Catalog().Categories
	rows := make([]CategoryAgreement, len(cats))
	index := map[string]int{}
	for i, c := range cats {
		rows[i] = CategoryAgreement{Category: c.ID, ByLanguage: map[string][2]int{}}
		index[c.ID] = i
	}
	for i := range ex {
		e := &ex[i]
		a := an.Analyze(&e.Posting, false)
		found := map[string]bool{}
		for _, h := range a.Hits {
			found[h.Category] = true
		}
		annotated := map[string]bool{}
		for _, c := range e.Categories {
			annotated[c] = true
		}
		for c := range found {
			if k, ok := index[c]; ok && !annotated[c] {
				rows[k].Unannotated++
			}
		}
		for c := range annotated {
			k, ok := index[c]
			if !ok {
				continue // unknown categories are the schema test's business
			}
			r := &rows[k]
			if e.Class() == 1 {
				r.Annotated++
				cell := r.ByLanguage[e.Lang]
				cell[0]++
				if found[c] {
					r.Found++
					cell[1]++
				}
				r.ByLanguage[e.Lang] = cell
			} else {
				r.LegitAnnotated++
				if found[c] {
					r.LegitFound++
				}
			}
		}
	}
	return rows
}

// WriteAgreement writes rows as a Markdown table: recall of the catalogue
// on annotated lures, overall and per language, on annotated legitimate
// examples, and hits without an annotation.
func WriteAgreement(w io.Writer, rows []CategoryAgreement) error {
	langSet := map[string]bool{}
	for _, r := range rows {
		for l := range r.ByLanguage {
			langSet[l] = true
		}
	}
	langs := slices.Sorted(maps.Keys(langSet))
	var b strings.Builder
	b.WriteString("| category | lures: found / annotated | recall |")
	for _, l := range langs {
		b.WriteString(" " + l + " |")
	}
	b.WriteString(" legitimate: found / annotated | hits not annotated |\n|---|---:|---:|")
	b.WriteString(strings.Repeat("---:|", len(langs)+2) + "\n")
	var tot CategoryAgreement
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d / %d | %.2f |", r.Category, r.Found, r.Annotated, r.Recall())
		for _, l := range langs {
			if c := r.ByLanguage[l]; c[0] > 0 {
				fmt.Fprintf(&b, " %.2f |", ratio(float64(c[1]), float64(c[0])))
			} else {
				b.WriteString(" – |")
			}
		}
		fmt.Fprintf(&b, " %d / %d | %d |\n", r.LegitFound, r.LegitAnnotated, r.Unannotated)
		tot.Found += r.Found
		tot.Annotated += r.Annotated
		tot.LegitFound += r.LegitFound
		tot.LegitAnnotated += r.LegitAnnotated
		tot.Unannotated += r.Unannotated
	}
	fmt.Fprintf(&b, "| all | %d / %d | %.2f |%s %d / %d | %d |\n", tot.Found, tot.Annotated, tot.Recall(),
		strings.Repeat(" |", len(langs)), tot.LegitFound, tot.LegitAnnotated, tot.Unannotated)
	_, err := io.WriteString(w, b.String())
	return err
}
