package training

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/lurescan/lurescan/features"
)

// Near-duplicate detection: job adverts are reposted with a new city or
// date; a split that puts one copy in training and another in the test set
// inflates every metric. Documents are compared by the Jaccard similarity
// of their token 5-gram shingles, estimated with MinHash and found with
// locality-sensitive hashing (32 bands of 3 rows: pairs above about 0.5
// similarity become candidates), then verified exactly.
const (
	shingleSize   = 5
	minHashes     = 96
	lshBands      = 32
	lshRows       = minHashes / lshBands
	NearDuplicate = 0.6 // Jaccard similarity from which two adverts are one
)

// Shingles returns the distinct hashed token 5-grams of a posting's text
// (all fields), after normalisation. Short texts give one shingle of all
// their tokens.
func Shingles(p *features.Posting) []uint64 {
	return sortedSet(fingerprintOf(p).shingles)
}

// sortedSet sorts s and drops repeats, in place.
func sortedSet(s []uint64) []uint64 {
	slices.Sort(s)
	return slices.Clip(slices.Compact(s))
}

// fingerprint is what deduplication knows of a posting: a hash of all its
// normalised words field by field (equal for exact duplicates) and its
// shingles, in text order, with repeats (sorting them is left to the few
// postings that near-duplicate detection compares exactly).
type fingerprint struct {
	exact    uint64
	shingles []uint64
}

