package training

import (
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
)

func TestIndicatorAgreement(t *testing.T) {
	an, err := DefaultOptions().Analyzer()
	if err != nil {
		t.Fatal(err)
	}
	ex := []Example{
		{Posting: features.Posting{Text: "Urgent hiring! Bring your passport and start next week."}, Label: LabelLure, Lang: "en",
			Categories: []string{"passport", "urgency"}},
		{Posting: features.Posting{Text: "Office assistant in Leeds, apply on our website."}, Label: LabelLure, Lang: "en",
			Categories: []string{"passport"}},
		{Posting: features.Posting{Text: "Applicants need a valid passport for regional travel."}, Label: LabelLegit, Lang: "en",
			Categories: []string{"passport"}},
		{Posting: features.Posting{Text: "Hotel receptionist in Chiang Mai, free accommodation for staff."}, Label: LabelLegit, Lang: "en"},
	}
	rows := IndicatorAgreement(ex, an)
	byCat := map[string]CategoryAgreement{}
	for _, r := range rows {
		byCat[r.Category] = r
	}
	if len(byCat) != len(an.Catalog().Categories) {
		t.Fatalf("%d rows for %d categories", len(byCat), len(an.Catalog().Categories))
	}
	tests := []struct {
		category                                     string
		annotated, found, legitAnnotated, legitFound int
	}{
		{"passport", 2, 1, 1, 1},
		{"urgency", 1, 1, 0, 0},
		{"debt_advance", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.category, func(t *testing.T) {
			r := byCat[tt.category]
			if r.Annotated != tt.annotated || r.Found != tt.found || r.LegitAnnotated != tt.legitAnnotated || r.LegitFound != tt.legitFound {
				t.Errorf("lures %d/%d, legit %d/%d; want lures %d/%d, legit %d/%d", r.Found, r.Annotated, r.LegitFound, r.LegitAnnotated,
					tt.found, tt.annotated, tt.legitFound, tt.legitAnnotated)
			}
		})
	}
	if got := byCat["passport"].ByLanguage["en"]; got != [2]int{2, 1} {
		t.Errorf("passport in en: %v, want [2 1]", got)
	}
	if got := byCat["passport"].Recall(); got != 0.5 {
		t.Errorf("passport recall %v, want 0.5", got)
	}
	// The hotel advert's free accommodation is a perk nobody annotated.
	if byCat["perks_travel"].Unannotated < 1 {
		t.Errorf("perks_travel hits not annotated: %d, want at least 1", byCat["perks_travel"].Unannotated)
	}
	var b strings.Builder
	if err := WriteAgreement(&b, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| passport | 1 / 2 | 0.50 | 0.50 | 1 / 1 |", "| all |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
