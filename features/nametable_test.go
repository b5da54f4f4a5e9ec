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
		if len(got.Features) != 0 {
			t.Fatalf("posting %d: %d feature hashes with a table alone; the table gives them", i, len(got.Features))
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
		var wantHashes, hashes []uint64
		for _, n := range want {
			wantHashes = append(wantHashes, HashFeature(n))
		}
		for _, id := range got.IDs {
			hashes = append(hashes, table.Hash(id))
		}
		if !slices.Equal(hashes, wantHashes) {
			t.Fatalf("posting %d: table hashes differ from the features'", i)
		}
		if !slices.Equal(names, want) {
			t.Fatalf("posting %d: ids name %d features %v..., want %d", i, len(names), names[:min(5, len(names))], len(want))
		}
	}
	both := a.AnalyzeWith(&postings[0], AnalyzeOptions{Table: table, Names: true})
	if plain := a.Analyze(&postings[0], true); !slices.Equal(both.Features, plain.Features) || !slices.Equal(both.Names, plain.Names) {
		t.Error("with a table and names, Features and Names differ from Analyze with names")
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
