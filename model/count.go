package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cdipaolo/goml/base"
	"github.com/cdipaolo/goml/text"

	"github.com/lurescan/lurescan/features"
)

// Document is one training example: its feature names and its class
// (0 legit, 1 lure).
type Document struct {
	Features []string
	// Hashes, when set, are the features' hashes (features.HashFeature),
	// one for each of Features: counting keys on them, which is cheaper
	// than keying on the names. Scoring identifies features by the same
	// hashes.
	Hashes []uint64
	// IDs and Table, when Table is set, give the document's distinct
	// features as ids into Table, which names them: training analyses with
	// a table (features.AnalyzeOptions.Table) rather than naming every
	// feature of every document. Features is then not needed. Either
	// every document of a count has a table or none has.
	IDs   []uint32
	Table *features.NameTable
	Class int
	// Weight is how many times the document counts (0 means 1): integer
	// weights keep the counts exact.
	Weight int
}

// DistinctHashes returns the hashes of the document's distinct features,
// in the order they first occur (what Model.Score needs).
func (d *Document) DistinctHashes() []uint64 {
	if d.Table != nil {
		out := make([]uint64, len(d.IDs))
		for i, id := range d.IDs {
			out[i] = d.Table.Hash(id)
		}
		return out
	}
	hashes := d.Hashes
	if hashes == nil {
		hashes = make([]uint64, len(d.Features))
		for i, f := range d.Features {
			hashes[i] = features.HashFeature(f)
		}
	}
	return firstOccurrences(hashes)
}

// DistinctNames returns the names of the document's distinct features, in
// the order they first occur.
func (d *Document) DistinctNames() []string {
	if d.Table != nil {
		out := make([]string, len(d.IDs))
		for i, id := range d.IDs {
			out[i] = d.Table.Name(id)
		}
		return out
	}
	return firstOccurrences(d.Features)
}

