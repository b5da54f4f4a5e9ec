package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/training"
)

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", "train --data FILE_OR_DIR [--data ...] --out MODEL [flags]", stderr)
	var data, corpus listFlag
	fs.Var(&data, "data", "real labelled adverts: a JSON Lines file or a folder of *.jsonl files (repeatable)")
	fs.Var(&corpus, "corpus", "the project's written examples (lures and hard negatives), same formats (repeatable)")
	out := fs.String("out", "", "where to write the model")
	opts := training.DefaultOptions()
	trainingFlags(fs, &opts)
	created := fs.String("created", envDefault("SOURCE_DATE_EPOCH", ""), "creation time stamped on the model (RFC 3339 or Unix seconds; env SOURCE_DATE_EPOCH); now when empty")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (each is reported) instead of failing")
	startProfile := cpuProfileFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := finishTrainingFlags(&opts); err != nil {
		return err
	}
	if len(data)+len(corpus) == 0 || *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: --data or --corpus, and --out, are required", errUsage)
	}
	stopProfile, err := startProfile()
	if err != nil {
		return err
	}
	defer stopProfile()
	if opts.Created, err = parseCreated(*created); err != nil {
		return fmt.Errorf("%w: --created: %w", errUsage, err)
	}
	start := time.Now()
	stages := &training.Stages{}
	opts.Stages = stages
	examples, err := readSets(data, corpus, *skipBad, stderr)
	if err != nil {
		return err
	}
	began := stages.Done("read", start)
	an, err := opts.Analyzer()
	if err != nil {
		return err
	}
	progress := progressBar(stderr, "analysing")
	prep, dedup, err := training.PrepareDeduplicated(ctx, examples, an, progress, stages)
	if err != nil {
		return err
	}
	if progress != nil {
		fmt.Fprintln(stderr)
	}
	m, sum, err := training.TrainPrepared(ctx, prep, opts)
	if err != nil {
		return err
	}
	began = time.Now()
	// Compressing the model takes longest: the cards are written meanwhile.
	saved := make(chan error, 1)
	go func() { saved <- m.Save(*out) }()
	card := training.NewCard(m, sum, opts, &dedup)
	cardBase := strings.TrimSuffix(*out, filepath.Ext(*out))
	cardErr := writeTo(cardBase+".card.md", stdout, card.WriteMarkdown)
	if cardErr == nil {
		cardErr = writeTo(cardBase+".card.json", stdout, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(card)
		})
	}
	if err := <-saved; err != nil {
		return err
	}
	if cardErr != nil {
		return cardErr
	}
	stages.Done("save model and card", began)
	report := struct {
		ModelID string               `json:"model_id"`
		Out     string               `json:"out"`
		Seconds float64              `json:"seconds"`
		Stages  []training.Stage     `json:"stages"`
		Dedup   training.DedupReport `json:"deduplication"`
		Summary *training.Summary    `json:"summary"`
		Thresh  any                  `json:"thresholds"`
	}{m.ID(), *out, time.Since(start).Seconds(), stages.List(), dedup, sum, m.Thresholds()}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(report)
}

// trainingFlags registers the model and feature settings shared by train and
// cv.
func trainingFlags(fs *flag.FlagSet, opts *training.Options) {
	fs.IntVar(&opts.Folds, "inner-folds", opts.Folds, "folds for out-of-fold calibration and threshold choice")
	fs.Uint64Var(&opts.Seed, "seed", opts.Seed, "seed of the group splits")
	fs.Float64Var(&opts.ReviewFPR, "review-fpr", opts.ReviewFPR, "highest false-positive rate at review on real legitimate adverts (--data)")
	fs.Float64Var(&opts.HighFPR, "high-fpr", opts.HighFPR, "highest false-positive rate at high on real legitimate adverts (--data)")
	fs.Float64Var(&opts.HardReviewFPR, "hard-review-fpr", opts.HardReviewFPR, "highest false-positive rate at review on the corpus's hard negatives (--corpus)")
	fs.Float64Var(&opts.HardHighFPR, "hard-high-fpr", opts.HardHighFPR, "highest false-positive rate at high on the corpus's hard negatives (--corpus)")
	fs.StringVar(&opts.Settings.Algorithm, "algorithm", opts.Settings.Algorithm, "multinomial, complement or nb-logistic (naive Bayes ratios weighted by a logistic regression)")
	fs.Float64Var(&opts.Settings.C, "c", 0, "nb-logistic: inverse L2 regularisation; 0 chooses from 1, 10 and 100 by out-of-fold ROC-AUC")
	fs.Float64Var(&opts.Settings.Alpha, "alpha", opts.Settings.Alpha, "additive smoothing")
	fs.IntVar(&opts.Settings.MinCount, "min-count", opts.Settings.MinCount, "drop features seen in fewer documents")
	fs.IntVar(&opts.Settings.MaxFeatures, "max-features", opts.Settings.MaxFeatures, "keep only this many features, by chi-squared (0: all)")
	fs.StringVar(&opts.Settings.Length, "length", opts.Settings.Length, "length normalisation: sqrt or none")
	fs.BoolVar(&opts.LanguageThresholds, "language-thresholds", opts.LanguageThresholds, "also choose the high threshold per detected language (only ever stricter than the global one)")
	fs.Func("counter", "how documents are tallied: direct, or goml (goml's naive Bayes; same counts, about 2 CPU-seconds slower on all the shared data) (default direct)", func(s string) error {
		c, err := model.ParseCounter(s)
		if err != nil {
			return err
		}
		opts.Counter = c
		return nil
	})
	fs.BoolVar(&opts.BalanceLanguages, "balance-languages", opts.BalanceLanguages, "weight documents so that each language has the data's lure-to-legit ratio")
	fs.BoolVar(&opts.Features.EmptyFields, "empty-fields", opts.Features.EmptyFields, "features for empty fields of structured postings")
	fs.BoolVar(&opts.Features.ScopedBigrams, "scoped-bigrams", opts.Features.ScopedBigrams, "field-scoped copies of word bigrams too")
	fs.Func("scoped-fields", "fields whose words get field-scoped copies, comma-separated (default "+strings.Join(opts.Features.ScopedFields, ",")+")", func(s string) error {
		opts.Features.ScopedFields = nil
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				if _, ok := features.FieldByName(f); !ok {
					return fmt.Errorf("unknown field %q", f)
				}
				opts.Features.ScopedFields = append(opts.Features.ScopedFields, f)
			}
		}
		return nil
	})
}

