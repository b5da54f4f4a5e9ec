package training

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
)

func TestNearDuplicates(t *testing.T) {
	base := "We are hiring customer service staff for our office in %s. Salary is paid monthly, training is provided and the team is friendly. Send your CV to our recruitment team before the end of the month."
	docs := []string{
		fmt.Sprintf(base, "Bangkok"),
		fmt.Sprintf(base, "Manila"), // reposted template
		"Senior data engineer wanted to build pipelines in Spark and Kafka for a payments company in Singapore.",
		"高薪招聘客服，包吃包住，机票报销，无需经验，年龄十八到三十五岁，联系微信。",
		"高薪招聘客服，包吃包住，机票报销，无需经验，年龄十八到三十岁，联系电报。", // near copy
	}
	sh := make([][]uint64, len(docs))
	for i, d := range docs {
		sh[i] = Shingles(&features.Posting{Text: d})
	}
	pairs := NearDuplicates(sh, NearDuplicate)
	want := map[[2]int]bool{{0, 1}: true, {3, 4}: true}
	if len(pairs) != len(want) {
		t.Fatalf("pairs %+v, want %v", pairs, want)
	}
	for _, p := range pairs {
		if !want[[2]int{p.A, p.B}] || p.Similarity < NearDuplicate || p.Similarity > 1 {
			t.Errorf("unexpected pair %+v", p)
		}
	}
	if j := Jaccard(sh[0], sh[2]); j > 0.1 {
		t.Errorf("unrelated adverts have similarity %v", j)
	}
	// Shingles in text order and with repeats (as the analyzer's
	// fingerprints give them) find the same pairs, at the same similarity.
	raw := make([][]uint64, len(docs))
	for i := range sh {
		raw[i] = slices.Clone(sh[i])
		slices.Reverse(raw[i])
		raw[i] = append(raw[i], raw[i][:len(raw[i])/2]...)
	}
	if got := NearDuplicates(raw, NearDuplicate); fmt.Sprint(got) != fmt.Sprint(pairs) {
		t.Errorf("unsorted shingles with repeats: pairs %+v, want %+v", got, pairs)
	}
}

// TestNearDuplicatesRecallAtThreshold: pairs just above the threshold,
// where LSH is weakest, must almost all be found (16 bands of 4 found
// about 0.89 of them; 32 bands of 3 should find 0.9996).
func TestNearDuplicatesRecallAtThreshold(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var sh [][]uint64
	for range 300 {
		a := make([]uint64, 60)
		for i := range a {
			a[i] = rng.Uint64()
		}
		// b shares 45 to 50 of a's 60 shingles: Jaccard 0.60 to 0.71.
		shared := 45 + rng.IntN(6)
		b := append([]uint64(nil), a[:shared]...)
		for len(b) < 60 {
			b = append(b, rng.Uint64())
		}
		slices.Sort(a)
		slices.Sort(b)
		sh = append(sh, a, b)
	}
	found := map[[2]int]bool{}
	for _, p := range NearDuplicates(sh, NearDuplicate) {
		found[[2]int{p.A, p.B}] = true
	}
	want, missed := 0, 0
	for i := 0; i < len(sh); i += 2 {
		if Jaccard(sh[i], sh[i+1]) < NearDuplicate {
			t.Fatalf("pair %d: similarity %v below the threshold", i/2, Jaccard(sh[i], sh[i+1]))
		}
		want++
		if !found[[2]int{i, i + 1}] {
			missed++
		}
	}
	if recall := float64(want-missed) / float64(want); recall < 0.98 {
		t.Errorf("found %d of %d pairs at similarity 0.60-0.71 (recall %.3f), want at least 0.98", want-missed, want, recall)
	}
	if len(found) > want {
		t.Errorf("%d pairs found, only %d are near-duplicates", len(found), want)
	}
}

