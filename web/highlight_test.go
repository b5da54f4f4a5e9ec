package web

import (
	"reflect"
	"testing"
)

func TestSegments(t *testing.T) {
	const w = "warning sign"
	mark := func(text, cats, refs string) segment {
		return segment{Text: text, Mark: true, Label: w + ": " + cats + ": ", Refs: refs}
	}
	plain := func(text string) segment { return segment{Text: text} }
	tests := []struct {
		name  string
		text  string
		spans []span
		want  []segment
	}{
		{"no hits", "plain text", nil, []segment{plain("plain text")}},
		{"one hit", "free air ticket now", []span{{0, 15, 1, "Travel"}},
			[]segment{mark("free air ticket", "Travel", "1"), plain(" now")}},
		{"hit at the end", "call Telegram", []span{{5, 13, 2, "Chat"}},
			[]segment{plain("call "), mark("Telegram", "Chat", "2")}},
		{"adjacent hits stay apart", "高薪急招", []span{{0, 6, 1, "Pay"}, {6, 12, 2, "Hurry"}},
			[]segment{mark("高薪", "Pay", "1"), mark("急招", "Hurry", "2")}},
		{"overlapping hits merge", "free food and accommodation",
			[]span{{5, 27, 2, "Perks"}, {0, 9, 1, "Perks"}, {0, 4, 3, "Other"}},
			[]segment{mark("free food and accommodation", "Perks, Other", "1, 2, 3")}},
		{"nested hit", "go to Sihanoukville soon", []span{{6, 19, 1, "Place"}, {6, 10, 2, "Town"}},
			[]segment{plain("go to "), mark("Sihanoukville", "Place, Town", "1, 2"), plain(" soon")}},
		{"multibyte offsets", "月薪2万，包机票", []span{{6, 10, 1, "Pay"}, {13, 22, 2, "Travel"}},
			[]segment{plain("月薪"), mark("2万", "Pay", "1"), plain("，"), mark("包机票", "Travel", "2")}},
		{"emoji before a hit", "😀😀 Telegram", []span{{9, 17, 1, "Chat"}},
			[]segment{plain("😀😀 "), mark("Telegram", "Chat", "1")}},
		{"offsets inside a character are dropped", "包机票", []span{{1, 9, 1, "Travel"}, {0, 4, 2, "Travel"}},
			[]segment{plain("包机票")}},
		{"offsets out of range are dropped", "short", []span{{2, 99, 1, "X"}, {-1, 2, 2, "X"}, {3, 3, 3, "X"}, {4, 2, 4, "X"}},
			[]segment{plain("short")}},
		{"empty text", "", []span{{0, 1, 1, "X"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segments(tt.text, tt.spans, w)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("segments(%q)\n got %#v\nwant %#v", tt.text, got, tt.want)
			}
			joined := ""
			for _, s := range got {
				joined += s.Text
			}
			if joined != tt.text {
				t.Errorf("segments lose text: %q != %q", joined, tt.text)
			}
		})
	}
}
