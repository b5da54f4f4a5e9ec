package model

import (
	"errors"
	"fmt"
	"math"
)

// FitPlatt fits Platt scaling p = sigmoid(A*s + B) to held-out raw scores and
// labels (1 = lure), by Newton's method with backtracking on the
// regularised targets of Platt (1999) / Lin, Lin and Weng (2007), which keep
// the fit finite when the classes separate perfectly.
func FitPlatt(scores []float64, labels []int) (Calibration, error) {
	if len(scores) != len(labels) {
		return Calibration{}, fmt.Errorf("calibration: %d scores but %d labels", len(scores), len(labels))
	}
	var pos, neg float64
	for i, y := range labels {
		if math.IsNaN(scores[i]) || math.IsInf(scores[i], 0) {
			return Calibration{}, fmt.Errorf("calibration: score %d is %v", i, scores[i])
		}
		if y == 1 {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return Calibration{}, errors.New("calibration needs held-out examples of both classes")
	}
	hi, lo := (pos+1)/(pos+2), 1/(neg+2)
	t := make([]float64, len(labels))
	for i, y := range labels {
		if y == 1 {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	a, b := 0.0, math.Log((neg+1)/(pos+1))
	// Platt's parameterisation is p = 1/(1+exp(a*s+b)); we return -a, -b.
	loss := func(a, b float64) float64 {
		f := 0.0
		for i, s := range scores {
			z := a*s + b
			if z >= 0 {
				f += t[i]*z + math.Log1p(math.Exp(-z))
			} else {
				f += (t[i]-1)*z + math.Log1p(math.Exp(z))
			}
		}
		return f
	}
	f := loss(a, b)
	const sigma = 1e-12
	for iter := 0; iter < 100; iter++ {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, s := range scores {
			z := a*s + b
			var p, q float64
			if z >= 0 {
				e := math.Exp(-z)
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := math.Exp(z)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := p * q
			h11 += s * s * d2
			h22 += d2
			h21 += s * d2
			d1 := t[i] - p
			g1 += s * d1
			g2 += d1
		}
		if math.Abs(g1) < 1e-7 && math.Abs(g2) < 1e-7 {
			break
		}
		det := h11*h22 - h21*h21
		da := -(h22*g1 - h21*g2) / det
		db := -(-h21*g1 + h11*g2) / det
		gd := g1*da + g2*db
		step := 1.0
		for step >= 1e-10 {
			na, nb := a+step*da, b+step*db
			if nf := loss(na, nb); nf < f+1e-4*step*gd {
				a, b, f = na, nb, nf
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break
		}
	}
	return Calibration{A: -a, B: -b, Method: "platt", Samples: len(scores)}, nil
}
