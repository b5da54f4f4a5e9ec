package features

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeWithIterator is normalizeAppend as it was before runs of ASCII
// skipped NFKC's iterator: everything after the quick span goes through
// the iterator, segment by segment. The two must agree byte for byte,
// offset map and upper-case count included.
func normalizeWithIterator(s string) (string, []int32, int) {
	n := normalizer{}
	q := norm.NFKC.QuickSpanString(s)
	for i, r := range s[:q] {
		n.rune(r, i)
	}
	if q < len(s) {
		var it norm.Iter
		it.InitString(norm.NFKC, s[q:])
		for !it.Done() {
			at := q + it.Pos()
			for _, r := range string(it.Next()) {
				n.rune(r, at)
			}
		}
	}
	orig := append(n.orig, int32(len(s)))
	buf := n.buf
	if n.mixed {
		buf, orig = foldConfusables(s, buf, orig)
	}
	return string(buf), orig, n.upper
}

func checkNormalizeMatchesIterator(t *testing.T, s string) {
	t.Helper()
	got, buf, orig := normalizeAppend(s, nil, nil)
	text, wantOrig, wantUpper := normalizeWithIterator(s)
	if string(buf) != text || got.Upper != wantUpper {
		t.Fatalf("%q: normalised to %q (%d upper), the iterator alone gives %q (%d)", s, buf, got.Upper, text, wantUpper)
	}
	if got.orig == nil {
		return // all ASCII: no map, and the text is the same
	}
	if !slices.Equal(orig, wantOrig) {
		t.Fatalf("%q: offset map %v, the iterator alone gives %v", s, orig, wantOrig)
	}
}

// TestNormalizeMatchesIterator: Normalize, which emits runs of ASCII
// itself, agrees with NFKC's iterator run over the whole text after the
// quick span: on texts where an ASCII letter combines with a following
// mark, around full-width and compatibility characters, and on every
// field of the shared data (when LURESCAN_DATA is set).
func TestNormalizeMatchesIterator(t *testing.T) {
	texts := []string{
		"", "a", "ab", "ｆｕｌｌ", "ｆ then plain text", "ｆ then e\u0301 and A\u030A", "ｆx\u0301", "ｆ x\u0301y",
		"ｆab\u0301", "ｆab\u0301\u0327cd", "ｆ\u1100\u1161ab", "ｆab\u1100\u1161", "ﬁnance ﬁ ﬂ", "…and more…", "ｆa", "ｆ\u0301",
		"ｆa\u0301", "ＵＳＤ ｐ\u0430ss Тelegrаm", "Straße ΟΔΟΣ ｆ", "ｆ\u00adx\u200by", "高薪，包吃包住 free flights", "x\u0308\u0301ｆyy",
		"ｆ12,000.50 ＄", "ｆ ab\r\n\u0301", "ｆa\u0345\u0301b",
	}
	for _, bt := range benchTexts {
		texts = append(texts, bt.text)
	}
	for _, s := range texts {
		checkNormalizeMatchesIterator(t, s)
	}
	dir := os.Getenv("LURESCAN_DATA")
	if dir == "" {
		t.Log("LURESCAN_DATA is unset: the shared data's fields are not checked (CI sets it)")
		return
	}
	f, err := os.Open(filepath.Join(dir, "jobs", "legit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	fields := 0
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		for _, v := range rec {
			if s, ok := v.(string); ok {
				checkNormalizeMatchesIterator(t, s)
				fields++
			}
		}
	}
	if err := sc.Err(); err != nil || fields < 10000 {
		t.Fatalf("read %d fields: %v", fields, err)
	}
}

func FuzzNormalizeMatchesIterator(f *testing.F) {
	for _, s := range []string{"ｆab\u0301", "ｆ\u1100\u1161ab", "…a\u0301", "ｆa\u0345\u0301b", "高薪，free", "p\u0430ss", "Тelegrаm ｆ ab", "\u0430b1 \u0430 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		checkNormalizeMatchesIterator(t, s)
	})
}

// TestASCIIClasses: every ASCII byte is a Latin letter or ends a word, as
// asciiRun assumes.
func TestASCIIClasses(t *testing.T) {
	for c := 0; c < utf8.RuneSelf; c++ {
		if lc := lowClass[c]; lc != 0 && lc != lowLatin {
			t.Errorf("%q has class %b", rune(c), lc)
		}
	}
}