// fingerprints computes the fingerprints of examples on all cores.
func fingerprints(ex []Example) []fingerprint {
	out := make([]fingerprint, len(ex))
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = fingerprintOf(&ex[i].Posting)
			}
		}()
	}
	for i := range ex {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func fingerprintOf(p *features.Posting) fingerprint {
	var toks []features.Token
	var buf []byte
	b := newFingerprintBuilder()
	for f := features.FieldText; f <= features.FieldCompanyProfile; f++ {
		s := p.FieldText(f)
		if s == "" {
			continue
		}
		var n features.Normalized
		n, buf = features.Normalize(s, buf)
		toks, _ = features.Tokenize(n.Text, toks[:0])
		b.field(f, n.Text, toks)
	}
	return b.finish()
}

// fingerprintBuilder computes a fingerprint from a posting's fields as
// normalised and tokenized (by fingerprintOf, or by the analyzer on its
// way: a features.FieldVisitor), fed in field order, empty fields skipped.
// reset readies it for the next posting, reusing its memory.
type fingerprintBuilder struct {
	exact uint64
	next  features.Field
	words []uint64 // each word's hash: a shingle hashes its words' hashes
}

func newFingerprintBuilder() *fingerprintBuilder {
	b := &fingerprintBuilder{}
	b.reset()
	return b
}

func (b *fingerprintBuilder) reset() {
	b.exact, b.next, b.words = 14695981039346656037, features.FieldText, b.words[:0]
}

func (b *fingerprintBuilder) mixIn(s string) {
	for j := 0; j < len(s); j++ {
		b.exact ^= uint64(s[j])
		b.exact *= 1099511628211
	}
	b.exact ^= 0x1f
	b.exact *= 1099511628211
}

// skipTo marks the fields before f as empty.
func (b *fingerprintBuilder) skipTo(f features.Field) {
	for ; b.next < f && b.next <= features.FieldCompanyProfile; b.next++ {
		b.mixIn(b.next.String())
	}
}

// field adds a non-empty field; its fields must come in order.
func (b *fingerprintBuilder) field(f features.Field, norm string, toks []features.Token) {
	if f > features.FieldCompanyProfile || f < b.next {
		return
	}
	b.skipTo(f)
	b.mixIn(f.String())
	b.next = f + 1
	b.words = slices.Grow(b.words, len(toks))
	for _, t := range toks {
		w := t.Text(norm)
		h := uint64(14695981039346656037) // FNV-1a of the word
		for j := 0; j < len(w); j++ {
			h ^= uint64(w[j])
			h *= 1099511628211
		}
		b.words = append(b.words, h)
		b.exact = mix(b.exact ^ h)
	}
}

// finish returns the fingerprint: the exact hash and the shingles, each the
// hash of shingleSize consecutive words' hashes.
func (b *fingerprintBuilder) finish() fingerprint {
	b.skipTo(features.FieldCompanyProfile + 1)
	n := len(b.words)
	k := min(shingleSize, n)
	out := make([]uint64, 0, max(0, n-k+1))
	if k == shingleSize {
		// Unrolled: the same hashes, without a loop for each.
		w := b.words
		for i := 0; i+4 < len(w); i++ {
			out = append(out, mix(mix(mix(mix(mix(shingleSize^w[i])^w[i+1])^w[i+2])^w[i+3])^w[i+4]))
		}
		return fingerprint{exact: b.exact, shingles: out}
	}
	for i := 0; k > 0 && i+k <= n; i++ {
		h := uint64(k)
		for _, w := range b.words[i : i+k] {
			h = mix(h ^ w)
		}
		out = append(out, h)
	}
	return fingerprint{exact: b.exact, shingles: out}
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// minHash computes the MinHash signature by one-permutation hashing with
// optimal densification (Shrivastava, ICML 2017): each shingle's hash picks
// one of the minHashes bins and competes for that bin's minimum, and an
// empty bin borrows the minimum of a filled bin chosen by a probe sequence
// that depends only on the bin, so that two documents borrow alike. Two
// signatures agree in a bin with probability equal to the documents'
// Jaccard similarity, as with minHashes separate hash functions, at one
// hash a shingle instead of minHashes. Bins borrowed in short documents
// are not independent, which is why there are 96 of them: with 63 (21
// bands), 4 of the 2,159 pairs at 0.6 or above in the shared data were
// missed, adverts of about 55 shingles; with 96, none is
// (TestNearDuplicatesFindsEveryPairInSharedData).
func minHash(sh []uint64) [minHashes]uint64 {
	var sig [minHashes]uint64
	var filled [minHashes]bool
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, s := range sh {
		v := mix(s)
		bin := (v >> 32) * minHashes >> 32
		if !filled[bin] || v < sig[bin] {
			sig[bin], filled[bin] = v, true
		}
	}
	if len(sh) == 0 {
		return sig
	}
	for i := range sig {
		if filled[i] {
			continue
		}
		for probe := uint64(1); ; probe++ {
			j := (mix(uint64(i)<<32|probe) >> 32) * minHashes >> 32
			if filled[j] {
				sig[i] = sig[j]
				break
			}
		}
	}
	return sig
}

// parallelFor calls f(0) to f(n-1) on all cores.
func parallelFor(n int, f func(int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < n; k += workers {
				f(k)
			}
		}()
	}
	wg.Wait()
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
// Jaccard similarity of at least threshold, found through MinHash LSH: 32
// bands of 3 hashes make a pair a candidate with probability
// 1-(1-J³)³², 0.9996 at J = 0.6 and 0.986 at 0.5 (for independent hashes),
// and every candidate's exact similarity is checked. On the shared data it
// finds every pair an exact all-pairs search finds (tested).
// Each document's shingles may come in any order, with repeats.
func NearDuplicates(shingles [][]uint64, threshold float64) []Pair {
	sigs := make([][minHashes]uint64, len(shingles))
	parallelFor(len(shingles), func(i int) { sigs[i] = minHash(shingles[i]) })
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	// Candidate pairs, from the bands: in each band, postings whose rows
	// hash alike. Bands are bucketed by sorting, on all cores; each pair is
	// a key a<<32|b (a < b), and the keys of all bands are sorted and
	// deduplicated.
	keys := make([][]uint64, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			type entry struct {
				h uint64
				i int
			}
			var entries []entry
			for band := w; band < lshBands; band += workers {
				entries = entries[:0]
				for i := range sigs {
					if len(shingles[i]) == 0 {
						continue
					}
					h := uint64(band)
					for r := 0; r < lshRows; r++ {
						h = mix(h ^ sigs[i][band*lshRows+r])
					}
					entries = append(entries, entry{h, i})
				}
				slices.SortFunc(entries, func(a, b entry) int {
					if c := cmp.Compare(a.h, b.h); c != 0 {
						return c
					}
					return a.i - b.i
				})
				for lo := 0; lo < len(entries); {
					hi := lo + 1
					for hi < len(entries) && entries[hi].h == entries[lo].h {
						hi++
					}
					for x := lo; x < hi; x++ {
						for y := x + 1; y < hi; y++ {
							keys[w] = append(keys[w], uint64(entries[x].i)<<32|uint64(entries[y].i))
						}
					}
					lo = hi
				}
			}
		}()
	}
	wg.Wait()
	all := slices.Concat(keys...)
	slices.Sort(all)
	all = slices.Compact(all)
	candidates := make([][2]int, len(all))
	for k, key := range all {
		candidates[k] = [2]int{int(key >> 32), int(key & 0xffffffff)}
	}
	// Candidates are compared exactly on their shingles as sorted sets,
	// made only for the postings that are candidates (most are not), on
	// all cores.
	sets := make([][]uint64, len(shingles))
	var needed []int
	for _, c := range candidates {
		for _, i := range c {
			if sets[i] == nil {
				sets[i] = []uint64{} // claimed; filled below
				needed = append(needed, i)
			}
		}
	}
	sims := make([]float64, len(candidates))
	parallelFor(len(needed), func(k int) { sets[needed[k]] = sortedSet(slices.Clone(shingles[needed[k]])) })
	parallelFor(len(candidates), func(k int) { sims[k] = Jaccard(sets[candidates[k][0]], sets[candidates[k][1]]) })
	var out []Pair
	for k, c := range candidates {
		if sims[k] >= threshold {
			out = append(out, Pair{A: c[0], B: c[1], Similarity: sims[k]})
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
	fps := fingerprints(ex)
	shingles := make([][]uint64, len(ex))
	for i := range fps {
		shingles[i] = fps[i].shingles
	}
	return mergeNearDuplicateGroups(ex, shingles)
}

// mergeNearDuplicateGroups is GroupNearDuplicates with the shingles known.
func mergeNearDuplicateGroups(ex []Example, shingles [][]uint64) int {
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