func TestGroupNearDuplicatesNeverStraddleFolds(t *testing.T) {
	// 20 distinct templates of 30 pseudo-words, each posted three times
	// with a different city.
	rng := rand.New(rand.NewPCG(1, 1))
	var ex []Example
	for tmpl := 0; tmpl < 20; tmpl++ {
		var words []string
		for w := 0; w < 30; w++ {
			words = append(words, fmt.Sprintf("w%03d", rng.IntN(1000)))
		}
		for r, city := range []string{"Bangkok", "Manila", "Jakarta"} {
			text := strings.Join(words[:15], " ") + " in " + city + " " + strings.Join(words[15:], " ")
			ex = append(ex, Example{Posting: features.Posting{Text: text}, Label: LabelLure, Group: fmt.Sprintf("g%02d", tmpl*3+r)})
		}
	}
	merged := GroupNearDuplicates(ex)
	if merged != 40 {
		t.Errorf("merged %d groups, want 40 (20 templates of 3 reposts)", merged)
	}
	for i := 0; i < 60; i += 3 {
		f := FoldOf(ex[i].Group, 1, 5)
		for j := i + 1; j < i+3; j++ {
			if ex[j].Group != ex[i].Group || FoldOf(ex[j].Group, 1, 5) != f {
				t.Errorf("reposts %d and %d are in groups %s and %s", i, j, ex[i].Group, ex[j].Group)
			}
		}
	}
}

func TestAssignFoldsStratifiedByGroup(t *testing.T) {
	var ex []Example
	g := 0
	for i := 0; i < 300; i++ {
		label := LabelLegit
		if i%5 == 0 {
			label = LabelLure
		}
		lang := []string{"en", "zh", "vi"}[i%3]
		// Groups of one to three reposts of one advert.
		for r := 0; r <= i%3; r++ {
			ex = append(ex, Example{Label: label, Lang: lang, Group: fmt.Sprintf("g%d", g)})
		}
		g++
	}
	folds := AssignFolds(ex, 5, 42)
	if again := AssignFolds(ex, 5, 42); fmt.Sprint(again) != fmt.Sprint(folds) {
		t.Fatal("not reproducible")
	}
	groupFold := map[string]int{}
	perStratum := map[string][]int{}
	for i, e := range ex {
		if f, ok := groupFold[e.Group]; ok && f != folds[i] {
			t.Fatalf("group %s straddles folds %d and %d", e.Group, f, folds[i])
		}
		groupFold[e.Group] = folds[i]
		s := e.Label + e.Lang
		if perStratum[s] == nil {
			perStratum[s] = make([]int, 5)
		}
		perStratum[s][folds[i]]++
	}
	for s, counts := range perStratum {
		lo, hi := counts[0], counts[0]
		for _, c := range counts {
			lo, hi = min(lo, c), max(hi, c)
		}
		if hi-lo > 3 {
			t.Errorf("stratum %s unbalanced across folds: %v", s, counts)
		}
	}
	if fmt.Sprint(AssignFolds(ex, 5, 43)) == fmt.Sprint(folds) {
		t.Error("the seed does not change the split")
	}
}

func TestDeduplicate(t *testing.T) {
	ex := []Example{
		{Posting: features.Posting{Text: "Hiring chat agents in Bangkok now"}, Label: LabelLure, Group: "a"},
		{Posting: features.Posting{Text: "HIRING chat agents   in Bangkok now"}, Label: LabelLure, Group: "b"}, // exact after normalising
		{Posting: features.Posting{Text: "Same words, two labels"}, Label: LabelLure, Group: "c"},
		{Posting: features.Posting{Text: "same words, two labels"}, Label: LabelLegit, Group: "d"},
		{Posting: features.Posting{Text: "An ordinary accounting job in Jakarta with a degree required"}, Label: LabelLegit, Group: "e"},
	}
	out, rep := Deduplicate(ex)
	if len(out) != 2 || rep.ExactDuplicates != 1 || rep.ConflictingLabels != 2 {
		t.Errorf("kept %d, report %+v", len(out), rep)
	}
}