// firstOccurrences returns xs without repeats, in first-seen order.
func firstOccurrences[T comparable](xs []T) []T {
	seen := make(map[T]bool, len(xs))
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Count gathers per-class document frequencies: each document's distinct
// features are counted once (CountShards with one shard). Features seen in
// fewer than minCount documents are dropped. The result is sorted by name.
func Count(docs []Document, minCount int) (Counts, []uint64, error) {
	shards, err := CountShards(docs, make([]int, len(docs)), 1, minCount)
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
	PerShard  [][][2]uint64 // [shard][feature], documents counted by weight
	ClassDocs [][2]uint64   // [shard]
	// DocsPerShard is how many documents of each shard have each feature,
	// every document counted once whatever its weight: the minimum count
	// is a number of documents, and a weight (such as a language's balance)
	// must not make a feature seen once look common.
	DocsPerShard [][]uint32 // [shard][feature]
	// DocFeatures are each document's distinct counted features, as
	// indexes into Names, in the order the document first has them (the
	// order Model.Score meets them in, so that sums come out the same).
	DocFeatures [][]uint32
	// DocShard is each document's shard, DocClass its class and DocWeight
	// how many times it counts.
	DocShard  []int
	DocClass  []int
	DocWeight []int
}

// Counter is how CountShardsWith tallies the documents. Both give the same
// counts, to the unit (TestCountersAgree checks it on the real data).
type Counter int

const (
	// CountDirect adds each document's interned feature ids into dense
	// per-shard arrays: one addition per distinct feature of a document.
	CountDirect Counter = iota
	// CountGoml streams every document through goml's naive Bayes, one
	// model per (shard, weight) part, and reads its per-class word counts
	// back. goml does five locked map operations a token, about 0.35 µs:
	// on all the shared data that is 2 CPU-seconds, half of training's
	// budget, where the direct tally takes about 0.05. It is kept as the
	// reference the direct tally is checked against.
	CountGoml
)

// counterNames are the counters' names, as ParseCounter reads them.
var counterNames = [...]string{CountDirect: "direct", CountGoml: "goml"}

func (c Counter) String() string {
	if c < 0 || int(c) >= len(counterNames) {
		return fmt.Sprintf("Counter(%d)", int(c))
	}
	return counterNames[c]
}

// ParseCounter returns the counter named s ("direct" or "goml").
func ParseCounter(s string) (Counter, error) {
	for c, name := range counterNames {
		if s == name {
			return Counter(c), nil
		}
	}
	return 0, fmt.Errorf("unknown counter %q (want direct or goml)", s)
}

// CountShards is CountShardsWith the direct counter.
func CountShards(docs []Document, shard []int, n, minTotal int) (*Shards, error) {
	return CountShardsWith(docs, shard, n, minTotal, CountDirect)
}

// CountShardsWith counts each part (shard[i] is document i's part, 0..n-1)
// with counter. Features in fewer than minTotal documents of the whole
// dataset (each counted once, whatever its weight) are left out: no sum of
// parts with a minimum count up to minTotal could keep them. In the counts,
// a document of weight w counts w times.
//
// Features are first interned to dense ids (see intern). With CountGoml,
// each (part, weight) pair is counted by its own goml model, in parallel,
// and its counts are multiplied by the weight rather than streaming the
// document w times; goml keys its counts by string, so ids reach it as
// short fixed-width strings (see appendID).
func CountShardsWith(docs []Document, shard []int, n, minTotal int, counter Counter) (*Shards, error) {
	if len(shard) != len(docs) {
		return nil, fmt.Errorf("count: %d documents but %d shard numbers", len(docs), len(shard))
	}
	if counter != CountDirect && counter != CountGoml {
		return nil, fmt.Errorf("count: unknown counter %v", counter)
	}
	for i, d := range docs {
		if shard[i] < 0 || shard[i] >= n {
			return nil, fmt.Errorf("count: document %d: shard %d out of range", i, shard[i])
		}
		if d.Class != 0 && d.Class != 1 {
			return nil, fmt.Errorf("count: document %d: class %d is not 0 or 1", i, d.Class)
		}
	}
	voc, ids, err := intern(docs, minTotal)
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	s := &Shards{Names: voc.names, PerShard: make([][][2]uint64, n), ClassDocs: make([][2]uint64, n),
		DocsPerShard: make([][]uint32, n),
		DocFeatures:  ids, DocShard: shard, DocClass: make([]int, len(docs)), DocWeight: make([]int, len(docs))}
	for i, d := range docs {
		s.DocClass[i], s.DocWeight[i] = d.Class, max(d.Weight, 1)
	}
	// Each shard is tallied by its own goroutine: its rows are its own.
	var wg sync.WaitGroup
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			row, df := make([][2]uint64, len(s.Names)), make([]uint32, len(s.Names))
			for i, doc := range ids {
				if shard[i] != k {
					continue
				}
				for _, f := range doc {
					df[f]++
				}
				if counter == CountGoml {
					continue
				}
				c, w := s.DocClass[i], uint64(s.DocWeight[i])
				s.ClassDocs[k][c] += w
				for _, f := range doc {
					row[f][c] += w
				}
			}
			s.PerShard[k], s.DocsPerShard[k] = row, df
		}()
	}
	wg.Wait()
	if counter == CountGoml {
		if err := s.countWithGoml(); err != nil {
			return nil, fmt.Errorf("count: %w", err)
		}
	}
	return s, nil
}

