package features

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// snowballLanguage is one language snowball stems.
type snowballLanguage struct {
	stem     func(string, bool) string
	stopWord func(string) bool
}

func snowballLanguages() map[string]snowballLanguage {
	return map[string]snowballLanguage{
		"en": {english.Stem, english.IsStopWord},
		"es": {spanish.Stem, spanish.IsStopWord},
		"fr": {french.Stem, french.IsStopWord},
		"ru": {russian.Stem, russian.IsStopWord},
		"sv": {swedish.Stem, swedish.IsStopWord},
		"no": {norwegian.Stem, norwegian.IsStopWord},
		"hu": {hungarian.Stem, hungarian.IsStopWord},
	}
}

// stemEntry is a cached stemming outcome.
type stemEntry struct {
	stem string
	stop bool
	// word is the word stemmed, a copy owned by the cache (so that a memo
	// can key on it without keeping the caller's text alive).
	word string
}

// stemMemoSize is how many words a stemMemo holds.
const stemMemoSize = 4096

// StemMemo is a small direct-mapped memo in front of the shared stem cache
// for a goroutine analysing many postings (AnalyzeOptions.StemMemo): its
// common words are found by a short hash and one string comparison, not
// through the shared map, whose lookups were a tenth of training's
// analysis. Entries remember whose cache (language) they come from. Not
// safe for concurrent use; a single posting gains nothing from it.
type StemMemo struct {
	entries [stemMemoSize]stemMemoEntry
}

// NewStemMemo returns an empty memo (about 200 KB).
func NewStemMemo() *StemMemo { return new(StemMemo) }

type stemMemoEntry struct {
	cache *stemCache
	e     stemEntry
}

func stemMemoSlot(w string) int {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return int(h % stemMemoSize)
}

// stemCacheCapacity is how many words a language's cache holds before it
// is cleared.
const stemCacheCapacity = 1 << 17

// stemCache is a bounded cache of stems whose reads take no lock: readers
// look words up in an immutable snapshot map behind an atomic pointer (a
// plain map hashes a string faster than sync.Map, which hashes through an
// interface). A miss stems the word and adds it, under a mutex, to a small
// pending map; when pending reaches a quarter of the snapshot (at least
// stemCachePublish words), a new snapshot of both is published, so copying
// costs O(1) a word over time. Words found in pending are counted too: once
// as many lookups have taken the lock as a new snapshot would copy words,
// one is published, so a small vocabulary (a service that has seen fewer
// than stemCachePublish distinct words) also ends up lock-free. Once
// adverts' vocabulary is known, every lookup is a lock-free hit.
type stemCache struct {
	snapshot    atomic.Pointer[map[string]stemEntry]
	mu          sync.Mutex
	pending     map[string]stemEntry
	pendingHits int // lookups answered from pending since the last snapshot
}

// stemCachePublish is the fewest new words that make a new snapshot.
const stemCachePublish = 256

func (c *stemCache) load(w string) (stemEntry, bool) {
	if m := c.snapshot.Load(); m != nil {
		if e, ok := (*m)[w]; ok {
			return e, true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pending[w]
	if ok {
		c.pendingHits++
		if c.pendingHits >= c.sizeLocked() {
			c.publishLocked()
		}
	}
	return e, ok
}

// sizeLocked is how many words the cache holds; c.mu is held.
func (c *stemCache) sizeLocked() int {
	n := len(c.pending)
	if m := c.snapshot.Load(); m != nil {
		n += len(*m)
	}
	return n
}

// publishLocked makes a new snapshot of the old one and pending; c.mu is
// held.
func (c *stemCache) publishLocked() {
	var old map[string]stemEntry
	if m := c.snapshot.Load(); m != nil {
		old = *m
	}
	next := make(map[string]stemEntry, len(old)+len(c.pending))
	for k, v := range old {
		next[k] = v
	}
	for k, v := range c.pending {
		next[k] = v
	}
	c.snapshot.Store(&next)
	clear(c.pending)
	c.pendingHits = 0
}

// store adds w's outcome e and returns it as stored (with its own copy of
// the word).
func (c *stemCache) store(w string, e stemEntry) stemEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	var old map[string]stemEntry
	if m := c.snapshot.Load(); m != nil {
		old = *m
	}
	if len(old)+len(c.pending) >= stemCacheCapacity {
		// Full (hostile input can fill it): start again.
		old = nil
		c.snapshot.Store(nil)
		clear(c.pending)
		c.pendingHits = 0
	}
	if c.pending == nil {
		c.pending = map[string]stemEntry{}
	}
	// Copies: the caller's text may be scratch memory that the next posting
	// overwrites (and a stem can be that text, or part of it), and must not
	// be kept alive either.
	e.word, e.stem = strings.Clone(w), strings.Clone(e.stem)
	c.pending[e.word] = e
	if len(c.pending) >= max(stemCachePublish, len(old)/4) {
		c.publishLocked()
	}
	return e
}

// LanguageStemmer stems the words of one language; nil stems nothing.
type LanguageStemmer struct {
	lang  snowballLanguage
	cache *stemCache
	memo  *StemMemo // optional
}

// For returns the stemmer of lang, or nil when snowball lacks the language.
func (s *Stemmer) For(lang string) *LanguageStemmer {
	l, ok := s.langs[lang]
	if !ok {
		return nil
	}
	return &LanguageStemmer{lang: l, cache: s.caches[lang]}
}

// Stem returns the stem of the normalised word w and whether it is a stop
// word.
func (ls *LanguageStemmer) Stem(w string) (string, bool) {
	if ls == nil {
		return w, false
	}
	var slot *stemMemoEntry
	if ls.memo != nil {
		slot = &ls.memo.entries[stemMemoSlot(w)]
		if slot.cache == ls.cache && slot.e.word == w {
			return slot.e.stem, slot.e.stop
		}
	}
	e, ok := ls.cache.load(w)
	if !ok {
		e = stemEntry{stop: ls.lang.stopWord(w)}
		if !e.stop {
			e.stem = ls.lang.stem(w, true)
		}
		e = ls.cache.store(w, e)
	}
	if slot != nil {
		*slot = stemMemoEntry{ls.cache, e}
	}
	return e.stem, e.stop
}

// Stemmer stems words and drops stop words for the languages snowball has,
// in front of a bounded cache: stemming costs about a microsecond a word
// and is the most expensive step of analysis, while adverts repeat a small
// vocabulary. Reads of the cache take no lock; it holds at most
// stemCacheCapacity words per language and is cleared when full, so hostile
// input cannot grow it. Safe for concurrent use.
type Stemmer struct {
	langs  map[string]snowballLanguage
	caches map[string]*stemCache
}

// NewStemmer returns a stemmer with an empty cache per snowball language.
func NewStemmer() *Stemmer {
	s := &Stemmer{langs: snowballLanguages(), caches: map[string]*stemCache{}}
	for code := range s.langs {
		s.caches[code] = &stemCache{}
	}
	return s
}

// Has reports whether lang (a detected language code) has a stemmer.
func (s *Stemmer) Has(lang string) bool { _, ok := s.langs[lang]; return ok }

// Stem returns the stem of the normalised word w in lang and whether it is a
// stop word. Languages without a stemmer return w unchanged.
func (s *Stemmer) Stem(lang, w string) (string, bool) {
	return s.For(lang).Stem(w)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv64 is FNV-1a over a string.
func fnv64(s string) uint64 { return fnvAdd(fnvOffset, s) }

// fnvAdd continues an FNV-1a hash h over s: the hash of a+b is
// fnvAdd(fnvAdd(fnvOffset, a), b).
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}
