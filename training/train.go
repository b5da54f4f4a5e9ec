package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
)

// Options configure training.
type Options struct {
	Settings model.Settings
	Features features.Config
	// Catalog is the indicator catalogue JSON the model carries.
	Catalog []byte
	// Folds for out-of-fold calibration (at least 2).
	Folds int
	// Seed decides the fold of each group.
	Seed uint64
	// ReviewFPR and HighFPR are the highest false-positive rates on real
	// legitimate adverts (out of fold) the review and high thresholds may
	// have; HardReviewFPR and HardHighFPR the same on the corpus's hard
	// negatives. Each threshold is the lowest that meets both.
	ReviewFPR, HighFPR         float64
	HardReviewFPR, HardHighFPR float64
	// LanguageThresholds also chooses the high threshold per detected
	// language, by the same targets, for each language with enough
	// legitimate examples to estimate them; it only ever raises the global
	// one.
	LanguageThresholds bool
	// Created stamps the model; it does not enter the model id.
	Created time.Time
	// BalanceLanguages weights documents so that, within each language, lures
	// and legitimate adverts stand in the same ratio as in the whole data.
	// Without it the model learns the data's accident that, say, every Thai
	// advert it saw was one of the project's own examples, half of them
	// lures, and flags Thai text as such.
	BalanceLanguages bool
	// Progress, when set, is told how many examples have been analysed.
	Progress func(done, total int)
	// Stages, when set, records how long each stage of training takes.
	Stages *Stages
	// Counter tallies the documents (model.CountDirect by default; the
	// counts, and so the model, are the same with model.CountGoml).
	Counter model.Counter
}

// Analyzer returns the analyzer the options describe (feature settings and
// indicator catalogue).
func (o Options) Analyzer() (*features.Analyzer, error) {
	cat, err := features.ParseCatalog(o.Catalog)
	if err != nil {
		return nil, err
	}
	return features.NewAnalyzer(o.Features, cat)
}

// DefaultOptions returns the options the default model is trained with.
func DefaultOptions() Options {
	return Options{
		Settings:           model.DefaultSettings(),
		Features:           features.DefaultConfig(),
		Catalog:            features.DefaultCatalogJSON(),
		Folds:              5,
		Seed:               1,
		ReviewFPR:          0.03,
		HighFPR:            0.005,
		HardReviewFPR:      0.20,
		HardHighFPR:        0.01,
		LanguageThresholds: true,
		BalanceLanguages:   true,
	}
}

// logisticCs are the regularisations nb-logistic chooses from, by
// out-of-fold ROC-AUC, when Settings.C is 0.
func logisticCs() []float64 { return []float64{1, 10, 100} }

// Summary is the training summary stored in the model and shown on its card.
type Summary struct {
	Examples   int                       `json:"examples"`
	ByLabel    map[string]int            `json:"by_label"`
	ByLanguage map[string]map[string]int `json:"by_language"`
	BySource   map[string]map[string]int `json:"by_source"`
	Folds      int                       `json:"folds"`
	Seed       uint64                    `json:"seed"`
	Vocabulary int                       `json:"vocabulary"`
	// Weights are the document weights per detected language and label
	// when languages are balanced.
	Weights map[string]map[string]int `json:"language_weights,omitempty"`
	// OutOfFold are metrics of the fold models on the examples they did not
	// see, with the final calibration and thresholds.
	OutOfFold Metrics `json:"out_of_fold"`
	// TunedF1 is the probability threshold that maximises F1 out of fold
	// (for research comparisons; the bands use Thresholds).
	TunedF1 float64 `json:"f1_threshold"`
}

// Prepared are examples analysed once, reusable across folds.
type Prepared struct {
	Examples []Example
	Docs     []model.Document
	// Langs are the detected languages.
	Langs []string
}

// Prepare analyses every example in parallel, in input order.
func Prepare(ctx context.Context, examples []Example, an *features.Analyzer, progress func(done, total int)) (*Prepared, error) {
	return prepare(ctx, examples, an, progress, nil)
}

