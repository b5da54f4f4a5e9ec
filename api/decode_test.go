package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lurescan/lurescan/features"
)

// decodeCases are request bodies for the differential tests: the shapes the
// fast path takes, and the ones it must leave to the reference decoding.
var decodeCases = []string{
	// Plain requests.
	`{"posting":"a b c d e f"}`,
	`{"id":"c1","posting":"hello there","top_features":5,"lang":"zh"}`,
	` { "posting" : "x y z" , "top_features" : 0 } ` + "\n",
	"\t{\r\n\"posting\":\"x\"}\r\n",
	`{"posting":"URGENT hiring!! <b>salary</b> & free food — ไทย 中文 Tiếng Việt 🙂"}`,
	`{"top_features":50,"posting":"later keys first"}`,
	`{"posting":"a","top_features":-0}`,
	`{"posting":"a","top_features":-3}`,
	`{"posting":"a","top_features":500}`,
	`{"posting":"a","lang":""}`,
	`{"id":"","posting":"a"}`,
	`{}`,
	`{"id":"x"}`,
	// Escapes.
	`{"posting":"line\nbreak\ttab \"quoted\" back\\slash \/ \b\f\r"}`,
	`{"posting":"\u00e9\u4e2d\u0000\u001f\uFFFF"}`,
	`{"posting":"pair \ud83d\ude00 end"}`,
	`{"posting":"lone high \ud83d end"}`,
	`{"posting":"lone low \ude00 end"}`,
	`{"posting":"high then high \ud83d\ud83d\ude00"}`,
	`{"posting":"high then escape \ud83d\n"}`,
	`{"posting":"high at end \ud83d"}`,
	`{"posting":"bad escape \x"}`,
	`{"posting":"bad unicode \u12"}`,
	`{"posting":"bad unicode \u12g4"}`,
	`{"posting":"quote escape \'"}`,
	"{\"posting\":\"raw control \x01 char\"}",
	"{\"posting\":\"raw newline \n char\"}",
	`{"po\u0073ting":"escaped key"}`,
	`{"posting":"\\"}`,
	`{"posting":"\\\""}`,
	// Object postings.
	`{"posting":{"title":"Customer service","description":"free food","company":"X"}}`,
	`{"id":"outer","posting":{"id":"inner","text":"t","title":"a","company":"b","location":"c","salary":"d","description":"e","requirements":"f","benefits":"g","contact":"h","company_profile":"i"}}`,
	`{"posting":{"title":"a","attributes":{"employment_type":"Full-time","has_logo":"1"}}}`,
	`{"posting":{"title":"a","attributes":{}}}`,
	`{"posting":{"title":"a","attributes":{"k":"1","k":"2"}}}`,
	`{"posting":{"title":"a","attributes":{"k":1}}}`,
	`{"posting":{"title":"a","attributes":null}}`,
	`{"posting":{"title":"a","attributes":{"k":null}}}`,
	`{"posting":{}}`,
	`{"posting":{"title":""}}`,
	`{"posting":{"title":null}}`,
	`{"posting":{"title":"a","title":"b"}}`,
	`{"posting":{"Title":"case"}}`,
	`{"posting":{"txt":"a b c"}}`,
	`{"posting":{"title":5}}`,
	`{"posting":{"title":"a",}}`,
	`{"posting":{"title":"a"}`,
	`{"posting":{"title":"a"}}}`,
	// JSON-LD and other raw postings.
	`{"posting":{"@context":"https://schema.org","@type":"JobPosting","title":"Customer service","description":"<p>free food</p>","hiringOrganization":{"name":"X"},"baseSalary":{"currency":"USD","value":{"minValue":1000,"unitText":"MONTH"}}}}`,
	`{"posting":{"@type":"Event","name":"x"}}`,
	`{"posting":{"@type":["JobPosting"],"title":[1,2,{"a":[true,false,null]}],"x":-1.5e3}}`,
	`{"posting":{"@type":"JobPosting","title":"a"`,
	`{"posting":{"@type":"JobPosting","title":"a",}}`,
	`{"posting":null}`,
	`{"posting":[1,2]}`,
	`{"posting":5}`,
	`{"posting":true}`,
	`{"posting":-}`,
	`{"posting":tru}`,
	`{"posting":nullx}`,
	`{"posting":{"@type":"JobPosting","title":"a\"}"}}`,
	`{"posting":{"@type":"JobPosting","title":"a\\"}}`,
	strings.Repeat(`{"posting":`, 1) + strings.Repeat(`[`, 300) + strings.Repeat(`]`, 300) + `}`,
	// Options.
	`{"posting":"a","thresholds":{"review":0.1,"high":0.2}}`,
	`{"posting":"a","thresholds":{"review":0.9,"high":0.1}}`,
	`{"posting":"a","thresholds":{"review":0.1,"high":0.2,"low":0}}`,
	`{"posting":"a","thresholds":{"Review":0.1}}`,
	`{"posting":"a","thresholds":{}}`,
	`{"posting":"a","thresholds":null}`,
	`{"posting":"a","thresholds":[]}`,
	`{"posting":"a","thresholds":{"review":"0.1"}}`,
	`{"posting":"a","top_features":null}`,
	`{"posting":"a","top_features":5.0}`,
	`{"posting":"a","top_features":1e2}`,
	`{"posting":"a","top_features":05}`,
	`{"posting":"a","top_features":99999999999999999999}`,
	`{"posting":"a","top_features":"5"}`,
	`{"posting":"a","top_features":-}`,
	`{"posting":"a","lang":null}`,
	`{"posting":"a","lang":5}`,
	`{"posting":"a","Lang":"zh"}`,
	`{"posting":"a","posting":"b"}`,
	`{"posting":"a","id":"1","id":"2"}`,
	`{"posting":"a","colour":"red"}`,
	// Keys in another case and repeated keys, which the fast path refuses
	// itself at the request's level and leaves to decodePosting in a
	// posting.
	`{"Posting":"a"}`,
	`{"Postings":["a"]}`,
	`{"postings":["a"],"postings":[]}`,
	`{"postings":["a"],"Postings":[]}`,
	`{"posting":"a","po\u0073ting":"b"}`,
	`{"posting":"a","lang":"en","lang":"zh"}`,
	`{"posting":"a","top_features":1,"top_features":2}`,
	`{"posting":"a","thresholds":{"review":0.1,"high":0.2},"thresholds":null}`,
	`{"posting":"a","thresholds":{"review":0.1,"high":0.2,"review":0.3}}`,
	`{"posting":"a","thresholds":{"review":0.1,"HIGH":0.2}}`,
	`{"posting":"a","colour":"red"} garbage`,
	`{"posting":"a","colour":`,
	`{"posting":"a","colour"`,
	`{"posting":{"title":"a","attributes":{"k":"1","K":"2"}}}`,
	`{"posting":{"@type":"JobPosting","title":"a","title":"b"}}`,
	`{"posting":{"@type":"JobPosting","title":"a","hiringOrganization":{"name":"x","name":"y"}}}`,
	`{"postings":[{"title":"a","title":"b"},{"Title":"c"},{"title":"d","attributes":{"k":"1","k":"2"}}]}`,
	`{"postings":["a"],"lang":null,"Postings":[]}`,
	// Syntax and trailing data.
	`{"posting":"a b c d e f"} {"x":1}`,
	`{"posting":"a b c d e f"}garbage`,
	`{"posting": "x"`,
	`{"posting" "x"}`,
	`{"posting":"x",}`,
	`{,"posting":"x"}`,
	`{"posting":"x"}}`,
	`["posting"]`,
	`"posting"`,
	`null`,
	` `,
	`{"posting":"unterminated}`,
	// Batches.
	`{"postings":["a b c","d e f"]}`,
	`{"postings":[]}`,
	`{"postings":null}`,
	`{"postings":["a",{"title":""},{"id":"p3","title":"Engineer","description":"Go"},"\u0000",{"oops":1}],"lang":"vi"}`,
	`{"postings":[{"@type":"JobPosting","title":"x"},null,5,[1],"",{"title":"a","attributes":{"k":"v"}}],"top_features":0}`,
	`{"postings":["a","b",]}`,
	`{"postings":["a" "b"]}`,
	`{"postings":["a"],"postings":["b"]}`,
	`{"postings":"a"}`,
	`{"postings":["a"],"id":"x"}`,
	`{"postings":["a"],"thresholds":{"review":0.2,"high":0.3},"lang":"th"}`,
	`{"postings":[ "a" , { "title" : "b" } ] }`,
	`{"postings":[{"title":"a"`,
}

