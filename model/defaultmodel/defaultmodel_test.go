package defaultmodel

import (
	"testing"

	"github.com/lurescan/lurescan/model"
)

func TestLoad(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if m.VocabularySize() < 1000 || m.Meta().Calibration.Method != "platt" {
		t.Errorf("default model: %d features, calibration %+v", m.VocabularySize(), m.Meta().Calibration)
	}
	if th := m.Thresholds(); !(0 < th.Review && th.Review < th.High && th.High < 1) {
		t.Errorf("thresholds %+v", th)
	}
	// The artifact decodes to the same model again (immutable bytes).
	again, err := model.Unmarshal(Artifact())
	if err != nil || again.ID() != m.ID() {
		t.Errorf("second load: %v, id %s vs %s", err, again.ID(), m.ID())
	}
}

func BenchmarkLoad(b *testing.B) {
	b.SetBytes(int64(len(artifact)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