// finishTrainingFlags validates the settings after parsing.
func finishTrainingFlags(opts *training.Options) error {
	if opts.Folds < 2 {
		return fmt.Errorf("%w: --inner-folds must be at least 2", errUsage)
	}
	if opts.Settings.C < 0 || math.IsNaN(opts.Settings.C) || math.IsInf(opts.Settings.C, 0) {
		return fmt.Errorf("%w: --c must be positive (or 0 to choose it), got %v", errUsage, opts.Settings.C)
	}
	if opts.Settings.C != 0 && opts.Settings.Algorithm != model.NBLogistic {
		return fmt.Errorf("%w: --c applies to --algorithm nb-logistic only", errUsage)
	}
	for name, v := range map[string]float64{"--review-fpr": opts.ReviewFPR, "--high-fpr": opts.HighFPR, "--hard-review-fpr": opts.HardReviewFPR, "--hard-high-fpr": opts.HardHighFPR} {
		if v < 0 || v > 1 {
			return fmt.Errorf("%w: %s must be within [0,1], got %v", errUsage, name, v)
		}
	}
	return nil
}

// readSets reads the real adverts and the corpus, each example marked with
// its set.
func readSets(data, corpus []string, skipBad bool, stderr io.Writer) ([]training.Example, error) {
	type file struct{ path, set string }
	var files []file
	for _, set := range []struct {
		paths []string
		name  string
	}{{data, training.SetReal}, {corpus, training.SetCorpus}} {
		paths, err := expandData(set.paths)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			files = append(files, file{p, set.name})
		}
	}
	// The files are read at once (a CSV file is parsed on one core, beside
	// the others); examples, errors and skipped records are reported in
	// file order.
	type result struct {
		examples []training.Example
		skipped  []error
		err      error
	}
	results := make([]result, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			r.examples, r.err = training.ReadFile(f.path, training.ReadOptions{Set: f.set, SkipBad: skipBad, Bad: func(err error) {
				r.skipped = append(r.skipped, err)
			}})
		}()
	}
	wg.Wait()
	var examples []training.Example
	for _, r := range results {
		for _, err := range r.skipped {
			fmt.Fprintln(stderr, "skipped:", err)
		}
		if r.err != nil {
			return nil, r.err
		}
		examples = append(examples, r.examples...)
	}
	return examples, nil
}

// expandData turns folders into their *.jsonl files, sorted.
func expandData(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.jsonl"))
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("data: no *.jsonl files in %s", p)
		}
		sort.Strings(matches)
		files = append(files, matches...)
	}
	return files, nil
}

func parseCreated(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC().Truncate(time.Second), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	var secs int64
	if _, err := fmt.Sscan(strings.TrimSpace(s), &secs); err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor Unix seconds", s)
	}
	return time.Unix(secs, 0).UTC(), nil
}

func runModel(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model", "model [--model FILE]", stderr)
	modelPath := fs.String("model", envDefault("LURESCAN_MODEL", ""), "model file (env LURESCAN_MODEL); the embedded default model when empty")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	meta := m.Meta()
	meta.Catalog = nil
	card := struct {
		Meta       any `json:"model"`
		Vocabulary int `json:"vocabulary"`
	}{meta, m.VocabularySize()}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(card)
}

// progressBar returns a progress callback drawing a bar on w when w is a
// terminal, and nil (quiet) otherwise.
func progressBar(w io.Writer, what string) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	last := -1
	return func(done, total int) {
		pct := 100 * done / max(total, 1)
		if pct == last {
			return
		}
		last = pct
		bar := strings.Repeat("#", pct/4) + strings.Repeat(".", 25-pct/4)
		fmt.Fprintf(w, "\r%s [%s] %3d%% %d/%d", what, bar, pct, done, total)
	}
}