// sameError reports whether two errors are the same answer: same code and
// detail, or both nil.
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ea, eb *Error
	if !errors.As(a, &ea) || !errors.As(b, &eb) {
		return a.Error() == b.Error()
	}
	return ea.Code == eb.Code && ea.Detail == eb.Detail
}

// checkFastScore fails when the fast path accepts body and decodes it
// differently from the reference decoding, or refuses it with another
// error.
func checkFastScore(t *testing.T, body []byte) {
	t.Helper()
	req, fp, ok, err := fastScoreRequest(body)
	var ref scoreRequest
	refErr := decodeStrict(body, &ref, "")
	if err != nil {
		if !sameError(err, refErr) {
			t.Fatalf("%q: fast path refuses with %v, the reference with %v", body, err, refErr)
		}
		return
	}
	if !ok {
		return // the reference decoding runs
	}
	if refErr != nil {
		t.Fatalf("fast path accepts %q, which the reference refuses: %v", body, refErr)
	}
	if req.ID != ref.ID || !reflect.DeepEqual(req.scoreOptions, ref.scoreOptions) {
		t.Fatalf("%q: fast request %+v, reference %+v", body, req, ref)
	}
	checkFastPosting(t, body, &fp, ref.Posting, -1)
}

func checkFastPosting(t *testing.T, body []byte, fp *fastPosting, raw json.RawMessage, item int) {
	t.Helper()
	got, gotErr := fp.decode(item)
	want, wantErr := decodePosting(raw, item)
	if !reflect.DeepEqual(got, want) || !sameError(gotErr, wantErr) {
		t.Fatalf("%q: fast posting %#v, %v; reference %#v, %v", body, got, gotErr, want, wantErr)
	}
}