// PrepareDeduplicated is Deduplicate followed by Prepare, in one pass over
// the text: every example is analysed, and the analyzer's normalised
// tokens give the fingerprints that deduplication needs. The examples
// returned (in prep.Examples) are Deduplicate's, with their groups merged.
// stages, when not nil, records the time of each part.
func PrepareDeduplicated(ctx context.Context, examples []Example, an *features.Analyzer, progress func(done, total int), stages *Stages) (*Prepared, DedupReport, error) {
	start := time.Now()
	fps := make([]fingerprint, len(examples))
	all, err := prepare(ctx, examples, an, progress, fps)
	if err != nil {
		return nil, DedupReport{}, err
	}
	start = stages.Done("analyse", start)
	defer stages.Done("deduplicate", start)
	keep, shingles, rep := deduplicate(examples, fps)
	prep := &Prepared{Examples: make([]Example, len(keep)), Docs: make([]model.Document, len(keep)),
		Langs: make([]string, len(keep))}
	for j, i := range keep {
		prep.Examples[j], prep.Docs[j], prep.Langs[j] = all.Examples[i], all.Docs[i], all.Langs[i]
	}
	rep.NearDuplicateMerge = mergeNearDuplicateGroups(prep.Examples, shingles)
	return prep, rep, nil
}

// prepare analyses the examples; with fps, it also fills in each one's
// fingerprint from the analyzer's tokens.
func prepare(ctx context.Context, examples []Example, an *features.Analyzer, progress func(done, total int), fps []fingerprint) (*Prepared, error) {
	p := &Prepared{Examples: slices.Clone(examples), Docs: make([]model.Document, len(examples)),
		Langs: make([]string, len(examples))}
	workers := runtime.GOMAXPROCS(0)
	// Each worker's name table is sized for the text it will see: on the
	// shared data, about one distinct feature for every 40 bytes, and a
	// table that starts small spends a tenth of a second rehashing as it
	// grows.
	textBytes := 0
	for i := range examples {
		for f := features.FieldText; f <= features.FieldCompanyProfile; f++ {
			textBytes += len(examples[i].Posting.FieldText(f))
		}
	}
	tableHint := textBytes / 40 / workers
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int, 64)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One name table a worker: each distinct feature is named
			// once, not in every document that has it.
			table := features.NewNameTable(tableHint)
			memo := features.NewStemMemo()
			fb := newFingerprintBuilder()
			for i := range next {
				opts := features.AnalyzeOptions{Table: table, StemMemo: memo}
				if fps != nil {
					fb.reset()
					opts.Visit = fb.field
				}
				a := an.AnalyzeWith(&examples[i].Posting, opts)
				if fps != nil {
					fps[i] = fb.finish()
				}
				p.Docs[i] = model.Document{IDs: a.IDs, Table: table, Class: examples[i].Class()}
				p.Langs[i] = a.Language.Code
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(examples))
					mu.Unlock()
				}
			}
		}()
	}
	var err error
feed:
	for i := range examples {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("analyse examples: %w", err)
	}
	return p, nil
}

// FoldOf returns the fold of a group: a seeded hash, so that every example
// of a group lands in the same fold and the split is reproducible.
func FoldOf(group string, seed uint64, folds int) int {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(group))
	return int(h.Sum64() % uint64(folds))
}

// Train trains a calibrated model on examples: out-of-fold scores (by
// group) fit the calibration and choose the thresholds, then the final
// model is counted on all examples.
func Train(ctx context.Context, examples []Example, opts Options) (*model.Model, *Summary, error) {
	if opts.Folds < 2 {
		return nil, nil, fmt.Errorf("train: need at least 2 folds, got %d", opts.Folds)
	}
	an, err := opts.Analyzer()
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	prep, err := Prepare(ctx, examples, an, opts.Progress)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	return TrainPrepared(ctx, prep, opts)
}

