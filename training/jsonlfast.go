package training

import "github.com/lurescan/lurescan/internal/jsonstr"

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
// numbers, syntax errors. Strings are read by jsonstr, as the API's fast
// path reads them. So the two decoders can only
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
func (d *fastDecoder) space() { d.i = jsonstr.SkipSpace(d.s, d.i) }

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
	v, next, ok := jsonstr.Read(d.s, d.i)
	if ok {
		d.i = next
	}
	return v, ok
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
