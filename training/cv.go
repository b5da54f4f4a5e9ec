package training

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/lurescan/lurescan/model"
)

// Scored is one example's out-of-fold answer: the probability and bands of
// a model that never saw the example's group, with that model's own
// calibration and thresholds.
type Scored struct {
	Example     *Example
	Language    string
	Fold        int
	Probability float64
	Thresholds  model.Thresholds
	// TunedF1 is the threshold that maximised F1 on the outer model's
	// inner out-of-fold scores.
	TunedF1 float64
}

// CrossValidate runs nested, group-aware k-fold cross-validation: for each
// outer fold, a full training run (with its own inner out-of-fold
// calibration and threshold choice) on the other folds scores the held-out
// fold. Nothing about a held-out example (not even the thresholds) is
// chosen with it.
func CrossValidate(ctx context.Context, prep *Prepared, opts Options, folds int) ([]Scored, error) {
	if folds < 2 {
		return nil, fmt.Errorf("cross-validate: need at least 2 folds, got %d", folds)
	}
	// A different seed from the inner folds, so outer and inner splits differ.
	fold := AssignFolds(prep.Examples, folds, opts.Seed^0x5eed)
	out := make([]Scored, len(prep.Examples))
	for k := 0; k < folds; k++ {
		train := prep.subset(func(i int) bool { return fold[i] != k })
		m, sum, err := TrainPrepared(ctx, train, opts)
		if err != nil {
			return nil, fmt.Errorf("cross-validate fold %d: %w", k, err)
		}
		for i := range prep.Examples {
			if fold[i] != k {
				continue
			}
			sc := m.Score(prep.Docs[i].DistinctHashes(), 0)
			out[i] = Scored{Example: &prep.Examples[i], Language: prep.Langs[i], Fold: k, Probability: sc.Probability,
				Thresholds: m.ThresholdsFor(prep.Langs[i]), TunedF1: sum.TunedF1}
		}
	}
	return out, nil
}

// subset returns the prepared examples for which keep is true (sharing
// their analysis).
func (p *Prepared) subset(keep func(int) bool) *Prepared {
	s := &Prepared{}
	for i := range p.Examples {
		if keep(i) {
			s.Examples = append(s.Examples, p.Examples[i])
			s.Docs = append(s.Docs, p.Docs[i])
			s.Langs = append(s.Langs, p.Langs[i])
		}
	}
	return s
}

// CVMetrics are the metrics of cross-validated answers: with each outer
// model's own thresholds, and at a threshold tuned for F1 on each outer
// model's inner out-of-fold scores.
type CVMetrics struct {
	Metrics
	// ROCAUCCI is a 95% confidence interval of ROCAUC (DeLong).
	ROCAUCCI [2]float64 `json:"roc_auc_ci95"`
	// FoldROCAUC is each outer fold's own ROC-AUC (in fold order), and
	// FoldROCAUCMean and FoldROCAUCSD their mean and sample standard
	// deviation: how much the figure moves with the split.
	FoldROCAUC     []float64 `json:"fold_roc_auc"`
	FoldROCAUCMean float64   `json:"fold_roc_auc_mean"`
	FoldROCAUCSD   float64   `json:"fold_roc_auc_sd"`
	F1Tuned        float64   `json:"f1_at_tuned_threshold"`
	PrecisionTuned float64   `json:"precision_at_tuned_threshold"`
	RecallTuned    float64   `json:"recall_at_tuned_threshold"`
}

// Summarise computes CVMetrics over scored examples.
func Summarise(scored []Scored) CVMetrics {
	probs := make([]float64, len(scored))
	labels := make([]int, len(scored))
	var m CVMetrics
	var tpR, fpR, tpH, fpH, tpT, fpT, pos float64
	for i, s := range scored {
		probs[i], labels[i] = s.Probability, s.Example.Class()
		y := labels[i] == 1
		if y {
			pos++
		}
		for _, c := range []struct {
			at     float64
			tp, fp *float64
		}{{s.Thresholds.Review, &tpR, &fpR}, {s.Thresholds.High, &tpH, &fpH}, {s.TunedF1, &tpT, &fpT}} {
			if s.Probability >= c.at {
				if y {
					*c.tp++
				} else {
					*c.fp++
				}
			}
		}
	}
	m.Metrics = Evaluate(probs, labels, model.Thresholds{Review: 2, High: 2})
	m.ROCAUCCI[0], m.ROCAUCCI[1] = ROCAUCInterval(probs, labels)
	m.FoldROCAUC, m.FoldROCAUCMean, m.FoldROCAUCSD = foldROCAUC(scored)
	neg := float64(len(scored)) - pos
	m.RecallAtReview, m.RecallAtHigh = ratio(tpR, pos), ratio(tpH, pos)
	m.FPRAtReview, m.FPRAtHigh = ratio(fpR, neg), ratio(fpH, neg)
	m.F1AtReview, m.F1AtHigh = f1(tpR, fpR, pos), f1(tpH, fpH, pos)
	m.PrecisionHigh = ratio(tpH, tpH+fpH)
	m.F1Tuned, m.PrecisionTuned, m.RecallTuned = f1(tpT, fpT, pos), ratio(tpT, tpT+fpT), ratio(tpT, pos)
	return m
}

