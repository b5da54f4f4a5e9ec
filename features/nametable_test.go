package features

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestAnalyzeWithNameTable: with a name table, a posting's IDs are its
// distinct features in first-seen order, and the table names and hashes
// them as Analyze with names does, across many postings (enough distinct
// features that the table grows several times).
func TestAnalyzeWithNameTable(t *testing.T) {
	a := newDefaultAnalyzer(t)
	table := NewNameTable(0) // grows many times
	postings := []Posting{
		{Title: "Easy job in Bangkok", Text: "Free flights, visa, high salary 30000 baht. Contact Telegram @jobs99."},
		{Text: "高薪 包吃包住 免费机票 到泰国 工作轻松 高薪"},
		{Text: "รับสมัครพนักงาน เงินเดือนสูง บินฟรี ทำงานง่าย"},
		{Text: ""},
	}
	for i := range 300 { // many distinct words
		var b strings.Builder
		for j := range 40 {
			fmt.Fprintf(&b, "%s ", letters(i*40+j))
		}
		postings = append(postings, Posting{Title: "Clerk", Text: b.String()})
	}
	for i := range postings {
		named := a.Analyze(&postings[i], true)
		got := a.AnalyzeWith(&postings[i], AnalyzeOptions{Table: table})
		if !slices.Equal(got.Features, named.Features) {
			t.Fatalf("posting %d: features differ with a table", i)
		}
		var want []string
		seen := map[string]bool{}
		for _, n := range named.Names {
			if !seen[n] {
				seen[n] = true
				want = append(want, n)
			}
		}
		var names []string
		for _, id := range got.IDs {
			names = append(names, table.Name(id))
			if table.Hash(id) != HashFeature(table.Name(id)) {
				t.Fatalf("posting %d: %q has hash %x, want %x", i, table.Name(id), table.Hash(id), HashFeature(table.Name(id)))
			}
		}
		if !slices.Equal(names, want) {
			t.Fatalf("posting %d: ids name %d features %v..., want %d", i, len(names), names[:min(5, len(names))], len(want))
		}
	}
	if table.Len() < 12000 {
		t.Errorf("table holds %d features; the test meant to make it grow past 12,000", table.Len())
	}
}

// letters spells n in base 26 with the letters a-z, prefixed "zq" so that
// no result is an English word or stop word.
func letters(n int) string {
	b := []byte("zq")
	for {
		b = append(b, byte('a'+n%26))
		n /= 26
		if n == 0 {
			return string(b)
		}
	}
}
