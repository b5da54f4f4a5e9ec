// Package report renders an evaluation as a self-contained HTML page with
// SVG plots (ROC and precision-recall curves, a calibration plot, score
// histograms by label) that opens from disk with no network.
package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/lurescan/lurescan/training"
)

//go:embed report.html.tmpl
var pageTemplate string

const (
	plotW, plotH = 320.0, 240.0
	margin       = 36.0
)

// sx and sy map [0,1] to plot coordinates.
func sx(x float64) float64 { return margin + x*(plotW-2*margin) }
func sy(y float64) float64 { return plotH - margin - y*(plotH-2*margin) }

// polyline renders points as an SVG points attribute.
func polyline(ps []training.Point) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%.1f,%.1f ", sx(p.X), sy(p.Y))
	}
	return strings.TrimSpace(b.String())
}

type bar struct{ X, Y, W, H float64 }

// histogram renders two histograms (positives above, legitimate below the
// same axis, on a square-root scale so that both classes stay visible):
// element 0 is the positives' bars, element 1 the legitimate ones'.
func histogram(pos, neg []int) [2][]bar {
	var up, down []bar
	m := 1
	for i := range pos {
		m = max(m, pos[i], neg[i])
	}
	w := (plotW - 2*margin) / float64(len(pos))
	mid := plotH / 2
	half := mid - margin/2
	for i := range pos {
		x := margin + float64(i)*w
		hp := math.Sqrt(float64(pos[i])/float64(m)) * half
		hn := math.Sqrt(float64(neg[i])/float64(m)) * half
		up = append(up, bar{x, mid - hp, w - 1, hp})
		down = append(down, bar{x, mid, w - 1, hn})
	}
	return [2][]bar{up, down}
}

type calPoint struct{ X, Y, R float64 }

func calibration(bins []training.ReliabilityBin) []calPoint {
	total := 0
	for _, b := range bins {
		total += b.N
	}
	var out []calPoint
	for _, b := range bins {
		if b.N == 0 {
			continue
		}
		r := 2 + 8*math.Sqrt(float64(b.N)/float64(max(total, 1)))
		out = append(out, calPoint{sx(b.MeanPredicted), sy(b.FractionLure), r})
	}
	return out
}

// Write renders the report.
func Write(w io.Writer, rep *training.EvalReport, title string) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"polyline":    polyline,
		"histogram":   histogram,
		"calibration": calibration,
		"sx":          sx,
		"sy":          sy,
		"pct":         func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
		"f4":          func(x float64) string { return fmt.Sprintf("%.4f", x) },
		"f3":          func(x float64) string { return fmt.Sprintf("%.3f", x) },
		"div2":        func(x float64) float64 { return x / 2 },
		"groups": func(title string, gs []training.GroupReport) any {
			return struct {
				Title  string
				Groups []training.GroupReport
			}{title, gs}
		},
	}).Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	data := struct {
		Title      string
		Rep        *training.EvalReport
		W, H, M    float64
		Ticks      []float64
		InnerRight float64
		InnerTop   float64
	}{title, rep, plotW, plotH, margin, []float64{0, 0.25, 0.5, 0.75, 1}, plotW - margin, margin}
	if err := t.Execute(w, data); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}