func TestPrepareDeduplicatedMatchesDeduplicateThenPrepare(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	words := strings.Fields("hiring chat agents bangkok salary free flight visa hotel accountant jakarta degree required apply careers page telegram urgent casting film shoot")
	sentence := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	var ex []Example
	for i := 0; i < 60; i++ {
		label := []string{LabelLure, LabelLegit}[i%2]
		e := Example{Label: label, Group: fmt.Sprint("g", i)}
		switch i % 4 {
		case 0:
			e.Posting = features.Posting{Text: sentence(5 + rng.IntN(40))}
		case 1:
			e.Posting = features.Posting{Title: sentence(3), Company: "Acme", Benefits: sentence(8), Contact: sentence(2)}
		case 2: // a repost of an earlier example, a word added
			prev := ex[i-2].Posting
			prev.Text = sentence(30) + prev.Text + " today"
			e.Posting = prev
			ex[i-2].Posting.Text = prev.Text[:len(prev.Text)-len(" today")]
		case 3: // an exact duplicate with the same label
			e.Posting = ex[i-2].Posting
		}
		if i%8 == 7 { // the same text with the other label
			e.Posting = ex[i-3].Posting
		}
		ex = append(ex, e)
	}
	an, err := DefaultOptions().Analyzer()
	if err != nil {
		t.Fatal(err)
	}
	for i := range ex {
		fb := newFingerprintBuilder()
		an.AnalyzeVisit(&ex[i].Posting, false, fb.field)
		if got, want := fb.finish(), fingerprintOf(&ex[i].Posting); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("example %d: fingerprint from the analyzer %v, on its own %v", i, got, want)
		}
	}
	wantEx, wantRep := Deduplicate(append([]Example(nil), ex...))
	want, err := Prepare(t.Context(), wantEx, an, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, gotRep, err := PrepareDeduplicated(t.Context(), ex, an, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if gotRep != wantRep || gotRep.ExactDuplicates == 0 || gotRep.ConflictingLabels == 0 || gotRep.NearDuplicateMerge == 0 {
		t.Errorf("report %+v, want %+v (with duplicates, conflicts and near duplicates)", gotRep, wantRep)
	}
	if fmt.Sprint(got.Examples) != fmt.Sprint(want.Examples) ||
		fmt.Sprint(got.Langs) != fmt.Sprint(want.Langs) || fmt.Sprint(docViews(got.Docs)) != fmt.Sprint(docViews(want.Docs)) {
		t.Error("PrepareDeduplicated differs from Deduplicate then Prepare")
	}
}

// docView is a document's content without its name table: the tables of
// two analyses number features differently.
type docView struct {
	Names         []string
	Hashes        []uint64
	Class, Weight int
}

func docViews(docs []model.Document) []docView {
	out := make([]docView, len(docs))
	for i, d := range docs {
		out[i] = docView{Hashes: d.DistinctHashes(), Class: d.Class, Weight: d.Weight}
		for _, id := range d.IDs {
			out[i].Names = append(out[i].Names, d.Table.Name(id))
		}
	}
	return out
}

// TestShingleHashes: each shingle is the hash of shingleSize consecutive
// word hashes, folded through mix from the shingle size (finish unrolls
// the fold for full shingles); a posting shorter than that is one shingle
// of all its words.
func TestShingleHashes(t *testing.T) {
	fold := func(words []uint64) uint64 {
		h := uint64(len(words))
		for _, w := range words {
			h = mix(h ^ w)
		}
		return h
	}
	for _, n := range []int{1, 3, shingleSize - 1, shingleSize, shingleSize + 1, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			b := newFingerprintBuilder()
			for i := range n {
				b.words = append(b.words, mix(uint64(i)+1))
			}
			got := b.finish().shingles
			k := min(n, shingleSize)
			if len(got) != n-k+1 {
				t.Fatalf("%d shingles of %d words, want %d", len(got), n, n-k+1)
			}
			for i, h := range got {
				if want := fold(b.words[i : i+k]); h != want {
					t.Errorf("shingle %d: %x, want %x", i, h, want)
				}
			}
		})
	}
}
