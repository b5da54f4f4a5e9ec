package training

import (
	"context"
	"encoding/json"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/model"
)

// Confusion is a confusion matrix at one threshold (positive: lure or fraud).
type Confusion struct {
	// Threshold is the threshold applied; with MixedThresholds, the model's
	// global one, while examples in languages with their own thresholds
	// were judged by those.
	Threshold       float64 `json:"threshold"`
	MixedThresholds bool    `json:"mixed_thresholds,omitempty"`
	TP              int     `json:"tp"`
	FP              int     `json:"fp"`
	TN              int     `json:"tn"`
	FN              int     `json:"fn"`
	Precision       float64 `json:"precision"`
	Recall          float64 `json:"recall"`
	F1              float64 `json:"f1"`
	FPR             float64 `json:"false_positive_rate"`
}

// ReliabilityBin is one bin of a reliability (calibration) table.
type ReliabilityBin struct {
	Low, High     float64 `json:"-"`
	Range         string  `json:"range"`
	N             int     `json:"n"`
	MeanPredicted float64 `json:"mean_predicted"`
	FractionLure  float64 `json:"fraction_positive"`
}

// Point is a point of a curve.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// GroupReport is the evaluation of one group of examples.
type GroupReport struct {
	Name         string           `json:"name"`
	N            int              `json:"n"`
	Positives    int              `json:"positives"`
	Insufficient int              `json:"insufficient_text"`
	ROCAUC       float64          `json:"roc_auc"`
	ROCAUCCI     [2]float64       `json:"roc_auc_ci95"` // 95% confidence interval (DeLong)
	PRAUC        float64          `json:"pr_auc"`
	Brier        float64          `json:"brier"`
	ECE          float64          `json:"expected_calibration_error"`
	AtReview     Confusion        `json:"at_review"`
	AtHigh       Confusion        `json:"at_high"`
	Reliability  []ReliabilityBin `json:"reliability,omitempty"`
	ROC          []Point          `json:"roc_curve,omitempty"`
	PR           []Point          `json:"pr_curve,omitempty"`
	HistPositive []int            `json:"histogram_positive,omitempty"`
	HistNegative []int            `json:"histogram_negative,omitempty"`
}

// EvalReport is what lurescan eval reports.
type EvalReport struct {
	ModelID            string                      `json:"model_id"`
	Thresholds         model.Thresholds            `json:"thresholds"`
	LanguageThresholds map[string]model.Thresholds `json:"language_thresholds,omitempty"`
	Overall            GroupReport                 `json:"overall"`
	ByLanguage         []GroupReport               `json:"by_language"`
	BySource           []GroupReport               `json:"by_source"`
}

