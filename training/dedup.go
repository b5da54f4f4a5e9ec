package training

import (
	"sort"

	"github.com/lurescan/lurescan/features"
)

// Near-duplicate detection: job adverts are reposted with a new city or
// date; a split that puts one copy in training and another in the test set
// inflates every metric. Documents are compared by the Jaccard similarity
// of their token 5-gram shingles, estimated with MinHash and found with
// locality-sensitive hashing (16 bands of 4 rows: pairs above about 0.5
// similarity become candidates), then verified exactly.
const (
	shingleSize   = 5
	minHashes     = 64
	lshBands      = 16
	lshRows       = minHashes / lshBands
	NearDuplicate = 0.6 // Jaccard similarity from which two adverts are one
)

// Shingles returns the distinct hashed token 5-grams of a posting's text
// (all fields), after normalisation. Short texts give one shingle of all
// their tokens.
func Shingles(p *features.Posting) []uint64 {
	var toks []features.Token
	var words []string
	var buf []byte
	for f := features.FieldText; f <= features.FieldCompanyProfile; f++ {
		s := p.FieldText(f)
		if s == "" {
			continue
		}
		var n features.Normalized
		n, buf = features.Normalize(s, buf)
		toks, _ = features.Tokenize(n.Text, toks[:0])
		for _, t := range toks {
			words = append(words, t.Text(n.Text))
		}
	}
	seen := map[uint64]struct{}{}
	k := min(shingleSize, len(words))
	for i := 0; k > 0 && i+k <= len(words); i++ {
		h := uint64(14695981039346656037)
		for _, w := range words[i : i+k] {
			for j := 0; j < len(w); j++ {
				h ^= uint64(w[j])
				h *= 1099511628211
			}
			h ^= 0x1f
			h *= 1099511628211
		}
		seen[h] = struct{}{}
	}
	out := make([]uint64, 0, len(seen))
	for h := range seen {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func minHash(sh []uint64) [minHashes]uint64 {
	var sig [minHashes]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, s := range sh {
		base := mix(s)
		for i := range sig {
			if h := mix(base + uint64(i)*0x9e3779b97f4a7c15); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

// Jaccard is the exact similarity of two sorted shingle sets.
func Jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Pair is two near-duplicate documents and their similarity.
type Pair struct {
	A, B       int
	Similarity float64
}

// NearDuplicates returns the pairs of documents whose shingle sets have a
// Jaccard similarity of at least threshold (found through MinHash LSH, so
// a pair well below 0.5 may be missed; pairs at or above 0.6 are found with
// probability above 0.97).
func NearDuplicates(shingles [][]uint64, threshold float64) []Pair {
	sigs := make([][minHashes]uint64, len(shingles))
	for i, sh := range shingles {
		sigs[i] = minHash(sh)
	}
	seen := map[[2]int]bool{}
	var out []Pair
	for band := 0; band < lshBands; band++ {
		buckets := map[uint64][]int{}
		for i := range sigs {
			if len(shingles[i]) == 0 {
				continue
			}
			h := uint64(band)
			for r := 0; r < lshRows; r++ {
				h = mix(h ^ sigs[i][band*lshRows+r])
			}
			buckets[h] = append(buckets[h], i)
		}
		for _, docs := range buckets {
			for x := 0; x < len(docs); x++ {
				for y := x + 1; y < len(docs); y++ {
					key := [2]int{docs[x], docs[y]}
					if seen[key] {
						continue
					}
					seen[key] = true
					if s := Jaccard(shingles[docs[x]], shingles[docs[y]]); s >= threshold {
						out = append(out, Pair{A: docs[x], B: docs[y], Similarity: s})
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}

// GroupNearDuplicates merges the groups of near-duplicate examples (union
// of their existing groups), so that a reposted template never straddles a
// split. It returns how many groups were merged away.
func GroupNearDuplicates(ex []Example) int {
	shingles := make([][]uint64, len(ex))
	for i := range ex {
		shingles[i] = Shingles(&ex[i].Posting)
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(g string) string {
		p, ok := parent[g]
		if !ok || p == g {
			return g
		}
		root := find(p)
		parent[g] = root
		return root
	}
	merged := 0
	for _, p := range NearDuplicates(shingles, NearDuplicate) {
		a, b := find(ex[p.A].Group), find(ex[p.B].Group)
		if a == b {
			continue
		}
		if b < a {
			a, b = b, a
		}
		parent[b] = a // the smaller name wins: deterministic
		merged++
	}
	for i := range ex {
		ex[i].Group = find(ex[i].Group)
	}
	return merged
}
