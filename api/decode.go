package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/internal/jsonstr"
	"github.com/lurescan/lurescan/internal/strictjson"
)

// This file is the fast path of request decoding. The reference decoding is
// decodeStrict (strictjson.Check, which wants keys spelled exactly and once
// each and values of the right types, then encoding/json with
// DisallowUnknownFields) followed by decodePosting; it scans a 2 KB advert about four times and decodes an
// object posting twice. The fast path reads the body once, left to right,
// and handles the shapes clients actually send: an object with the known
// keys, spelled exactly, once each; postings as strings or as objects of
// posting fields. On anything else (a null, a float where an int goes, bad
// syntax, trailing data...) it gives up and the handler runs the reference
// decoding on the whole body, which then produces the answer, or the error.
// So the fast path mostly has to decode the requests it accepts into
// exactly what encoding/json would have produced, and nothing else.
//
// The exception: an unknown key (one in another case too) or a repeated
// key of the request, or any problem inside its thresholds. The reference
// decoding refuses those with the first problem in document order
// (strictjson.Check), and everything before such a key has been read by the
// fast path, so it was valid: the fast path answers with the same error
// itself, without a second parse. Inside a posting, such keys are not plain
// fields: the posting is kept raw and decodePosting refuses it, as it
// refuses it in the reference decoding (in a batch, as that item's error).
// TestFastDecodeMatchesReference and FuzzFastDecode check all that.
//
// A posting that is valid JSON but not a plain string or plain fields (a
// schema.org JSON-LD object, a null, a number, an unknown key) is not a
// reason to give up on the request: the fast path checks that it is valid
// JSON and hands its raw bytes to decodePosting, exactly as the reference
// decoding does with its json.RawMessage.
//
// The body must be valid UTF-8, which readBody checks first: strings
// without escapes are then copied as they are, as encoding/json would.

// maxFastDepth bounds the nesting of a raw value the fast path passes on;
// deeper values go to encoding/json, which has its own limit.
const maxFastDepth = 256

// fastPosting is one posting of a request: decoded into p by the fast
// path, or else left raw for decodePosting, as the reference decoding does
// (a nil raw is an absent posting).
type fastPosting struct {
	decoded bool
	p       features.Posting
	raw     json.RawMessage
}

// decode returns the posting as decodePosting would; item is its index in
// a batch, -1 in a single request.
func (fp *fastPosting) decode(item int) (features.Posting, error) {
	if !fp.decoded {
		return decodePosting(fp.raw, item)
	}
	return fp.p, checkPosting(fp.p)
}

// reader is a cursor over a request body for the fast path. Its methods
// report false when the input is not of the shape they handle; the caller
// then abandons the fast path, unless err is set: then the request is
// refused with err, as the reference decoding would refuse it.
type reader struct {
	b   []byte
	i   int
	err error
}

// refuse sets the answer to the request to e and reports false.
func (r *reader) refuse(e *strictjson.Error) bool {
	e.Name = "the body"
	r.err = &Error{Code: CodeMalformedJSON, Detail: e.Error(), Err: e}
	return false
}

// duplicate refuses a repeated key of the object at path.
func (r *reader) duplicate(k []byte, path string) bool {
	return r.refuse(&strictjson.Error{Kind: strictjson.DuplicateKey, Path: path, Key: string(k)})
}

// ws skips JSON whitespace (exactly encoding/json's four characters).
func (r *reader) ws() { r.i = jsonstr.SkipSpace(r.b, r.i) }

// next skips whitespace and returns the next byte (0 at the end).
func (r *reader) next() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// eat consumes c after optional whitespace.
func (r *reader) eat(c byte) bool {
	if r.next() == c {
		r.i++
		return true
	}
	return false
}

// key reads an object key and the colon after it. Keys with escapes are
// not handled (encoding/json would unescape them before matching).
func (r *reader) key() ([]byte, bool) {
	if r.next() != '"' {
		return nil, false
	}
	start := r.i + 1
	for i := start; i < len(r.b); i++ {
		switch c := r.b[i]; {
		case c == '"':
			r.i = i + 1
			return r.b[start:i], r.eat(':')
		case c == '\\' || c < ' ':
			return nil, false
		}
	}
	return nil, false
}

// str reads a JSON string and returns its value as encoding/json would.
func (r *reader) str() (string, bool) {
	if r.next() != '"' {
		return "", false
	}
	v, next, ok := jsonstr.Read(r.b, r.i)
	if ok {
		r.i = next
	}
	return v, ok
}

