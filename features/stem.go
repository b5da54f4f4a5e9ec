package features

import (
	"sync"

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
}

const (
	stemShards        = 32
	stemShardCapacity = 4096 // entries a shard holds before it is cleared
)

type stemShard struct {
	mu sync.RWMutex
	m  map[string]stemEntry
}

// Stemmer stems words and drops stop words for the languages snowball has,
// in front of a bounded cache: stemming costs about a microsecond a word
// and is the most expensive step of analysis, while adverts repeat a small
// vocabulary. The cache holds at most stemShards*stemShardCapacity entries
// (a shard that fills is cleared, so hostile input cannot grow it). Safe for
// concurrent use.
type Stemmer struct {
	langs  map[string]snowballLanguage
	shards map[string]*[stemShards]stemShard
}

// NewStemmer returns a stemmer with an empty cache per snowball language.
func NewStemmer() *Stemmer {
	s := &Stemmer{langs: snowballLanguages(), shards: map[string]*[stemShards]stemShard{}}
	for code := range s.langs {
		var sh [stemShards]stemShard
		for i := range sh {
			sh[i].m = make(map[string]stemEntry, 64)
		}
		s.shards[code] = &sh
	}
	return s
}

// Has reports whether lang (a detected language code) has a stemmer.
func (s *Stemmer) Has(lang string) bool { _, ok := s.langs[lang]; return ok }

// Stem returns the stem of the normalised word w in lang and whether it is a
// stop word. Languages without a stemmer return w unchanged.
func (s *Stemmer) Stem(lang, w string) (string, bool) {
	l, ok := s.langs[lang]
	if !ok {
		return w, false
	}
	sh := &s.shards[lang][fnv64(w)%stemShards]
	sh.mu.RLock()
	e, hit := sh.m[w]
	sh.mu.RUnlock()
	if hit {
		return e.stem, e.stop
	}
	e = stemEntry{stop: l.stopWord(w)}
	if !e.stop {
		e.stem = l.stem(w, true)
	}
	key := string([]byte(w)) // do not keep the caller's text alive
	sh.mu.Lock()
	if len(sh.m) >= stemShardCapacity {
		clear(sh.m)
	}
	sh.m[key] = e
	sh.mu.Unlock()
	return e.stem, e.stop
}

// fnv64 is FNV-1a over a string.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
