package training

import (
	"hash/fnv"
	"sort"
)

// AssignFolds splits examples into k folds by group, stratified by label
// and language: every example of a group lands in one fold, and each fold
// gets about a k-th of every (label, language) stratum. The assignment is a
// function of the groups, their strata and the seed only, so it is
// reproducible.
func AssignFolds(ex []Example, k int, seed uint64) []int {
	type group struct {
		name    string
		stratum string
		size    int
		order   uint64
	}
	groups := map[string]*group{}
	for _, e := range ex {
		g := groups[e.Group]
		if g == nil {
			g = &group{name: e.Group, stratum: e.Label + "/" + e.Lang, order: seededHash(e.Group, seed)}
			groups[e.Group] = g
		}
		g.size++
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	// Big groups first (they are hardest to balance), then in seeded order.
	sort.Slice(list, func(i, j int) bool {
		if list[i].size != list[j].size {
			return list[i].size > list[j].size
		}
		if list[i].order != list[j].order {
			return list[i].order < list[j].order
		}
		return list[i].name < list[j].name
	})
	perStratum := map[string][]int{}
	total := make([]int, k)
	fold := map[string]int{}
	for _, g := range list {
		counts := perStratum[g.stratum]
		if counts == nil {
			counts = make([]int, k)
			perStratum[g.stratum] = counts
		}
		// The fold with the fewest of this stratum, then the fewest in all;
		// ties go round from a place set by the group's hash.
		start := int(g.order % uint64(k))
		best := -1
		for j := 0; j < k; j++ {
			f := (start + j) % k
			if best < 0 || counts[f] < counts[best] || (counts[f] == counts[best] && total[f] < total[best]) {
				best = f
			}
		}
		counts[best] += g.size
		total[best] += g.size
		fold[g.name] = best
	}
	out := make([]int, len(ex))
	for i, e := range ex {
		out[i] = fold[e.Group]
	}
	return out
}

func seededHash(s string, seed uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(s))
	return h.Sum64()
}

// DedupReport says what Deduplicate did.
type DedupReport struct {
	ExactDuplicates    int `json:"exact_duplicates_removed"`
	ConflictingLabels  int `json:"conflicting_labels_removed"`
	NearDuplicateMerge int `json:"near_duplicate_groups_merged"`
}

// Deduplicate removes exact duplicates (the same normalised words in every
// field; the first is kept), removes texts that occur with different labels,
// and merges the groups of near duplicates (GroupNearDuplicates), so that a
// reposted template never straddles a split.
func Deduplicate(ex []Example) ([]Example, DedupReport) {
	keep, shingles, rep := deduplicate(ex, fingerprints(ex))
	out := make([]Example, len(keep))
	for j, i := range keep {
		out[j] = ex[i]
	}
	rep.NearDuplicateMerge = mergeNearDuplicateGroups(out, shingles)
	return out, rep
}

// deduplicate returns the indexes of the examples to keep (exact duplicates
// and texts seen with two labels removed) and their shingles.
func deduplicate(ex []Example, fps []fingerprint) (keep []int, shingles [][]uint64, rep DedupReport) {
	labels := map[uint64]map[string]bool{}
	for i := range ex {
		k := fps[i].exact
		if labels[k] == nil {
			labels[k] = map[string]bool{}
		}
		labels[k][ex[i].Class0()] = true
	}
	seen := map[uint64]bool{}
	for i := range ex {
		k := fps[i].exact
		if len(labels[k]) > 1 {
			rep.ConflictingLabels++
			continue
		}
		if seen[k] {
			rep.ExactDuplicates++
			continue
		}
		seen[k] = true
		keep = append(keep, i)
		shingles = append(shingles, fps[i].shingles)
	}
	return keep, shingles, rep
}