// checkFastBatch is checkFastScore for batch requests.
func checkFastBatch(t *testing.T, body []byte) {
	t.Helper()
	opts, postings, ok, err := fastBatchRequest(body)
	var ref batchRequest
	refErr := decodeStrict(body, &ref, "")
	if err != nil {
		if !sameError(err, refErr) {
			t.Fatalf("%q: fast path refuses with %v, the reference with %v", body, err, refErr)
		}
		return
	}
	if !ok {
		return
	}
	if refErr != nil {
		t.Fatalf("fast path accepts %q, which the reference refuses: %v", body, refErr)
	}
	if !reflect.DeepEqual(opts, ref.scoreOptions) || (postings == nil) != (ref.Postings == nil) || len(postings) != len(ref.Postings) {
		t.Fatalf("%q: fast request %+v %d postings, reference %+v", body, opts, len(postings), ref)
	}
	for i := range postings {
		checkFastPosting(t, body, &postings[i], ref.Postings[i], i)
	}
}

// TestFastDecodeMatchesReference checks that the fast path decodes every
// body it accepts exactly as the reference decoding does, and that it
// takes the common shapes (else it would be no faster).
func TestFastDecodeMatchesReference(t *testing.T) {
	for _, body := range decodeCases {
		checkFastScore(t, []byte(body))
		checkFastBatch(t, []byte(body))
	}
	for _, body := range []string{
		`{"id":"c1","posting":"a \"b\" \u00e9 \ud83d\ude00","top_features":5,"lang":"zh","thresholds":{"review":0.1,"high":0.2}}`,
		`{"posting":{"title":"a","description":"b","attributes":{"k":"v"}}}`,
	} {
		if _, fp, ok, _ := fastScoreRequest([]byte(body)); !ok || !fp.decoded {
			t.Errorf("fast path does not take %s", body)
		}
	}
	if _, fp, ok, _ := fastScoreRequest([]byte(`{"posting":{"@type":"JobPosting","title":"a"}}`)); !ok || fp.decoded || fp.raw == nil {
		t.Error("fast path does not pass JSON-LD on raw")
	}
	if _, postings, ok, _ := fastBatchRequest([]byte(`{"postings":["a",{"title":"b"},{"@type":"JobPosting"}],"top_features":0}`)); !ok || len(postings) != 3 || !postings[1].decoded || postings[2].decoded {
		t.Errorf("fast path does not take a batch: %v %+v", ok, postings)
	}
}

// FuzzFastDecode looks for bodies that the fast path decodes differently
// from the reference decoding. Bodies are valid UTF-8, as readBody makes
// sure.
func FuzzFastDecode(f *testing.F) {
	for _, body := range decodeCases {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return
		}
		checkFastScore(t, body)
		checkFastBatch(t, body)
	})
}

// TestPostingFieldsMatchTags keeps postingField in step with the JSON
// names of features.Posting's fields: each name it knows must be a string
// field's there, with its own number, and "attributes" a map of strings.
// (A field it does not know only sends such postings to decodePosting.)
func TestPostingFieldsMatchTags(t *testing.T) {
	typ := reflect.TypeFor[features.Posting]()
	tags := map[string]reflect.StructField{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		tags[name] = f
	}
	if f := tags["attributes"]; f.Type != reflect.TypeFor[map[string]string]() {
		t.Errorf("attributes is %v", f.Type)
	}
	names := []string{"id", "text", "title", "company", "location", "salary", "description", "requirements", "benefits", "contact", "company_profile"}
	if len(names) != numPostingFields {
		t.Fatalf("numPostingFields is %d", numPostingFields)
	}
	numbers := map[uint]bool{}
	for _, name := range names {
		var p features.Posting
		n, dst := postingField(&p, []byte(name))
		f, ok := tags[name]
		if dst == nil || !ok || f.Type.Kind() != reflect.String || n >= numPostingFields || numbers[n] {
			t.Errorf("postingField(%q): field %v, number %d", name, f, n)
			continue
		}
		numbers[n] = true
		*dst = "x"
		if reflect.ValueOf(p).FieldByIndex(f.Index).String() != "x" {
			t.Errorf("postingField(%q) is not field %s", name, f.Name)
		}
	}
	if _, dst := postingField(&features.Posting{}, []byte("attributes")); dst != nil {
		t.Error("postingField knows attributes")
	}
}
