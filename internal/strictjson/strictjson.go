// Package strictjson checks a JSON document against the Go type it is to be
// decoded into, more strictly than encoding/json decodes it, and says what
// is wrong in the client's terms.
//
// encoding/json matches object keys to struct fields case-insensitively
// ({"Postings":...} fills Postings), lets a repeated key overwrite the
// earlier value, and describes a wrong type with Go names
// ("scoreOptions.top_features must be int"). Check refuses the first two
// and reports all three with the field path as the client wrote it and
// types as "an integer", "a string"... Run it before decoding with
// encoding/json (and DisallowUnknownFields), which then only has to fill
// the value in.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Kind is a kind of problem Check finds.
type Kind int

// The problems Check reports.
const (
	// UnknownField is an object key that names no field of the struct
	// (including one that does only when case is ignored).
	UnknownField Kind = iota + 1
	// DuplicateKey is a key that repeats an earlier key of its object.
	DuplicateKey
	// WrongType is a value that is not of the type its place takes.
	WrongType
	// OutOfRange is a number too large for its place.
	OutOfRange
)

// Error is a problem Check found, at the first place it occurs in the
// document.
type Error struct {
	Kind Kind
	// Path is where the problem is, in JSON names: the object holding
	// Key for UnknownField and DuplicateKey, else the value; "" is the
	// whole document, which Name then names. Object keys are joined with
	// dots and array indices and map keys that are not plain names are in
	// brackets: thresholds.review, postings[2].attributes["a b"].
	Path string
	// Name is what messages call the whole document ("the body").
	Name string
	// Key is the offending key (UnknownField, DuplicateKey).
	Key string
	// Suggest is the field Key names when case is ignored, if any.
	Suggest string
	// Want is what the place takes ("an integer") and Got what it has
	// ("a string", "null", or the number itself): WrongType, OutOfRange.
	Want, Got string
}

func (e *Error) where() string {
	if e.Path == "" {
		return e.Name
	}
	return e.Path
}

func (e *Error) Error() string {
	switch e.Kind {
	case UnknownField:
		if e.Suggest != "" {
			return fmt.Sprintf("unknown field %.64q in %s (field names are case-sensitive: did you mean %q?)", e.Key, e.where(), e.Suggest)
		}
		return fmt.Sprintf("unknown field %.64q in %s", e.Key, e.where())
	case DuplicateKey:
		return fmt.Sprintf("duplicate key %.64q in %s", e.Key, e.where())
	case OutOfRange:
		return fmt.Sprintf("%s must be %s, and %.32s is out of range", e.where(), e.Want, e.Got)
	}
	return fmt.Sprintf("%s must be %s, not %.32s", e.where(), e.Want, e.Got)
}

// maxDepth bounds the nesting Check follows, as encoding/json does; deeper
// documents are a syntax error, which encoding/json reports.
const maxDepth = 10000

// errTooDeep is Check's syntax error for nesting beyond maxDepth.
var errTooDeep = errors.New("strictjson: exceeded max depth")

// Check reads the first JSON value of data and reports the first problem,
// in document order, with decoding it into a value of type t: an *Error.
// path is where data sits in the client's document ("" when it is the
// document) and name what the messages call the document.
//
// null is accepted wherever encoding/json accepts it, except as the whole
// value. Values of types with their own UnmarshalJSON or UnmarshalText
// (json.RawMessage...) are only skipped: whoever decodes them checks them.
// Values of interface type (any) are checked for duplicate keys only.
//
// Any other error is a syntax error of data (or nesting beyond encoding/json's
// limit); decoding data with encoding/json reports it too, and callers may
// prefer its message. Data after the first value is not looked at.
func Check(data []byte, t reflect.Type, path, name string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	c := checker{dec: dec, name: name}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		want := describe(t)
		if want == "an object" {
			want = "a JSON object"
		}
		return c.fail(&Error{Kind: WrongType, Path: path, Want: want, Got: "null"})
	}
	return c.value(tok, t, path, 0)
}

type checker struct {
	dec  *json.Decoder
	name string
}

func (c *checker) fail(e *Error) error {
	e.Name = c.name
	return e
}

