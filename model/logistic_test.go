package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
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
