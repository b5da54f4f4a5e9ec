package features

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// diacriticFolder maps Latin letters with diacritics to their base letter
// ("lương" → "luong", "đ" → "d"), so that a Vietnamese post typed without
// tone marks and one typed with them give the same word features. Built
// once from the Unicode decompositions; immutable.
type diacriticFolder struct {
	base map[rune]rune
}

func newDiacriticFolder() *diacriticFolder {
	f := &diacriticFolder{base: map[rune]rune{'đ': 'd', 'Đ': 'D'}}
	for _, block := range [][2]rune{{0x00C0, 0x024F}, {0x1E00, 0x1EFF}} {
		for r := block[0]; r <= block[1]; r++ {
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 || d[0] >= 0x80 {
				continue
			}
			marks := true
			for _, m := range d[1:] {
				marks = marks && unicode.Is(unicode.Mn, m)
			}
			if marks {
				f.base[r] = d[0]
			}
		}
	}
	return f
}

// fold returns w without diacritics, or w itself when it has none.
func (f *diacriticFolder) fold(w string) string {
	i := 0
	for i < len(w) && w[i] < utf8.RuneSelf {
		i++
	}
	if i == len(w) {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	b.WriteString(w[:i])
	changed := false
	for _, r := range w[i:] {
		if base, ok := f.base[r]; ok {
			r, changed = base, true
		} else if unicode.Is(unicode.Mn, r) && r < 0x0370 {
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return w
	}
	return b.String()
}
