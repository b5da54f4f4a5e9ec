package api

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// goNames matches what a detail must not show: Go package, type and struct
// names, and encoding/json's own wording.
var goNames = regexp.MustCompile(`\bapi\.|\bjson\.|\bjson:|features\.|RawMessage|scoreOptions|scoreRequest|batchRequest|thresholdsOption|datasetRecord|float64|\bint\b|\[\]|Go (value|struct)`)

// detailOf returns the problem detail of a response, or of batch item
// item's error when item >= 0.
func detailOf(t *testing.T, body []byte, item int) (status float64, code, detail string) {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	if item >= 0 {
		results, _ := v["results"].([]any)
		if item >= len(results) {
			t.Fatalf("no item %d in %s", item, body)
		}
		r, _ := results[item].(map[string]any)
		v, _ = r["error"].(map[string]any)
		if v == nil {
			t.Fatalf("item %d is no error: %s", item, body)
		}
	}
	status, _ = v["status"].(float64)
	typ, _ := v["type"].(string)
	detail, _ = v["detail"].(string)
	return status, strings.TrimPrefix(typ, problemTypeBase), detail
}

// TestStrictKeys checks that keys match field names exactly and once, in
// every part of a request and in both decodings: a key in another case, or
// a repeated key, is a 400 that names the key and where it is. (The fast
// path took the first and let encoding/json take the second; encoding/json
// matched {"Postings":...} and let the last of repeated keys win.)
func TestStrictKeys(t *testing.T) {
	ts := newTestServer(t, nil)
	// A null lang is not taken by the fast path: the request goes to the
	// reference decoding.
	const ref = `"lang":null,`
	tests := []struct {
		name, path, body string
		item             int // the batch item whose error it is; -1: the request's
		status           int
		code             Code
		detail           string
	}{
		{"batch key in another case", "/v1/score/batch", `{"Postings":["hello there friend"]}`, -1, 400, CodeMalformedJSON, `unknown field "Postings" in the body (field names are case-sensitive: did you mean "postings"?)`},
		{"batch key in another case, reference", "/v1/score/batch", `{` + ref + `"Postings":["hello there friend"]}`, -1, 400, CodeMalformedJSON, `unknown field "Postings" in the body (field names are case-sensitive: did you mean "postings"?)`},
		{"batch repeated postings", "/v1/score/batch", `{"postings":["a"],"postings":[]}`, -1, 400, CodeMalformedJSON, `duplicate key "postings" in the body`},
		{"batch repeated postings, reference", "/v1/score/batch", `{` + ref + `"postings":["a"],"postings":[]}`, -1, 400, CodeMalformedJSON, `duplicate key "postings" in the body`},
		{"batch repeated lang", "/v1/score/batch", `{"postings":["a"],"lang":"en","lang":"zh"}`, -1, 400, CodeMalformedJSON, `duplicate key "lang" in the body`},
		{"posting key in another case", "/v1/score", `{"Posting":"hello there friend"}`, -1, 400, CodeMalformedJSON, `unknown field "Posting" in the body (field names are case-sensitive: did you mean "posting"?)`},
		{"posting key in another case, reference", "/v1/score", `{` + ref + `"POSTING":"hello there friend"}`, -1, 400, CodeMalformedJSON, `unknown field "POSTING" in the body (field names are case-sensitive: did you mean "posting"?)`},
		{"repeated posting", "/v1/score", `{"posting":"` + lure + `","posting":""}`, -1, 400, CodeMalformedJSON, `duplicate key "posting" in the body`},
		{"repeated posting, reference", "/v1/score", `{` + ref + `"posting":"` + lure + `","posting":""}`, -1, 400, CodeMalformedJSON, `duplicate key "posting" in the body`},
		{"repeated posting spelled with an escape", "/v1/score", `{"posting":"a","po\u0073ting":"b"}`, -1, 400, CodeMalformedJSON, `duplicate key "posting" in the body`},
		{"repeated id", "/v1/score", `{"id":"a","posting":"x","id":"b"}`, -1, 400, CodeMalformedJSON, `duplicate key "id" in the body`},
		{"option in another case", "/v1/score", `{"posting":"a b c","Top_Features":3}`, -1, 400, CodeMalformedJSON, `unknown field "Top_Features" in the body (field names are case-sensitive: did you mean "top_features"?)`},
		{"repeated top_features", "/v1/score", `{"posting":"a b c","top_features":3,"top_features":60}`, -1, 400, CodeMalformedJSON, `duplicate key "top_features" in the body`},
		{"repeated thresholds", "/v1/score", `{"posting":"a b c","thresholds":{"review":0.1,"high":0.2},"thresholds":null}`, -1, 400, CodeMalformedJSON, `duplicate key "thresholds" in the body`},
		{"thresholds key in another case", "/v1/score", `{"posting":"a b c","thresholds":{"Review":0.1,"high":0.2}}`, -1, 400, CodeMalformedJSON, `unknown field "Review" in thresholds (field names are case-sensitive: did you mean "review"?)`},
		{"thresholds key in another case, reference", "/v1/score/batch", `{` + ref + `"postings":["a"],"thresholds":{"review":0.1,"HIGH":0.2}}`, -1, 400, CodeMalformedJSON, `unknown field "HIGH" in thresholds (field names are case-sensitive: did you mean "high"?)`},
		{"repeated threshold", "/v1/score", `{"posting":"a b c","thresholds":{"review":0.1,"high":0.2,"review":0.9}}`, -1, 400, CodeMalformedJSON, `duplicate key "review" in thresholds`},
		{"repeated threshold, reference", "/v1/score", `{` + ref + `"posting":"a b c","thresholds":{"review":0.1,"high":0.2,"review":0.9}}`, -1, 400, CodeMalformedJSON, `duplicate key "review" in thresholds`},
		{"posting field in another case", "/v1/score", `{"posting":{"Title":"x","description":"` + lure + `"}}`, -1, 400, CodeMalformedJSON, `unknown field "Title" in posting (field names are case-sensitive: did you mean "title"?)`},
		{"repeated posting field", "/v1/score", `{"posting":{"title":"a","description":"` + lure + `","title":"b"}}`, -1, 400, CodeMalformedJSON, `duplicate key "title" in posting`},
		{"repeated attribute", "/v1/score", `{"posting":{"description":"` + lure + `","attributes":{"k":"1","k":"2"}}}`, -1, 400, CodeMalformedJSON, `duplicate key "k" in posting.attributes`},
		{"repeated attributes", "/v1/score", `{"posting":{"description":"` + lure + `","attributes":{},"attributes":{"k":"2"}}}`, -1, 400, CodeMalformedJSON, `duplicate key "attributes" in posting`},
		{"repeated json-ld property", "/v1/score", `{"posting":{"@type":"JobPosting","title":"a","description":"` + lure + `","title":"b"}}`, -1, 400, CodeMalformedJSON, `duplicate key "title" in posting`},
		{"repeated nested json-ld property", "/v1/score", `{"posting":{"@type":"JobPosting","description":"` + lure + `","hiringOrganization":{"name":"a","name":"b"}}}`, -1, 400, CodeMalformedJSON, `duplicate key "name" in posting.hiringOrganization`},
		{"batch item field in another case", "/v1/score/batch", `{"postings":["` + lure + `",{"Description":"x"}]}`, 1, 400, CodeMalformedJSON, `unknown field "Description" in postings[1] (field names are case-sensitive: did you mean "description"?)`},
		{"batch item repeated attribute", "/v1/score/batch", `{"postings":[{"title":"a","attributes":{"k":"1","k":"2"}}]}`, 0, 400, CodeMalformedJSON, `duplicate key "k" in postings[0].attributes`},
		{"batch item repeated attribute, reference", "/v1/score/batch", `{` + ref + `"postings":["x",{"title":"a","attributes":{"k":"1","k":"2"}}]}`, 1, 400, CodeMalformedJSON, `duplicate key "k" in postings[1].attributes`},
		{"unknown key", "/v1/score", `{"posting":"a b c","colour":"red"}`, -1, 400, CodeMalformedJSON, `unknown field "colour" in the body`},
		{"unknown posting field", "/v1/score", `{"posting":{"txt":"a b c"}}`, -1, 400, CodeMalformedJSON, `unknown field "txt" in posting`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do("POST", tt.path, "application/json", tt.body)
			want := tt.status
			if tt.item >= 0 {
				want = 200
			}
			if rec.Code != want {
				t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body.String())
			}
			status, code, detail := detailOf(t, rec.Body.Bytes(), tt.item)
			if int(status) != tt.status || code != string(tt.code) || detail != tt.detail {
				t.Errorf("got %v %s %q\nwant %d %s %q", status, code, detail, tt.status, tt.code, tt.detail)
			}
		})
	}
	// Exact names, once each, spelled with escapes or not, still score.
	for _, body := range []string{
		`{"po\u0073ting":"` + lure + `"}`,
		`{"posting":{"title":"a","description":"` + lure + `","attributes":{"k":"1","K":"2","k2":"3"}}}`,
		`{"posting":{"@type":"JobPosting","title":"a","description":"` + lure + `","hiringOrganization":{"name":"a"},"identifier":{"name":"b"}}}`,
	} {
		if rec := ts.do("POST", "/v1/score", "application/json", body); rec.Code != 200 {
			t.Errorf("%s: %d %s", body, rec.Code, rec.Body.String())
		}
	}
}

