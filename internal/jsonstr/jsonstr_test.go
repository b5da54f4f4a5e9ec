package jsonstr

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlainPrefix(t *testing.T) {
	for _, s := range []string{"", "a", "abcdefgh", "abcdefghi", `abcdefg"`, `abcdefgh"`, `ab\cd`, "abcdefghijklmno\x1fp", "é中🙂é中🙂é中🙂\"", "\x7f\x80\xff\x20\x21\x5b\x5d\x1f", strings.Repeat("x", 100) + `\`} {
		want := 0
		for want < len(s) && s[want] != '"' && s[want] != '\\' && s[want] >= ' ' {
			want++
		}
		if got := PlainPrefix(s); got != want {
			t.Errorf("PlainPrefix(%q) = %d, want %d", s, got, want)
		}
		if got := PlainPrefix([]byte(s)); got != want {
			t.Errorf("PlainPrefix([]byte(%q)) = %d, want %d", s, got, want)
		}
	}
	// Every byte value at every place of two words and a bit, after
	// bytes of every kind.
	for c := range 256 {
		for at := range 19 {
			for _, fill := range []byte{'a', 0x21, 0x7f, 0xc3, 0xff} {
				s := []byte(strings.Repeat(string([]byte{fill}), 19))
				s[at] = byte(c)
				want := 19
				if c == '"' || c == '\\' || c < ' ' {
					want = at
				}
				if got := PlainPrefix(s); got != want {
					t.Errorf("PlainPrefix(%q) = %d, want %d", s, got, want)
				}
				if got := PlainPrefix(string(s)); got != want {
					t.Errorf("PlainPrefix(string %q) = %d, want %d", s, got, want)
				}
			}
		}
	}
}

// readCases are JSON strings (with something after them) that Read must
// decode as encoding/json does, or refuse where it refuses them.
var readCases = []string{
	`"" ,`, `"plain"}`, `"a\"b\\c\/d\be\ff\ng\rh\ti"`, `"\u00e9\u4e2d\u0000\u001f"`, `"\ud83d\ude00 smile"`,
	`"lone \ud83d here"`, `"lone \ude00 low"`, `"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, `"\ud83d`, `"\u12"`,
	`"\x"`, "\"a\tb\"", `"unterminated`, `"ends in \`, `"\n` + strings.Repeat("long line ", 20) + `\"q\""`,
	`"é中🙂 – “quoted”"`, `"\\"`, `"\""`,
}

func checkRead(t *testing.T, in string) {
	t.Helper()
	if !utf8.ValidString(in) {
		return // the callers check first: encoding/json would replace bad bytes
	}
	var want string
	dec := json.NewDecoder(strings.NewReader(in))
	wantOK := dec.Decode(&want) == nil
	wantNext := int(dec.InputOffset())
	for _, form := range []string{"string", "bytes"} {
		var got string
		var next int
		var ok bool
		if form == "string" {
			got, next, ok = Read(in, 0)
		} else {
			got, next, ok = Read([]byte(in), 0)
		}
		if ok && (!wantOK || got != want || next != wantNext) {
			t.Errorf("Read(%s %q) = %q, %d; encoding/json: %q, %d (ok %v)", form, in, got, next, want, wantNext, wantOK)
		}
		if !ok && wantOK {
			t.Errorf("Read(%s %q) refused what encoding/json reads as %q", form, in, want)
		}
	}
}

func TestReadMatchesEncodingJSON(t *testing.T) {
	for _, in := range readCases {
		checkRead(t, in)
	}
}

func FuzzRead(f *testing.F) {
	for _, in := range readCases {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !strings.HasPrefix(in, `"`) {
			return
		}
		checkRead(t, in)
	})
}

func TestSkipSpace(t *testing.T) {
	for _, tt := range []struct {
		in   string
		from int
		want int
	}{{"", 0, 0}, {" \t\r\n x", 0, 5}, {"x  ", 1, 3}, {"\v x", 0, 0}, {"\u00a0x", 0, 0}} {
		if got := SkipSpace(tt.in, tt.from); got != tt.want {
			t.Errorf("SkipSpace(%q, %d) = %d, want %d", tt.in, tt.from, got, tt.want)
		}
	}
}
