package features

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Catalog is the lure-indicator catalogue: explainable red flags grouped by
// category, each with a plain-language reason and literal phrase patterns
// per language, or the name of a code extractor (money, age, contact) that
// finds it. It is data (catalog/indicators.json), not code.
type Catalog struct {
	Version    int         `json:"version"`
	Categories []Category  `json:"categories"`
	Indicators []Indicator `json:"indicators"`
	// Negations are words that cancel a negatable indicator's phrase: per
	// language, those written just before it ("no age limit") and just
	// after it ("나이 제한 없음").
	Negations Negations `json:"negations,omitzero"`
}

// Negations are negation words per language.
type Negations struct {
	Before map[string][]string `json:"before,omitempty"`
	After  map[string][]string `json:"after,omitempty"`
}

// Category groups indicators.
type Category struct {
	ID   string            `json:"id"`
	Name map[string]string `json:"name"`
}

// Indicator is one red flag.
type Indicator struct {
	ID       string              `json:"id"`
	Category string              `json:"category"`
	Reason   map[string]string   `json:"reason"`
	Patterns map[string][]string `json:"patterns,omitempty"`
	// Extractor names code that finds this indicator instead of patterns.
	Extractor string `json:"extractor,omitempty"`
	// Negatable indicators do not fire where a negation word (Catalog's
	// Negations) stands next to the phrase in the same sentence: "no age
	// limit" is not an age limit.
	Negatable bool `json:"negatable,omitempty"`
}

// Extractors that indicators may name.
const (
	ExtractorPayAboveNorm     = "pay_above_norm"
	ExtractorAgeBand          = "age_band"
	ExtractorMessagingContact = "messaging_contact"
)

var knownExtractors = map[string]bool{
	ExtractorPayAboveNorm: true, ExtractorAgeBand: true, ExtractorMessagingContact: true,
}

//go:embed catalog/indicators.json
var defaultCatalogJSON []byte

// DefaultCatalogJSON returns the catalogue shipped with lurescan.
func DefaultCatalogJSON() []byte { return append([]byte(nil), defaultCatalogJSON...) }

// ErrInvalidCatalog is wrapped by every catalogue validation error.
var ErrInvalidCatalog = errors.New("invalid indicator catalogue")

// ParseCatalog decodes and validates a catalogue.
func ParseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCatalog, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCatalog, err)
	}
	return &c, nil
}

func (c *Catalog) validate() error {
	cats := map[string]bool{}
	for _, cat := range c.Categories {
		if cat.ID == "" {
			return errors.New("category without id")
		}
		if cats[cat.ID] {
			return fmt.Errorf("category %q listed twice", cat.ID)
		}
		cats[cat.ID] = true
	}
	ids := map[string]bool{}
	for _, ind := range c.Indicators {
		switch {
		case ind.ID == "":
			return errors.New("indicator without id")
		case ids[ind.ID]:
			return fmt.Errorf("indicator %q listed twice", ind.ID)
		case !cats[ind.Category]:
			return fmt.Errorf("indicator %q: unknown category %q", ind.ID, ind.Category)
		case ind.Reason["en"] == "":
			return fmt.Errorf("indicator %q: no English reason", ind.ID)
		case ind.Extractor != "" && !knownExtractors[ind.Extractor]:
			return fmt.Errorf("indicator %q: unknown extractor %q", ind.ID, ind.Extractor)
		case ind.Extractor == "" && len(ind.Patterns) == 0:
			return fmt.Errorf("indicator %q: no patterns", ind.ID)
		case ind.Negatable && len(c.Negations.Before)+len(c.Negations.After) == 0:
			return fmt.Errorf("indicator %q: negatable, but the catalogue has no negations", ind.ID)
		}
		ids[ind.ID] = true
	}
	return nil
}

// Indicator returns the indicator with the given id.
func (c *Catalog) Indicator(id string) (Indicator, bool) {
	for _, ind := range c.Indicators {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}

// Languages lists the pattern languages of the catalogue, sorted.
func (c *Catalog) Languages() []string {
	seen := map[string]bool{}
	for _, ind := range c.Indicators {
		for l := range ind.Patterns {
			seen[l] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
