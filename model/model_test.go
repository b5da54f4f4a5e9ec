package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurescan/lurescan/features"
)

const testCatalog = `{"version":1,"categories":[{"id":"perks_travel"}],"indicators":[{"id":"free_flight","category":"perks_travel","reason":{"en":"Flights paid."},"patterns":{"en":["free flight"]}}]}`

func testSpec(counts Counts, classDocs []uint64, s Settings) Spec {
	return Spec{
		Meta: Meta{
			ClassDocs: classDocs, Settings: s, Features: features.DefaultConfig(), Catalog: []byte(testCatalog),
			Calibration: Calibration{A: 1, B: 0, Method: "none"}, Thresholds: Thresholds{Review: 0.5, High: 0.8},
			Created: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC),
		},
		Counts: counts,
	}
}

// TestMultinomialWeightsAreTextbook checks the weights against values worked
// out by hand: theta[c][f] = (n[c][f]+alpha) / (N[c]+alpha*|V|).
func TestMultinomialWeightsAreTextbook(t *testing.T) {
	counts := Counts{Names: []string{"w:a", "w:b", "w:c"}, PerClass: [][2]uint64{{3, 1}, {1, 5}, {0, 2}}}
	s := Settings{Algorithm: Multinomial, Alpha: 1, MinCount: 1, Length: LengthNone, MinWords: 1, MinKnown: 1}
	m, err := New(testSpec(counts, []uint64{4, 6}, s))
	if err != nil {
		t.Fatal(err)
	}
	// N[legit] = 4, N[lure] = 8, |V| = 3.
	want := []float64{
		math.Log(2.0/11) - math.Log(4.0/7),
		math.Log(6.0/11) - math.Log(2.0/7),
		math.Log(3.0/11) - math.Log(1.0/7),
	}
	for i, w := range want {
		if math.Abs(m.weights[i]-w) > 1e-12 {
			t.Errorf("weight %s = %v, want %v", counts.Names[i], m.weights[i], w)
		}
	}
	if prior := math.Log(6.0 / 4); math.Abs(m.bias-prior) > 1e-12 {
		t.Errorf("bias = %v, want log prior ratio %v", m.bias, prior)
	}
	sc := m.Score([]uint64{features.HashFeature("w:a"), features.HashFeature("w:b"), features.HashFeature("w:a"), features.HashFeature("w:unknown")}, 2)
	if wantRaw := math.Log(6.0/4) + want[0] + want[1]; math.Abs(sc.Raw-wantRaw) > 1e-12 {
		t.Errorf("raw score = %v, want %v (each feature once, unknown ignored)", sc.Raw, wantRaw)
	}
	if sc.Known != 2 {
		t.Errorf("known = %d, want 2", sc.Known)
	}
	if len(sc.For) != 1 || sc.For[0].Feature != "w:b" || len(sc.Against) != 1 || sc.Against[0].Feature != "w:a" {
		t.Errorf("contributions for %v against %v", sc.For, sc.Against)
	}
}

// TestNoDriftToTheBiggerClass reproduces the goml flaw the brief measured:
// with both classes drawn from one distribution and 3:1 imbalance, the
// probability must stay near the prior 0.75 however long the document,
// instead of drifting to 1.
func TestNoDriftToTheBiggerClass(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := 200
	var docs []Document
	word := func() string { return fmt.Sprintf("w:%03d", rng.IntN(vocab)) }
	for i := 0; i < 20000; i++ {
		class := 0
		if i%4 != 0 {
			class = 1
		}
		d := Document{Class: class}
		for j := 0; j < 30; j++ {
			d.Features = append(d.Features, word())
		}
		docs = append(docs, d)
	}
	counts, classDocs, err := Count(docs, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, length := range []string{LengthNone, LengthSqrt} {
		s := Settings{Algorithm: Multinomial, Alpha: 1, MinCount: 1, Length: length, MinWords: 1, MinKnown: 1}
		m, err := New(testSpec(counts, classDocs, s))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 20, 200} {
			// Average over many documents from the shared distribution, so
			// the noise of single words cancels and only a drift would show.
			mean := 0.0
			const trials = 300
			for trial := 0; trial < trials; trial++ {
				var hashes []uint64
				for j := 0; j < n; j++ {
					hashes = append(hashes, features.HashFeature(word()))
				}
				mean += m.Score(hashes, 0).Raw / trials
			}
			// goml gives 1.00 from 20 words on (libraries.md).
			if p := sigmoid(mean); math.Abs(p-0.75) > 0.06 {
				t.Errorf("%s: %d words: mean p = %.3f, want about 0.75", length, n, p)
			}
		}
	}
}

