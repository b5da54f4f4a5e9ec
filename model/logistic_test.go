package model

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lurescan/lurescan/features"
)

func randomLogisticProblem(seed uint64, rows, features int, c float64) *logisticProblem {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	truth := make([]float64, features)
	for i := range truth {
		truth[i] = rng.NormFloat64()
	}
	p := &logisticProblem{features: features, c: c}
	for range rows {
		var r sparseRow
		z := 0.3
		for k := range features {
			if rng.Float64() < 0.2 {
				v := rng.Float64()
				r.idx = append(r.idx, int32(k))
				r.val = append(r.val, v)
				z += truth[k] * v
			}
		}
		y := -1.0
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			y = 1
		}
		p.rows = append(p.rows, r)
		p.y = append(p.y, y)
		p.w = append(p.w, float64(1+rng.IntN(3)))
	}
	return p
}

// TestLogisticGradient checks the analytic gradient against central
// differences.
func TestLogisticGradient(t *testing.T) {
	p := randomLogisticProblem(1, 50, 8, 2)
	rng := rand.New(rand.NewPCG(9, 9))
	x := make([]float64, p.features+1)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	g := make([]float64, len(x))
	p.loss(x, g)
	scratch := make([]float64, len(x))
	for i := range x {
		const h = 1e-6
		xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		num := (p.loss(xp, scratch) - p.loss(xm, scratch)) / (2 * h)
		if math.Abs(num-g[i]) > 1e-5*math.Max(1, math.Abs(num)) {
			t.Errorf("d/dx%d: analytic %v, numeric %v", i, g[i], num)
		}
	}
}

// TestFitLogisticFindsTheOptimum: the problem is strictly convex, so a
// point where the gradient vanishes is its minimum; no nearby point may be
// lower, and refitting gives the same bits.
func TestFitLogisticFindsTheOptimum(t *testing.T) {
	for _, tc := range []struct {
		rows, features int
		c              float64
	}{{200, 10, 1}, {300, 40, 100}, {40, 200, 10}, {500, 5, 0.01}} {
		t.Run(fmt.Sprintf("rows=%d/features=%d/C=%g", tc.rows, tc.features, tc.c), func(t *testing.T) {
			p := randomLogisticProblem(uint64(tc.rows), tc.rows, tc.features, tc.c)
			beta, b, err := fitLogistic(p)
			if err != nil {
				t.Fatal(err)
			}
			x := append(append([]float64(nil), beta...), b)
			g := make([]float64, len(x))
			f := p.loss(x, g)
			if m := maxAbs(g); m > 1e-4*math.Max(1, f) {
				t.Errorf("largest gradient component %v at the solution (objective %v)", m, f)
			}
			rng := rand.New(rand.NewPCG(3, 3))
			for range 20 {
				y := append([]float64(nil), x...)
				for i := range y {
					y[i] += 0.01 * rng.NormFloat64()
				}
				if fy := p.loss(y, g); fy < f {
					t.Errorf("a nearby point is lower: %v < %v", fy, f)
				}
			}
			beta2, b2, _ := fitLogistic(p)
			for i := range beta {
				if beta[i] != beta2[i] {
					t.Fatal("refitting gave different coefficients")
				}
			}
			if b != b2 {
				t.Fatal("refitting gave a different intercept")
			}
		})
	}
}

func TestFitLogisticRefusesBadInput(t *testing.T) {
	p := randomLogisticProblem(1, 10, 3, 0)
	if _, _, err := fitLogistic(p); err == nil {
		t.Error("C = 0 accepted")
	}
	p = randomLogisticProblem(1, 10, 3, 1)
	p.w = p.w[:5]
	if _, _, err := fitLogistic(p); err == nil {
		t.Error("5 weights for 10 rows accepted")
	}
}

// logisticTestModel is trainedTestModel's data under nb-logistic.
func logisticTestModel(t testing.TB) (*Model, *Shards, Settings) {
	t.Helper()
	docs := testDocs()
	set := Settings{Algorithm: NBLogistic, Alpha: 1, C: 10, MinCount: 1, Length: LengthSqrt, MinWords: 5, MinKnown: 4}
	s, err := CountShards(docs, make([]int, len(docs)), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	counts, classDocs, _ := s.Sum(-1, 1)
	spec := testSpec(counts, classDocs, set)
	if spec.Meta.Logistic, err = s.FitLogistic(-1, set); err != nil {
		t.Fatal(err)
	}
	m, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	return m, s, set
}

func TestNBLogisticModel(t *testing.T) {
	m, _, _ := logisticTestModel(t)
	lure := []uint64{features.HashFeature("w:310"), features.HashFeature("w:320"), features.HashFeature("w:001")}
	legit := []uint64{features.HashFeature("w:001"), features.HashFeature("w:002"), features.HashFeature("w:003")}
	sl, sg := m.Score(lure, 3), m.Score(legit, 3)
	if !(sl.Raw > 0 && sg.Raw < sl.Raw) {
		t.Errorf("lure words score %v, common words %v", sl.Raw, sg.Raw)
	}
	// The score is the sum of the contributions (calibration A is 1 in
	// testSpec, and rounding is to 4 places).
	total := m.bias
	for _, c := range append(sl.For, sl.Against...) {
		total += c.Weight
	}
	if math.Abs(total-sl.Raw) > 1e-3 {
		t.Errorf("contributions add up to %v, raw score %v", total, sl.Raw)
	}
	// Round trip: same id, same scores, same bytes.
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID() != m.ID() || m2.Score(lure, 0).Raw != sl.Raw {
		t.Errorf("round trip: id %s/%s, score %v/%v", m.ID(), m2.ID(), sl.Raw, m2.Score(lure, 0).Raw)
	}
	if again, _ := m2.MarshalBinary(); !bytes.Equal(again, data) {
		t.Error("re-encoding changes the bytes")
	}
}

func TestNBLogisticRefusesBadSpecs(t *testing.T) {
	_, s, set := logisticTestModel(t)
	counts, classDocs, _ := s.Sum(-1, 1)
	good, err := s.FitLogistic(-1, set)
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Spec){
		"no regression":         func(sp *Spec) { sp.Meta.Logistic = nil },
		"one coefficient short": func(sp *Spec) { sp.Meta.Logistic = &Logistic{Coef: good.Coef[1:]} },
		"NaN coefficient": func(sp *Spec) {
			c := append([]float64(nil), good.Coef...)
			c[3] = math.NaN()
			sp.Meta.Logistic = &Logistic{Intercept: good.Intercept, Coef: c}
		},
		"infinite intercept": func(sp *Spec) { sp.Meta.Logistic = &Logistic{Intercept: math.Inf(1), Coef: good.Coef} },
		"C of 0":             func(sp *Spec) { sp.Meta.Settings.C = 0 },
		"regression on a multinomial model": func(sp *Spec) {
			sp.Meta.Settings.Algorithm = Multinomial
		},
	} {
		t.Run(name, func(t *testing.T) {
			spec := testSpec(counts, classDocs, set)
			spec.Meta.Logistic = good
			edit(&spec)
			if _, err := New(spec); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := s.FitLogistic(-1, DefaultSettings()); err == nil {
		t.Error("FitLogistic for a multinomial model accepted")
	}
}