// integer reads a JSON integer without fraction or exponent that fits an
// int (encoding/json refuses 5.0 or 1e2 for an int; those go to it).
func (r *reader) integer() (int, bool) {
	r.ws()
	start := r.i
	i := start
	if i < len(r.b) && r.b[i] == '-' {
		i++
	}
	digits := i
	for i < len(r.b) && '0' <= r.b[i] && r.b[i] <= '9' {
		i++
	}
	if i == digits || (r.b[digits] == '0' && i > digits+1) {
		return 0, false // no digits, or a leading zero
	}
	if i < len(r.b) && (r.b[i] == '.' || r.b[i] == 'e' || r.b[i] == 'E') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(r.b[start:i]), 10, strconv.IntSize)
	if err != nil {
		return 0, false
	}
	r.i = i
	return int(n), true
}

// raw skips one JSON value and returns its bytes, if they are valid JSON.
// Only the value's end is found here; json.Valid then checks it, so a value
// is never passed on unchecked.
func (r *reader) raw() (json.RawMessage, bool) {
	r.ws()
	start, i, depth := r.i, r.i, 0
	for i < len(r.b) {
		switch c := r.b[i]; c {
		case '"':
			i++
			for i < len(r.b) && r.b[i] != '"' {
				if r.b[i] == '\\' {
					i++
				}
				i++
			}
			i++ // the closing quote
		case '{', '[':
			depth++
			if depth > maxFastDepth {
				return nil, false
			}
			i++
		case '}', ']':
			depth--
			i++
		default:
			i++
			if depth == 0 { // a literal or number: it ends at a delimiter
				for i < len(r.b) && !isDelim(r.b[i]) {
					i++
				}
			}
		}
		if depth <= 0 {
			break
		}
	}
	if depth != 0 || i > len(r.b) || !json.Valid(r.b[start:i]) {
		return nil, false
	}
	r.i = i
	return r.b[start:i], true
}

func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r', '"', '{', '[':
		return true
	}
	return false
}

// end reports whether only whitespace is left (the reference decoding
// refuses trailing data).
func (r *reader) end() bool {
	r.ws()
	return r.i == len(r.b)
}

// object calls field for each key of an object; field reads the value and
// refuses keys seen twice.
func (r *reader) object(field func(key []byte) bool) bool {
	if !r.eat('{') {
		return false
	}
	if r.eat('}') {
		return true
	}
	for {
		k, ok := r.key()
		if !ok || !field(k) {
			return false
		}
		switch r.next() {
		case ',':
			r.i++
		case '}':
			r.i++
			return true
		default:
			return false
		}
	}
}

// seen is a set of the keys of one object, by number, to refuse
// duplicates.
type seen uint32

// add adds key number k and reports whether it was new.
func (s *seen) add(k uint) bool {
	if *s&(1<<k) != 0 {
		return false
	}
	*s |= 1 << k
	return true
}

// The numbers of the keys of a request, for seen.
const (
	keyLang uint = iota
	keyTopFeatures
	keyThresholds
	keyID
	keyPosting // "posting" or "postings"
)

// options reads one of the keys of scoreOptions into o. known is false for
// other keys.
func (r *reader) options(o *scoreOptions, k []byte, s *seen) (known, ok bool) {
	switch string(k) {
	case "lang":
		if !s.add(keyLang) {
			return true, r.duplicate(k, "")
		}
		o.Lang, ok = r.str()
	case "top_features":
		if !s.add(keyTopFeatures) {
			return true, r.duplicate(k, "")
		}
		var n int
		if n, ok = r.integer(); ok {
			o.TopFeatures = &n
		}
	case "thresholds":
		// Rare; decoded by encoding/json on its own, as strictly as
		// it is inside the request.
		if !s.add(keyThresholds) {
			return true, r.duplicate(k, "")
		}
		if r.next() != '{' {
			return true, false
		}
		raw, valid := r.raw()
		if !valid {
			return true, false
		}
		var t thresholdsOption
		if err := decodeStrict(raw, &t, "thresholds"); err != nil {
			// The value is valid JSON: an unknown or repeated key or
			// a wrong type inside it is the request's first problem.
			var se *strictjson.Error
			if errors.As(err, &se) {
				r.err = err
			}
			return true, false
		}
		o.Thresholds = &t
		ok = true
	default:
		return false, false
	}
	return true, ok
}

// unknown refuses key k of a request of type T, which is none of its
// fields (but may be one in another case).
func unknown[T any](r *reader, k []byte) bool {
	return r.refuse(strictjson.Unknown(reflect.TypeFor[T](), string(k), ""))
}

