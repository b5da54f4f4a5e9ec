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
	return nil
}
