package training

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteCoverage writes the corpus coverage tables in Markdown: examples per
// language and label, then per category and language as "lures / legit".
func WriteCoverage(w io.Writer, ex []Example, categories []string) error {
	type cell struct{ lure, legit int }
	langs := map[string]bool{}
	byLang := map[string]*cell{}
	byCat := map[string]map[string]*cell{}
	patterns := map[string]*cell{}
	add := func(c *cell, label string) {
		if label == LabelLure || label == LabelFraud {
			c.lure++
		} else {
			c.legit++
		}
	}
	for _, e := range ex {
		langs[e.Lang] = true
		if byLang[e.Lang] == nil {
			byLang[e.Lang] = &cell{}
		}
		add(byLang[e.Lang], e.Label)
		for _, c := range e.Categories {
			if byCat[c] == nil {
				byCat[c] = map[string]*cell{}
			}
			if byCat[c][e.Lang] == nil {
				byCat[c][e.Lang] = &cell{}
			}
			add(byCat[c][e.Lang], e.Label)
		}
		if e.Pattern != "" {
			if patterns[e.Pattern] == nil {
				patterns[e.Pattern] = &cell{}
			}
			add(patterns[e.Pattern], e.Label)
		}
	}
	order := make([]string, 0, len(langs))
	for l := range langs {
		order = append(order, l)
	}
	sort.Strings(order)
	var b strings.Builder
	total := cell{}
	b.WriteString("| language | lures | legitimate |\n|---|---:|---:|\n")
	for _, l := range order {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", l, byLang[l].lure, byLang[l].legit)
		total.lure += byLang[l].lure
		total.legit += byLang[l].legit
	}
	fmt.Fprintf(&b, "| all | %d | %d |\n\n", total.lure, total.legit)
	b.WriteString("Indicator categories the examples show, as lures / legitimate:\n\n| category |")
	for _, l := range order {
		b.WriteString(" " + l + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(order)) + "\n")
	for _, c := range categories {
		fmt.Fprintf(&b, "| %s |", c)
		for _, l := range order {
			v := byCat[c][l]
			if v == nil {
				v = &cell{}
			}
			fmt.Fprintf(&b, " %d / %d |", v.lure, v.legit)
		}
		b.WriteString("\n")
	}
	pnames := make([]string, 0, len(patterns))
	for p := range patterns {
		pnames = append(pnames, p)
	}
	sort.Strings(pnames)
	b.WriteString("\nCover job or job type, as lures / legitimate:\n\n| pattern | lures | legitimate |\n|---|---:|---:|\n")
	for _, p := range pnames {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", p, patterns[p].lure, patterns[p].legit)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
