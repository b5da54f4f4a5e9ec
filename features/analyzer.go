package features

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// ConfigVersion is the version of the analysis algorithm. A model records
// the version it was trained with; a model from another version is refused,
// because its features would not mean the same thing.
const ConfigVersion = 1

// Config is the feature configuration a model is trained with and stored
// with.
type Config struct {
	Version int `json:"version"`
	// WordBigrams adds adjacent word pairs for space-separated scripts.
	WordBigrams bool `json:"word_bigrams"`
	// CharUnigrams adds single characters of unspaced scripts next to
	// character bigrams.
	CharUnigrams bool `json:"char_unigrams"`
	// ScopedFields get a field-scoped copy of each word feature besides the
	// plain one: "title|w:model" is not "w:model".
	ScopedFields []string `json:"scoped_fields"`
	// CategoryPairs adds a feature for every pair of indicator categories
	// present: the signal is the combination.
	CategoryPairs bool `json:"category_pairs"`
	// ScopedBigrams gives word bigrams field-scoped copies too.
	ScopedBigrams bool `json:"scoped_bigrams,omitempty"`
	// EmptyFields adds a feature for each empty field of a structured
	// posting. Off by default: when real adverts come from scraped boards
	// and lures from elsewhere, which fields are empty says more about the
	// source than about the advert.
	EmptyFields bool `json:"empty_fields"`
	// FoldDiacritics strips diacritics from Latin words before stemming, so
	// Vietnamese typed with and without tone marks share features.
	FoldDiacritics bool `json:"fold_diacritics"`
}

// DefaultConfig is the configuration new models are trained with.
func DefaultConfig() Config {
	return Config{
		Version:        ConfigVersion,
		WordBigrams:    true,
		CharUnigrams:   true,
		ScopedFields:   []string{"title", "salary", "benefits", "contact"},
		CategoryPairs:  true,
		FoldDiacritics: true,
	}
}

// ErrIncompatibleConfig is returned for a configuration this build cannot run.
var ErrIncompatibleConfig = errors.New("incompatible feature configuration")

// Analysis is everything read from one posting.
type Analysis struct {
	Language Language
	// Words counts words (spaced scripts) and half-characters (unspaced
	// scripts, where two characters make about a word).
	Words    int
	Hits     []Hit
	Money    []Money
	Contacts []ContactKind
	Ages     []AgeBand
	// Features are FNV-1a hashes of feature names, in emission order, with
	// repeats; the model looks them up and counts each once.
	Features []uint64
	// Names are the feature names, in the order of Features, when asked for.
	Names []string
	// IDs, with AnalyzeOptions.Table, are the distinct features as the
	// table's ids, in the order they first occur.
	IDs []uint32
	// Spans, when asked for, locate the word and phrase features (w:, b:
	// and their field-scoped copies) in the posting: each occurrence's
	// feature hash and byte span in its field's original text, in emission
	// order. They show a person the words behind a stem ("regist" is
	// "registered" in the advert).
	Spans []FeatureSpan
}

// FeatureSpan is where a word or phrase feature occurs in a posting.
type FeatureSpan struct {
	Feature    uint64
	Start, End int32
	Field      Field
}

// AnalyzeOptions ask Analyze for more than the features.
type AnalyzeOptions struct {
	// Names fills Analysis.Names (training and explanations need names;
	// scoring does not).
	Names bool
	// Spans fills Analysis.Spans.
	Spans bool
	// Visit, when set, sees every field as normalised and tokenized.
	Visit FieldVisitor
	// Table, when not nil, is given the name of every feature whose hash
	// it does not hold yet, and Analysis.IDs is filled with the posting's
	// distinct features as the table's ids. A caller analysing many
	// postings (training) then builds each distinct name once, not once a
	// posting: most features recur, and naming every occurrence was most
	// of training's garbage. Analysis.Features is then left empty, unless
	// Names or Spans are asked for: the IDs and the table give the
	// features (NameTable.Hash).
	Table *NameTable
	// StemMemo, when not nil, memoises stems for a goroutine analysing many
	// postings (see StemMemo).
	StemMemo *StemMemo
}

