// Package model is lurescan's naive Bayes model: per-class document
// frequencies counted directly (or, as a reference, through goml's naive
// Bayes, which gives the same counts more slowly; see Counter), scored here in log space with textbook per-class normalisation, calibrated
// into a probability, explained by per-feature contributions, and stored in
// a versioned, checksummed artifact. A Model is immutable once built and
// safe for concurrent use.
package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lurescan/lurescan/features"
)

// Algorithms the model can score with.
const (
	// Multinomial is textbook multinomial naive Bayes over binary
	// (present/absent) feature counts.
	Multinomial = "multinomial"
	// Complement is complement naive Bayes (Rennie et al. 2003) with
	// weight normalisation.
	Complement = "complement"
	// NBLogistic weighs each feature by its multinomial naive Bayes
	// log-count ratio r and lets a logistic regression, fitted on those
	// weighted features, learn how far to trust each one (Wang and Manning
	// 2012, "NBSVM", with a logistic loss): naive Bayes counts correlated
	// features (a word, its bigrams, its field-scoped copies) as
	// independent evidence, and the regression corrects that. The score is
	// still a sum of per-feature contributions, coefficient times ratio.
	NBLogistic = "nb-logistic"
)

// Length normalisations of the log-odds.
const (
	LengthNone = "none"
	// LengthSqrt divides the summed evidence by the square root of the number
	// of known features, so that long adverts do not saturate merely because
	// naive Bayes counts correlated features as independent. Under
	// nb-logistic it divides by the Euclidean length of the posting's
	// ratio-weighted feature vector (the same thing when every ratio is 1).
	LengthSqrt = "sqrt"
)

// Classes are the model's two classes, in count order.
var classNames = []string{"legit", "lure"}

// Calibration maps the model's raw score s to a probability
// p = 1/(1+exp(-(A*s+B))) (Platt scaling), fitted on held-out scores.
type Calibration struct {
	A       float64 `json:"a"`
	B       float64 `json:"b"`
	Method  string  `json:"method"`
	Samples int     `json:"samples"`
}

// Thresholds turn a probability into a band: below Review is low, below
// High is review, the rest is high.
type Thresholds struct {
	Review float64 `json:"review"`
	High   float64 `json:"high"`
}

// Validate checks that 0 < review <= high < 1... inclusive of 0 and 1 bounds.
func (t Thresholds) Validate() error {
	if !(t.Review >= 0 && t.Review <= 1 && t.High >= 0 && t.High <= 1) {
		return fmt.Errorf("thresholds must be within [0,1]: review %v, high %v", t.Review, t.High)
	}
	if t.Review > t.High {
		return fmt.Errorf("review threshold %v is above high threshold %v", t.Review, t.High)
	}
	return nil
}

// Settings are how a model was built and how it scores.
type Settings struct {
	Algorithm string  `json:"algorithm"`
	Alpha     float64 `json:"alpha"`
	MinCount  int     `json:"min_count"`
	Length    string  `json:"length_normalisation"`
	// MaxFeatures keeps only the features most dependent on the class
	// (SelectFeatures); 0 keeps all.
	MaxFeatures int `json:"max_features,omitempty"`
	// MinWords and MinKnown decide "not enough text to judge": fewer words,
	// or fewer features the model knows, and no probability is given.
	MinWords int `json:"min_words"`
	MinKnown int `json:"min_known"`
	// C is the inverse L2 regularisation strength of nb-logistic's
	// regression (unused by the other algorithms).
	C float64 `json:"c,omitempty"`
}

// DefaultSettings are used when training does not say otherwise.
func DefaultSettings() Settings {
	return Settings{Algorithm: Multinomial, Alpha: 0.0001, MinCount: 2, Length: LengthSqrt, MinWords: 5, MinKnown: 4}
}

