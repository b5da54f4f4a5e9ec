package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
)

// TestDecodePostingStrict checks that a JSON posting's keys match field
// names exactly and once (encoding/json matched {"Title":...} and let the
// last of repeated keys win), and that errors name the field as the input
// wrote it, in JSON's types, not Go's ("main.datasetRecord").
func TestDecodePostingStrict(t *testing.T) {
	tests := []struct {
		name, in, err string
	}{
		{"key in another case", `{"Title":"x","text":"a b c"}`, `invalid posting JSON: unknown field "Title" in the posting (field names are case-sensitive: did you mean "title"?)`},
		{"dataset key in another case", `{"Label":"lure","text":"a b c"}`, `invalid posting JSON: unknown field "Label" in the posting (field names are case-sensitive: did you mean "label"?)`},
		{"unknown key", `{"txt":"a b c"}`, `invalid posting JSON: unknown field "txt" in the posting`},
		{"repeated key", `{"text":"a b c","text":""}`, `invalid posting JSON: duplicate key "text" in the posting`},
		{"repeated dataset key", `{"text":"a b c","label":"lure","label":"legit"}`, `invalid posting JSON: duplicate key "label" in the posting`},
		{"repeated key spelled with an escape", `{"text":"a b c","t\u0065xt":"d"}`, `invalid posting JSON: duplicate key "text" in the posting`},
		{"repeated attribute", `{"text":"a b c","attributes":{"k":"1","k":"2"}}`, `invalid posting JSON: duplicate key "k" in attributes`},
		{"wrong type", `{"label":7,"text":"a b c"}`, `invalid posting JSON: label must be a string, not a number`},
		{"wrong element type", `{"categories":["a",7],"text":"a b c"}`, `invalid posting JSON: categories[1] must be a string, not a number`},
		{"attribute a number", `{"text":"a b c","attributes":{"has_logo":1}}`, `invalid posting JSON: attributes.has_logo must be a string, not a number`},
		{"an array", `["a b c"]`, `invalid posting JSON: the posting must be a JSON object, not an array`},
		{"null", `null`, `invalid posting JSON: the posting must be a JSON object, not null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodePosting([]byte(tt.in))
			if err == nil || err.Error() != tt.err {
				t.Fatalf("decodePosting(%s) = %v, want %s", tt.in, err, tt.err)
			}
			if strings.Contains(err.Error(), "main.") || strings.Contains(err.Error(), "Go ") {
				t.Errorf("error %q names Go types", err)
			}
		})
	}
	// Syntax errors are still encoding/json's, wrapped.
	var syn *json.SyntaxError
	if _, err := decodePosting([]byte(`{"text":"a",}`)); !errors.As(err, &syn) {
		t.Errorf("syntax error: %v", err)
	}
	// Exact names, once each, still decode.
	p, err := decodePosting([]byte(`{"id":"1","t\u0069tle":"T","text":"a b c","label":"lure","attributes":{"k":"1","K":"2"}}`))
	if err != nil || p.ID != "1" || p.Title != "T" || p.Attributes["K"] != "2" {
		t.Errorf("decodePosting = %+v, %v", p, err)
	}
	if _, err := decodePosting([]byte("{\"text\":\"bad \xff\"}")); !errors.Is(err, features.ErrInvalidUTF8) {
		t.Errorf("invalid UTF-8: %v", err)
	}
}

// TestScoreRefusesLooseKeys checks the same through score: a line with a
// key in another case or a repeated key gets its error line, naming the key.
func TestScoreRefusesLooseKeys(t *testing.T) {
	tests := []struct {
		name, stdin, want string
	}{
		{"key in another case", `{"Text":"` + lureText + `"}`, `unknown field \"Text\"`},
		{"repeated key", `{"id":"a","text":"` + lureText + `","text":"x"}`, `duplicate key \"text\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.stdin+"\n", "score")
			if code != 1 || !strings.Contains(out, tt.want) || !strings.Contains(out, `"line":1`) {
				t.Errorf("exit %d, output %s, stderr %s; want exit 1 and %s", code, out, errs, tt.want)
			}
		})
	}
}