// Analyzer runs the analysis pipeline. Immutable after construction and safe
// for concurrent use.
type Analyzer struct {
	cfg      Config
	scoped   [numFields]bool
	catalog  *Catalog
	matcher  *Matcher
	detector *LanguageDetector
	stemmer  *Stemmer
	money    *MoneyReader
	folder   *diacriticFolder
	// extractor indicator indexes in the catalogue, -1 if absent
	payIdx, ageIdx, msgIdx int
	scratch                sync.Pool
}

// NewAnalyzer builds an analyzer for cfg with catalogue c.
func NewAnalyzer(cfg Config, c *Catalog) (*Analyzer, error) {
	if cfg.Version != ConfigVersion {
		return nil, fmt.Errorf("%w: version %d, this build runs %d", ErrIncompatibleConfig, cfg.Version, ConfigVersion)
	}
	a := &Analyzer{cfg: cfg, catalog: c, matcher: NewMatcher(c), detector: NewLanguageDetector(), stemmer: NewStemmer(),
		folder: newDiacriticFolder(), payIdx: -1, ageIdx: -1, msgIdx: -1}
	for _, name := range cfg.ScopedFields {
		f, ok := FieldByName(name)
		if !ok {
			return nil, fmt.Errorf("%w: unknown scoped field %q", ErrIncompatibleConfig, name)
		}
		a.scoped[f] = true
	}
	money, err := NewMoneyReader()
	if err != nil {
		return nil, err
	}
	a.money = money
	for i, ind := range c.Indicators {
		switch ind.Extractor {
		case ExtractorPayAboveNorm:
			a.payIdx = i
		case ExtractorAgeBand:
			a.ageIdx = i
		case ExtractorMessagingContact:
			a.msgIdx = i
		}
	}
	a.scratch.New = func() any { return new(scratch) }
	return a, nil
}

// Catalog returns the analyzer's indicator catalogue.
func (a *Analyzer) Catalog() *Catalog { return a.catalog }

// Config returns the analyzer's configuration.
func (a *Analyzer) Config() Config { return a.cfg }

// FieldByName returns the field with JSON name s.
func FieldByName(s string) (Field, bool) {
	for f := FieldText; f < numFields; f++ {
		if fieldNames[f] == s {
			return f, true
		}
	}
	return 0, false
}

// scratch is per-call working memory, pooled. The fields' normalised texts
// and offset maps live in buf and orig, and the next analysis that gets
// this scratch overwrites them: nothing an Analysis returns may refer to
// them (hits quote the original text, names are built anew, the stem cache
// copies words and stems; TestAnalysisOutlivesScratch checks).
type scratch struct {
	buf     []byte
	orig    []int32
	name    []byte
	matches []match
	fields  [numFields]fieldText
	toks    []Token
	ids     []uint32
}

type fieldText struct {
	orig     string
	norm     Normalized
	lo, hi   int // token range in scratch.toks
	nonEmpty bool
}

// emitter builds feature hashes (and names when asked).
type emitter struct {
	out   *Analysis
	name  []byte
	names bool
	spans bool
	table *NameTable
	// hashes says whether out.Features is filled (not with a table alone).
	hashes bool
	ids    []uint32 // the posting's distinct feature ids so far (scratch)
}

// span records where the features emitted since mark (a length of
// out.Features) occur: normalised text [start,end) of field f.
func (e *emitter) span(mark int, f Field, n *Normalized, start, end int) {
	if !e.spans {
		return
	}
	os, oe := n.Original(start, end)
	for _, h := range e.out.Features[mark:] {
		e.out.Spans = append(e.out.Spans, FeatureSpan{Feature: h, Field: f, Start: int32(os), End: int32(oe)})
	}
}

func (e *emitter) add(parts ...string) {
	h := uint64(fnvOffset)
	for _, p := range parts {
		h = fnvAdd(h, p)
	}
	if e.hashes {
		e.out.Features = append(e.out.Features, h)
	}
	id, known := e.lookup(h)
	if !e.names && known {
		return
	}
	e.name = e.name[:0]
	for _, p := range parts {
		e.name = append(e.name, p...)
	}
	e.named(h, id, known, string(e.name))
}

