package classifier

import (
	"context"
	"os"
	"testing"

	"github.com/lurescan/lurescan/training"
)

// TestEmbeddedModelOnHeldOutAdverts scores, with the embedded default model,
// one lure and one legitimate advert per language that were written for
// this test and are in no training data (testdata/held_out.jsonl): each lure
// must be banded high, each legitimate advert low.
func TestEmbeddedModelOnHeldOutAdverts(t *testing.T) {
	c := defaultClassifier(t)
	f, err := os.Open("testdata/held_out.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := training.ReadJSONL(f, "held_out.jsonl", training.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]map[string]bool{}
	for _, e := range ex {
		t.Run(e.Posting.ID, func(t *testing.T) {
			res, err := c.Classify(context.Background(), &e.Posting, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusScored {
				t.Fatalf("status %s: %s", res.Status, res.Message)
			}
			want := BandLow
			if e.Label == training.LabelLure {
				want = BandHigh
			}
			if *res.Band != want {
				t.Errorf("%s advert in %s: band %s (probability %.3f), want %s", e.Label, e.Lang, *res.Band, *res.Probability, want)
			}
			if res.Language.Code != e.Lang {
				t.Errorf("language detected as %s, want %s", res.Language.Code, e.Lang)
			}
			if e.Label == training.LabelLure && len(res.Indicators) < 3 {
				t.Errorf("only %d indicator hits in a lure", len(res.Indicators))
			}
		})
		if langs[e.Lang] == nil {
			langs[e.Lang] = map[string]bool{}
		}
		langs[e.Lang][e.Label] = true
	}
	for _, lang := range []string{"en", "zh", "zh-Hant", "vi", "id", "ms", "th", "ko", "ja", "tl"} {
		if !langs[lang][training.LabelLure] || !langs[lang][training.LabelLegit] {
			t.Errorf("held-out adverts lack a lure and a legitimate advert in %s", lang)
		}
	}
}
