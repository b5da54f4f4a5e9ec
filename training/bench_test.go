package training

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lurescan/lurescan/model"
)

// allExamples reads every labelled advert training uses: the shared data
// ($LURESCAN_DATA) and the project's corpus.
func allExamples(b testing.TB) []Example {
	b.Helper()
	dir := os.Getenv("LURESCAN_DATA")
	if dir == "" {
		b.Skip("LURESCAN_DATA is unset: the shared data is not available (CI sets it)")
	}
	var all []Example
	for _, f := range []struct{ path, set string }{
		{filepath.Join(dir, "jobs", "legit.jsonl"), SetReal},
		{filepath.Join(dir, "emscad", "emscad_partial.csv"), SetReal},
	} {
		ex, err := ReadFile(f.path, ReadOptions{Set: f.set})
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, ex...)
	}
	corpus, err := filepath.Glob(filepath.Join("corpus", "*.jsonl"))
	if err != nil || len(corpus) == 0 {
		b.Fatalf("corpus files: %v %v", corpus, err)
	}
	for _, f := range corpus {
		ex, err := ReadFile(f, ReadOptions{Set: SetCorpus})
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, ex...)
	}
	return all
}

// BenchmarkTrainStages times training's stages on all the real data:
// go test ./training/ -run XXX -bench TrainStages -benchtime 5x -count 5
func BenchmarkTrainStages(b *testing.B) {
	examples := allExamples(b)
	opts := DefaultOptions()
	an, err := opts.Analyzer()
	if err != nil {
		b.Fatal(err)
	}
	prep, _, err := PrepareDeduplicated(b.Context(), examples, an, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	folds := AssignFolds(prep.Examples, opts.Folds, opts.Seed)
	weights := LanguageWeights(prep.Langs, prep.Examples)
	for i := range prep.Docs {
		prep.Docs[i].Weight = weights[prep.Langs[i]][prep.Examples[i].Label]
	}
	b.Run("analyse", func(b *testing.B) {
		for b.Loop() {
			if _, err := Prepare(b.Context(), examples, an, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if _, err := model.CountShards(prep.Docs, folds, opts.Folds, opts.Settings.MinCount); err != nil {
				b.Fatal(err)
			}
		}
	})
	shards, err := model.CountShards(prep.Docs, folds, opts.Folds, opts.Settings.MinCount)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("out-of-fold", func(b *testing.B) {
		for b.Loop() {
			if _, err := shards.OutOfShardScores(opts.Settings); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("train", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := TrainPrepared(b.Context(), prep, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