// lookup returns the table's id for feature h when it has the feature,
// and marks it in the posting's IDs. Without a table, every feature is
// "known": nothing needs its name.
func (e *emitter) lookup(h uint64) (uint32, bool) {
	if e.table == nil {
		return 0, true
	}
	id, ok := e.table.lookup(h)
	if ok && e.table.firstInPosting(id) {
		e.ids = append(e.ids, id)
	}
	return id, ok
}

// named records the name of feature h, just emitted; known says whether
// the table (if any) already has it, as id.
func (e *emitter) named(h uint64, id uint32, known bool, name string) {
	if e.names {
		e.out.Names = append(e.out.Names, name)
	}
	if !known {
		id = e.table.add(h, name)
		e.table.firstInPosting(id)
		e.ids = append(e.ids, id)
	}
}

// add2 is add for a prefix and one part, the hot case, without building a
// slice of parts.
func (e *emitter) add2(prefix, a string) {
	h := fnvAdd(fnvAdd(fnvOffset, prefix), a)
	if e.hashes {
		e.out.Features = append(e.out.Features, h)
	}
	if id, known := e.lookup(h); e.names || !known {
		e.named(h, id, known, prefix+a)
	}
}

// HashFeature returns the hash of a feature name, as Analysis.Features holds it.
func HashFeature(name string) uint64 { return fnv64(name) }

// Analyze runs the pipeline on p. With names set, Analysis.Names is filled
// (training and explanations need names; scoring does not).
func (a *Analyzer) Analyze(p *Posting, names bool) *Analysis {
	return a.AnalyzeWith(p, AnalyzeOptions{Names: names})
}

// FieldVisitor sees each non-empty field of a posting once it is normalised
// and tokenized, in field order: norm is the normalised text (Normalize)
// and toks its tokens (Tokenize). Neither may be kept after the call.
type FieldVisitor func(f Field, norm string, toks []Token)

// AnalyzeVisit is Analyze that also shows visit (when not nil) every
// field's normalised text and tokens, so that a caller needing them too
// (such as near-duplicate detection) does not normalise the posting twice.
func (a *Analyzer) AnalyzeVisit(p *Posting, names bool, visit FieldVisitor) *Analysis {
	return a.AnalyzeWith(p, AnalyzeOptions{Names: names, Visit: visit})
}