// EvaluateModel scores every example with m (in parallel) and reports.
// Postings with too little text to judge count with probability 0.5 in the
// threshold-free metrics, below both thresholds in the banded ones, and
// are counted apart.
func EvaluateModel(ctx context.Context, m *model.Model, ex []Example) (*EvalReport, error) {
	c := classifier.New(m)
	type answer struct {
		p            float64
		insufficient bool
		lang         string
	}
	ans := make([]answer, len(ex))
	errs := make([]error, len(ex))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := c.Classify(ctx, &ex[i].Posting, classifier.Options{TopFeatures: -1})
				if err != nil {
					errs[i] = err
					continue
				}
				a := answer{p: 0.5, insufficient: res.Probability == nil, lang: res.Language.Code}
				if res.Probability != nil {
					a.p = *res.Probability
				}
				ans[i] = a
			}
		}()
	}
	for i := range ex {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	th := m.Thresholds()
	group := func(name string, keep func(i int) bool, curves bool) GroupReport {
		var probs []float64
		var labels []int
		var applied []model.Thresholds
		insufficient := 0
		for i := range ex {
			if !keep(i) {
				continue
			}
			probs = append(probs, ans[i].p)
			labels = append(labels, ex[i].Class())
			if ans[i].insufficient {
				// Not judged: below both bands.
				applied = append(applied, model.Thresholds{Review: math.Inf(1), High: math.Inf(1)})
			} else {
				applied = append(applied, m.ThresholdsFor(ans[i].lang))
			}
			if ans[i].insufficient {
				insufficient++
			}
		}
		g := reportGroup(name, probs, labels, applied, th, curves)
		g.Insufficient = insufficient
		return g
	}
	rep := &EvalReport{ModelID: m.ID(), Thresholds: th, LanguageThresholds: m.LanguageThresholds(), Overall: group("all", func(int) bool { return true }, true)}
	langs, sources := map[string]bool{}, map[string]bool{}
	for i, e := range ex {
		langs[firstNonEmpty(e.Lang, ans[i].lang)] = true
		sources[e.Source] = true
	}
	for _, l := range sortedKeys(langs) {
		rep.ByLanguage = append(rep.ByLanguage, group(l, func(i int) bool { return firstNonEmpty(ex[i].Lang, ans[i].lang) == l }, false))
	}
	for _, s := range sortedKeys(sources) {
		rep.BySource = append(rep.BySource, group(s, func(i int) bool { return ex[i].Source == s }, false))
	}
	return rep, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reportGroup computes the metrics of one group.
func reportGroup(name string, probs []float64, labels []int, th []model.Thresholds, global model.Thresholds, curves bool) GroupReport {
	g := GroupReport{Name: name, N: len(probs)}
	for _, y := range labels {
		g.Positives += y
	}
	if g.N == 0 {
		return g
	}
	g.ROCAUC = ROCAUC(probs, labels)
	g.ROCAUCCI[0], g.ROCAUCCI[1] = ROCAUCInterval(probs, labels)
	g.PRAUC = AveragePrecision(probs, labels)
	review, high := make([]float64, len(th)), make([]float64, len(th))
	for i, t := range th {
		review[i], high[i] = t.Review, t.High
	}
	g.AtReview = ConfusionEach(probs, labels, review, global.Review)
	g.AtHigh = ConfusionEach(probs, labels, high, global.High)
	brier := 0.0
	for i, p := range probs {
		d := p - float64(labels[i])
		brier += d * d
	}
	g.Brier = round4(brier / float64(g.N))
	g.Reliability, g.ECE = Reliability(probs, labels, 10)
	if curves {
		g.ROC, g.PR = Curves(probs, labels)
		g.HistPositive, g.HistNegative = make([]int, 20), make([]int, 20)
		for i, p := range probs {
			b := min(int(p*20), 19)
			if labels[i] == 1 {
				g.HistPositive[b]++
			} else {
				g.HistNegative[b]++
			}
		}
	}
	return g
}

// ConfusionAt is the confusion matrix when probabilities at or above t are
// called positive.
func ConfusionAt(probs []float64, labels []int, t float64) Confusion {
	each := make([]float64, len(probs))
	for i := range each {
		each[i] = t
	}
	return ConfusionEach(probs, labels, each, t)
}

// ConfusionEach is ConfusionAt with each example's own threshold (+Inf for
// an example not judged); global is reported as the threshold when they
// differ.
func ConfusionEach(probs []float64, labels []int, each []float64, global float64) Confusion {
	c := Confusion{Threshold: global}
	first := true
	for _, t := range each {
		switch {
		case math.IsInf(t, 1):
		case first:
			c.Threshold, first = t, false
		case t != c.Threshold:
			c.Threshold, c.MixedThresholds = global, true
		}
	}
	for i, p := range probs {
		switch pos := p >= each[i]; {
		case pos && labels[i] == 1:
			c.TP++
		case pos:
			c.FP++
		case labels[i] == 1:
			c.FN++
		default:
			c.TN++
		}
	}
	c.Precision = ratio(float64(c.TP), float64(c.TP+c.FP))
	c.Recall = ratio(float64(c.TP), float64(c.TP+c.FN))
	c.FPR = ratio(float64(c.FP), float64(c.FP+c.TN))
	c.F1 = f1(float64(c.TP), float64(c.FP), float64(c.TP+c.FN))
	return c
}

// Reliability bins probabilities into n equal-width bins and returns the
// table and the expected calibration error (the bin-size-weighted mean of
// |mean predicted - fraction positive|).
func Reliability(probs []float64, labels []int, n int) ([]ReliabilityBin, float64) {
	bins := make([]ReliabilityBin, n)
	sumP := make([]float64, n)
	pos := make([]float64, n)
	for i, p := range probs {
		b := min(int(p*float64(n)), n-1)
		bins[b].N++
		sumP[b] += p
		pos[b] += float64(labels[i])
	}
	ece := 0.0
	for b := range bins {
		bins[b].Low, bins[b].High = float64(b)/float64(n), float64(b+1)/float64(n)
		bins[b].Range = formatRange(bins[b].Low, bins[b].High)
		if bins[b].N == 0 {
			continue
		}
		bins[b].MeanPredicted = round4(sumP[b] / float64(bins[b].N))
		bins[b].FractionLure = round4(pos[b] / float64(bins[b].N))
		ece += float64(bins[b].N) / float64(len(probs)) * math.Abs(sumP[b]/float64(bins[b].N)-pos[b]/float64(bins[b].N))
	}
	return bins, round4(ece)
}

func formatRange(lo, hi float64) string {
	return strconvFormat(math.Round(lo*100)/100) + "–" + strconvFormat(math.Round(hi*100)/100)
}

// Curves returns the ROC curve (false-positive rate, true-positive rate)
// and the precision-recall curve (recall, precision), one point per
// distinct score, thinned to at most 200 points each.
func Curves(probs []float64, labels []int) (roc, pr []Point) {
	idx := make([]int, len(probs))
	pos, neg := 0, 0
	for i := range idx {
		idx[i] = i
		if labels[i] == 1 {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return nil, nil
	}
	sort.Slice(idx, func(a, b int) bool { return probs[idx[a]] > probs[idx[b]] })
	roc = append(roc, Point{0, 0})
	tp, fp := 0, 0
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
		roc = append(roc, Point{float64(fp) / float64(neg), float64(tp) / float64(pos)})
		pr = append(pr, Point{float64(tp) / float64(pos), float64(tp) / float64(tp+fp)})
		i = j
	}
	return thin(roc, 200), thin(pr, 200)
}

func thin(ps []Point, max int) []Point {
	if len(ps) <= max {
		return ps
	}
	out := make([]Point, 0, max+1)
	step := float64(len(ps)-1) / float64(max-1)
	for k := 0; k < max; k++ {
		out = append(out, ps[int(math.Round(float64(k)*step))])
	}
	return out
}

// HasROCAUC reports whether the group has both classes: without them
// ROC-AUC and its interval are undefined (reported as null, not 0).
func (g GroupReport) HasROCAUC() bool { return g.Positives > 0 && g.Positives < g.N }

// HasPRAUC reports whether the group has positives: without them average
// precision is undefined.
func (g GroupReport) HasPRAUC() bool { return g.Positives > 0 }

// MarshalJSON writes undefined metrics (HasROCAUC, HasPRAUC) as null.
func (g GroupReport) MarshalJSON() ([]byte, error) {
	type plain GroupReport // without this method
	out := struct {
		plain
		ROCAUC   *float64    `json:"roc_auc"`
		ROCAUCCI *[2]float64 `json:"roc_auc_ci95"`
		PRAUC    *float64    `json:"pr_auc"`
	}{plain: plain(g)}
	if g.HasROCAUC() {
		out.ROCAUC, out.ROCAUCCI = &g.ROCAUC, &g.ROCAUCCI
	}
	if g.HasPRAUC() {
		out.PRAUC = &g.PRAUC
	}
	return json.Marshal(out)
}

// HasPrecision reports whether anything was flagged (precision is
// undefined otherwise), HasRecall whether there are positives, HasFPR
// whether there are negatives, and HasF1 whether there is a positive or a
// flag at all.
func (c Confusion) HasPrecision() bool { return c.TP+c.FP > 0 }
func (c Confusion) HasRecall() bool    { return c.TP+c.FN > 0 }
func (c Confusion) HasFPR() bool       { return c.FP+c.TN > 0 }
func (c Confusion) HasF1() bool        { return c.TP+c.FP+c.FN > 0 }

// MarshalJSON writes undefined rates as null.
func (c Confusion) MarshalJSON() ([]byte, error) {
	type plain Confusion // without this method
	out := struct {
		plain
		Precision *float64 `json:"precision"`
		Recall    *float64 `json:"recall"`
		F1        *float64 `json:"f1"`
		FPR       *float64 `json:"false_positive_rate"`
	}{plain: plain(c)}
	if c.HasPrecision() {
		out.Precision = &c.Precision
	}
	if c.HasRecall() {
		out.Recall = &c.Recall
	}
	if c.HasF1() {
		out.F1 = &c.F1
	}
	if c.HasFPR() {
		out.FPR = &c.FPR
	}
	return json.Marshal(out)
}