// TestErrorWording checks that a wrong type is described in the client's
// terms: the field path as the JSON has it and JSON types, never Go's
// struct or type names (which the details showed: "scoreOptions.top_features
// must be int", "the body must be api.scoreRequest", "[]json.RawMessage").
func TestErrorWording(t *testing.T) {
	ts := newTestServer(t, nil)
	const ref = `"lang":null,`
	tests := []struct {
		name, path, body string
		item             int
		detail           string
	}{
		{"string for an integer", "/v1/score", `{"posting":"x","top_features":"5"}`, -1, `top_features must be an integer, not a string`},
		{"string for an integer, reference", "/v1/score", `{` + ref + `"posting":"x","top_features":"5"}`, -1, `top_features must be an integer, not a string`},
		{"fraction for an integer", "/v1/score", `{"posting":"x","top_features":5.0}`, -1, `top_features must be an integer, not 5.0`},
		{"integer out of range", "/v1/score", `{"posting":"x","top_features":99999999999999999999}`, -1, `top_features must be an integer, and 99999999999999999999 is out of range`},
		{"body an array", "/v1/score", `[]`, -1, `the body must be a JSON object, not an array`},
		{"body a string", "/v1/score", `"posting"`, -1, `the body must be a JSON object, not a string`},
		{"body a number", "/v1/score", `5`, -1, `the body must be a JSON object, not a number`},
		{"body null", "/v1/score", `null`, -1, `the body must be a JSON object, not null`},
		{"body false", "/v1/score", `false`, -1, `the body must be a JSON object, not false`},
		{"batch body an array", "/v1/score/batch", `["a"]`, -1, `the body must be a JSON object, not an array`},
		{"batch body null", "/v1/score/batch", `null`, -1, `the body must be a JSON object, not null`},
		{"postings a string", "/v1/score/batch", `{"postings":"abc"}`, -1, `postings must be an array, not a string`},
		{"postings an object", "/v1/score/batch", `{"postings":{"a":"b"}}`, -1, `postings must be an array, not an object`},
		{"id a number", "/v1/score", `{"id":5,"posting":"x"}`, -1, `id must be a string, not a number`},
		{"lang true", "/v1/score/batch", `{"postings":["x"],"lang":true}`, -1, `lang must be a string, not true`},
		{"thresholds an array", "/v1/score", `{"posting":"x","thresholds":[]}`, -1, `thresholds must be an object, not an array`},
		{"threshold a string", "/v1/score", `{"posting":"x","thresholds":{"review":"0.1","high":0.2}}`, -1, `thresholds.review must be a number, not a string`},
		{"threshold a string, reference", "/v1/score", `{` + ref + `"posting":"x","thresholds":{"review":0.1,"high":"0.2"}}`, -1, `thresholds.high must be a number, not a string`},
		{"threshold out of range", "/v1/score", `{"posting":"x","thresholds":{"review":1e999,"high":0.2}}`, -1, `thresholds.review must be a number, and 1e999 is out of range`},
		{"posting field a number", "/v1/score", `{"posting":{"title":5}}`, -1, `posting.title must be a string, not a number`},
		{"attributes an array", "/v1/score", `{"posting":{"title":"a","attributes":["x"]}}`, -1, `posting.attributes must be an object, not an array`},
		{"attribute a number", "/v1/score", `{"posting":{"title":"a","attributes":{"has_logo":1}}}`, -1, `posting.attributes.has_logo must be a string, not a number`},
		{"odd attribute name a number", "/v1/score", `{"posting":{"title":"a","attributes":{"has logo":1}}}`, -1, `posting.attributes["has logo"] must be a string, not a number`},
		{"posting an array", "/v1/score", `{"posting":[1,2]}`, -1, `posting must be a string or an object, not an array`},
		{"posting true", "/v1/score", `{"posting":true}`, -1, `posting must be a string or an object, not true`},
		{"batch item field a number", "/v1/score/batch", `{"postings":["x",{"title":5}]}`, 1, `postings[1].title must be a string, not a number`},
		{"batch item a number", "/v1/score/batch", `{"postings":[5]}`, 0, `postings[0] must be a string or an object, not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do("POST", tt.path, "application/json", tt.body)
			want := 400
			if tt.item >= 0 {
				want = 200
			}
			if rec.Code != want {
				t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body.String())
			}
			status, code, detail := detailOf(t, rec.Body.Bytes(), tt.item)
			if status != 400 || code != string(CodeMalformedJSON) || detail != tt.detail {
				t.Errorf("got %v %s %q, want 400 %s %q", status, code, detail, CodeMalformedJSON, tt.detail)
			}
			if goNames.MatchString(detail) {
				t.Errorf("detail %q names Go types", detail)
			}
		})
	}
}

// TestJSONErrorWording checks the wording of encoding/json's errors that
// strictjson.Check does not get first: no Go names.
func TestJSONErrorWording(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		detail string
	}{
		{"type error", &json.UnmarshalTypeError{Value: "string", Type: reflect.TypeFor[int](), Offset: 30, Struct: "scoreRequest", Field: "scoreOptions.top_features"}, "the value at byte 30 must be an integer, not a string"},
		{"type error of a number", &json.UnmarshalTypeError{Value: "number 5.5", Type: reflect.TypeFor[*scoreRequest](), Offset: 1}, "the value at byte 1 must be an object, not a number"},
		{"type error of a slice", &json.UnmarshalTypeError{Value: "object", Type: reflect.TypeFor[[]json.RawMessage](), Offset: 12, Field: "postings"}, "the value at byte 12 must be an array, not an object"},
		{"other", &json.InvalidUnmarshalError{Type: reflect.TypeFor[scoreRequest]()}, "the JSON could not be decoded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := jsonError(tt.err).(*Error)
			if !ok || e.Code != CodeMalformedJSON || e.Detail != tt.detail || goNames.MatchString(e.Detail) {
				t.Errorf("jsonError = %#v, want detail %q", e, tt.detail)
			}
		})
	}
}
