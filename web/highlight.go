package web

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// span is an indicator hit in one field: byte offsets into the field's
// text, the number of its reason in the list, and its category name.
type span struct {
	start, end int
	ref        int
	category   string
}

// segment is a run of advert text, marked when it is a warning sign.
type segment struct {
	Text string
	Mark bool
	// Label is the screen-reader text of a mark ("warning sign: ...").
	Label string
	// Refs are the numbers of the reasons behind a mark, such as "1, 3".
	Refs string
}

// segments cuts text into plain and marked runs. Overlapping hits become
// one mark carrying all their categories and reasons; hits whose offsets
// are out of range or not on character boundaries are left out rather
// than cutting a character in half.
func segments(text string, spans []span, warningSign string) []segment {
	valid := make([]span, 0, len(spans))
	for _, s := range spans {
		if s.start >= 0 && s.start < s.end && s.end <= len(text) && boundary(text, s.start) && boundary(text, s.end) {
			valid = append(valid, s)
		}
	}
	slices.SortStableFunc(valid, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	var out []segment
	pos := 0
	for i := 0; i < len(valid); {
		start, end := valid[i].start, valid[i].end
		var refs []int
		var cats []string
		for ; i < len(valid) && valid[i].start < end; i++ {
			end = max(end, valid[i].end)
			refs = append(refs, valid[i].ref)
			if !slices.Contains(cats, valid[i].category) {
				cats = append(cats, valid[i].category)
			}
		}
		if start > pos {
			out = append(out, segment{Text: text[pos:start]})
		}
		slices.Sort(refs)
		out = append(out, segment{
			Text: text[start:end], Mark: true,
			Label: warningSign + ": " + strings.Join(cats, ", ") + ": ",
			Refs:  joinInts(slices.Compact(refs)),
		})
		pos = end
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}

// boundary reports whether byte offset i of s starts a character (or is
// the end of s).
func boundary(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}