// foldROCAUC returns the ROC-AUC of each fold's examples, in fold order,
// with their mean and sample standard deviation.
func foldROCAUC(scored []Scored) (aucs []float64, mean, sd float64) {
	folds := 0
	for _, s := range scored {
		folds = max(folds, s.Fold+1)
	}
	probs := make([][]float64, folds)
	labels := make([][]int, folds)
	for _, s := range scored {
		probs[s.Fold] = append(probs[s.Fold], s.Probability)
		labels[s.Fold] = append(labels[s.Fold], s.Example.Class())
	}
	for k := range folds {
		aucs = append(aucs, ROCAUC(probs[k], labels[k]))
	}
	if len(aucs) == 0 {
		return nil, 0, 0
	}
	for _, a := range aucs {
		mean += a
	}
	mean /= float64(len(aucs))
	if len(aucs) > 1 {
		sd = math.Sqrt(sampleVariance(aucs))
	}
	return aucs, round4(mean), round4(sd)
}

// Rates are flag rates of one group of examples at the two bands.
type Rates struct {
	N        int     `json:"n"`
	AtReview float64 `json:"at_review"`
	AtHigh   float64 `json:"at_high"`
}

func (r *Rates) add(s Scored) {
	r.N++
	if s.Probability >= s.Thresholds.Review {
		r.AtReview++
	}
	if s.Probability >= s.Thresholds.High {
		r.AtHigh++
	}
}

func (r *Rates) finish() {
	if r.N > 0 {
		r.AtReview = round4(r.AtReview / float64(r.N))
		r.AtHigh = round4(r.AtHigh / float64(r.N))
	}
}

// LanguageRow is the cross-validated outcome in one language: recall of
// lures, and false-positive rates on the corpus's hard negatives and on
// real legitimate adverts.
type LanguageRow struct {
	Language      string `json:"language"`
	Lures         Rates  `json:"lures"`
	HardNegatives Rates  `json:"hard_negatives"`
	RealLegit     Rates  `json:"real_legit"`
}

// ByLanguage tabulates cross-validated answers per language (the example's
// own tag, or the detected language when untagged), plus an "all" row.
func ByLanguage(scored []Scored) []LanguageRow {
	rows := map[string]*LanguageRow{}
	get := func(l string) *LanguageRow {
		if rows[l] == nil {
			rows[l] = &LanguageRow{Language: l}
		}
		return rows[l]
	}
	for _, s := range scored {
		lang := firstNonEmpty(s.Example.Lang, s.Language)
		for _, r := range []*LanguageRow{get(lang), get("all")} {
			switch {
			case s.Example.Class() == 1:
				r.Lures.add(s)
			case s.Example.Set == SetCorpus:
				r.HardNegatives.add(s)
			default:
				r.RealLegit.add(s)
			}
		}
	}
	out := make([]LanguageRow, 0, len(rows))
	for _, r := range rows {
		r.Lures.finish()
		r.HardNegatives.finish()
		r.RealLegit.finish()
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Language == "all") != (out[j].Language == "all") {
			return out[j].Language == "all"
		}
		return out[i].Language < out[j].Language
	})
	return out
}

// WriteLanguageTable writes rows as a Markdown table.
func WriteLanguageTable(w io.Writer, rows []LanguageRow) error {
	var b strings.Builder
	b.WriteString("| language | lures (or frauds) | recall at review | recall at high | hard negatives | FPR at review | FPR at high | real legit | FPR at review | FPR at high |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	cell := func(r Rates, v float64) string {
		if r.N == 0 {
			return "–"
		}
		return fmt.Sprintf("%.3f", v)
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %d | %s | %s | %d | %s | %s |\n", r.Language,
			r.Lures.N, cell(r.Lures, r.Lures.AtReview), cell(r.Lures, r.Lures.AtHigh),
			r.HardNegatives.N, cell(r.HardNegatives, r.HardNegatives.AtReview), cell(r.HardNegatives, r.HardNegatives.AtHigh),
			r.RealLegit.N, cell(r.RealLegit, r.RealLegit.AtReview), cell(r.RealLegit, r.RealLegit.AtHigh))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
