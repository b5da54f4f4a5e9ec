package training

import (
	"hash/fnv"
	"sort"
	"strings"

	"github.com/lurescan/lurescan/features"
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

// Deduplicate removes exact duplicates (the same normalised text in every
// field; the first is kept), removes texts that occur with different labels,
// and merges the groups of near duplicates (GroupNearDuplicates), so that a
// reposted template never straddles a split.
func Deduplicate(ex []Example) ([]Example, DedupReport) {
	var rep DedupReport
	key := func(p *features.Posting) string {
		var b strings.Builder
		for f := features.FieldText; f <= features.FieldCompanyProfile; f++ {
			n, _ := features.Normalize(p.FieldText(f), nil)
			b.WriteString(strings.Join(strings.Fields(n.Text), " "))
			b.WriteByte(0)
		}
		return b.String()
	}
	first := map[string]int{}
	labels := map[string]map[string]bool{}
	keys := make([]string, len(ex))
	for i := range ex {
		k := key(&ex[i].Posting)
		keys[i] = k
		if labels[k] == nil {
			labels[k] = map[string]bool{}
		}
		labels[k][ex[i].Class0()] = true
	}
	var out []Example
	for i, e := range ex {
		k := keys[i]
		if len(labels[k]) > 1 {
			rep.ConflictingLabels++
			continue
		}
		if _, dup := first[k]; dup {
			rep.ExactDuplicates++
			continue
		}
		first[k] = i
		out = append(out, e)
	}
	rep.NearDuplicateMerge = GroupNearDuplicates(out)
	return out, rep
}
