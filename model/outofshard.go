package model

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// OutOfShardScores returns every document's raw score (as Model.Score's
// Raw) from a model counted on every shard but the document's own, built
// with settings. The result is exactly what building each shard's model with
// New and scoring the documents with it gives, but it works on the interned
// feature indexes CountShards kept, so no model, hash index or feature name
// is built: each shard costs one pass over the vocabulary and its
// documents' features. Shards are scored in parallel.
func (s *Shards) OutOfShardScores(settings Settings) ([]float64, error) {
	if err := settings.validate(); err != nil {
		return nil, fmt.Errorf("out-of-shard scores: %w", err)
	}
	if len(s.DocFeatures) != len(s.DocShard) {
		return nil, fmt.Errorf("out-of-shard scores: %d documents but %d shard numbers", len(s.DocFeatures), len(s.DocShard))
	}
	byShard := make([][]int, len(s.PerShard))
	for i, k := range s.DocShard {
		byShard[k] = append(byShard[k], i)
	}
	raw := make([]float64, len(s.DocFeatures))
	errs := make([]error, len(s.PerShard))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k := range s.PerShard {
		if len(byShard[k]) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[k] = s.scoreShard(k, byShard[k], settings, raw)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return raw, nil
}

// scoreShard scores the documents docs of shard k with the model of the
// other shards, writing only their entries of raw.
func (s *Shards) scoreShard(k int, docs []int, settings Settings, raw []float64) error {
	counts, classDocs, at := s.sum(k, settings.MinCount)
	if settings.MaxFeatures > 0 {
		counts = SelectFeatures(counts, classDocs, settings.MaxFeatures)
		at = keptIndexes(s.Names, counts.Names)
	}
	if classDocs[0] == 0 || classDocs[1] == 0 {
		return fmt.Errorf("shard %d: the other shards have %d documents of class 0 and %d of class 1; both are needed", k, classDocs[0], classDocs[1])
	}
	if len(counts.Names) == 0 {
		return fmt.Errorf("shard %d: %w", k, ErrEmptyModel)
	}
	w, bias := weights(settings, classDocs, counts.PerClass)
	// Evidence per feature of the whole vocabulary; NaN marks a feature
	// this shard's model does not have.
	evidence := make([]float64, len(s.Names))
	for i := range evidence {
		evidence[i] = math.NaN()
	}
	for j, i := range at {
		evidence[i] = w[j]
	}
	for _, d := range docs {
		sum, known := 0.0, 0
		for _, f := range s.DocFeatures[d] {
			if e := evidence[f]; !math.IsNaN(e) {
				sum += e
				known++
			}
		}
		raw[d] = bias + sum*lengthScale(settings, known)
	}
	return nil
}

// keptIndexes returns the index in names of each of kept, both sorted.
func keptIndexes(names, kept []string) []uint32 {
	at := make([]uint32, 0, len(kept))
	i := 0
	for _, k := range kept {
		for names[i] != k {
			i++
		}
		at = append(at, uint32(i))
	}
	return at
}