var (
	numberType          = reflect.TypeFor[json.Number]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// custom reports whether t decodes itself.
func custom(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(unmarshalerType) || pt.Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

// describe says what a value of type t is in JSON, for messages.
func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a string" // []byte is base64
		}
		return "an array"
	case reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a JSON value"
}

// got says what a token is, for messages.
func got(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return "a JSON value"
}

// next checks the next value, of type t at path.
func (c *checker) next(t reflect.Type, path string, depth int) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if custom(t) {
		// Skipped whole, without a token for each part (a posting's text
		// would be copied once more for nothing).
		var raw json.RawMessage
		return c.dec.Decode(&raw)
	}
	tok, err := c.dec.Token()
	if err != nil {
		return err
	}
	return c.value(tok, t, path, depth)
}

// value checks the value that starts with tok, of type t at path.
func (c *checker) value(tok json.Token, t reflect.Type, path string, depth int) error {
	if tok == nil {
		return nil // null leaves any value as it is
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if custom(t) {
		return c.skip(tok, depth)
	}
	if t == numberType {
		// encoding/json takes a number, or a string it then checks.
		switch tok.(type) {
		case json.Number, string:
			return nil
		}
		return c.fail(&Error{Kind: WrongType, Path: path, Want: "a number", Got: got(tok)})
	}
	wrong := func() error {
		want := describe(t)
		if path == "" && want == "an object" {
			want = "a JSON object"
		}
		return c.fail(&Error{Kind: WrongType, Path: path, Want: want, Got: got(tok)})
	}
	switch t.Kind() {
	case reflect.Interface:
		return c.anything(tok, path, depth)
	case reflect.Struct:
		if tok != json.Delim('{') {
			return wrong()
		}
		return c.object(typeFields(t), path, depth+1)
	case reflect.Map:
		if tok != json.Delim('{') {
			return wrong()
		}
		return c.mapping(t.Elem(), path, depth+1)
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			if _, ok := tok.(string); !ok {
				return wrong()
			}
			return nil
		}
		if tok != json.Delim('[') {
			return wrong()
		}
		return c.array(t.Elem(), path, depth+1)
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return wrong()
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return wrong()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return wrong()
		}
		return c.number(string(n), t, path)
	default:
		return c.skip(tok, depth)
	}
	return nil
}

// number checks that s fits a t, as encoding/json's conversion would.
func (c *checker) number(s string, t reflect.Type, path string) error {
	var err error
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		_, err = strconv.ParseFloat(s, t.Bits())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(s, 10, t.Bits())
	default:
		_, err = strconv.ParseUint(s, 10, t.Bits())
	}
	if err == nil {
		return nil
	}
	kind := WrongType
	if errors.Is(err, strconv.ErrRange) {
		kind = OutOfRange
	}
	return c.fail(&Error{Kind: kind, Path: path, Want: describe(t), Got: s})
}

// object checks the rest of an object (after its '{') decoded into a
// struct with the given fields.
func (c *checker) object(fields []field, path string, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	seen := make([]bool, len(fields))
	for c.dec.More() {
		k, err := c.key()
		if err != nil {
			return err
		}
		i := lookup(fields, k)
		if i < 0 {
			return c.fail(unknown(fields, k, path))
		}
		if seen[i] {
			return c.fail(&Error{Kind: DuplicateKey, Path: path, Key: k})
		}
		seen[i] = true
		if fields[i].quoted {
			// ",string": the value is a string holding the scalar.
			tok, err := c.dec.Token()
			if err != nil {
				return err
			}
			if _, ok := tok.(string); !ok && tok != nil {
				return c.fail(&Error{Kind: WrongType, Path: join(path, k), Want: "a string", Got: got(tok)})
			}
			continue
		}
		if err := c.next(fields[i].typ, join(path, k), depth); err != nil {
			return err
		}
	}
	return c.end()
}

// mapping checks the rest of an object decoded into a map of elem: any
// keys, once each.
func (c *checker) mapping(elem reflect.Type, path string, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	seen := map[string]bool{}
	for c.dec.More() {
		k, err := c.key()
		if err != nil {
			return err
		}
		if seen[k] {
			return c.fail(&Error{Kind: DuplicateKey, Path: path, Key: k})
		}
		seen[k] = true
		if err := c.next(elem, mapKey(path, k), depth); err != nil {
			return err
		}
	}
	return c.end()
}

