package training

import (
	"cmp"
	"math"
	"slices"
	"testing"
)

// TestNearDuplicatesFindsEveryPairInSharedData: on all the real data, MinHash
// LSH finds every pair of postings at Jaccard 0.6 or above that an exact
// all-pairs search finds (prefix filtering: two sets at similarity t or
// above share one of the first |s| - ceil(t·|s|) + 1 shingles of each, in a
// common order).
func TestNearDuplicatesFindsEveryPairInSharedData(t *testing.T) {
	ex := allExamples(t)
	fps := fingerprints(ex)
	sets := make([][]uint64, len(ex))
	for i := range fps {
		sets[i] = sortedSet(slices.Clone(fps[i].shingles))
	}
	got := map[[2]int]bool{}
	for _, p := range NearDuplicates(sets, NearDuplicate) {
		got[[2]int{p.A, p.B}] = true
	}
	want := exactNearDuplicates(sets, NearDuplicate)
	if len(want) < 1000 {
		t.Fatalf("the exact search found %d pairs; the shared data has more than 1,000", len(want))
	}
	missed := 0
	for _, p := range want {
		if !got[p] {
			missed++
			t.Logf("missed %v: sizes %d and %d, Jaccard %.3f", p, len(sets[p[0]]), len(sets[p[1]]), Jaccard(sets[p[0]], sets[p[1]]))
		}
	}
	if missed > 0 || len(got) != len(want) {
		t.Errorf("LSH found %d pairs and missed %d of the %d the exact search finds", len(got), missed, len(want))
	}
	t.Logf("%d pairs at Jaccard %.1f or above, all found", len(want), NearDuplicate)
}

// exactNearDuplicates returns every pair (i < j) of sets at Jaccard t or
// above, by prefix filtering.
func exactNearDuplicates(sets [][]uint64, t float64) [][2]int {
	freq := map[uint64]int{}
	for _, s := range sets {
		for _, h := range s {
			freq[h]++
		}
	}
	// Each set in the global order: rarest shingles first.
	type keyed struct {
		freq int
		h    uint64
	}
	ordered := make([][]uint64, len(sets))
	for i, s := range sets {
		k := make([]keyed, len(s))
		for j, h := range s {
			k[j] = keyed{freq[h], h}
		}
		slices.SortFunc(k, func(a, b keyed) int {
			if a.freq != b.freq {
				return a.freq - b.freq
			}
			return cmp.Compare(a.h, b.h)
		})
		o := make([]uint64, len(k))
		for j := range k {
			o[j] = k[j].h
		}
		ordered[i] = o
	}
	index := map[uint64][]int{}
	var out [][2]int
	for j, o := range ordered {
		if len(o) == 0 {
			continue
		}
		prefix := len(o) - int(math.Ceil(t*float64(len(o)))) + 1
		candidates := map[int]bool{}
		for _, h := range o[:prefix] {
			for _, i := range index[h] {
				candidates[i] = true
			}
		}
		for i := range candidates {
			if Jaccard(sets[i], sets[j]) >= t {
				out = append(out, [2]int{i, j})
			}
		}
		for _, h := range o[:prefix] {
			index[h] = append(index[h], j)
		}
	}
	return out
}
