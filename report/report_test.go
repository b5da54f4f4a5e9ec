package report_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model/defaultmodel"
	"github.com/lurescan/lurescan/report"
	"github.com/lurescan/lurescan/training"
)

func evalReport(t *testing.T) *training.EvalReport {
	t.Helper()
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := []training.Example{
		{Label: training.LabelLure, Source: "written", Posting: features.Posting{Text: "URGENT!! Customer service job in Bangkok, salary $2,000/month, free air ticket and free food and accommodation, no experience needed, age 18-30. Contact Telegram @hr_mina77"}},
		{Label: training.LabelLure, Source: "written", Posting: features.Posting{Text: "Tuyển gấp nhân viên chăm sóc khách hàng tại Campuchia, lương 1500-3000 USD/tháng, bao vé máy bay, bao ăn ở, không cần kinh nghiệm. Liên hệ Telegram @tuyendung_pp"}},
		{Label: training.LabelLegit, Source: "<b>board</b>", Posting: features.Posting{Text: "We are hiring a senior accountant for our Singapore office. Five years of audit experience and a CPA are required. Apply on our careers page with your CV and two references."}},
		{Label: training.LabelLegit, Source: "<b>board</b>", Posting: features.Posting{Text: "Accountant"}},
	}
	rep, err := training.EvaluateModel(context.Background(), m, ex)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestWriteIsSelfContained(t *testing.T) {
	rep := evalReport(t)
	var b bytes.Buffer
	if err := report.Write(&b, rep, `Evaluation <script>alert(1)</script>`); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checks := []struct {
		name string
		ok   bool
	}{
		{"four SVG plots", strings.Count(page, "<svg") == 4},
		{"model id shown", strings.Contains(page, rep.ModelID)},
		{"title escaped", strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(page, "<script>alert")},
		{"source name escaped", strings.Contains(page, "&lt;b&gt;board&lt;/b&gt;")},
		{"no external resources", !regexp.MustCompile(`(?i)(src|href)\s*=\s*"?(https?:)?//`).MatchString(page)},
		{"no remote imports", !strings.Contains(page, "@import") && !strings.Contains(page, "url(http")},
		{"insufficient text counted", rep.Overall.Insufficient == 1},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("failed; report starts:\n%.1500s", page)
			}
		})
	}
}

func TestInsufficientTextIsBelowBothBands(t *testing.T) {
	rep := evalReport(t)
	var legit *training.GroupReport
	for i := range rep.BySource {
		if rep.BySource[i].Name == "<b>board</b>" {
			legit = &rep.BySource[i]
		}
	}
	if legit == nil || legit.N != 2 {
		t.Fatalf("source groups %+v", rep.BySource)
	}
	// The one-word advert is not judged; the accountant advert scores low.
	if legit.AtReview.FP != 0 || legit.AtReview.TN != 2 {
		t.Errorf("legitimate adverts at review: %+v", legit.AtReview)
	}
}
