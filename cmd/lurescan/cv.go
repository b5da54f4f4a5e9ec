package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/training"
)

func runCV(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("cv", "cv --corpus DIR [--data FILE] [flags]", stderr)
	var data, corpus listFlag
	fs.Var(&data, "data", "real labelled adverts: a JSON Lines file or a folder of *.jsonl files (repeatable)")
	fs.Var(&corpus, "corpus", "the project's written examples, same formats (repeatable)")
	opts := training.DefaultOptions()
	trainingFlags(fs, &opts)
	folds := fs.Int("folds", 5, "outer cross-validation folds")
	format := fs.String("format", "markdown", "markdown or json")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (each is reported) instead of failing")
	scoresOut := fs.String("scores", "", "also write every example's out-of-fold probability and bands to this JSON Lines file")
	scoresFeatures := fs.Bool("scores-features", false, "also write each example's distinct feature names into the --scores file (to try other models on lurescan's features)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := finishTrainingFlags(&opts); err != nil {
		return err
	}
	if *folds < 2 {
		return fmt.Errorf("%w: --folds must be at least 2", errUsage)
	}
	if len(data)+len(corpus) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: --data or --corpus is required", errUsage)
	}
	if *format != "markdown" && *format != "json" {
		return fmt.Errorf("%w: --format must be markdown or json", errUsage)
	}
	examples, err := readSets(data, corpus, *skipBad, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	an, err := opts.Analyzer()
	if err != nil {
		return err
	}
	prep, dedup, err := training.PrepareDeduplicated(ctx, examples, an, nil, nil)
	if err != nil {
		return err
	}
	scored, err := training.CrossValidate(ctx, prep, opts, *folds)
	if err != nil {
		return err
	}
	rows := training.ByLanguage(scored)
	summary := training.Summarise(scored)
	if *scoresOut != "" {
		var names [][]string
		if *scoresFeatures {
			names = make([][]string, len(prep.Docs))
			for i := range prep.Docs {
				names[i] = prep.Docs[i].DistinctNames()
			}
		}
		if err := writeScores(*scoresOut, scored, names); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Folds   int                    `json:"folds"`
			Dedup   training.DedupReport   `json:"deduplication"`
			Seed    uint64                 `json:"seed"`
			Seconds float64                `json:"seconds"`
			Metrics training.CVMetrics     `json:"metrics"`
			Rows    []training.LanguageRow `json:"by_language"`
		}{*folds, dedup, opts.Seed, time.Since(start).Seconds(), summary, rows})
	}
	fmt.Fprintf(stdout, "Nested group-aware %d-fold cross-validation (seed %d), %d examples after removing %d exact duplicates and %d with conflicting labels; %d near-duplicate groups merged; %.1fs.\n\n",
		*folds, opts.Seed, len(prep.Examples), dedup.ExactDuplicates, dedup.ConflictingLabels, dedup.NearDuplicateMerge, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "ROC-AUC %.4f (95%% CI %.4f–%.4f; by fold %.4f ± %.4f), PR-AUC %.4f, Brier %.4f; F1 %.4f at review, %.4f at high, %.4f at the F1-tuned threshold (precision %.4f, recall %.4f).\n\n",
		summary.ROCAUC, summary.ROCAUCCI[0], summary.ROCAUCCI[1], summary.FoldROCAUCMean, summary.FoldROCAUCSD,
		summary.PRAUC, summary.Brier, summary.F1AtReview, summary.F1AtHigh, summary.F1Tuned, summary.PrecisionTuned, summary.RecallTuned)
	return training.WriteLanguageTable(stdout, rows)
}

// writeScores writes one line per example: id, label, language, set,
// source, out-of-fold probability and the band it falls in; with features
// (one list per example), its feature names too.
func writeScores(path string, scored []training.Scored, features [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("scores: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, s := range scored {
		var names []string
		if features != nil {
			names = features[i]
		}
		band := classifier.BandLow
		switch {
		case s.Probability >= s.Thresholds.High:
			band = classifier.BandHigh
		case s.Probability >= s.Thresholds.Review:
			band = classifier.BandReview
		}
		if err := enc.Encode(struct {
			ID          string   `json:"id"`
			Group       string   `json:"group"`
			Label       string   `json:"label"`
			Class       int      `json:"class"`
			Language    string   `json:"language"`
			Set         string   `json:"set"`
			Source      string   `json:"source"`
			Fold        int      `json:"fold"`
			Probability float64  `json:"probability"`
			Band        string   `json:"band"`
			F1Threshold float64  `json:"f1_threshold"`
			Text        string   `json:"text"`
			Features    []string `json:"features,omitempty"`
		}{s.Example.Posting.ID, s.Example.Group, s.Example.Label, s.Example.Class(), s.Language, s.Example.Set, s.Example.Source,
			s.Fold, s.Probability, band, s.TunedF1, postingText(&s.Example.Posting), names}); err != nil {
			f.Close()
			return fmt.Errorf("scores: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("scores: %w", err)
	}
	return f.Close()
}

// postingText joins a posting's fields, each after its name, for tools that
// take one text per example.
func postingText(p *features.Posting) string {
	var b strings.Builder
	for f := features.FieldText; f <= features.FieldCompanyProfile; f++ {
		if v := p.FieldText(f); v != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			if f != features.FieldText {
				b.WriteString(f.String() + ": ")
			}
			b.WriteString(v)
		}
	}
	keys := make([]string, 0, len(p.Attributes))
	for k := range p.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\n%s: %s", k, p.Attributes[k])
	}
	return b.String()
}