// TrainPrepared is Train on examples already analysed.
func TrainPrepared(ctx context.Context, prep *Prepared, opts Options) (*model.Model, *Summary, error) {
	folds := AssignFolds(prep.Examples, opts.Folds, opts.Seed)
	var weights map[string]map[string]int
	if opts.BalanceLanguages {
		weights = LanguageWeights(prep.Langs, prep.Examples)
		for i := range prep.Docs {
			prep.Docs[i].Weight = weights[prep.Langs[i]][prep.Examples[i].Label]
		}
	}
	start := time.Now()
	shards, err := model.CountShardsWith(prep.Docs, folds, opts.Folds, opts.Settings.MinCount, opts.Counter)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	start = opts.Stages.Done("count", start)
	labels := make([]int, len(prep.Examples))
	for i := range prep.Examples {
		labels[i] = prep.Examples[i].Class()
	}
	var raw []float64
	if opts.Settings.Algorithm == model.NBLogistic && opts.Settings.C == 0 {
		// Choose the regularisation by out-of-fold ROC-AUC.
		best := -1.0
		for _, c := range logisticCs() {
			try := opts
			try.Settings.C = c
			scores, err := scoreOutOfFold(ctx, shards, try)
			if err != nil {
				return nil, nil, fmt.Errorf("train: C %g: %w", c, err)
			}
			if auc := ROCAUC(scores, labels); auc > best {
				best, raw, opts.Settings.C = auc, scores, c
			}
		}
	} else {
		raw, err = scoreOutOfFold(ctx, shards, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
	}
	start = opts.Stages.Done("out-of-fold scores", start)
	cal, err := model.FitPlatt(raw, labels)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	probs := make([]float64, len(raw))
	for i, r := range raw {
		probs[i] = sigmoid(cal.A*r + cal.B)
	}
	th, langTh := chooseThresholds(prep.Examples, prep.Langs, probs, labels, opts)
	sum := summarise(prep.Examples, opts)
	sum.Weights = weights
	applied := make([]model.Thresholds, len(probs))
	for i := range applied {
		applied[i] = th
		if t, ok := langTh[prep.Langs[i]]; ok {
			applied[i] = t
		}
	}
	sum.OutOfFold = EvaluateEach(probs, labels, applied)
	sum.TunedF1 = BestF1Threshold(probs, labels)

	counts, classDocs, err := shards.Sum(-1, opts.Settings.MinCount)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	counts = model.SelectFeatures(counts, classDocs, opts.Settings.MaxFeatures)
	var logistic *model.Logistic
	if opts.Settings.Algorithm == model.NBLogistic {
		if logistic, err = shards.FitLogistic(-1, opts.Settings); err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
	}
	sum.Vocabulary = len(counts.Names)
	sumJSON, err := json.Marshal(sum)
	if err != nil {
		return nil, nil, fmt.Errorf("train: summary: %w", err)
	}
	defer opts.Stages.Done("calibrate and build", start)
	m, err := model.New(model.Spec{
		Meta: model.Meta{
			Created: opts.Created.UTC(), ClassDocs: classDocs, Settings: opts.Settings, Features: opts.Features,
			Catalog: opts.Catalog, Calibration: cal, Thresholds: th, LanguageThresholds: langTh, Training: sumJSON,
			Logistic: logistic,
		},
		Counts: counts,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	return m, sum, nil
}

// OutOfFold returns each example's raw score from a model counted on the
// other folds. The folds are counted once, in parallel; each fold model's
// counts are the total minus its own fold's.
func OutOfFold(ctx context.Context, prep *Prepared, folds []int, opts Options) ([]float64, error) {
	k := 0
	for _, f := range folds {
		k = max(k, f+1)
	}
	shards, err := model.CountShardsWith(prep.Docs, folds, k, opts.Settings.MinCount, opts.Counter)
	if err != nil {
		return nil, err
	}
	return scoreOutOfFold(ctx, shards, opts)
}

func scoreOutOfFold(ctx context.Context, shards *model.Shards, opts Options) ([]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := len(shards.PerShard)
	for fold := range k {
		var rest [2]uint64
		for f, cd := range shards.ClassDocs {
			if f != fold {
				rest[0] += cd[0]
				rest[1] += cd[1]
			}
		}
		if rest[0] == 0 || rest[1] == 0 {
			return nil, fmt.Errorf("fold %d: its training part has %d legitimate and %d positive documents: too few distinct examples (after deduplication) or groups for %d folds", fold, rest[0], rest[1], k)
		}
	}
	raw, err := shards.OutOfShardScores(opts.Settings)
	if err != nil {
		return nil, fmt.Errorf("out-of-fold scores: %w", err)
	}
	return raw, nil
}

// chooseThresholds picks each band threshold as the lowest meeting its
// false-positive targets on both sets of legitimate examples. With
// opts.LanguageThresholds it then does the same for the high band within
// each detected language, for each target the language has enough
// legitimate examples of to allow at least one false positive (n x rate
// >= 1; fewer examples cannot tell a rate from zero), and keeps the higher
// of the global and the language's threshold: a language whose legitimate
// adverts score higher gets a stricter high band, none gets a looser one.
// The review band stays global: it is meant to send about one in five
// look-alike adverts to a person, and a stricter review band per language
// costs recall where it matters most (measured: Thai lure recall at review
// fell from 0.99 to 0.91 in nested cross-validation).
func chooseThresholds(ex []Example, langs []string, probs []float64, labels []int, opts Options) (model.Thresholds, map[string]model.Thresholds) {
	type negatives struct{ real, hard []float64 }
	var all negatives
	per := map[string]*negatives{}
	for i, e := range ex {
		if labels[i] == 1 {
			continue
		}
		n := per[langs[i]]
		if n == nil {
			n = &negatives{}
			per[langs[i]] = n
		}
		if e.Set == SetCorpus {
			all.hard = append(all.hard, probs[i])
			n.hard = append(n.hard, probs[i])
		} else {
			all.real = append(all.real, probs[i])
			n.real = append(n.real, probs[i])
		}
	}
	// at is the lowest threshold meeting both targets; with estimable, a
	// set too small for its target is left out.
	at := func(n *negatives, realFPR, hardFPR float64, estimable bool) float64 {
		t := 0.0
		if len(n.real) > 0 && (!estimable || float64(len(n.real))*realFPR >= 1) {
			t = math.Max(t, ThresholdForFPR(n.real, make([]int, len(n.real)), realFPR))
		}
		if len(n.hard) > 0 && (!estimable || float64(len(n.hard))*hardFPR >= 1) {
			t = math.Max(t, ThresholdForFPR(n.hard, make([]int, len(n.hard)), hardFPR))
		}
		return t
	}
	th := model.Thresholds{Review: at(&all, opts.ReviewFPR, opts.HardReviewFPR, false), High: at(&all, opts.HighFPR, opts.HardHighFPR, false)}
	th.Review = math.Min(th.Review, th.High)
	if !opts.LanguageThresholds {
		return th, nil
	}
	var byLang map[string]model.Thresholds
	for lang, n := range per {
		lt := model.Thresholds{Review: th.Review, High: math.Max(th.High, at(n, opts.HighFPR, opts.HardHighFPR, true))}
		if lt != th {
			if byLang == nil {
				byLang = map[string]model.Thresholds{}
			}
			byLang[lang] = lt
		}
	}
	return th, byLang
}

// ThresholdForFPR returns the lowest threshold at which at most fpr of the
// legitimate examples score at or above it.
func ThresholdForFPR(probs []float64, labels []int, fpr float64) float64 {
	var legit []float64
	for i, p := range probs {
		if labels[i] == 0 {
			legit = append(legit, p)
		}
	}
	if len(legit) == 0 {
		return 0.5
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(legit)))
	allowed := int(math.Floor(fpr * float64(len(legit))))
	if allowed >= len(legit) {
		return 0
	}
	// Just above the (allowed+1)-th highest legitimate score.
	t := math.Nextafter(legit[allowed], 2)
	return math.Min(1, math.Round(t*1e6+0.5)/1e6)
}

// maxLanguageWeight caps a document weight: a handful of examples must not
// stand for thousands.
const maxLanguageWeight = 30

// LanguageWeights returns, per language and label, the integer weight that
// brings the language's positive-to-legit ratio closest to the whole data's.
// Positives are lures and frauds alike (Example.Class), and both labels get
// the positive weight; the fraud label has a weight only when the data has
// frauds. Only the scarcer class of a language is weighted up; a language
// with one class only is left alone.
func LanguageWeights(langs []string, ex []Example) map[string]map[string]int {
	type tally struct{ pos, legit int }
	per := map[string]*tally{}
	total := tally{}
	fraud := false
	for i := range ex {
		t := per[langs[i]]
		if t == nil {
			t = &tally{}
			per[langs[i]] = t
		}
		fraud = fraud || ex[i].Label == LabelFraud
		if ex[i].Class() == 1 {
			t.pos++
			total.pos++
		} else {
			t.legit++
			total.legit++
		}
	}
	out := map[string]map[string]int{}
	for lang, t := range per {
		pos, legit := 1, 1
		if t.pos > 0 && t.legit > 0 && total.pos > 0 && total.legit > 0 {
			r := float64(total.pos) / float64(total.legit)
			rl := float64(t.pos) / float64(t.legit)
			if rl > r {
				legit = min(maxLanguageWeight, max(1, int(math.Round(rl/r))))
			} else {
				pos = min(maxLanguageWeight, max(1, int(math.Round(r/rl))))
			}
		}
		w := map[string]int{LabelLure: pos, LabelLegit: legit}
		if fraud {
			w[LabelFraud] = pos
		}
		out[lang] = w
	}
	return out
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func summarise(ex []Example, opts Options) *Summary {
	s := &Summary{Examples: len(ex), ByLabel: map[string]int{}, ByLanguage: map[string]map[string]int{},
		BySource: map[string]map[string]int{}, Folds: opts.Folds, Seed: opts.Seed}
	for _, e := range ex {
		s.ByLabel[e.Label]++
		lang := firstNonEmpty(e.Lang, "und")
		if s.ByLanguage[lang] == nil {
			s.ByLanguage[lang] = map[string]int{}
		}
		s.ByLanguage[lang][e.Label]++
		if s.BySource[e.Source] == nil {
			s.BySource[e.Source] = map[string]int{}
		}
		s.BySource[e.Source][e.Label]++
	}
	return s
}

// ErrNoExamples is returned when there is nothing to train on.
var ErrNoExamples = errors.New("no examples")
