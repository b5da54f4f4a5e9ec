package model

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lurescan/lurescan/features"
)

// TestOutOfShardScoresMatchModels checks the fast out-of-shard scores
// against the slow way: for each shard, sum the other shards' counts, build
// a Model with New and score the shard's documents with Score. They must be
// equal to the last bit (training's calibration, thresholds and so the
// model id depend on them).
func TestOutOfShardScoresMatchModels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const shards = 4
	var docs []Document
	var hashes [][]uint64
	var shard []int
	for i := 0; i < 240; i++ {
		d := Document{Class: i % 3 % 2, Weight: 1 + i%2}
		n := 5 + rng.IntN(60)
		for j := 0; j < n; j++ {
			// Words are more or less likely by class; some repeat within a
			// document; typed features too.
			f := fmt.Sprintf("w:%d", rng.IntN(150)+d.Class*rng.IntN(40))
			if j%7 == 0 {
				f = fmt.Sprintf("money:%d", rng.IntN(5))
			}
			d.Features = append(d.Features, f)
		}
		h := make([]uint64, len(d.Features))
		for j, f := range d.Features {
			h[j] = features.HashFeature(f)
		}
		d.Hashes = h
		docs = append(docs, d)
		hashes = append(hashes, h)
		shard = append(shard, rng.IntN(shards))
	}
	settings := []Settings{
		DefaultSettings(),
		{Algorithm: Multinomial, Alpha: 0.01, MinCount: 1, Length: LengthNone, MinWords: 5, MinKnown: 4},
		{Algorithm: Multinomial, Alpha: 0.5, MinCount: 3, Length: LengthSqrt, MaxFeatures: 40, MinWords: 5, MinKnown: 4},
		{Algorithm: Complement, Alpha: 1, MinCount: 2, Length: LengthSqrt, MinWords: 5, MinKnown: 4},
		{Algorithm: NBLogistic, Alpha: 1, C: 10, MinCount: 1, Length: LengthSqrt, MinWords: 5, MinKnown: 4},
		{Algorithm: NBLogistic, Alpha: 0.5, C: 1, MinCount: 2, Length: LengthNone, MaxFeatures: 40, MinWords: 5, MinKnown: 4},
	}
	for _, set := range settings {
		t.Run(fmt.Sprintf("%s/alpha=%g/min=%d/len=%s/max=%d", set.Algorithm, set.Alpha, set.MinCount, set.Length, set.MaxFeatures), func(t *testing.T) {
			s, err := CountShards(docs, shard, shards, set.MinCount)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.OutOfShardScores(set)
			if err != nil {
				t.Fatal(err)
			}
			differ := 0
			for k := 0; k < shards; k++ {
				counts, classDocs, err := s.Sum(k, set.MinCount)
				if err != nil {
					t.Fatal(err)
				}
				counts = SelectFeatures(counts, classDocs, set.MaxFeatures)
				spec := testSpec(counts, classDocs, set)
				if set.Algorithm == NBLogistic {
					if spec.Meta.Logistic, err = s.FitLogistic(k, set); err != nil {
						t.Fatal(err)
					}
				}
				m, err := New(spec)
				if err != nil {
					t.Fatal(err)
				}
				for i := range docs {
					if shard[i] != k {
						continue
					}
					if want := m.Score(hashes[i], 0).Raw; got[i] != want {
						differ++
						if differ < 5 {
							t.Errorf("document %d (shard %d): out-of-shard score %v, model's %v", i, k, got[i], want)
						}
					}
				}
			}
			if differ > 0 {
				t.Errorf("%d of %d scores differ", differ, len(docs))
			}
		})
	}
}

func TestOutOfShardScoresNeedBothClasses(t *testing.T) {
	docs := []Document{
		{Features: []string{"w:a", "w:b"}, Class: 1},
		{Features: []string{"w:a"}, Class: 0},
		{Features: []string{"w:c"}, Class: 0},
	}
	// Shard 1 holds the only lure: the model of "every shard but 1" has none.
	s, err := CountShards(docs, []int{1, 0, 0}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.OutOfShardScores(DefaultSettings()); err == nil {
		t.Error("scored with a model that has no documents of one class")
	}
	bad := DefaultSettings()
	bad.Alpha = 0
	if _, err := s.OutOfShardScores(bad); err == nil {
		t.Error("accepted smoothing alpha 0")
	}
}
