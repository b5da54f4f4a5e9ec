package training

import (
	"strings"
	"unicode/utf8"
)

// decodeRecordFast decodes the usual shape of a JSON Lines record without
// encoding/json, which was a tenth of training's CPU time (it scans each
// line twice and goes through reflection for every field): one object whose
// keys are spelled exactly as jsonlRecord's tags, each at most once, with
// string values ("categories" an array of strings). Values that need no
// unescaping are slices of line, which the record keeps alive either way.
//
// It reports false for anything else, and the caller decodes the line with
// encoding/json: other spellings of a key (which encoding/json matches
// without regard to case), unknown or repeated keys, "attributes", nulls,
// numbers, surrogate escapes, syntax errors. So the two decoders can only
// agree; TestDecodeRecordFastAgrees and FuzzDecodeRecordFast check that
// they do. line must be valid UTF-8.
func decodeRecordFast(line string) (jsonlRecord, bool) {
	var rec jsonlRecord
	d := fastDecoder{s: line}
	d.space()
	if !d.byte('{') {
		return rec, false
	}
	d.space()
	if d.byte('}') {
		return rec, d.end()
	}
	var seen uint32
	for {
		d.space()
		key, ok := d.str()
		if !ok {
			return rec, false
		}
		d.space()
		if !d.byte(':') {
			return rec, false
		}
		d.space()
		dst, bit := rec.field(key)
		if bit == 0 || seen&bit != 0 {
			return rec, false
		}
		seen |= bit
		if dst != nil {
			if *dst, ok = d.str(); !ok {
				return rec, false
			}
		} else if rec.Categories, ok = d.strings(); !ok { // the one array
			return rec, false
		}
		d.space()
		if d.byte('}') {
			return rec, d.end()
		}
		if !d.byte(',') {
			return rec, false
		}
	}
}

// field returns where the value of key goes and the key's bit among the
// record's keys: a nil string for "categories", bit 0 for a key the fast
// decoder leaves to encoding/json.
func (r *jsonlRecord) field(key string) (*string, uint32) {
	switch key {
	case "id":
		return &r.ID, 1 << 0
	case "lang":
		return &r.Lang, 1 << 1
	case "label":
		return &r.Label, 1 << 2
	case "group":
		return &r.Group, 1 << 3
	case "source":
		return &r.Source, 1 << 4
	case "text":
		return &r.Text, 1 << 5
	case "title":
		return &r.Title, 1 << 6
	case "company":
		return &r.Company, 1 << 7
	case "location":
		return &r.Location, 1 << 8
	case "salary":
		return &r.Salary, 1 << 9
	case "description":
		return &r.Description, 1 << 10
	case "requirements":
		return &r.Requirements, 1 << 11
	case "benefits":
		return &r.Benefits, 1 << 12
	case "contact":
		return &r.Contact, 1 << 13
	case "company_profile":
		return &r.CompanyProfile, 1 << 14
	case "pattern":
		return &r.Pattern, 1 << 15
	case "provenance":
		return &r.Provenance, 1 << 16
	case "categories":
		return nil, 1 << 17
	}
	return nil, 0
}

// fastDecoder reads JSON from s at i.
type fastDecoder struct {
	s string
	i int
}

// space skips JSON's whitespace.
func (d *fastDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// byte consumes c if it comes next.
func (d *fastDecoder) byte(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only whitespace is left.
func (d *fastDecoder) end() bool {
	d.space()
	return d.i == len(d.s)
}

// str reads a string.
func (d *fastDecoder) str() (string, bool) {
	if !d.byte('"') {
		return "", false
	}
	start := d.i
	switch i := plainRun(d.s, start); {
	case i >= len(d.s) || d.s[i] < 0x20:
		return "", false
	case d.s[i] == '"':
		d.i = i + 1
		return d.s[start:i], true
	default:
		return d.unescape(start, i)
	}
}

// plainRun returns the index of the first quote, backslash or control
// character in s from i on (len(s) when there is none), looking at eight
// bytes at a time.
func plainRun(s string, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		quote, backslash := x^('"'*ones), x^('\\'*ones)
		// Each term is non-zero when some byte is zero (or below 0x20).
		if ((quote-ones)&^quote|(backslash-ones)&^backslash|(x-0x20*ones)&^x)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

// unescape reads the rest of a string that has an escape at i, its text
// starting at start. The text is written once, into memory of the size of
// the escaped string (which unescaping only shortens), and becomes the
// string without a copy.
func (d *fastDecoder) unescape(start, i int) (string, bool) {
	s := d.s
	end := i // the closing quote
	for end < len(s) && s[end] != '"' {
		if s[end] == '\\' {
			end++
		}
		end = plainRun(s, end+1)
	}
	var b strings.Builder
	b.Grow(end - start)
	b.WriteString(s[start:i])
	for {
		// Copy up to the next quote, backslash or control character.
		j := plainRun(s, i)
		b.WriteString(s[i:j])
		if j >= len(s) || s[j] < 0x20 {
			return "", false
		}
		if s[j] == '"' {
			d.i = j + 1
			return b.String(), true
		}
		if j+1 >= len(s) {
			return "", false
		}
		switch e := s[j+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s, j+2)
			if !ok || utf8.RuneLen(r) < 0 { // bad digits, or a surrogate
				return "", false
			}
			b.WriteRune(r)
			j += 4
		default:
			return "", false
		}
		i = j + 2
	}
}

// hex4 reads the four hexadecimal digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// strings reads an array of strings. Like encoding/json, an empty array
// is an empty slice, not nil.
func (d *fastDecoder) strings() ([]string, bool) {
	if !d.byte('[') {
		return nil, false
	}
	out := []string{}
	d.space()
	if d.byte(']') {
		return out, true
	}
	for {
		d.space()
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		d.space()
		if d.byte(']') {
			return out, true
		}
		if !d.byte(',') {
			return nil, false
		}
	}
}