// AnalyzeWith runs the pipeline on p with opts.
func (a *Analyzer) AnalyzeWith(p *Posting, opts AnalyzeOptions) *Analysis {
	names, visit := opts.Names, opts.Visit
	sc := a.scratch.Get().(*scratch)
	defer a.scratch.Put(sc)
	out := &Analysis{}
	em := emitter{out: out, name: sc.name[:0], names: names, spans: opts.Spans, table: opts.Table,
		hashes: opts.Table == nil || names || opts.Spans}
	if opts.Table != nil {
		opts.Table.startPosting()
	}
	em.ids = sc.ids[:0]
	defer func() { sc.name, sc.ids = em.name, em.ids }()

	// 1-2. Normalise and tokenize every field.
	sc.toks, sc.buf, sc.orig = sc.toks[:0], sc.buf[:0], sc.orig[:0]
	var stats TextStats
	structured := p.Structured()
	for f := FieldText; f < numFields; f++ {
		ft := &sc.fields[f]
		*ft = fieldText{orig: p.FieldText(f)}
		if ft.orig == "" {
			continue
		}
		ft.nonEmpty = true
		start := len(sc.buf)
		ft.norm, sc.buf, sc.orig = normalizeAppend(ft.orig, sc.buf, sc.orig)
		if n := len(sc.buf) - start; n > 0 {
			ft.norm.Text = unsafe.String(&sc.buf[start], n)
		}
		ft.lo = len(sc.toks)
		var st TextStats
		sc.toks, st = Tokenize(ft.norm.Text, sc.toks)
		ft.hi = len(sc.toks)
		if visit != nil {
			visit(f, ft.norm.Text, sc.toks[ft.lo:ft.hi])
		}
		for i := range st.Letters {
			stats.Letters[i] += st.Letters[i]
		}
		stats.Emoji += st.Emoji
		stats.Exclaims += st.Exclaims
		if ft.hi > ft.lo {
			sc.toks[ft.lo].Break = true // fields never run into each other
		}
	}

	if opts.Spans {
		// About one word and one phrase feature a token (more when scoped).
		out.Spans = make([]FeatureSpan, 0, 2*len(sc.toks)+8)
	}

	// 3. Detect the language over all fields together.
	lang := a.detectAll(sc)
	out.Language = lang
	stem := a.stemmer.For(lang.Code)
	if stem != nil {
		stem.memo = opts.StemMemo
	}

	// 4-5. Per field: stems and n-grams, indicators, typed features.
	categories := map[string]bool{}
	var contacts [16]ContactKind
	nContacts := 0
	upper, letters := 0, 0
	for f := FieldText; f < numFields; f++ {
		ft := &sc.fields[f]
		if !ft.nonEmpty {
			continue
		}
		upper += ft.norm.Upper
		toks := sc.toks[ft.lo:ft.hi]
		s := ft.norm.Text
		out.Words += a.emitText(&em, f, &ft.norm, toks, stem)

		// Indicator phrases.
		sc.matches = a.matcher.Match(s, toks, sc.matches[:0])
		for _, m := range sc.matches {
			if a.matcher.negated(s, toks, m) {
				continue
			}
			ind := a.catalog.Indicators[m.indicator]
			a.addHit(out, ft, f, ind, int(toks[m.first].Start), int(toks[m.last].End))
		}
		// Money.
		start := len(out.Money)
		out.Money = a.money.Read(s, toks, lang.Code, out.Money)
		for _, m := range out.Money[start:] {
			if a.payIdx >= 0 && m.NormRatio >= 2 {
				a.addHit(out, ft, f, a.catalog.Indicators[a.payIdx], m.Start, m.End)
			}
		}
		// Contacts.
		var cbuf [8]Contact
		for _, c := range ReadContacts(s, toks, cbuf[:0]) {
			if nContacts < len(contacts) {
				contacts[nContacts] = c.Kind
				nContacts++
			}
			if a.msgIdx >= 0 && c.Handle {
				a.addHit(out, ft, f, a.catalog.Indicators[a.msgIdx], c.Start, c.End)
			}
		}
		// Ages.
		start = len(out.Ages)
		out.Ages = ReadAges(s, toks, out.Ages)
		for _, ab := range out.Ages[start:] {
			if a.ageIdx >= 0 && ab.Max <= 40 {
				a.addHit(out, ft, f, a.catalog.Indicators[a.ageIdx], ab.Start, ab.End)
			}
		}
	}
	for _, st := range stats.Letters {
		letters += st
	}

	sortHits(out.Hits)
	out.Hits = capHits(dropNestedHits(out.Hits))

	// Indicator features: each hit, each category, pairs, and how many.
	for _, h := range out.Hits {
		em.add("i:", h.Indicator)
		categories[h.Category] = true
	}
	cats := make([]string, 0, len(categories))
	for c := range categories {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		em.add("k:", c)
	}
	if a.cfg.CategoryPairs {
		for i := range cats {
			for j := i + 1; j < len(cats); j++ {
				em.add("kk:", cats[i], "+", cats[j])
			}
		}
	}
	em.add("k#:", bucket(len(cats), 5))

	// Money features.
	if len(out.Money) == 0 {
		em.add("m:none")
	}
	for _, m := range out.Money {
		em.add("m:cur=", m.Currency)
		em.add("m:period=", string(m.Period))
		em.add("m:usd=", log2Bucket(m.USDMonthly))
		if m.NormRatio > 0 {
			em.add("m:norm=", normLevel(m.NormRatio))
			if categories["easy_work"] && m.NormRatio >= 1.8 {
				em.add("m:high+easy_work")
			}
		}
	}
	// Contact features.
	messaging, formal := false, false
	for _, k := range contacts[:nContacts] {
		em.add("ct:", string(k))
		if k.Messaging() {
			messaging = true
		} else if k == ContactEmail || k == ContactURL {
			formal = true
		}
		out.Contacts = appendUnique(out.Contacts, k)
	}
	if messaging && !formal {
		em.add("ct:messaging_only")
	}
	// Age features.
	for _, ab := range out.Ages {
		em.add("age:max=", ageBucket(ab.Max))
	}
	// Style and length.
	em.add("len:", log2Bucket(float64(out.Words)))
	if out.Words > 0 {
		em.add("st:emoji=", bucket(stats.Emoji*100/(out.Words+1), 8))
		em.add("st:excl=", bucket(stats.Exclaims*100/(out.Words+1), 8))
	}
	if letters > 20 && upper*5 > letters {
		em.add("st:caps")
	}
	// Structure: which fields are empty, and attributes.
	if structured && a.cfg.EmptyFields {
		for f := FieldTitle; f < numFields; f++ {
			if !sc.fields[f].nonEmpty {
				em.add("e:", fieldNames[f])
			}
		}
	}
	keys := make([]string, 0, len(p.Attributes))
	for k := range p.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		k, v := strings.ToLower(k), strings.ToLower(p.Attributes[k])
		if len(k) > 40 || len(v) > 40 {
			continue
		}
		em.add("a:", k, "=", v)
	}
	if em.table != nil {
		out.IDs = slices.Clone(em.ids) // exactly sized: training keeps them
	}
	return out
}

