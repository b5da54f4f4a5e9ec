package strictjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

type inner struct {
	A string `json:"a"`
	B int    `json:"b,omitempty"`
}

type options struct {
	Lang string   `json:"lang"`
	Th   *float64 `json:"th"`
}

type Exported struct {
	E string
}

type Tagged struct {
	A string `json:"a"`
}

type doc struct {
	ID      string            `json:"id"`
	Raw     json.RawMessage   `json:"raw"`
	In      *inner            `json:"in"`
	List    []inner           `json:"list"`
	Attrs   map[string]string `json:"attrs"`
	Any     any               `json:"any"`
	Small   int8              `json:"small"`
	Count   uint              `json:"count"`
	F32     float32           `json:"f32"`
	Flag    bool              `json:"flag"`
	Quoted  int               `json:"quoted,string"`
	Bytes   []byte            `json:"bytes"`
	Num     json.Number       `json:"num"`
	Skipped string            `json:"-"`
	NoTag   string
	hidden  string
	options // promoted: lang, th
	Exported
	Tagged `json:"tagged"`
}

func TestCheck(t *testing.T) {
	typ := reflect.TypeFor[doc]()
	tests := []struct {
		name, in, want string // want "" is no error
	}{
		{"all fields", `{"id":"x","raw":{"Any":[1,{"k":1,"k":2}]},"in":{"a":"x","b":1},"list":[{"a":"y"}],"attrs":{"k":"v","K":"w"},"any":{"a":[{"b":1}]},"small":-128,"count":3,"f32":1.5,"flag":true,"quoted":"5","bytes":"aGk=","num":1.5e3,"NoTag":"n","lang":"en","th":0.5,"E":"e","tagged":{"a":"z"}}`, ""},
		{"nulls", `{"id":null,"raw":null,"in":null,"list":null,"attrs":{"k":null},"any":null,"small":null,"flag":null,"quoted":null,"th":null}`, ""},
		{"escaped key", `{"i\u0064":"x"}`, ""},
		{"empty object", `{}`, ""},
		{"trailing data is not looked at", `{"id":"x"} {"id":5}`, ""},
		{"key in another case", `{"ID":"x"}`, `unknown field "ID" in the doc (field names are case-sensitive: did you mean "id"?)`},
		{"unknown key", `{"colour":"x"}`, `unknown field "colour" in the doc`},
		{"key of a skipped field", `{"Skipped":"x"}`, `unknown field "Skipped" in the doc`},
		{"key of an unexported field", `{"hidden":"x"}`, `unknown field "hidden" in the doc`},
		{"embedded struct's own name", `{"options":{}}`, `unknown field "options" in the doc`},
		{"promoted key of a tagged embedded struct", `{"a":"x"}`, `unknown field "a" in the doc`},
		{"key in a tagged embedded struct", `{"tagged":{"A":"x"}}`, `unknown field "A" in tagged (field names are case-sensitive: did you mean "a"?)`},
		{"promoted key in another case", `{"Lang":"x"}`, `unknown field "Lang" in the doc (field names are case-sensitive: did you mean "lang"?)`},
		{"nested key in another case", `{"in":{"A":"x"}}`, `unknown field "A" in in (field names are case-sensitive: did you mean "a"?)`},
		{"key in an array element", `{"list":[{"a":"x"},{"c":1}]}`, `unknown field "c" in list[1]`},
		{"repeated key", `{"id":"x","raw":1,"id":"y"}`, `duplicate key "id" in the doc`},
		{"repeated key spelled with an escape", `{"id":"x","\u0069d":"y"}`, `duplicate key "id" in the doc`},
		{"repeated promoted key", `{"lang":"x","lang":"y"}`, `duplicate key "lang" in the doc`},
		{"repeated map key", `{"attrs":{"k":"1","k":"2"}}`, `duplicate key "k" in attrs`},
		{"repeated key in any", `{"any":[{"a":{"b":1,"b":2}}]}`, `duplicate key "b" in any[0].a`},
		{"repeated key in raw is not looked at", `{"raw":{"b":1,"b":2}}`, ""},
		{"string for an integer", `{"in":{"b":"1"}}`, `in.b must be an integer, not a string`},
		{"fraction for an integer", `{"small":1.0}`, `small must be an integer, not 1.0`},
		{"exponent for an integer", `{"small":1e2}`, `small must be an integer, not 1e2`},
		{"integer out of range", `{"small":128}`, `small must be an integer, and 128 is out of range`},
		{"negative unsigned", `{"count":-1}`, `count must be a non-negative integer, not -1`},
		{"float out of range", `{"f32":1e39}`, `f32 must be a number, and 1e39 is out of range`},
		{"number for a bool", `{"flag":1}`, `flag must be true or false, not a number`},
		{"bool for a string", `{"id":false}`, `id must be a string, not false`},
		{"object for an array", `{"list":{}}`, `list must be an array, not an object`},
		{"array for an object", `{"in":[]}`, `in must be an object, not an array`},
		{"string for a map", `{"attrs":"x"}`, `attrs must be an object, not a string`},
		{"number for a map value", `{"attrs":{"k":1}}`, `attrs.k must be a string, not a number`},
		{"odd map key", `{"attrs":{"a b":1}}`, `attrs["a b"] must be a string, not a number`},
		{"number for a quoted field", `{"quoted":5}`, `quoted must be a string, not a number`},
		{"number for bytes", `{"bytes":5}`, `bytes must be a string, not a number`},
		{"array for a json.Number", `{"num":[]}`, `num must be a number, not an array`},
		{"array for the document", `[]`, `the doc must be a JSON object, not an array`},
		{"null for the document", `null`, `the doc must be a JSON object, not null`},
		{"first problem wins", `{"id":5,"ID":"x"}`, `id must be a string, not a number`},
		{"problem before a syntax error", `{"colour":"x",`, `unknown field "colour" in the doc`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check([]byte(tt.in), typ, "", "the doc")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check(%s) = %v", tt.in, err)
				}
				if err := json.Unmarshal([]byte(strings.SplitN(tt.in, " ", 2)[0]), new(doc)); err != nil && tt.name != "trailing data is not looked at" {
					t.Errorf("encoding/json refuses what Check accepts: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || err.Error() != tt.want {
				t.Fatalf("Check(%s) = %v, want %s", tt.in, err, tt.want)
			}
		})
	}
}

