package report_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// TestUndefinedMetricsAreNull: a group with one class has no ROC-AUC, a
// group without positives no PR-AUC or recall, one without negatives no
// false-positive rate; JSON says null and the page a dash, never 0.
func TestUndefinedMetricsAreNull(t *testing.T) {
	rep := evalReport(t)
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Overall  map[string]any   `json:"overall"`
		BySource []map[string]any `json:"by_source"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	groups := map[string]map[string]any{"overall": got.Overall}
	for _, g := range got.BySource {
		groups[g["name"].(string)] = g
	}
	at := func(g map[string]any, band, key string) any { return g[band].(map[string]any)[key] }
	tests := []struct {
		group, metric string
		value         any
		wantNull      bool
	}{
		{"overall", "roc_auc", groups["overall"]["roc_auc"], false},
		{"overall", "pr_auc", groups["overall"]["pr_auc"], false},
		{"overall", "at_review.false_positive_rate", at(groups["overall"], "at_review", "false_positive_rate"), false},
		{"written (positives only)", "roc_auc", groups["written"]["roc_auc"], true},
		{"written (positives only)", "roc_auc_ci95", groups["written"]["roc_auc_ci95"], true},
		{"written (positives only)", "pr_auc", groups["written"]["pr_auc"], false},
		{"written (positives only)", "at_review.false_positive_rate", at(groups["written"], "at_review", "false_positive_rate"), true},
		{"written (positives only)", "at_review.recall", at(groups["written"], "at_review", "recall"), false},
		{"board (negatives only)", "roc_auc", groups["<b>board</b>"]["roc_auc"], true},
		{"board (negatives only)", "pr_auc", groups["<b>board</b>"]["pr_auc"], true},
		{"board (negatives only)", "at_high.recall", at(groups["<b>board</b>"], "at_high", "recall"), true},
		{"board (negatives only)", "at_high.precision (nothing flagged)", at(groups["<b>board</b>"], "at_high", "precision"), true},
		{"board (negatives only)", "at_high.false_positive_rate", at(groups["<b>board</b>"], "at_high", "false_positive_rate"), false},
	}
	for _, tt := range tests {
		t.Run(tt.group+" "+tt.metric, func(t *testing.T) {
			if (tt.value == nil) != tt.wantNull {
				t.Errorf("%s = %v, want null: %v", tt.metric, tt.value, tt.wantNull)
			}
		})
	}
	var b bytes.Buffer
	if err := report.Write(&b, rep, "Evaluation"); err != nil {
		t.Fatal(err)
	}
	if row := regexp.MustCompile(`<tr><td>&lt;b&gt;board&lt;/b&gt;</td><td>2</td><td>0</td><td>(.*?)</td>`).FindStringSubmatch(b.String()); row == nil || row[1] != "–" {
		t.Errorf("board's ROC-AUC cell %q, want a dash", row)
	}
}