// detectAll detects the language of each field and lets the fields vote,
// each weighted by its tokens and confidence: a long English description
// outweighs a company name in Chinese.
func (a *Analyzer) detectAll(sc *scratch) Language {
	weight := map[string]float64{}
	confSum := map[string]float64{}
	total := 0
	for f := FieldText; f < numFields; f++ {
		ft := &sc.fields[f]
		if !ft.nonEmpty || ft.hi == ft.lo {
			continue
		}
		toks := sc.toks[ft.lo:ft.hi]
		var st TextStats
		for _, t := range toks {
			if t.Kind == KindNumber {
				continue
			}
			n := 1
			if t.Kind == KindWord {
				n = int(t.End - t.Start)
			}
			st.Letters[t.Script] += n
		}
		l := a.detector.Detect(ft.norm.Text, toks, &st)
		total += len(toks)
		if l.Code != "und" {
			weight[l.Code] += float64(len(toks)) * (0.2 + l.Confidence)
			confSum[l.Code] += float64(len(toks)) * l.Confidence
		}
	}
	best, bestW, sum := "", 0.0, 0.0
	for code, w := range weight {
		sum += w
		if w > bestW || (w == bestW && code < best) {
			best, bestW = code, w
		}
	}
	if best == "" {
		return Language{Code: "und"}
	}
	return Language{Code: best, Confidence: round3(confSum[best] / float64(total) * bestW / sum)}
}

// emitText emits the word or character features of one field and returns
// its word count.
func (a *Analyzer) emitText(em *emitter, f Field, n *Normalized, toks []Token, stemmer *LanguageStemmer) int {
	s := n.Text
	scoped := a.scoped[f]
	fname := fieldNames[f]
	words, chars := 0, 0
	prev := ""     // previous word stem, for bigrams
	prevStart := 0 // where the previous word starts
	prevChar := -1
	for k, t := range toks {
		switch t.Kind {
		case KindNumber:
			prev, prevChar = "", -1
		case KindWord:
			words++
			prevChar = -1
			w := t.Text(s)
			if t.Break {
				prev = ""
			}
			if a.cfg.FoldDiacritics && t.Script == ScriptLatin {
				w = a.folder.fold(w)
			}
			stem, stop := stemmer.Stem(w)
			if stop || len(stem) < 2 {
				prev = ""
				continue
			}
			mark := len(em.out.Features)
			em.add2("w:", stem)
			if scoped {
				em.add(fname, "|w:", stem)
			}
			em.span(mark, f, n, int(t.Start), int(t.End))
			if a.cfg.WordBigrams && prev != "" {
				mark = len(em.out.Features)
				em.add("b:", prev, " ", stem)
				if scoped && a.cfg.ScopedBigrams {
					em.add(fname, "|b:", prev, " ", stem)
				}
				em.span(mark, f, n, prevStart, int(t.End))
			}
			prev, prevStart = stem, int(t.Start)
		case KindChar:
			chars++
			prev = ""
			c := t.Text(s)
			if a.cfg.CharUnigrams {
				em.add2("c:", c)
			}
			if prevChar >= 0 && toks[prevChar].End == t.Start && !t.Break {
				bg := s[toks[prevChar].Start:t.End]
				em.add2("cc:", bg)
				if scoped {
					em.add(fname, "|cc:", bg)
				}
			}
			prevChar = k
		}
	}
	return words + (chars+1)/2
}