// countWithGoml fills s.PerShard and s.ClassDocs through goml: each
// (shard, weight) part is cut into pieces of at most partSize documents,
// each counted by its own goml model (counts add up), so that the cores
// share the work evenly.
func (s *Shards) countWithGoml() error {
	type key struct{ shard, weight int }
	parts := map[key][]int{}
	for i := range s.DocShard {
		k := key{s.DocShard[i], s.DocWeight[i]}
		parts[k] = append(parts[k], i)
	}
	type piece struct {
		key
		docs []int
	}
	var pieces []piece
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
	for _, k := range keys {
		for docs := parts[k]; len(docs) > 0; {
			n := min(len(docs), partSize)
			pieces = append(pieces, piece{k, docs[:n]})
			docs = docs[n:]
		}
	}
	type result struct {
		ids       []uint32
		counts    [][2]uint64
		classDocs [2]uint64
		err       error
	}
	results := make([]result, len(pieces))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, pc := range pieces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := &results[i]
			r.ids, r.counts, r.classDocs, r.err = countWithGoml(s.DocClass, pc.docs, s.DocFeatures, len(s.Names))
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil {
			return fmt.Errorf("shard %d: %w", pieces[i].shard, r.err)
		}
		k, w := pieces[i].shard, uint64(pieces[i].weight)
		s.ClassDocs[k][0] += r.classDocs[0] * w
		s.ClassDocs[k][1] += r.classDocs[1] * w
		row := s.PerShard[k]
		for j, f := range r.ids {
			row[f][0] += r.counts[j][0] * w
			row[f][1] += r.counts[j][1] * w
		}
	}
	return nil
}

// vocabulary is the interned feature names: names sorted, rank[id] the
// sorted position of the name with that id.
type vocabulary struct {
	names []string
	rank  []uint32
}

