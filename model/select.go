package model

import (
	"sort"
)

// SelectFeatures keeps the k features whose presence is most dependent on
// the class, by the chi-squared statistic of their 2x2 table of document
// counts (feature present or not, lure or legitimate), ties broken by name.
// Naive Bayes counts every feature as independent evidence; dropping the
// many weakly informative ones keeps them from drowning the strong ones.
// k <= 0 or k >= the vocabulary keeps everything. The result stays sorted.
func SelectFeatures(c Counts, classDocs []uint64, k int) Counts {
	if k <= 0 || k >= len(c.Names) {
		return c
	}
	n0, n1 := float64(classDocs[0]), float64(classDocs[1])
	n := n0 + n1
	score := make([]float64, len(c.Names))
	for i, pc := range c.PerClass {
		a := float64(pc[1]) // present, lure
		b := float64(pc[0]) // present, legit
		cc := n1 - a        // absent, lure
		d := n0 - b         // absent, legit
		den := (a + b) * (cc + d) * (a + cc) * (b + d)
		if den <= 0 {
			continue
		}
		x := a*d - b*cc
		score[i] = n * x * x / den
	}
	idx := make([]int, len(c.Names))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(x, y int) bool {
		if score[idx[x]] != score[idx[y]] {
			return score[idx[x]] > score[idx[y]]
		}
		return c.Names[idx[x]] < c.Names[idx[y]]
	})
	keep := idx[:k]
	sort.Ints(keep)
	out := Counts{Names: make([]string, 0, k), PerClass: make([][2]uint64, 0, k)}
	for _, i := range keep {
		out.Names = append(out.Names, c.Names[i])
		out.PerClass = append(out.PerClass, c.PerClass[i])
	}
	return out
}
