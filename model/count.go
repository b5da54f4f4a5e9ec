package model

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/cdipaolo/goml/base"
	"github.com/cdipaolo/goml/text"
)

// Document is one training example: its feature names and its class
// (0 legit, 1 lure).
type Document struct {
	Features []string
	Class    int
	// Weight is how many times the document counts (0 means 1): integer
	// weights keep goml's counts exact.
	Weight int
}

// featureSep joins a document's features into the one string goml takes.
const featureSep = "\x1f"

// splitTokenizer hands goml the features as they are: analysis (NFKC, case
// folding, stemming) has already happened in the features package.
type splitTokenizer struct{}

func (splitTokenizer) Tokenize(s string) []string { return strings.Split(s, featureSep) }

// Count gathers per-class document frequencies with goml's naive Bayes,
// which does that part right: each document's distinct features are
// streamed in, and the per-class word counts are read back. goml's own
// scoring is never used (see package doc). Features seen in fewer than
// minCount documents are dropped. The result is sorted by name.
func Count(docs []Document, minCount int) (Counts, []uint64, error) {
	shards, err := CountShards(docs, make([]int, len(docs)), 1)
	if err != nil {
		return Counts{}, nil, err
	}
	return shards.Sum(-1, minCount)
}

// Shards are counts gathered separately for disjoint parts of a dataset
// (such as cross-validation folds), over one shared sorted vocabulary.
// Counts add up, so the counts of "every part but one" are a subtraction.
type Shards struct {
	Names     []string
	PerShard  [][][2]uint64 // [shard][feature]
	ClassDocs [][2]uint64   // [shard]
}

// CountShards counts each part (shard[i] is document i's part, 0..n-1) with
// goml models, in parallel. A document of weight w counts w times: each
// (part, weight) pair is counted by its own goml model once and its counts
// are multiplied, rather than streaming the document w times.
func CountShards(docs []Document, shard []int, n int) (*Shards, error) {
	if len(shard) != len(docs) {
		return nil, fmt.Errorf("count: %d documents but %d shard numbers", len(docs), len(shard))
	}
	type key struct{ shard, weight int }
	parts := map[key][]Document{}
	for i, d := range docs {
		if shard[i] < 0 || shard[i] >= n {
			return nil, fmt.Errorf("count: document %d: shard %d out of range", i, shard[i])
		}
		k := key{shard[i], max(d.Weight, 1)}
		parts[k] = append(parts[k], d)
	}
	keys := make([]key, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].shard != keys[j].shard {
			return keys[i].shard < keys[j].shard
		}
		return keys[i].weight < keys[j].weight
	})
	type result struct {
		words     map[string][2]uint64
		classDocs [2]uint64
		err       error
	}
	results := make([]result, len(keys))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			w, cd, err := countWithGoml(parts[k])
			results[i] = result{w, cd, err}
		}()
	}
	wg.Wait()
	index := map[string]int{}
	for i, r := range results {
		if r.err != nil {
			return nil, fmt.Errorf("count shard %d: %w", keys[i].shard, r.err)
		}
		for w := range r.words {
			index[w] = 0
		}
	}
	s := &Shards{Names: make([]string, 0, len(index)), PerShard: make([][][2]uint64, n), ClassDocs: make([][2]uint64, n)}
	for w := range index {
		s.Names = append(s.Names, w)
	}
	sort.Strings(s.Names)
	for i, w := range s.Names {
		index[w] = i
	}
	for k := range s.PerShard {
		s.PerShard[k] = make([][2]uint64, len(s.Names))
	}
	for i, r := range results {
		k, w := keys[i].shard, uint64(keys[i].weight)
		s.ClassDocs[k][0] += r.classDocs[0]
		s.ClassDocs[k][1] += r.classDocs[1]
		row := s.PerShard[k]
		for word, c := range r.words {
			j := index[word]
			row[j][0] += c[0] * w
			row[j][1] += c[1] * w
		}
	}
	return s, nil
}

// Sum returns the counts of every shard but except (-1 for all), keeping
// features seen in at least minCount of those documents.
func (s *Shards) Sum(except, minCount int) (Counts, []uint64, error) {
	var classDocs [2]uint64
	for k, cd := range s.ClassDocs {
		if k != except {
			classDocs[0] += cd[0]
			classDocs[1] += cd[1]
		}
	}
	out := Counts{}
	for i, name := range s.Names {
		var c [2]uint64
		for k, row := range s.PerShard {
			if k != except {
				c[0] += row[i][0]
				c[1] += row[i][1]
			}
		}
		if c[0]+c[1] < uint64(minCount) || c[0]+c[1] == 0 {
			continue
		}
		out.Names = append(out.Names, name)
		out.PerClass = append(out.PerClass, c)
	}
	return out, classDocs[:], nil
}

// countWithGoml streams docs into one goml model and reads back, for each
// distinct feature, its per-class document frequency.
func countWithGoml(docs []Document) (map[string][2]uint64, [2]uint64, error) {
	var classDocs [2]uint64
	stream := make(chan base.TextDatapoint, 256)
	// Keep every rune: goml's default sanitiser would delete separators.
	nb := text.NewNaiveBayes(stream, 2, func(rune) bool { return false })
	nb.Output = io.Discard
	nb.UpdateTokenizer(splitTokenizer{})
	errs := make(chan error, 16)
	done := make(chan struct{})
	var learnErr error
	go func() {
		for err := range errs {
			if learnErr == nil {
				learnErr = err
			}
		}
		close(done)
	}()
	go nb.OnlineLearn(errs)
	finish := func() { close(stream); <-done } // OnlineLearn closes errs when drained

	vocab := map[string]struct{}{}
	seen := map[string]struct{}{}
	var sb strings.Builder
	for di, d := range docs {
		if d.Class != 0 && d.Class != 1 {
			finish()
			return nil, classDocs, fmt.Errorf("document %d: class %d is not 0 or 1", di, d.Class)
		}
		clear(seen)
		sb.Reset()
		for _, f := range d.Features {
			if len(f) < 3 {
				finish()
				return nil, classDocs, fmt.Errorf("document %d: feature %q is shorter than goml's 3-byte minimum", di, f)
			}
			if strings.Contains(f, featureSep) {
				finish()
				return nil, classDocs, fmt.Errorf("document %d: feature %q contains the separator", di, f)
			}
			if _, dup := seen[f]; dup {
				continue
			}
			seen[f] = struct{}{}
			vocab[f] = struct{}{}
			if sb.Len() > 0 {
				sb.WriteString(featureSep)
			}
			sb.WriteString(f)
		}
		weight := uint64(max(d.Weight, 1))
		classDocs[d.Class] += weight
		if sb.Len() == 0 {
			continue
		}
		stream <- base.TextDatapoint{X: sb.String(), Y: uint8(d.Class)}
	}
	finish()
	if learnErr != nil {
		return nil, classDocs, fmt.Errorf("goml training: %w", learnErr)
	}
	out := make(map[string][2]uint64, len(vocab))
	for f := range vocab {
		w, ok := nb.Words.Get(f)
		if !ok || len(w.Count) != 2 {
			return nil, classDocs, fmt.Errorf("goml lost feature %q", f)
		}
		out[f] = [2]uint64{w.Count[0], w.Count[1]}
	}
	return out, classDocs, nil
}