// intern gives every distinct feature (told apart by hash, as scoring does)
// in at least minTotal documents (each counted once) an id, its rank in the
// sorted vocabulary, and returns each document's distinct features as ids,
// in first-seen order, without the rarer ones. Documents are interned
// in parallel chunks, each with a local table; only the chunks' distinct
// names meet in the shared table.
func intern(docs []Document, minTotal int) (vocabulary, [][]uint32, error) {
	withTables := 0
	for i := range docs {
		if docs[i].Table != nil {
			withTables++
		}
	}
	switch withTables {
	case 0:
	case len(docs):
		return internTables(docs, minTotal)
	default:
		return vocabulary{}, nil, fmt.Errorf("%d of %d documents have a name table: all or none must", withTables, len(docs))
	}
	ids := make([][]uint32, len(docs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(docs)))
	chunk := (len(docs) + workers - 1) / max(workers, 1)
	locals := make([][]string, workers)
	localHashes := make([][]uint64, workers)
	localDF := make([][]uint64, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min(len(docs), (w+1)*chunk)
		wg.Add(1)
		go func() {
			defer wg.Done()
			table := newIDTable(1 << 14)
			var names []string
			var hashes []uint64
			var stamp []int
			var df []uint64
			for i := lo; i < hi; i++ {
				d := &docs[i]
				if d.Hashes != nil && len(d.Hashes) != len(d.Features) {
					errs[w] = fmt.Errorf("document %d: %d features but %d hashes", i, len(d.Features), len(d.Hashes))
					return
				}
				doc := make([]uint32, 0, len(d.Features))
				for j, f := range d.Features {
					var h uint64
					if d.Hashes != nil {
						h = d.Hashes[j]
					} else {
						h = features.HashFeature(f)
					}
					id, added := table.idOf(h, uint32(len(names)))
					if added {
						if f == "" {
							errs[w] = fmt.Errorf("document %d: empty feature name", i)
							return
						}
						names = append(names, f)
						hashes = append(hashes, h)
						stamp = append(stamp, -1)
						df = append(df, 0)
					}
					if stamp[id] == i {
						continue // repeated within the document
					}
					stamp[id] = i
					df[id]++
					doc = append(doc, id)
				}
				ids[i] = doc
			}
			locals[w], localHashes[w], localDF[w] = names, hashes, df
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return vocabulary{}, nil, err
	}
	// Total document frequencies decide which features are kept.
	distinct := 0
	for _, local := range locals {
		distinct = max(distinct, len(local))
	}
	global := newIDTable(distinct * 5 / 4)
	var all []string
	var total []uint64
	remaps := make([][]uint32, workers)
	for w, local := range locals {
		remaps[w] = make([]uint32, len(local))
		for j, f := range local {
			id, added := global.idOf(localHashes[w][j], uint32(len(all)))
			if added {
				all = append(all, f)
				total = append(total, 0)
			}
			total[id] += localDF[w][j]
			remaps[w][j] = id
		}
	}
	kept, names, err := keepFrequent(all, total, minTotal)
	if err != nil {
		return vocabulary{}, nil, err
	}
	for w := range locals {
		lo, hi := w*chunk, min(len(docs), (w+1)*chunk)
		for i := lo; i < hi; i++ {
			doc := ids[i][:0]
			for _, id := range ids[i] {
				if k := kept[remaps[w][id]]; k != dropped {
					doc = append(doc, k)
				}
			}
			ids[i] = doc
		}
	}
	v := sortedVocabulary(names)
	for _, doc := range ids {
		for j, id := range doc {
			doc[j] = v.rank[id]
		}
	}
	return v, ids, nil
}

// internTables is intern for documents analysed with name tables: their
// features are already ids into a few tables (one per analysing
// goroutine), so only the tables' distinct features are looked up, not
// every feature of every document.
func internTables(docs []Document, minTotal int) (vocabulary, [][]uint32, error) {
	index := map[*features.NameTable]int{}
	var tables []*features.NameTable
	which := make([]int, len(docs))
	for i := range docs {
		t, ok := index[docs[i].Table]
		if !ok {
			t = len(tables)
			index[docs[i].Table] = t
			tables = append(tables, docs[i].Table)
		}
		which[i] = t
	}
	// Document frequencies, one goroutine a table.
	df := make([][]uint32, len(tables)) // [table][local id] documents
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for t, table := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := make([]uint32, table.Len())
			last := make([]uint32, table.Len()) // last document (i+1) with the feature
			for i := range docs {
				if which[i] != t {
					continue
				}
				for _, id := range docs[i].IDs {
					if int(id) >= len(counts) {
						errs[t] = fmt.Errorf("document %d: feature id %d outside its table of %d", i, id, len(counts))
						return
					}
					if last[id] == uint32(i+1) {
						errs[t] = fmt.Errorf("document %d: feature id %d repeated", i, id)
						return
					}
					last[id] = uint32(i + 1)
					counts[id]++
				}
			}
			df[t] = counts
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return vocabulary{}, nil, err
	}
	// The tables' features meet in one numbering: the first table's ids,
	// then the features the others add (looked up in the first table, and
	// in a table of their own). Total document frequencies decide which
	// are kept.
	base := tables[0]
	size := 0
	for _, t := range tables {
		size += t.Len()
	}
	all := make([]string, 0, size)
	total := make([]uint64, 0, size)
	for local := range base.Len() {
		all = append(all, base.Name(uint32(local)))
		total = append(total, uint64(df[0][local]))
	}
	extra := newIDTable(size - base.Len())
	remaps := make([][]uint32, len(tables))
	remaps[0] = nil // identity
	// The other tables' features are looked up in the first on all cores
	// (each lookup is a trip to memory), then numbered in order.
	const notInBase = ^uint32(0)
	for k, t := range tables[1:] {
		remaps[k+1] = make([]uint32, t.Len())
		parallelRange(t.Len(), func(lo, hi int) {
			for local := lo; local < hi; local++ {
				id, ok := base.Lookup(t.Hash(uint32(local)))
				if !ok {
					id = notInBase
				}
				remaps[k+1][local] = id
			}
		})
	}
	for k, t := range tables[1:] {
		k++
		for local, id := range remaps[k] {
			if id == notInBase {
				var added bool
				h := t.Hash(uint32(local))
				if id, added = extra.idOf(h, uint32(len(all))); added {
					all = append(all, t.Name(uint32(local)))
					total = append(total, 0)
				}
				remaps[k][local] = id
			}
			total[id] += uint64(df[k][local])
		}
	}
	for id, name := range all {
		if name == "" {
			return vocabulary{}, nil, fmt.Errorf("feature %d: empty name", id)
		}
	}
	kept, names, err := keepFrequent(all, total, minTotal)
	if err != nil {
		return vocabulary{}, nil, err
	}
	v := sortedVocabulary(names)
	for k, t := range tables {
		if remaps[k] == nil {
			remaps[k] = make([]uint32, t.Len())
			for local := range remaps[k] {
				remaps[k][local] = uint32(local)
			}
		}
		for local, id := range remaps[k] {
			if id = kept[id]; id != dropped {
				id = v.rank[id]
			}
			remaps[k][local] = id
		}
	}
	ids := make([][]uint32, len(docs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(docs)))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(docs); i += workers {
				remap := remaps[which[i]]
				doc := make([]uint32, 0, len(docs[i].IDs))
				for _, id := range docs[i].IDs {
					if k := remap[id]; k != dropped {
						doc = append(doc, k)
					}
				}
				ids[i] = doc
			}
		}()
	}
	wg.Wait()
	return v, ids, nil
}