func TestCountUsesGomlCorrectly(t *testing.T) {
	docs := []Document{
		{Features: []string{"w:free", "w:flight", "w:free"}, Class: 1},
		{Features: []string{"w:free", "w:visa"}, Class: 1},
		{Features: []string{"w:free", "w:team"}, Class: 0},
		{Features: []string{"w:team", "w:office"}, Class: 0},
	}
	counts, classDocs, err := Count(docs, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]uint64{"w:flight": {0, 1}, "w:free": {1, 2}, "w:office": {1, 0}, "w:team": {2, 0}, "w:visa": {0, 1}}
	if len(counts.Names) != len(want) {
		t.Fatalf("names %v", counts.Names)
	}
	for i, n := range counts.Names {
		if counts.PerClass[i] != want[n] {
			t.Errorf("%s: counts %v, want %v (document frequency)", n, counts.PerClass[i], want[n])
		}
	}
	if classDocs[0] != 2 || classDocs[1] != 2 {
		t.Errorf("class docs %v", classDocs)
	}
	pruned, _, err := Count(docs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pruned.Names) != 2 {
		t.Errorf("min count 2 kept %v, want w:free and w:team", pruned.Names)
	}
	// goml drops tokens under 3 bytes; features reach it as ids, so short
	// features count like any other.
	short, _, err := Count([]Document{{Features: []string{"ab", "x", "ab"}, Class: 1}, {Features: []string{"ab"}, Class: 0}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(short) != "{[ab x] [[1 1] [0 1]]}" {
		t.Errorf("short features counted as %v", short)
	}
	if _, _, err := Count([]Document{{Features: []string{"w:a", ""}, Class: 0}}, 1); err == nil {
		t.Error("an empty feature name was accepted")
	}
	if _, _, err := Count([]Document{{Features: []string{"w:x"}, Class: 3}}, 1); err == nil {
		t.Error("class 3 was accepted")
	}
}

// testDocs are 400 documents of 40 words from 300 shared ones, a third of
// each lure's words from 50 lure-only ones.
func testDocs() []Document {
	rng := rand.New(rand.NewPCG(3, 4))
	var docs []Document
	for i := 0; i < 400; i++ {
		class := i % 2
		d := Document{Class: class}
		for j := 0; j < 40; j++ {
			w := rng.IntN(300)
			if class == 1 && rng.IntN(3) == 0 {
				w = 300 + rng.IntN(50) // lure-only words
			}
			d.Features = append(d.Features, fmt.Sprintf("w:%03d", w))
		}
		docs = append(docs, d)
	}
	return docs
}

func trainedTestModel(t testing.TB) *Model {
	t.Helper()
	counts, classDocs, err := Count(testDocs(), 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(testSpec(counts, classDocs, DefaultSettings()))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestArtifactRoundTrip(t *testing.T) {
	m := trainedTestModel(t)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID() != m.ID() || m2.VocabularySize() != m.VocabularySize() {
		t.Errorf("round trip: id %s/%s, vocab %d/%d", m.ID(), m2.ID(), m.VocabularySize(), m2.VocabularySize())
	}
	hashes := []uint64{features.HashFeature("w:001"), features.HashFeature("w:310"), features.HashFeature("w:200")}
	if a, b := m.Score(hashes, 0), m2.Score(hashes, 0); a.Raw != b.Raw || a.Probability != b.Probability {
		t.Errorf("scores differ after round trip: %+v vs %+v", a, b)
	}
	again, _ := m2.MarshalBinary()
	if !bytes.Equal(data, again) {
		t.Error("re-encoding a loaded model changes the bytes")
	}
	path := filepath.Join(t.TempDir(), "m.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("saved file: %v, mode %v", err, st.Mode())
	}
	if _, err := Load(path); err != nil {
		t.Errorf("Load: %v", err)
	}
}

func TestModelIDIgnoresCreationTime(t *testing.T) {
	m := trainedTestModel(t)
	spec := Spec{Meta: m.Meta(), Counts: Counts{Names: m.names, PerClass: m.perClass}}
	spec.Meta.ID = ""
	spec.Meta.Created = spec.Meta.Created.Add(time.Hour)
	m2, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID() != m.ID() {
		t.Errorf("id changed with the creation time: %s vs %s", m.ID(), m2.ID())
	}
	spec.Meta.Thresholds.High = 0.9
	m3, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	if m3.ID() == m.ID() {
		t.Error("id did not change with the thresholds")
	}
}

func TestBadArtifactsAreRefused(t *testing.T) {
	m := trainedTestModel(t)
	good, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotModel},
		{"not a model", []byte("{\"hello\": \"world\", \"this is\": \"json not a model\"}"), ErrNotModel},
		{"truncated header", good[:20], ErrCorrupt},
		{"truncated payload", good[:len(good)-10], ErrCorrupt},
		{"padded", append(append([]byte(nil), good...), 0), ErrCorrupt},
		{"flipped bit", mutate(func(b []byte) []byte { b[len(b)/2] ^= 1; return b }), ErrCorrupt},
		{"future format", mutate(func(b []byte) []byte { binary.BigEndian.PutUint16(b[8:], 99); return b }), ErrIncompatible},
		{"huge length", mutate(func(b []byte) []byte { binary.BigEndian.PutUint64(b[12:], 1<<40); return b }), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Unmarshal(tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("Unmarshal: %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.model")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}

func TestNewValidates(t *testing.T) {
	counts := Counts{Names: []string{"w:a", "w:b"}, PerClass: [][2]uint64{{1, 1}, {1, 1}}}
	good := DefaultSettings()
	tests := []struct {
		name string
		spec Spec
	}{
		{"one class", testSpec(counts, []uint64{3, 0}, good)},
		{"unknown algorithm", testSpec(counts, []uint64{3, 3}, Settings{Algorithm: "magic", Alpha: 1, MinCount: 1, Length: LengthNone})},
		{"zero alpha", testSpec(counts, []uint64{3, 3}, Settings{Algorithm: Multinomial, Alpha: 0, MinCount: 1, Length: LengthNone})},
		{"unsorted", testSpec(Counts{Names: []string{"w:b", "w:a"}, PerClass: counts.PerClass}, []uint64{3, 3}, good)},
		{"duplicate", testSpec(Counts{Names: []string{"w:a", "w:a"}, PerClass: counts.PerClass}, []uint64{3, 3}, good)},
		{"empty", testSpec(Counts{}, []uint64{3, 3}, good)},
		{"bad catalogue", func() Spec { s := testSpec(counts, []uint64{3, 3}, good); s.Meta.Catalog = []byte("{"); return s }()},
		{"bad thresholds", func() Spec {
			s := testSpec(counts, []uint64{3, 3}, good)
			s.Meta.Thresholds = Thresholds{0.9, 0.1}
			return s
		}()},
		{"bad language thresholds", func() Spec {
			s := testSpec(counts, []uint64{3, 3}, good)
			s.Meta.LanguageThresholds = map[string]Thresholds{"en": {0.5, 1.5}}
			return s
		}()},
		{"incompatible features", func() Spec { s := testSpec(counts, []uint64{3, 3}, good); s.Meta.Features.Version = 99; return s }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.spec); err == nil {
				t.Error("New accepted an invalid spec")
			}
		})
	}
}

func TestScoreIsSafeForConcurrentUse(t *testing.T) {
	m := trainedTestModel(t)
	docs := make([][]uint64, 50)
	want := make([]float64, len(docs))
	for i := range docs {
		for j := 0; j < 100; j++ {
			docs[i] = append(docs[i], features.HashFeature(fmt.Sprintf("w:%03d", (i*7+j*13)%350)))
		}
		want[i] = m.Score(docs[i], 3).Probability
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 200; r++ {
				i := (g + r) % len(docs)
				if got := m.Score(docs[i], 3).Probability; got != want[i] {
					t.Errorf("doc %d: %v, want %v", i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestFitPlatt(t *testing.T) {
	// Scores from a known logistic model: p = sigmoid(2s - 1).
	rng := rand.New(rand.NewPCG(5, 6))
	var scores []float64
	var labels []int
	for i := 0; i < 20000; i++ {
		s := rng.NormFloat64() * 2
		scores = append(scores, s)
		y := 0
		if rng.Float64() < sigmoid(2*s-1) {
			y = 1
		}
		labels = append(labels, y)
	}
	c, err := FitPlatt(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.A-2) > 0.15 || math.Abs(c.B+1) > 0.15 {
		t.Errorf("fit A=%.3f B=%.3f, want about 2 and -1", c.A, c.B)
	}
	// Perfectly separated classes still give a finite fit.
	c, err = FitPlatt([]float64{-3, -2, -1, 1, 2, 3}, []int{0, 0, 0, 1, 1, 1})
	if err != nil || math.IsInf(c.A, 0) || math.IsNaN(c.A) || c.A <= 0 {
		t.Errorf("separable fit: %+v, %v", c, err)
	}
	if _, err := FitPlatt([]float64{1, 2}, []int{1, 1}); err == nil {
		t.Error("one class accepted")
	}
	if _, err := FitPlatt([]float64{math.NaN(), 2}, []int{0, 1}); err == nil {
		t.Error("NaN score accepted")
	}
}

// TestOlderMetadataKeepsItsID: the id is computed over the metadata as
// stored, so a file whose metadata lacks a field added later (decoded as
// its zero value) still loads with its id.
func TestOlderMetadataKeepsItsID(t *testing.T) {
	m := trainedTestModel(t)
	// Drop a field from the stored content, as an older build would have
	// written it, and re-stamp the id over those bytes.
	var content map[string]any
	if err := json.Unmarshal(m.content, &content); err != nil {
		t.Fatal(err)
	}
	feats := content["features"].(map[string]any)
	delete(feats, "fold_diacritics")
	older, _ := json.Marshal(content)
	m.content = older
	m.meta.ID = contentID(older, m.vocab)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Unmarshal(data)
	if err != nil {
		t.Fatalf("older metadata refused: %v", err)
	}
	if loaded.ID() != m.meta.ID {
		t.Errorf("id %s, want %s", loaded.ID(), m.meta.ID)
	}
}

func TestCountShardsWeights(t *testing.T) {
	for _, counter := range []Counter{CountDirect, CountGoml} {
		t.Run(counter.String(), func(t *testing.T) { testCountShardsWeights(t, counter) })
	}
}

func testCountShardsWeights(t *testing.T, counter Counter) {
	docs := []Document{
		{Features: []string{"w:a", "w:b"}, Class: 1, Weight: 3},
		{Features: []string{"w:a"}, Class: 0},
		{Features: []string{"w:c"}, Class: 0, Weight: 2},
	}
	s, err := CountShardsWith(docs, []int{0, 1, 0}, 2, 1, counter)
	if err != nil {
		t.Fatal(err)
	}
	var replicated []Document
	for _, d := range docs {
		for range max(d.Weight, 1) {
			replicated = append(replicated, Document{Features: d.Features, Class: d.Class})
		}
	}
	wantCounts, wantDocs, err := Count(replicated, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, gotDocs, err := s.Sum(-1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got, gotDocs) != fmt.Sprint(wantCounts, wantDocs) {
		t.Errorf("weighted counts %v %v, replicated %v %v", got, gotDocs, wantCounts, wantDocs)
	}
	fold1, _, _ := s.Sum(0, 1) // only shard 1
	if len(fold1.Names) != 1 || fold1.PerClass[0] != [2]uint64{1, 0} {
		t.Errorf("shard 1 alone: %+v", fold1)
	}
}

// TestMinCountIgnoresWeights: the minimum count is a number of documents;
// a weight makes a document count more, not a feature seen once common.
func TestMinCountIgnoresWeights(t *testing.T) {
	for _, counter := range []Counter{CountDirect, CountGoml} {
		t.Run(counter.String(), func(t *testing.T) { testMinCountIgnoresWeights(t, counter) })
	}
}

func testMinCountIgnoresWeights(t *testing.T, counter Counter) {
	docs := []Document{
		{Features: []string{"w:once", "w:twice", "w:shared"}, Class: 1, Weight: 5},
		{Features: []string{"w:twice", "w:shared"}, Class: 0},
		{Features: []string{"w:shared", "w:fold1"}, Class: 0, Weight: 3},
	}
	shard := []int{0, 0, 1}
	tests := []struct {
		name      string
		minTotal  int
		except    int
		minCount  int
		wantNames []string
		wantCount map[string][2]uint64
	}{
		{"all shards, min 2", 2, -1, 2, []string{"w:shared", "w:twice"},
			map[string][2]uint64{"w:shared": {4, 5}, "w:twice": {1, 5}}},
		{"all shards, min 1", 1, -1, 1, []string{"w:fold1", "w:once", "w:shared", "w:twice"},
			map[string][2]uint64{"w:fold1": {3, 0}, "w:once": {0, 5}}},
		{"shard 0 left out, min 2: one document of weight 3 is not two", 1, 0, 2, nil, nil},
		{"shard 1 left out, min 2", 1, 1, 2, []string{"w:shared", "w:twice"},
			map[string][2]uint64{"w:shared": {1, 5}, "w:twice": {1, 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := CountShardsWith(docs, shard, 2, tt.minTotal, counter)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := s.Sum(tt.except, tt.minCount)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Names, tt.wantNames) {
				t.Fatalf("kept %v, want %v", got.Names, tt.wantNames)
			}
			for i, n := range got.Names {
				if want, ok := tt.wantCount[n]; ok && got.PerClass[i] != want {
					t.Errorf("%s counts %v, want %v", n, got.PerClass[i], want)
				}
			}
		})
	}
}

func TestCountShardsManyFeatures(t *testing.T) {
	for _, counter := range []Counter{CountDirect, CountGoml} {
		t.Run(counter.String(), func(t *testing.T) { testCountShardsManyFeatures(t, counter) })
	}
}

func testCountShardsManyFeatures(t *testing.T, counter Counter) {
	// Enough distinct features that ids use every character position, in
	// documents spread over shards and both classes; the counts must match
	// a plain tally.
	rng := rand.New(rand.NewPCG(7, 8))
	var docs []Document
	var shard []int
	want := map[string][2]uint64{}
	docFreq := map[string]int{} // documents, each counted once
	for i := 0; i < 300; i++ {
		d := Document{Class: i % 2, Weight: 1 + i%3}
		seen := map[string]bool{}
		for j := 0; j < 400; j++ {
			f := fmt.Sprintf("w:%d", rng.IntN(300_000))
			d.Features = append(d.Features, f)
			if !seen[f] {
				seen[f] = true
				c := want[f]
				c[d.Class] += uint64(d.Weight)
				want[f] = c
				docFreq[f]++
			}
		}
		docs = append(docs, d)
		shard = append(shard, i%4)
	}
	pruned, err := CountShardsWith(docs, shard, 4, 4, counter)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range pruned.Names {
		var c [2]uint64
		for k := range pruned.PerShard {
			c[0] += pruned.PerShard[k][i][0]
			c[1] += pruned.PerShard[k][i][1]
		}
		if c != want[n] || docFreq[n] < 4 {
			t.Fatalf("min total 4 kept %s with %v in %d documents, want %v", n, c, docFreq[n], want[n])
		}
	}
	wantKept := 0
	for _, n := range docFreq {
		if n >= 4 {
			wantKept++
		}
	}
	if len(pruned.Names) != wantKept {
		t.Errorf("min total 4 kept %d features, want %d", len(pruned.Names), wantKept)
	}
	s, err := CountShardsWith(docs, shard, 4, 1, counter)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Sum(-1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Names) != len(want) {
		t.Fatalf("%d features, want %d", len(got.Names), len(want))
	}
	if !sort.StringsAreSorted(got.Names) {
		t.Error("names not sorted")
	}
	for i, n := range got.Names {
		if got.PerClass[i] != want[n] {
			t.Fatalf("%s: %v, want %v", n, got.PerClass[i], want[n])
		}
	}
}

func TestLanguageThresholds(t *testing.T) {
	counts := Counts{Names: []string{"w:a", "w:b"}, PerClass: [][2]uint64{{1, 2}, {2, 1}}}
	spec := testSpec(counts, []uint64{3, 3}, DefaultSettings())
	spec.Meta.LanguageThresholds = map[string]Thresholds{"en": {Review: 0.5, High: 0.9}, "th": {Review: 0.6, High: 0.95}}
	m, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := New(testSpec(counts, []uint64{3, 3}, DefaultSettings()))
	if err != nil {
		t.Fatal(err)
	}
	if m.ID() == plain.ID() {
		t.Error("per-language thresholds do not change the model id")
	}
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		want Thresholds
	}{
		{"en", Thresholds{0.5, 0.9}},
		{"th", Thresholds{0.6, 0.95}},
		{"vi", Thresholds{0.5, 0.8}},
		{"", Thresholds{0.5, 0.8}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if got := loaded.ThresholdsFor(tt.lang); got != tt.want {
				t.Errorf("ThresholdsFor(%q) = %v, want %v", tt.lang, got, tt.want)
			}
		})
	}
	copied := loaded.LanguageThresholds()
	copied["en"] = Thresholds{}
	if loaded.ThresholdsFor("en") != (Thresholds{0.5, 0.9}) {
		t.Error("LanguageThresholds exposes the model's own map")
	}
}

func TestCountWithHashes(t *testing.T) {
	docs := []Document{
		{Features: []string{"w:a", "w:b", "w:a"}, Class: 1},
		{Features: []string{"w:b", "w:c"}, Class: 0},
	}
	plain, _, err := Count(docs, 1)
	if err != nil {
		t.Fatal(err)
	}
	hashed := make([]Document, len(docs))
	for i, d := range docs {
		hashed[i] = d
		for _, f := range d.Features {
			hashed[i].Hashes = append(hashed[i].Hashes, features.HashFeature(f))
		}
	}
	withHashes, _, err := Count(hashed, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(plain) != fmt.Sprint(withHashes) || len(plain.Names) != 3 {
		t.Errorf("counts with hashes %v, without %v", withHashes, plain)
	}
	bad := []Document{{Features: []string{"w:a", "w:b"}, Hashes: []uint64{1}, Class: 0}}
	if _, _, err := Count(bad, 1); err == nil {
		t.Error("a document with fewer hashes than features was accepted")
	}
}

// TestCountWithNameTables: documents analysed with name tables (as
// training analyses them: ids into a table per goroutine, no names per
// document) count like the same documents carrying their names; documents
// whose ids are out of range or repeated, or a mix of documents with and
// without tables, are refused.
func TestCountWithNameTables(t *testing.T) {
	cat, err := features.ParseCatalog(features.DefaultCatalogJSON())
	if err != nil {
		t.Fatal(err)
	}
	an, err := features.NewAnalyzer(features.DefaultConfig(), cat)
	if err != nil {
		t.Fatal(err)
	}
	postings := []features.Posting{
		{Title: "Easy job in Bangkok", Text: "Free flights, visa, high salary 30000 baht. Contact Telegram."},
		{Title: "Accountant", Text: "Prepare monthly accounts; salary 30000 baht. Easy commute, free parking."},
		{Text: "高薪 包吃包住 免费机票 到泰国 工作轻松"},
		{Text: "Easy job, high salary, free flights to Bangkok, free flights!"},
	}
	tables := []*features.NameTable{features.NewNameTable(0), features.NewNameTable(0)}
	var named, tabled []Document
	for i := range postings {
		withNames := an.Analyze(&postings[i], true)
		named = append(named, Document{Features: withNames.Names, Hashes: withNames.Features, Class: i % 2, Weight: 1 + i})
		table := tables[i%2] // two "goroutines"
		a := an.AnalyzeWith(&postings[i], features.AnalyzeOptions{Table: table})
		tabled = append(tabled, Document{Hashes: a.Features, IDs: a.IDs, Table: table, Class: i % 2, Weight: 1 + i})
	}
	shard := []int{0, 1, 0, 1}
	for _, minTotal := range []int{1, 2} {
		t.Run(fmt.Sprintf("min %d", minTotal), func(t *testing.T) {
			want, err := CountShards(named, shard, 2, minTotal)
			if err != nil {
				t.Fatal(err)
			}
			got, err := CountShards(tabled, shard, 2, minTotal)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Names) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("with name tables %d features, with names %d; equal: %v", len(got.Names), len(want.Names), reflect.DeepEqual(got, want))
			}
		})
	}
	bad := func(mutate func(docs []Document)) error {
		docs := slices.Clone(tabled)
		mutate(docs)
		_, err := CountShards(docs, shard, 2, 1)
		return err
	}
	tests := []struct {
		name   string
		mutate func(docs []Document)
		want   string
	}{
		{"id out of range", func(d []Document) { d[0].IDs = []uint32{1 << 30} }, "outside its table"},
		{"id repeated", func(d []Document) { d[0].IDs = []uint32{d[0].IDs[0], d[0].IDs[0]} }, "repeated"},
		{"mixed", func(d []Document) { d[1] = named[1] }, "all or none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := bad(tt.mutate); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestParseCounter(t *testing.T) {
	tests := []struct {
		in      string
		want    Counter
		wantErr bool
	}{
		{"direct", CountDirect, false},
		{"goml", CountGoml, false},
		{"", 0, true},
		{"GOML", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCounter(tt.in)
			if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
				t.Fatalf("ParseCounter(%q) = %v, %v", tt.in, got, err)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
	if _, err := CountShardsWith([]Document{{Features: []string{"w:a"}}}, []int{0}, 1, 1, Counter(7)); err == nil {
		t.Error("an unknown counter was accepted")
	}
}