// array checks the rest of an array (after its '[') of elem.
func (c *checker) array(elem reflect.Type, path string, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	for i := 0; c.dec.More(); i++ {
		if err := c.next(elem, path+"["+strconv.Itoa(i)+"]", depth); err != nil {
			return err
		}
	}
	return c.end()
}

// anything checks a value of any type: its objects must not repeat keys.
func (c *checker) anything(tok json.Token, path string, depth int) error {
	switch tok {
	case json.Delim('{'):
		return c.mapping(reflect.TypeFor[any](), path, depth+1)
	case json.Delim('['):
		return c.array(reflect.TypeFor[any](), path, depth+1)
	}
	return nil
}

// skip skips the rest of a value that starts with tok.
func (c *checker) skip(tok json.Token, depth int) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for n := 1; n > 0; {
		if depth+n > maxDepth {
			return errTooDeep
		}
		tok, err := c.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			n++
		case json.Delim('}'), json.Delim(']'):
			n--
		}
	}
	return nil
}

// key reads an object key.
func (c *checker) key() (string, error) {
	tok, err := c.dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok { // Token does not return anything else here
		return "", fmt.Errorf("strictjson: object key is %v", tok)
	}
	return k, nil
}

// end reads the closing delimiter of an object or array.
func (c *checker) end() error {
	_, err := c.dec.Token()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mapKey is the path of a map's value: a plain name after a dot, anything
// else quoted in brackets.
func mapKey(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || r == '@' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			plain = false
			break
		}
	}
	if plain && len(key) <= 64 {
		return join(path, key)
	}
	return fmt.Sprintf("%s[%.64q]", path, key)
}

// Unknown is the error Check reports for key k, which names no field of
// struct type t (a pointer to one too), in the object at path. Name is
// left for the caller to set.
func Unknown(t reflect.Type, k, path string) *Error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return unknown(typeFields(t), k, path)
}

func unknown(fields []field, k, path string) *Error {
	e := &Error{Kind: UnknownField, Path: path, Key: k}
	for _, f := range fields {
		if strings.EqualFold(f.name, k) {
			e.Suggest = f.name
			break
		}
	}
	return e
}

// field is a JSON field of a struct.
type field struct {
	name   string
	typ    reflect.Type
	quoted bool // the ",string" option on a scalar
	depth  int  // embedding depth, for encoding/json's dominance rule
	tagged bool
}

func lookup(fields []field, name string) int {
	for i, f := range fields {
		if f.name == name {
			return i
		}
	}
	return -1
}

// typeFields lists the JSON fields of struct type t as encoding/json sees
// them: exported fields by tag or Go name, "-" left out, the fields of
// untagged embedded structs promoted; of fields with one name, the least
// deeply embedded wins, then a tagged one, else none.
func typeFields(t reflect.Type) []field {
	var all []field
	var walk func(t reflect.Type, depth int, visited []reflect.Type)
	walk = func(t reflect.Type, depth int, visited []reflect.Type) {
		for _, v := range visited {
			if v == t {
				return
			}
		}
		visited = append(visited, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			ft := sf.Type
			if sf.Anonymous {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
				walk(ft, depth+1, visited)
				continue
			}
			f := field{name: name, typ: sf.Type, depth: depth, tagged: name != ""}
			if name == "" {
				f.name = sf.Name
			}
			if hasOption(opts, "string") {
				switch ft.Kind() {
				case reflect.Bool, reflect.String,
					reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
					reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
					reflect.Float32, reflect.Float64:
					f.quoted = true
				}
			}
			all = append(all, f)
		}
	}
	walk(t, 0, nil)
	fields := all[:0:0]
	for _, f := range all {
		best, n := f, 0
		for _, g := range all {
			if g.name != f.name {
				continue
			}
			switch {
			case g.depth < best.depth || (g.depth == best.depth && g.tagged && !best.tagged):
				best, n = g, 1
			case g.depth == best.depth && g.tagged == best.tagged:
				n++
			}
		}
		if n == 1 && best == f && lookup(fields, f.name) < 0 {
			fields = append(fields, f)
		}
	}
	return fields
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}
