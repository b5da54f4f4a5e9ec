package model

import (
	"fmt"
	"math"
)

// sparseRow is one example of a logistic regression: feature indexes and
// their values.
type sparseRow struct {
	idx []int32
	val []float64
}

// logisticProblem is L2-regularised logistic regression over sparse rows:
// minimise sum_i w_i log(1 + exp(-y_i z_i)) + |beta|^2 / (2C), where
// z_i = b + beta . x_i and y_i is +1 or -1. The intercept b is not
// regularised (as in scikit-learn's LogisticRegression).
type logisticProblem struct {
	rows     []sparseRow
	y        []float64 // +1 or -1
	w        []float64 // example weights
	features int
	c        float64
}

// loss returns the objective at params (beta then b) and writes its
// gradient into grad.
func (p *logisticProblem) loss(params, grad []float64) float64 {
	beta, b := params[:p.features], params[p.features]
	clear(grad)
	gbeta := grad[:p.features]
	f, gb := 0.0, 0.0
	for i, r := range p.rows {
		z := b
		for j, k := range r.idx {
			z += beta[k] * r.val[j]
		}
		m := p.y[i] * z
		// log(1+exp(-m)) and its derivative, without overflow.
		var l, s float64 // s = sigmoid(-m)
		if m > 0 {
			e := math.Exp(-m)
			l, s = math.Log1p(e), e/(1+e)
		} else {
			e := math.Exp(m)
			l, s = -m+math.Log1p(e), 1/(1+e)
		}
		f += p.w[i] * l
		d := -p.w[i] * p.y[i] * s
		gb += d
		for j, k := range r.idx {
			gbeta[k] += d * r.val[j]
		}
	}
	for k, x := range beta {
		f += x * x / (2 * p.c)
		gbeta[k] += x / p.c
	}
	grad[p.features] = gb
	return f
}

// Solver limits.
const (
	lbfgsMemory   = 10
	lbfgsMaxIter  = 1000
	lbfgsGradTol  = 1e-6 // on the largest gradient component, relative to the objective's scale
	lbfgsArmijo   = 1e-4
	lbfgsMaxHalve = 40
)

// fitLogistic solves the problem with L-BFGS (two-loop recursion,
// backtracking line search). It is deterministic: the same problem gives
// the same bits.
func fitLogistic(p *logisticProblem) (beta []float64, intercept float64, err error) {
	if !(p.c > 0) || math.IsInf(p.c, 0) {
		return nil, 0, fmt.Errorf("logistic regression: C must be positive, got %v", p.c)
	}
	if len(p.rows) != len(p.y) || len(p.rows) != len(p.w) {
		return nil, 0, fmt.Errorf("logistic regression: %d rows, %d labels, %d weights", len(p.rows), len(p.y), len(p.w))
	}
	n := p.features + 1
	x := make([]float64, n)
	g := make([]float64, n)
	f := p.loss(x, g)
	scale := math.Max(1, f)
	var sHist, yHist [][]float64
	var rhoHist []float64
	d := make([]float64, n)
	xNew := make([]float64, n)
	gNew := make([]float64, n)
	alpha := make([]float64, lbfgsMemory)
	for iter := 0; iter < lbfgsMaxIter; iter++ {
		if maxAbs(g) <= lbfgsGradTol*scale {
			break
		}
		// Direction d = -H g by the two-loop recursion.
		for i := range d {
			d[i] = -g[i]
		}
		for h := len(sHist) - 1; h >= 0; h-- {
			alpha[h] = rhoHist[h] * dot(sHist[h], d)
			axpy(-alpha[h], yHist[h], d)
		}
		if k := len(sHist); k > 0 {
			gamma := dot(sHist[k-1], yHist[k-1]) / dot(yHist[k-1], yHist[k-1])
			for i := range d {
				d[i] *= gamma
			}
		} else {
			// First step: a unit step along the gradient would be far too
			// long when the gradient is large.
			s := 1 / math.Max(1, math.Sqrt(dot(g, g)))
			for i := range d {
				d[i] *= s
			}
		}
		for h := range sHist {
			b := rhoHist[h] * dot(yHist[h], d)
			axpy(alpha[h]-b, sHist[h], d)
		}
		slope := dot(g, d)
		if slope >= 0 { // not a descent direction: restart from the gradient
			sHist, yHist, rhoHist = nil, nil, nil
			for i := range d {
				d[i] = -g[i]
			}
			slope = dot(g, d)
		}
		step, fNew := 1.0, 0.0
		ok := false
		for range lbfgsMaxHalve {
			for i := range x {
				xNew[i] = x[i] + step*d[i]
			}
			fNew = p.loss(xNew, gNew)
			if fNew <= f+lbfgsArmijo*step*slope {
				ok = true
				break
			}
			step /= 2
		}
		if !ok {
			break // no decrease possible at this precision: converged
		}
		s := make([]float64, n)
		yv := make([]float64, n)
		for i := range x {
			s[i] = xNew[i] - x[i]
			yv[i] = gNew[i] - g[i]
		}
		if sy := dot(s, yv); sy > 1e-12*dot(yv, yv) {
			if len(sHist) == lbfgsMemory {
				sHist, yHist, rhoHist = sHist[1:], yHist[1:], rhoHist[1:]
			}
			sHist, yHist, rhoHist = append(sHist, s), append(yHist, yv), append(rhoHist, 1/sy)
		}
		copy(x, xNew)
		copy(g, gNew)
		converged := f-fNew <= 1e-12*scale
		f = fNew
		if converged {
			break
		}
	}
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fmt.Errorf("logistic regression diverged")
		}
	}
	return x[:p.features], x[p.features], nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
