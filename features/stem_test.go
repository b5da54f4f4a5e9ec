package features

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func TestStemmer(t *testing.T) {
	s := NewStemmer()
	tests := []struct {
		lang, word, stem string
		stop             bool
	}{
		{"en", "hiring", "hire", false},
		{"en", "flights", "flight", false},
		{"en", "salaries", "salari", false},
		{"en", "the", "", true},
		{"es", "trabajadores", "trabaj", false},
		{"fr", "travailleurs", "travailleur", false},
		{"ru", "работы", "работ", false},
		{"sv", "arbetare", "arbet", false},
		{"vi", "lương", "lương", false}, // no stemmer: unchanged
		{"zh", "客服", "客服", false},       // no stemmer: unchanged
		{"id", "pekerjaan", "pekerjaan", false},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.word, func(t *testing.T) {
			stem, stop := s.Stem(tt.lang, tt.word)
			if stop != tt.stop || (!stop && stem != tt.stem) {
				t.Errorf("Stem(%s, %q) = %q, %v; want %q, %v", tt.lang, tt.word, stem, stop, tt.stem, tt.stop)
			}
			// Cached answers are the same.
			if stem2, stop2 := s.Stem(tt.lang, tt.word); stem2 != stem || stop2 != stop {
				t.Errorf("second Stem differs: %q %v", stem2, stop2)
			}
		})
	}
}

func TestStemmerCacheIsBounded(t *testing.T) {
	s := NewStemmer()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 40000; i++ {
				w := fmt.Sprintf("word%dx%d", g, i)
				if stem, _ := s.Stem("en", w); stem == "" {
					t.Errorf("empty stem for %q", w)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	c := s.caches["en"]
	total := len(c.pending)
	if m := c.snapshot.Load(); m != nil {
		total += len(*m)
	}
	if total > stemCacheCapacity || total == 0 {
		t.Errorf("cache holds %d entries, limit %d", total, stemCacheCapacity)
	}
	// Every word stems the same, from the cache or not.
	for _, w := range []string{"recruiting", "word1x5", "word3x39999"} {
		cached, _ := s.Stem("en", w)
		if fresh, _ := NewStemmer().Stem("en", w); cached != fresh {
			t.Errorf("%q: cached stem %q, fresh %q", w, cached, fresh)
		}
	}
}

// A vocabulary too small to fill pending still moves into the lock-free
// snapshot once its words are looked up again and again.
func TestStemmerCacheSmallVocabularyIsPublished(t *testing.T) {
	s := NewStemmer()
	words := []string{"recruiting", "agents", "bangkok", "salary", "housing", "flights"}
	for round := 0; round < 10; round++ {
		for _, w := range words {
			s.Stem("en", w)
		}
	}
	c := s.caches["en"]
	m := c.snapshot.Load()
	if m == nil {
		t.Fatalf("no snapshot after %d lookups of %d words", 10*len(words), len(words))
	}
	for _, w := range words {
		if _, ok := (*m)[w]; !ok {
			t.Errorf("%q is not in the snapshot", w)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) != 0 {
		t.Errorf("%d words still pending", len(c.pending))
	}
}

// TestStemMemo: stems through a memo are the stems without one, for words
// of two languages that share spellings and for words that share a memo
// slot, and a posting analysed with a memo has the features it has without.
func TestStemMemo(t *testing.T) {
	s := NewStemmer()
	memo := NewStemMemo()
	words := []string{"running", "runs", "the", "trabajando", "casas", "las", "registered", "passport", "visa", "flights"}
	// Two words in one slot: find a partner for "running".
	for i := 0; ; i++ {
		w := letters(i)
		if stemMemoSlot(w) == stemMemoSlot("running") {
			words = append(words, w, "running")
			break
		}
	}
	for round := range 2 { // the second round hits the memo
		for _, lang := range []string{"en", "es"} {
			for _, w := range words {
				plain := s.For(lang)
				memoised := s.For(lang)
				memoised.memo = memo
				ws, wstop := plain.Stem(w)
				gs, gstop := memoised.Stem(w)
				if gs != ws || gstop != wstop {
					t.Fatalf("round %d, %s %q: memo gives (%q, %v), want (%q, %v)", round, lang, w, gs, gstop, ws, wstop)
				}
			}
		}
	}
	a := newDefaultAnalyzer(t)
	p := &Posting{Text: "Registered passport holders running the registered office; las casas registradas."}
	want := a.Analyze(p, true)
	for range 2 {
		got := a.AnalyzeWith(p, AnalyzeOptions{Names: true, StemMemo: memo})
		if !slices.Equal(got.Names, want.Names) {
			t.Fatalf("with a memo %v, want %v", got.Names, want.Names)
		}
	}
}
