package main

import (
	"fmt"
	"io"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/training"
)

func runCorpus(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("corpus", "corpus [--corpus DIR]", stderr)
	var corpus listFlag
	fs.Var(&corpus, "corpus", "corpus folder or files (default training/corpus)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(corpus) == 0 {
		corpus = listFlag{"training/corpus"}
	}
	ex, err := readSets(nil, corpus, false, stderr)
	if err != nil {
		return err
	}
	cat, err := features.ParseCatalog(features.DefaultCatalogJSON())
	if err != nil {
		return err
	}
	cats := make([]string, len(cat.Categories))
	for i, c := range cat.Categories {
		cats[i] = c.ID
	}
	if err := training.WriteCoverage(stdout, ex, cats); err != nil {
		return fmt.Errorf("coverage: %w", err)
	}
	an, err := training.DefaultOptions().Analyzer()
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, "\nIndicator catalogue against the annotated categories (recall per language on lures):\n\n")
	if err := training.WriteAgreement(stdout, training.IndicatorAgreement(ex, an)); err != nil {
		return fmt.Errorf("indicator agreement: %w", err)
	}
	return nil
}