// TestCheckPath checks that errors below a base path carry it.
func TestCheckPath(t *testing.T) {
	err := Check([]byte(`{"in":{"b":"x"}}`), reflect.TypeFor[*doc](), "postings[3]", "the body")
	if err == nil || err.Error() != "postings[3].in.b must be an integer, not a string" {
		t.Errorf("Check = %v", err)
	}
	err = Check([]byte(`{"id":"x","id":"y"}`), reflect.TypeFor[*doc](), "posting", "the body")
	if err == nil || err.Error() != `duplicate key "id" in posting` {
		t.Errorf("Check = %v", err)
	}
}

// TestCheckSyntax checks that syntax errors are not *Error, for the caller
// to let encoding/json report them.
func TestCheckSyntax(t *testing.T) {
	for _, in := range []string{``, `{`, `{"id":"x",}`, `{"id" "x"}`, `{"id":"x"`, `{"raw":[1,}`, `{"any":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`} {
		err := Check([]byte(in), reflect.TypeFor[doc](), "", "the doc")
		var e *Error
		if err == nil || errors.As(err, &e) {
			t.Errorf("Check(%.40s) = %v, want a syntax error", in, err)
		}
	}
}

func TestUnknown(t *testing.T) {
	e := Unknown(reflect.TypeFor[*doc](), "LANG", "")
	e.Name = "the body"
	if got := e.Error(); got != `unknown field "LANG" in the body (field names are case-sensitive: did you mean "lang"?)` {
		t.Errorf("Unknown = %s", got)
	}
}

// TestTypeFields checks encoding/json's rules for names that clash: the
// least deeply embedded wins, then a tagged one; else neither.
func TestTypeFields(t *testing.T) {
	type deep struct {
		X string `json:"x"`
		Y string
		Z string
	}
	type mid struct {
		deep
		Y string
	}
	type clash1 struct{ Z string }
	type clash2 struct{ Z string }
	type top struct {
		mid
		clash1
		clash2
		X int `json:"x"`
	}
	got := map[string]reflect.Type{}
	for _, f := range typeFields(reflect.TypeFor[top]()) {
		got[f.name] = f.typ
	}
	if len(got) != 2 || got["x"] != reflect.TypeFor[int]() || got["Y"] == nil {
		t.Errorf("fields %v", got)
	}
	// encoding/json agrees.
	var v top
	if err := json.Unmarshal([]byte(`{"x":1,"Y":"y"}`), &v); err != nil || v.X != 1 || v.mid.Y != "y" {
		t.Errorf("encoding/json: %+v %v", v, err)
	}
}