func (s Settings) validate() error {
	switch {
	case s.Algorithm != Multinomial && s.Algorithm != Complement && s.Algorithm != NBLogistic:
		return fmt.Errorf("unknown algorithm %q", s.Algorithm)
	case s.Algorithm == NBLogistic && (!(s.C > 0) || math.IsInf(s.C, 0)):
		return fmt.Errorf("nb-logistic needs a positive regularisation C, got %v", s.C)
	case s.Length != LengthNone && s.Length != LengthSqrt:
		return fmt.Errorf("unknown length normalisation %q", s.Length)
	case !(s.Alpha > 0) || math.IsInf(s.Alpha, 0):
		return fmt.Errorf("smoothing alpha must be positive, got %v", s.Alpha)
	case s.MinCount < 1:
		return fmt.Errorf("min count must be at least 1, got %d", s.MinCount)
	}
	return nil
}

// Meta is what the artifact says about a model besides its counts.
type Meta struct {
	FormatVersion int             `json:"format_version"`
	ID            string          `json:"model_id"`
	Created       time.Time       `json:"created"`
	Classes       []string        `json:"classes"`
	ClassDocs     []uint64        `json:"class_docs"`
	Settings      Settings        `json:"settings"`
	Features      features.Config `json:"features"`
	Catalog       json.RawMessage `json:"catalog"`
	Calibration   Calibration     `json:"calibration"`
	Thresholds    Thresholds      `json:"thresholds"`
	// LanguageThresholds replace Thresholds for postings detected in a
	// language (a language code) where the trainer had enough legitimate
	// adverts in that language to choose them.
	LanguageThresholds map[string]Thresholds `json:"language_thresholds,omitempty"`
	// Training is the training summary (data, metrics): free-form JSON
	// written by the trainer and shown on the model card.
	Training json.RawMessage `json:"training,omitempty"`
	// Logistic is nb-logistic's fitted regression.
	Logistic *Logistic `json:"logistic,omitempty"`
}

// Logistic is a logistic regression over ratio-weighted features: one
// coefficient per feature, in the order of the model's counts.
type Logistic struct {
	Intercept float64   `json:"intercept"`
	Coef      []float64 `json:"coef"`
}

// Spec is everything a model is built from.
type Spec struct {
	Meta   Meta
	Counts Counts
	// content and vocab are the metadata and Counts as stored, when decoded
	// from an artifact: the id is computed over them as they are.
	content, vocab []byte
}

// Counts are per-class document frequencies of features.
type Counts struct {
	Names []string
	// PerClass[i] holds the number of documents of each class containing Names[i].
	PerClass [][2]uint64
}

// Model is a built, immutable naive Bayes model.
type Model struct {
	meta     Meta
	index    featureIndex
	weights  []float64 // per-feature evidence for "lure" over "legit"
	names    []string
	content  []byte    // encoded content metadata (see artifact.go)
	vocab    []byte    // encoded vocabulary
	textual  []bool    // words and characters, as opposed to typed features
	sq       []float64 // nb-logistic: each feature's squared ratio, for the length
	length   lengthMode
	perClass [][2]uint64
	bias     float64
	analyzer *features.Analyzer
	catalog  *features.Catalog
	marks    sync.Pool // *markSet, for counting each feature once per call
}

// Errors a model can be refused with.
var (
	ErrEmptyModel = errors.New("model has no features")
)

