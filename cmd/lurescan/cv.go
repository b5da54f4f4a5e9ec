package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/training"
)

func runCV(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("cv", "cv --corpus DIR [--data FILE] [flags]", stderr)
	var data, corpus listFlag
	fs.Var(&data, "data", "real labelled adverts: a JSON Lines file or a folder of *.jsonl files (repeatable)")
	fs.Var(&corpus, "corpus", "the project's written examples, same formats (repeatable)")
	opts := training.DefaultOptions()
	folds := fs.Int("folds", 5, "outer cross-validation folds")
	fs.Uint64Var(&opts.Seed, "seed", opts.Seed, "seed of the group splits")
	format := fs.String("format", "markdown", "markdown or json")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (each is reported) instead of failing")
	if err := parseFlags(fs, args); err != nil {
		return err
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
	cat, err := features.ParseCatalog(opts.Catalog)
	if err != nil {
		return err
	}
	an, err := features.NewAnalyzer(opts.Features, cat)
	if err != nil {
		return err
	}
	prep, err := training.Prepare(ctx, examples, an, nil)
	if err != nil {
		return err
	}
	scored, err := training.CrossValidate(ctx, prep, opts, *folds)
	if err != nil {
		return err
	}
	rows := training.ByLanguage(scored)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Folds   int                    `json:"folds"`
			Seed    uint64                 `json:"seed"`
			Seconds float64                `json:"seconds"`
			Rows    []training.LanguageRow `json:"by_language"`
		}{*folds, opts.Seed, time.Since(start).Seconds(), rows})
	}
	fmt.Fprintf(stdout, "Nested group-aware %d-fold cross-validation (seed %d), %d examples, %.1fs.\n\n", *folds, opts.Seed, len(examples), time.Since(start).Seconds())
	return training.WriteLanguageTable(stdout, rows)
}