// parallelRange calls f on consecutive parts of [0, n), one a core, and
// waits for them.
func parallelRange(n int, f func(lo, hi int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n/4096))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w*n/workers, (w+1)*n/workers)
		}()
	}
	wg.Wait()
}

// dropped marks a feature keepFrequent leaves out.
const dropped = ^uint32(0)

// keepFrequent numbers the features (all, by id) in at least minTotal
// documents (total, by id): kept[id] is the feature's new number, or
// dropped; names are the kept features in that order.
func keepFrequent(all []string, total []uint64, minTotal int) (kept []uint32, names []string, err error) {
	kept = make([]uint32, len(all))
	n := 0
	for _, t := range total {
		if t >= uint64(minTotal) {
			n++
		}
	}
	if n > maxVocabulary {
		return nil, nil, fmt.Errorf("%d distinct features; at most %d can be counted", n, maxVocabulary)
	}
	names = make([]string, 0, n)
	for id, f := range all {
		if total[id] < uint64(minTotal) {
			kept[id] = dropped
			continue
		}
		kept[id] = uint32(len(names))
		names = append(names, f)
	}
	return kept, names, nil
}

// sortedVocabulary sorts names and gives each id (its index in names) its
// rank. The two halves are sorted on two goroutines and merged: sorting
// 180,000 names on one core was a tenth of a second of training.
func sortedVocabulary(names []string) vocabulary {
	type entry struct {
		prefix uint64 // the name's first 8 bytes, big-endian: compared first
		name   string
		id     uint32
	}
	entries := make([]entry, len(names))
	for i, n := range names {
		var b [8]byte
		copy(b[:], n)
		entries[i] = entry{binary.BigEndian.Uint64(b[:]), n, uint32(i)}
	}
	byName := func(a, b entry) int {
		if a.prefix != b.prefix {
			if a.prefix < b.prefix {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	}
	half := len(entries) / 2
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		slices.SortFunc(entries[:half], byName)
	}()
	slices.SortFunc(entries[half:], byName)
	wg.Wait()
	v := vocabulary{names: make([]string, 0, len(names)), rank: make([]uint32, len(names))}
	a, b := entries[:half], entries[half:]
	for len(a) > 0 || len(b) > 0 {
		var e entry
		if len(b) == 0 || (len(a) > 0 && byName(a[0], b[0]) <= 0) {
			e, a = a[0], a[1:]
		} else {
			e, b = b[0], b[1:]
		}
		v.rank[e.id] = uint32(len(v.names))
		v.names = append(v.names, e.name)
	}
	return v
}

// partSize is the most documents one goml model counts.
const partSize = 1000

// Feature ids reach goml as fixed-width strings of idWidth characters from
// idAlphabet: printable ASCII (goml's sanitiser and tokenizer see nothing
// unusual), at least goml's 3-byte minimum token length, and cut apart by
// position, so no separator is needed.
const (
	idAlphabet    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
	idWidth       = 4
	maxVocabulary = 1 << (6 * idWidth)
)

func appendID(b []byte, id uint32) []byte {
	for i := idWidth - 1; i >= 0; i-- {
		b = append(b, idAlphabet[(id>>(6*i))&63])
	}
	return b
}

// idTokenizer cuts goml's document string into its fixed-width ids.
type idTokenizer struct{}

func (idTokenizer) Tokenize(s string) []string {
	out := make([]string, 0, len(s)/idWidth)
	for i := 0; i+idWidth <= len(s); i += idWidth {
		out = append(out, s[i:i+idWidth])
	}
	return out
}

// Sum returns the counts of every shard but except (-1 for all), keeping
// features seen in at least minCount of those documents (each counted once,
// whatever its weight).
func (s *Shards) Sum(except, minCount int) (Counts, []uint64, error) {
	out, classDocs, _ := s.sum(except, minCount)
	return out, classDocs, nil
}

// sum is Sum that also returns, for each feature kept, its index in Names.
func (s *Shards) sum(except, minCount int) (Counts, []uint64, []uint32) {
	var classDocs [2]uint64
	for k, cd := range s.ClassDocs {
		if k != except {
			classDocs[0] += cd[0]
			classDocs[1] += cd[1]
		}
	}
	out := Counts{Names: make([]string, 0, len(s.Names)), PerClass: make([][2]uint64, 0, len(s.Names))}
	at := make([]uint32, 0, len(s.Names))
	for i, name := range s.Names {
		var c [2]uint64
		df := 0
		for k, row := range s.PerShard {
			if k != except {
				c[0] += row[i][0]
				c[1] += row[i][1]
				df += int(s.DocsPerShard[k][i])
			}
		}
		if df < minCount || df == 0 {
			continue
		}
		out.Names = append(out.Names, name)
		out.PerClass = append(out.PerClass, c)
		at = append(at, uint32(i))
	}
	return out, classDocs[:], at
}

// countWithGoml streams the documents at idx (their distinct feature ids in
// ids) into one goml model and reads back, for each feature id present, its
// per-class document frequency.
func countWithGoml(class []int, idx []int, ids [][]uint32, vocab int) ([]uint32, [][2]uint64, [2]uint64, error) {
	var classDocs [2]uint64
	stream := make(chan base.TextDatapoint, 256)
	// Keep every rune: goml's default sanitiser would delete some.
	nb := text.NewNaiveBayes(stream, 2, func(rune) bool { return false })
	nb.Output = io.Discard
	nb.UpdateTokenizer(idTokenizer{})
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

	present := make([]bool, vocab)
	var seen []uint32
	var buf []byte
	for _, i := range idx {
		classDocs[class[i]]++
		if len(ids[i]) == 0 {
			continue
		}
		buf = buf[:0]
		for _, id := range ids[i] {
			buf = appendID(buf, id)
			if !present[id] {
				present[id] = true
				seen = append(seen, id)
			}
		}
		stream <- base.TextDatapoint{X: string(buf), Y: uint8(class[i])}
	}
	close(stream)
	<-done // OnlineLearn closes errs when it has drained the stream
	if learnErr != nil {
		return nil, nil, classDocs, fmt.Errorf("goml training: %w", learnErr)
	}
	counts := make([][2]uint64, len(seen))
	var key []byte
	for j, id := range seen {
		key = appendID(key[:0], id)
		w, ok := nb.Words.Get(string(key))
		if !ok || len(w.Count) != 2 {
			return nil, nil, classDocs, fmt.Errorf("goml lost feature %q", key)
		}
		counts[j] = [2]uint64{w.Count[0], w.Count[1]}
	}
	return seen, counts, classDocs, nil
}
