package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lurescan/lurescan/report"
	"github.com/lurescan/lurescan/training"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", "eval [--model FILE] --data FILE_OR_DIR [--corpus DIR] [--json FILE] [--html FILE]", stderr)
	modelPath := fs.String("model", envDefault("LURESCAN_MODEL", ""), "model file (env LURESCAN_MODEL); the embedded default model when empty")
	var data, corpus listFlag
	fs.Var(&data, "data", "real labelled adverts: .jsonl, .csv (EMSCAD) or .jsonld files or folders (repeatable)")
	fs.Var(&corpus, "corpus", "the project's written examples, same formats (repeatable)")
	jsonOut := fs.String("json", "", "write the full report as JSON to this file ('-' for stdout)")
	htmlOut := fs.String("html", "", "write an HTML report with SVG plots to this file")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (each is reported) instead of failing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(data)+len(corpus) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: --data or --corpus is required", errUsage)
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	examples, err := readSets(data, corpus, *skipBad, stderr)
	if err != nil {
		return err
	}
	rep, err := training.EvaluateModel(ctx, m, examples)
	if err != nil {
		return err
	}
	if *jsonOut != "" {
		if err := writeTo(*jsonOut, stdout, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}); err != nil {
			return err
		}
	}
	if *htmlOut != "" {
		title := "lurescan evaluation: " + strings.Join(append(append([]string{}, data...), corpus...), ", ")
		if err := writeTo(*htmlOut, stdout, func(w io.Writer) error { return report.Write(w, rep, title) }); err != nil {
			return err
		}
	}
	if *jsonOut == "-" {
		return nil
	}
	o := rep.Overall
	fmt.Fprintf(stdout, "model %s: %d postings (%d positive, %d too short to judge)\n", rep.ModelID, o.N, o.Positives, o.Insufficient)
	auc := "undefined (one class only)"
	if o.HasROCAUC() {
		auc = fmt.Sprintf("%.4f (95%% CI %.4f–%.4f)", o.ROCAUC, o.ROCAUCCI[0], o.ROCAUCCI[1])
	}
	fmt.Fprintf(stdout, "ROC-AUC %s  PR-AUC %s  Brier %.4f  ECE %.4f\n", auc, orDash(o.PRAUC, o.HasPRAUC(), "%.4f"), o.Brier, o.ECE)
	for _, c := range []struct {
		name string
		c    training.Confusion
	}{{"review", o.AtReview}, {"high", o.AtHigh}} {
		own := ""
		if c.c.MixedThresholds {
			own = " or the language's own"
		}
		fmt.Fprintf(stdout, "at %-6s (>= %.4f%s): precision %s recall %s F1 %s FPR %s  [TP %d FP %d TN %d FN %d]\n",
			c.name, c.c.Threshold, own, orDash(c.c.Precision, c.c.HasPrecision(), "%.3f"), orDash(c.c.Recall, c.c.HasRecall(), "%.3f"),
			orDash(c.c.F1, c.c.HasF1(), "%.3f"), orDash(c.c.FPR, c.c.HasFPR(), "%.4f"), c.c.TP, c.c.FP, c.c.TN, c.c.FN)
	}
	return nil
}

// orDash formats x, or a dash when it is undefined.
func orDash(x float64, defined bool, format string) string {
	if !defined {
		return "–"
	}
	return fmt.Sprintf(format, x)
}

// writeTo writes with fn to path, or to stdout when path is "-".
func writeTo(path string, stdout io.Writer, fn func(io.Writer) error) error {
	if path == "-" {
		return fn(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
