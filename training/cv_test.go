package training

import (
	"math"
	"slices"
	"testing"

	"github.com/lurescan/lurescan/model"
)

func TestSummariseReportsROCAUCSpread(t *testing.T) {
	lure, legit := &Example{Label: LabelLure}, &Example{Label: LabelLegit}
	th := model.Thresholds{Review: 0.5, High: 0.8}
	scored := []Scored{
		// Fold 0: every lure above every legitimate advert: AUC 1.
		{Example: lure, Fold: 0, Probability: 0.9, Thresholds: th, TunedF1: 0.5},
		{Example: lure, Fold: 0, Probability: 0.7, Thresholds: th, TunedF1: 0.5},
		{Example: legit, Fold: 0, Probability: 0.2, Thresholds: th, TunedF1: 0.5},
		{Example: legit, Fold: 0, Probability: 0.1, Thresholds: th, TunedF1: 0.5},
		// Fold 1: lures 0.6, 0.3 against legit 0.4, 0.2: 3 of 4 pairs, AUC 0.75.
		{Example: lure, Fold: 1, Probability: 0.6, Thresholds: th, TunedF1: 0.5},
		{Example: lure, Fold: 1, Probability: 0.3, Thresholds: th, TunedF1: 0.5},
		{Example: legit, Fold: 1, Probability: 0.4, Thresholds: th, TunedF1: 0.5},
		{Example: legit, Fold: 1, Probability: 0.2, Thresholds: th, TunedF1: 0.5},
	}
	m := Summarise(scored)
	if want := []float64{1, 0.75}; !slices.Equal(m.FoldROCAUC, want) {
		t.Errorf("FoldROCAUC = %v, want %v", m.FoldROCAUC, want)
	}
	// Mean 0.875; sample standard deviation of 1 and 0.75 is 0.25/sqrt(2).
	if m.FoldROCAUCMean != 0.875 || math.Abs(m.FoldROCAUCSD-0.1768) > 1e-9 {
		t.Errorf("by fold %v ± %v, want 0.875 ± 0.1768", m.FoldROCAUCMean, m.FoldROCAUCSD)
	}
	if !(m.ROCAUCCI[0] <= m.ROCAUC && m.ROCAUC <= m.ROCAUCCI[1]) || m.ROCAUCCI[0] >= m.ROCAUCCI[1] {
		t.Errorf("pooled ROC-AUC %v, interval %v: want a proper interval around it", m.ROCAUC, m.ROCAUCCI)
	}
	// At the tuned threshold 0.5: lures 0.9, 0.7, 0.6 caught, none of the
	// legitimate adverts (all below 0.5): precision 1, recall 3/4.
	if m.PrecisionTuned != 1 || m.RecallTuned != 0.75 {
		t.Errorf("tuned precision %v recall %v, want 1 and 0.75", m.PrecisionTuned, m.RecallTuned)
	}
}
