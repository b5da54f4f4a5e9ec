// Package defaultmodel embeds the model lurescan ships with, so that the
// binary scores on a fresh machine with no data. It is produced by
// `lurescan train` (see README.md, "The default model") and its card is
// MODEL_CARD.md beside it.
package defaultmodel

import (
	_ "embed"
	"fmt"

	"github.com/lurescan/lurescan/model"
)

//go:embed default.model
var artifact []byte

// Load decodes the embedded model.
func Load() (*model.Model, error) {
	m, err := model.Unmarshal(artifact)
	if err != nil {
		return nil, fmt.Errorf("embedded default model: %w", err)
	}
	return m, nil
}

// Artifact returns a copy of the embedded model file.
func Artifact() []byte { return append([]byte(nil), artifact...) }
