package training

import (
	"math"
	"sort"
	"strconv"

	"github.com/lurescan/lurescan/model"
)

// Metrics of probabilities against labels.
type Metrics struct {
	N              int     `json:"n"`
	Positives      int     `json:"positives"`
	ROCAUC         float64 `json:"roc_auc"`
	PRAUC          float64 `json:"pr_auc"`
	Brier          float64 `json:"brier"`
	F1AtReview     float64 `json:"f1_at_review"`
	F1AtHigh       float64 `json:"f1_at_high"`
	PrecisionHigh  float64 `json:"precision_at_high"`
	RecallAtReview float64 `json:"recall_at_review"`
	RecallAtHigh   float64 `json:"recall_at_high"`
	FPRAtReview    float64 `json:"fpr_at_review"`
	FPRAtHigh      float64 `json:"fpr_at_high"`
}

// Evaluate computes metrics of probs against labels (1 = lure) with th.
func Evaluate(probs []float64, labels []int, th model.Thresholds) Metrics {
	each := make([]model.Thresholds, len(probs))
	for i := range each {
		each[i] = th
	}
	return EvaluateEach(probs, labels, each)
}

// EvaluateEach is Evaluate with each example's own thresholds (such as a
// model's thresholds for the example's language).
func EvaluateEach(probs []float64, labels []int, each []model.Thresholds) Metrics {
	m := Metrics{N: len(probs), ROCAUC: ROCAUC(probs, labels), PRAUC: AveragePrecision(probs, labels)}
	var pos, neg, tpR, tpH, fpR, fpH float64
	for i, p := range probs {
		th := each[i]
		y := float64(labels[i])
		m.Brier += (p - y) * (p - y)
		if labels[i] == 1 {
			pos++
			if p >= th.Review {
				tpR++
			}
			if p >= th.High {
				tpH++
			}
		} else {
			neg++
			if p >= th.Review {
				fpR++
			}
			if p >= th.High {
				fpH++
			}
		}
	}
	m.Positives = int(pos)
	if m.N > 0 {
		m.Brier = round4(m.Brier / float64(m.N))
	}
	m.RecallAtReview, m.RecallAtHigh = ratio(tpR, pos), ratio(tpH, pos)
	m.FPRAtReview, m.FPRAtHigh = ratio(fpR, neg), ratio(fpH, neg)
	m.F1AtReview, m.F1AtHigh = f1(tpR, fpR, pos), f1(tpH, fpH, pos)
	m.PrecisionHigh = ratio(tpH, tpH+fpH)
	return m
}

// f1 is the F1 score from true positives, false positives and positives.
func f1(tp, fp, pos float64) float64 {
	if tp == 0 {
		return 0
	}
	p, r := tp/(tp+fp), tp/pos
	return round4(2 * p * r / (p + r))
}

// AveragePrecision is the area under the precision-recall curve as the mean
// of the precision at each positive's rank (ties counted together), as
// scikit-learn's average_precision_score computes it.
func AveragePrecision(scores []float64, labels []int) float64 {
	idx := make([]int, len(scores))
	pos := 0
	for i := range idx {
		idx[i] = i
		pos += labels[i]
	}
	if pos == 0 {
		return 0
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	ap, tp, seen := 0.0, 0, 0
	for i := 0; i < len(idx); {
		j := i
		newTP := 0
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			newTP += labels[idx[j]]
			j++
		}
		tp += newTP
		seen = j
		ap += float64(newTP) / float64(pos) * float64(tp) / float64(seen)
		i = j
	}
	return round4(ap)
}

// BestF1Threshold returns the threshold that maximises F1 on probs.
func BestF1Threshold(probs []float64, labels []int) float64 {
	idx := make([]int, len(probs))
	pos := 0
	for i := range idx {
		idx[i] = i
		pos += labels[i]
	}
	sort.Slice(idx, func(a, b int) bool { return probs[idx[a]] > probs[idx[b]] })
	best, bestT, tp, fp := -1.0, 0.5, 0, 0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && probs[idx[j]] == probs[idx[i]] {
			if labels[idx[j]] == 1 {
				tp++
			} else {
				fp++
			}
			j++
		}
		if f := f1(float64(tp), float64(fp), float64(pos)); f > best {
			best, bestT = f, probs[idx[i]]
		}
		i = j
	}
	return bestT
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round4(a / b)
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// ROCAUC is the area under the ROC curve: the probability that a random
// positive scores above a random negative, ties counting half.
func ROCAUC(scores []float64, labels []int) float64 {
	type pair struct {
		s float64
		y int
	}
	ps := make([]pair, len(scores))
	var pos, neg float64
	for i, s := range scores {
		ps[i] = pair{s, labels[i]}
		if labels[i] == 1 {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return 0
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].s < ps[j].s })
	// Sum of positive ranks, with average ranks for ties.
	rankSum := 0.0
	for i := 0; i < len(ps); {
		j := i
		for j < len(ps) && ps[j].s == ps[i].s {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if ps[k].y == 1 {
				rankSum += avg
			}
		}
		i = j
	}
	return round4((rankSum - pos*(pos+1)/2) / (pos * neg))
}

func strconvFormat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// ROCAUCInterval is a 95% confidence interval of the ROC-AUC of scores
// against labels, from DeLong's variance (DeLong, DeLong and
// Clarke-Pearson 1988): each positive's share of negatives it outscores
// and each negative's share of positives that outscore it are the
// structural components, and the AUC's variance is the sum of their
// sample variances over their counts. Ties count half. Without at least two
// positives and two negatives there is no interval: both bounds are the
// AUC.
func ROCAUCInterval(scores []float64, labels []int) (lo, hi float64) {
	var pos, neg []float64
	for i, s := range scores {
		if labels[i] == 1 {
			pos = append(pos, s)
		} else {
			neg = append(neg, s)
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return 0, 0
	}
	sort.Float64s(pos)
	sort.Float64s(neg)
	// below(sorted, s) counts the values under s, ties counting half.
	below := func(sorted []float64, s float64) float64 {
		lt := sort.SearchFloat64s(sorted, s)
		le := lt
		for le < len(sorted) && sorted[le] == s {
			le++
		}
		return float64(lt) + float64(le-lt)/2
	}
	m, n := float64(len(pos)), float64(len(neg))
	v10 := make([]float64, len(pos))
	auc := 0.0
	for i, s := range pos {
		v10[i] = below(neg, s) / n
		auc += v10[i]
	}
	auc /= m
	v01 := make([]float64, len(neg))
	for j, s := range neg {
		v01[j] = (m - below(pos, s)) / m
	}
	if len(pos) < 2 || len(neg) < 2 {
		return round4(auc), round4(auc)
	}
	se := math.Sqrt(sampleVariance(v10)/m + sampleVariance(v01)/n)
	const z95 = 1.959963984540054
	return round4(math.Max(0, auc-z95*se)), round4(math.Min(1, auc+z95*se))
}

// sampleVariance is the unbiased variance of xs (at least two values).
func sampleVariance(xs []float64) float64 {
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return v / float64(len(xs)-1)
}
