package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/model/defaultmodel"
)

// TestDefaultModelIsReproducible retrains the embedded default model the way
// scripts/train-default-model does and checks that the result is the same
// model (same content id).
func TestDefaultModelIsReproducible(t *testing.T) {
	data := os.Getenv("LURESCAN_DATA")
	if data == "" {
		t.Skip("LURESCAN_DATA is unset: the shared data is needed to retrain the default model (CI sets it)")
	}
	embedded, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The direct counter trains the default model; goml's naive Bayes, the
	// reference counter, must count the same and so give the same bytes.
	for _, counter := range []string{"direct", "goml"} {
		t.Run(counter, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "default.model")
			code, _, errs := runCLI(t, "", "train", "--counter", counter, "--corpus", "../../training/corpus", "--data", filepath.Join(data, "jobs", "legit.jsonl"),
				"--created", "2026-11-22T00:00:00Z", "--out", out)
			if code != 0 {
				t.Fatalf("train exit %d: %s", code, errs)
			}
			retrained, err := model.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if retrained.ID() != embedded.ID() {
				t.Errorf("retrained model %s differs from the embedded %s: run scripts/train-default-model and commit the result", retrained.ID(), embedded.ID())
			}
			got, _ := os.ReadFile(out)
			if string(got) != string(defaultmodel.Artifact()) {
				t.Error("same id but different bytes: the artifact is not reproducible")
			}
		})
	}
}