// addHit records a hit. Hits repeated or nested within another of the same
// category are dropped later, once sorted (dropNestedHits): checking each new
// hit against every earlier one here was quadratic, and a posting repeating
// one phrase 100,000 times held a core for a minute.
func (a *Analyzer) addHit(out *Analysis, ft *fieldText, f Field, ind Indicator, start, end int) {
	os, oe := ft.norm.Original(start, end)
	out.Hits = append(out.Hits, Hit{Indicator: ind.ID, Category: ind.Category, Field: f, Start: os, End: oe, Text: ft.orig[os:oe]})
}

// maxHitsPerIndicator bounds how many places one indicator is shown at: the
// features only say whether it is present, and a reader needs a few.
const maxHitsPerIndicator = 20

// capHits keeps the first maxHitsPerIndicator hits of each indicator, in
// place.
func capHits(hits []Hit) []Hit {
	if len(hits) <= maxHitsPerIndicator {
		return hits
	}
	seen := map[string]int{}
	kept := hits[:0]
	for _, h := range hits {
		if seen[h.Indicator] < maxHitsPerIndicator {
			seen[h.Indicator]++
			kept = append(kept, h)
		}
	}
	return kept
}

// dropNestedHits drops each hit (of hits sorted by sortHits) that lies
// within an earlier hit of the same category in the same field: "bring your
// passport" is one warning sign, not that and "passport" again. Sorted by
// start, an earlier hit contains h exactly when the furthest end of the
// earlier hits of h's category reaches h's end. Filters in place.
func dropNestedHits(hits []Hit) []Hit {
	kept := hits[:0]
	furthest := map[string]int{}
	for i, h := range hits {
		if i == 0 || h.Field != kept[len(kept)-1].Field {
			clear(furthest)
		}
		if end, ok := furthest[h.Category]; ok && h.End <= end {
			continue
		}
		furthest[h.Category] = max(furthest[h.Category], h.End)
		kept = append(kept, h)
	}
	return kept
}

func sortHits(h []Hit) {
	sort.SliceStable(h, func(i, j int) bool {
		if h[i].Field != h[j].Field {
			return h[i].Field < h[j].Field
		}
		if h[i].Start != h[j].Start {
			return h[i].Start < h[j].Start
		}
		return h[i].End > h[j].End
	})
}

func appendUnique(ks []ContactKind, k ContactKind) []ContactKind {
	for _, x := range ks {
		if x == k {
			return ks
		}
	}
	return append(ks, k)
}

// bucket caps n at top ("5+").
func bucket(n, top int) string {
	if n >= top {
		return strconv.Itoa(top) + "+"
	}
	return strconv.Itoa(n)
}

// log2Bucket names the power of two below x.
func log2Bucket(x float64) string {
	if x < 1 || math.IsNaN(x) {
		return "0"
	}
	if x > 1<<40 {
		x = 1 << 40
	}
	return strconv.Itoa(63 - bits.LeadingZeros64(uint64(x)))
}

func normLevel(r float64) string {
	switch {
	case r >= 3.5:
		return "very_high"
	case r >= 1.8:
		return "high"
	case r >= 0.6:
		return "normal"
	}
	return "low"
}

func ageBucket(max int) string {
	switch {
	case max <= 30:
		return "<=30"
	case max <= 35:
		return "<=35"
	case max <= 40:
		return "<=40"
	case max <= 45:
		return "<=45"
	}
	return ">45"
}