// posting reads a posting: a string, an object of plain posting fields, or
// any other valid JSON value, kept raw for decodePosting.
func (r *reader) posting(fp *fastPosting) bool {
	switch r.next() {
	case '"':
		s, ok := r.str()
		fp.p.Text, fp.decoded = s, true
		return ok
	case '{':
		start := r.i
		if r.postingFields(&fp.p) {
			fp.decoded = true
			return true
		}
		// Not plain fields (JSON-LD, an unknown key, a null...): go back
		// and keep the value raw.
		r.i, fp.p = start, features.Posting{}
	}
	raw, ok := r.raw()
	fp.raw = raw
	return ok
}

// postingFields reads an object of posting fields with string values, as
// decodeStrict into a features.Posting would. Any other key, including
// JSON-LD's "@type" and "@context", makes it report false.
func (r *reader) postingFields(p *features.Posting) bool {
	var s seen
	return r.object(func(k []byte) bool {
		if string(k) == "attributes" {
			if !s.add(numPostingFields) {
				return false
			}
			return r.attributes(p)
		}
		i, dst := postingField(p, k)
		if dst == nil || !s.add(i) {
			return false
		}
		v, ok := r.str()
		*dst = v
		return ok
	})
}

// attributes reads a posting's attributes: an object of strings. A
// repeated name is not plain fields: decodePosting refuses it.
func (r *reader) attributes(p *features.Posting) bool {
	attrs := map[string]string{} // {} decodes to an empty, non-nil map
	ok := r.object(func(k []byte) bool {
		if _, dup := attrs[string(k)]; dup {
			return false
		}
		v, ok := r.str()
		attrs[string(k)] = v
		return ok
	})
	p.Attributes = attrs
	return ok
}

// numPostingFields is the number of string fields postingField knows.
const numPostingFields = 11

// postingField returns the string field of p with JSON name k and its
// number (for the duplicate check), or nil. TestPostingFieldsMatchTags
// keeps it in step with features.Posting's tags: a field added there is not
// known here and such postings go to the reference decoding.
func postingField(p *features.Posting, k []byte) (uint, *string) {
	switch string(k) {
	case "id":
		return 0, &p.ID
	case "text":
		return 1, &p.Text
	case "title":
		return 2, &p.Title
	case "company":
		return 3, &p.Company
	case "location":
		return 4, &p.Location
	case "salary":
		return 5, &p.Salary
	case "description":
		return 6, &p.Description
	case "requirements":
		return 7, &p.Requirements
	case "benefits":
		return 8, &p.Benefits
	case "contact":
		return 9, &p.Contact
	case "company_profile":
		return 10, &p.CompanyProfile
	}
	return 0, nil
}

// fastScoreRequest reads a POST /v1/score body in one pass. A non-nil err
// is the reference decoding's answer; else ok is false when the body is not
// of a shape it handles: decode it with decodeStrict. A request without
// "posting" gives a zero fastPosting, which decodePosting refuses as the
// reference decoding does.
func fastScoreRequest(body []byte) (req scoreRequest, fp fastPosting, ok bool, err error) {
	r := reader{b: body}
	var s seen
	ok = r.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			if !s.add(keyID) {
				return r.duplicate(k, "")
			}
			var ok bool
			req.ID, ok = r.str()
			return ok
		case "posting":
			if !s.add(keyPosting) {
				return r.duplicate(k, "")
			}
			return r.posting(&fp)
		}
		known, ok := r.options(&req.scoreOptions, k, &s)
		if !known && r.err == nil {
			return unknown[scoreRequest](&r, k)
		}
		return ok
	}) && r.end()
	return req, fp, ok, r.err
}

// fastBatchRequest reads a POST /v1/score/batch body in one pass; like
// fastScoreRequest, err is the answer, or else ok is false when decodeStrict
// must decode it. postings is nil when the body has no "postings" (the
// reference decoding's nil).
func fastBatchRequest(body []byte) (opts scoreOptions, postings []fastPosting, ok bool, err error) {
	r := reader{b: body}
	var s seen
	ok = r.object(func(k []byte) bool {
		if string(k) == "postings" {
			if !s.add(keyPosting) {
				return r.duplicate(k, "")
			}
			if !r.eat('[') {
				return false
			}
			postings = []fastPosting{} // [] is an empty batch, not a missing one
			if r.eat(']') {
				return true
			}
			for {
				postings = append(postings, fastPosting{})
				if !r.posting(&postings[len(postings)-1]) {
					return false
				}
				switch r.next() {
				case ',':
					r.i++
				case ']':
					r.i++
					return true
				default:
					return false
				}
			}
		}
		known, ok := r.options(&opts, k, &s)
		if !known && r.err == nil {
			return unknown[batchRequest](&r, k)
		}
		return ok
	}) && r.end()
	return opts, postings, ok, r.err
}
