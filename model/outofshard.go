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
// documents' features (and, for nb-logistic, fitting its regression).
// Shards are scored in parallel.
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

// shardModel is the model of every shard but except (-1: all of them), by
// feature of the whole vocabulary: its evidence (NaN for a feature it does
// not have), for nb-logistic each feature's squared ratio, and its bias.
type shardModel struct {
	evidence, sq []float64
	bias         float64
	logistic     *Logistic // nb-logistic: the regression, over the kept features
}

func (s *Shards) model(except int, settings Settings) (*shardModel, error) {
	counts, classDocs, at := s.sum(except, settings.MinCount)
	if settings.MaxFeatures > 0 {
		counts = SelectFeatures(counts, classDocs, settings.MaxFeatures)
		at = keptIndexes(s.Names, counts.Names)
	}
	if classDocs[0] == 0 || classDocs[1] == 0 {
		return nil, fmt.Errorf("the documents have %d of class 0 and %d of class 1; both are needed", classDocs[0], classDocs[1])
	}
	if len(counts.Names) == 0 {
		return nil, ErrEmptyModel
	}
	w, bias := weights(settings, classDocs, counts.PerClass)
	sm := &shardModel{evidence: make([]float64, len(s.Names)), bias: bias}
	for i := range sm.evidence {
		sm.evidence[i] = math.NaN()
	}
	if settings.Algorithm != NBLogistic {
		for j, i := range at {
			sm.evidence[i] = w[j]
		}
		return sm, nil
	}
	// w are the ratios; the regression learns a coefficient for each.
	ratio := make([]float64, len(s.Names))
	local := make([]int32, len(s.Names))
	for i := range local {
		local[i] = -1
	}
	for j, i := range at {
		ratio[i], local[i] = w[j], int32(j)
	}
	p := &logisticProblem{features: len(at), c: settings.C}
	for d, feats := range s.DocFeatures {
		if s.DocShard[d] == except {
			continue
		}
		var r sparseRow
		sumSq := 0.0
		for _, f := range feats {
			if j := local[f]; j >= 0 {
				r.idx = append(r.idx, j)
				r.val = append(r.val, ratio[f])
				sumSq += ratio[f] * ratio[f]
			}
		}
		if settings.Length == LengthSqrt && sumSq > 0 {
			norm := math.Sqrt(sumSq)
			for j := range r.val {
				r.val[j] /= norm
			}
		}
		y := -1.0
		if s.DocClass[d] == 1 {
			y = 1
		}
		p.rows, p.y, p.w = append(p.rows, r), append(p.y, y), append(p.w, float64(s.DocWeight[d]))
	}
	coef, intercept, err := fitLogistic(p)
	if err != nil {
		return nil, err
	}
	sm.logistic = &Logistic{Intercept: intercept, Coef: coef}
	sm.sq = make([]float64, len(s.Names))
	for j, i := range at {
		sm.evidence[i] = coef[j] * w[j]
		sm.sq[i] = w[j] * w[j]
	}
	sm.bias = intercept
	return sm, nil
}

// FitLogistic fits nb-logistic's regression on every shard but except (-1:
// all of them), over the features Sum(except, settings.MinCount) keeps
// (then SelectFeatures, with settings.MaxFeatures), in their order: what
// Meta.Logistic holds for a model of those counts.
func (s *Shards) FitLogistic(except int, settings Settings) (*Logistic, error) {
	if settings.Algorithm != NBLogistic {
		return nil, fmt.Errorf("fit logistic: algorithm is %s", settings.Algorithm)
	}
	if err := settings.validate(); err != nil {
		return nil, fmt.Errorf("fit logistic: %w", err)
	}
	sm, err := s.model(except, settings)
	if err != nil {
		return nil, fmt.Errorf("fit logistic: %w", err)
	}
	return sm.logistic, nil
}

// scoreShard scores the documents docs of shard k with the model of the
// other shards, writing only their entries of raw.
func (s *Shards) scoreShard(k int, docs []int, settings Settings, raw []float64) error {
	sm, err := s.model(k, settings)
	if err != nil {
		return fmt.Errorf("shard %d: the other shards' model: %w", k, err)
	}
	length := lengthModeOf(settings)
	for _, d := range docs {
		sum, sumSq, known := 0.0, 0.0, 0
		for _, f := range s.DocFeatures[d] {
			if e := sm.evidence[f]; !math.IsNaN(e) {
				sum += e
				if sm.sq != nil {
					sumSq += sm.sq[f]
				}
				known++
			}
		}
		raw[d] = sm.bias + sum*length.scale(known, sumSq)
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