// New builds a model from spec: it validates the settings, derives the
// log-space weights, and computes the content id.
func New(spec Spec) (*Model, error) {
	meta := spec.Meta
	meta.FormatVersion = FormatVersion
	meta.Classes = classNames
	if err := meta.Settings.validate(); err != nil {
		return nil, fmt.Errorf("model settings: %w", err)
	}
	if err := meta.Thresholds.Validate(); err != nil {
		return nil, fmt.Errorf("model thresholds: %w", err)
	}
	for lang, th := range meta.LanguageThresholds {
		if err := th.Validate(); err != nil {
			return nil, fmt.Errorf("model thresholds for language %q: %w", lang, err)
		}
	}
	if len(meta.ClassDocs) != 2 || meta.ClassDocs[0] == 0 || meta.ClassDocs[1] == 0 {
		return nil, fmt.Errorf("model needs documents of both classes, has %v", meta.ClassDocs)
	}
	if len(spec.Counts.Names) != len(spec.Counts.PerClass) {
		return nil, fmt.Errorf("counts: %d names but %d count rows", len(spec.Counts.Names), len(spec.Counts.PerClass))
	}
	if len(spec.Counts.Names) == 0 {
		return nil, ErrEmptyModel
	}
	if !sort.StringsAreSorted(spec.Counts.Names) {
		return nil, errors.New("counts: feature names are not sorted")
	}
	// The analyzer, the feature index, and the encoded vocabulary and
	// weights do not depend on each other: they are built at once (New is
	// on training's and loading's critical path).
	var (
		wg              sync.WaitGroup
		cat             *features.Catalog
		an              *features.Analyzer
		anErr, indexErr error
		index           featureIndex
		textual         []bool
		vocab           = spec.vocab
		weightsOf       []float64
		bias            float64
	)
	wg.Add(3)
	go func() {
		defer wg.Done()
		if cat, anErr = features.ParseCatalog(meta.Catalog); anErr != nil {
			anErr = fmt.Errorf("model catalogue: %w", anErr)
			return
		}
		if an, anErr = features.NewAnalyzer(meta.Features, cat); anErr != nil {
			anErr = fmt.Errorf("model features: %w", anErr)
		}
	}()
	go func() {
		defer wg.Done()
		names := spec.Counts.Names
		index = newFeatureIndex(len(names))
		textual = make([]bool, len(names))
		for i, n := range names {
			textual[i] = IsTextFeature(n)
			if !index.insert(features.HashFeature(n), int32(i)) {
				indexErr = fmt.Errorf("counts: feature %q listed twice or its hash collides", n)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		if vocab == nil {
			vocab = encodeVocabulary(spec.Counts)
		}
		weightsOf, bias = weights(meta.Settings, meta.ClassDocs, spec.Counts.PerClass)
	}()
	wg.Wait()
	if anErr != nil {
		return nil, anErr
	}
	if indexErr != nil {
		return nil, indexErr
	}
	m := &Model{meta: meta, names: spec.Counts.Names, perClass: spec.Counts.PerClass, analyzer: an, catalog: cat}
	m.weights, m.bias = weightsOf, bias
	m.length = lengthModeOf(meta.Settings)
	switch lg := meta.Logistic; {
	case meta.Settings.Algorithm == NBLogistic:
		if lg == nil || len(lg.Coef) != len(m.weights) {
			return nil, fmt.Errorf("nb-logistic model needs one coefficient per feature (%d features)", len(m.weights))
		}
		if math.IsNaN(lg.Intercept) || math.IsInf(lg.Intercept, 0) {
			return nil, fmt.Errorf("nb-logistic intercept is %v", lg.Intercept)
		}
		m.sq = make([]float64, len(m.weights))
		for i, r := range m.weights {
			if c := lg.Coef[i]; math.IsNaN(c) || math.IsInf(c, 0) {
				return nil, fmt.Errorf("nb-logistic coefficient of %q is %v", spec.Counts.Names[i], c)
			}
			m.weights[i], m.sq[i] = lg.Coef[i]*r, r*r
		}
		m.bias = lg.Intercept
	case lg != nil:
		return nil, fmt.Errorf("a %s model has no logistic regression", meta.Settings.Algorithm)
	}
	m.index, m.textual = index, textual
	n := len(m.names)
	m.marks.New = func() any { return &markSet{marks: make([]uint32, n)} }
	m.content, m.vocab = spec.content, vocab
	if m.content == nil {
		var err error
		if m.content, err = encodeContent(meta); err != nil {
			return nil, err
		}
	}
	id := contentID(m.content, m.vocab)
	if meta.ID != "" && meta.ID != id {
		return nil, fmt.Errorf("%w: stored model id %s, content hashes to %s", ErrCorrupt, meta.ID, id)
	}
	m.meta.ID = id
	return m, nil
}

// weights derives per-feature log-odds weights and the prior log-odds.
//
// Multinomial: theta[c][f] = (n[c][f] + alpha) / (N[c] + alpha*|V|), where
// N[c] is class c's own total, and w[f] = log theta[lure][f] - log
// theta[legit][f]. Complement: each class's weights come from the other
// class's counts, normalised by their total magnitude (Rennie et al.,
// section 3.2), and w[f] is the difference.
func weights(s Settings, classDocs []uint64, counts [][2]uint64) ([]float64, float64) {
	var total [2]float64
	for _, c := range counts {
		total[0] += float64(c[0])
		total[1] += float64(c[1])
	}
	v := float64(len(counts))
	w := make([]float64, len(counts))
	var logTheta [2][]float64
	for c := 0; c < 2; c++ {
		logTheta[c] = make([]float64, len(counts))
		den := math.Log(total[c] + s.Alpha*v)
		for i, n := range counts {
			logTheta[c][i] = math.Log(float64(n[c])+s.Alpha) - den
		}
	}
	prior := math.Log(float64(classDocs[1])) - math.Log(float64(classDocs[0]))
	switch s.Algorithm {
	case Complement:
		// Class c's complement weights are the other class's log thetas.
		// Normalised, w_c = logTheta[1-c] / sum|logTheta[1-c]|; the lure
		// score is w_legit - w_lure.
		var norm [2]float64
		for c := 0; c < 2; c++ {
			for _, x := range logTheta[c] {
				norm[c] += math.Abs(x)
			}
		}
		for i := range w {
			// w_legit uses lure counts (logTheta[1]); w_lure uses legit counts.
			w[i] = (logTheta[1][i]/norm[1] - logTheta[0][i]/norm[0]) * v
		}
		return w, 0
	default:
		for i := range w {
			w[i] = logTheta[1][i] - logTheta[0][i]
		}
		return w, prior
	}
}

// ID returns the model's content id.
func (m *Model) ID() string { return m.meta.ID }

// Meta returns the model's metadata (a copy).
func (m *Model) Meta() Meta { return m.meta }

// Analyzer returns the feature analyzer the model was trained with.
func (m *Model) Analyzer() *features.Analyzer { return m.analyzer }

// Catalog returns the indicator catalogue the model was trained with.
func (m *Model) Catalog() *features.Catalog { return m.catalog }

// Thresholds returns the model's band thresholds for any language.
func (m *Model) Thresholds() Thresholds { return m.meta.Thresholds }

// ThresholdsFor returns the band thresholds for a posting detected in lang:
// the language's own when the model has them, else Thresholds.
func (m *Model) ThresholdsFor(lang string) Thresholds {
	if th, ok := m.meta.LanguageThresholds[lang]; ok {
		return th
	}
	return m.meta.Thresholds
}

// LanguageThresholds returns a copy of the per-language band thresholds.
func (m *Model) LanguageThresholds() map[string]Thresholds {
	return maps.Clone(m.meta.LanguageThresholds)
}

// Counts returns a copy of the counts the model was built from, so that a
// model can be rebuilt with other metadata (thresholds, calibration).
func (m *Model) Counts() Counts {
	return Counts{Names: slices.Clone(m.names), PerClass: slices.Clone(m.perClass)}
}

// VocabularySize is the number of features the model knows.
func (m *Model) VocabularySize() int { return len(m.names) }

// Contribution is one feature's part in a score, in calibrated log-odds.
type Contribution struct {
	Feature string  `json:"feature"`
	Weight  float64 `json:"weight"`
}

// Score is the model's answer for one analysed posting.
type Score struct {
	// Raw is the uncalibrated score (log-odds, length-normalised per the
	// settings).
	Raw float64
	// Probability is the calibrated probability of a lure.
	Probability float64
	// Known counts distinct features the model knows; KnownText those of
	// them that are words or characters (typed features such as "no pay
	// stated" are in every posting and say nothing about its text).
	Known, KnownText int
	// For and Against are the top contributions each way, when asked for.
	For, Against []Contribution
}

// markSet marks vocabulary indexes seen in one call.
type markSet struct {
	marks []uint32
	epoch uint32
	seen  []int32
}

// Score scores the feature hashes of an analysis. Each feature counts once.
// top > 0 asks for that many contributions each way.
func (m *Model) Score(hashes []uint64, top int) Score {
	ms := m.marks.Get().(*markSet)
	defer m.marks.Put(ms)
	ms.epoch++
	if ms.epoch == 0 {
		clear(ms.marks)
		ms.epoch = 1
	}
	ms.seen = ms.seen[:0]
	sum, sumSq, knownText := 0.0, 0.0, 0
	for _, h := range hashes {
		i, ok := m.index.get(h)
		if !ok || ms.marks[i] == ms.epoch {
			continue
		}
		ms.marks[i] = ms.epoch
		ms.seen = append(ms.seen, i)
		sum += m.weights[i]
		if m.textual[i] {
			knownText++
		}
	}
	if m.sq != nil { // nb-logistic's length, in the same order
		for _, i := range ms.seen {
			sumSq += m.sq[i]
		}
	}
	known := len(ms.seen)
	scale := m.length.scale(known, sumSq)
	raw := m.bias + sum*scale
	sc := Score{Raw: raw, Probability: m.calibrate(raw), Known: known, KnownText: knownText}
	if top > 0 {
		sc.For, sc.Against = m.contributions(ms.seen, scale, top)
	}
	return sc
}

// lengthMode is a model's length normalisation, decided once from its
// settings so that scoring does not look at them.
type lengthMode uint8

const (
	lengthOff     lengthMode = iota // LengthNone
	lengthKnown                     // divide by sqrt(known features)
	lengthRatioL2                   // nb-logistic: divide by sqrt(sum of squared ratios)
)

func lengthModeOf(s Settings) lengthMode {
	switch {
	case s.Length != LengthSqrt:
		return lengthOff
	case s.Algorithm == NBLogistic:
		return lengthRatioL2
	default:
		return lengthKnown
	}
}

// scale is what the summed evidence of known features is multiplied by;
// sumSq is the sum of their squared ratios (nb-logistic only).
func (l lengthMode) scale(known int, sumSq float64) float64 {
	switch {
	case l == lengthKnown && known > 0:
		return 1 / math.Sqrt(float64(known))
	case l == lengthRatioL2 && sumSq > 0:
		return 1 / math.Sqrt(sumSq)
	}
	return 1
}

// calibrate maps a raw score to a probability; the sigmoid is computed so
// that it never overflows.
func (m *Model) calibrate(raw float64) float64 {
	return sigmoid(m.meta.Calibration.A*raw + m.meta.Calibration.B)
}

func sigmoid(z float64) float64 {
	if math.IsNaN(z) {
		return 0.5
	}
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// contributions returns the top features each way, in calibrated log-odds
// units, ties broken by name so results are the same on every run. One pass
// keeps the top few each way by insertion: no sort of every feature.
func (m *Model) contributions(seen []int32, scale float64, top int) (pos, neg []Contribution) {
	a := m.meta.Calibration.A * scale
	better := func(x, y int32, sign float64) bool { // x before y?
		wx, wy := sign*m.weights[x], sign*m.weights[y]
		if wx != wy {
			return wx > wy
		}
		return m.names[x] < m.names[y]
	}
	keep := func(list []int32, i int32, sign float64) []int32 {
		if len(list) == top && !better(i, list[top-1], sign) {
			return list
		}
		j := len(list)
		if j < top {
			list = append(list, i)
		} else {
			j = top - 1
		}
		for ; j > 0 && better(i, list[j-1], sign); j-- {
			list[j] = list[j-1]
		}
		list[j] = i
		return list
	}
	var bestPos, bestNeg []int32
	for _, i := range seen {
		switch w := m.weights[i]; {
		case w > 0:
			bestPos = keep(bestPos, i, 1)
		case w < 0:
			bestNeg = keep(bestNeg, i, -1)
		}
	}
	for _, i := range bestPos {
		pos = append(pos, Contribution{Feature: m.names[i], Weight: round4(m.weights[i] * a)})
	}
	for _, i := range bestNeg {
		neg = append(neg, Contribution{Feature: m.names[i], Weight: round4(m.weights[i] * a)})
	}
	return pos, neg
}

// IsTextFeature reports whether a feature name is a word, phrase or
// character feature (possibly field-scoped).
func IsTextFeature(name string) bool {
	if i := strings.IndexByte(name, '|'); i >= 0 {
		name = name[i+1:]
	}
	for _, p := range []string{"w:", "b:", "c:", "cc:"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
