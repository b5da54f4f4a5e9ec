package training

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/features/schemaorg"
)

// labelKeys are the non-schema.org keys a labelled JobPosting line may carry.
var labelKeys = []string{"label", "group", "lang", "source"}

// ReadJobPostings reads schema.org JobPosting JSON-LD, one object a line,
// each with a "label" (lure, fraud or legit) beside the schema.org
// properties, and optional "group", "lang" and "source".
func ReadJobPostings(r io.Reader, name string, opts ReadOptions) ([]Example, error) {
	source := opts.Source
	if source == "" {
		source = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var out []Example
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		ex, err := decodeJobPosting(b, source)
		if err != nil {
			lerr := &LineError{File: name, Line: line, Err: err}
			if !opts.SkipBad {
				return nil, lerr
			}
			if opts.Bad != nil {
				opts.Bad(lerr)
			}
			continue
		}
		if ex.Group == "" {
			ex.Group = source + ":" + firstNonEmpty(ex.Posting.ID, fmt.Sprint(line))
		}
		ex.Set = firstNonEmpty(opts.Set, SetReal)
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, &LineError{File: name, Line: line + 1, Err: err}
	}
	return out, nil
}

func decodeJobPosting(b []byte, source string) (Example, error) {
	if !utf8.Valid(b) {
		return Example{}, fmt.Errorf("not valid UTF-8 (byte %d): %w", invalidUTF8At(b), features.ErrInvalidUTF8)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return Example{}, fmt.Errorf("invalid JSON-LD: %w", err)
	}
	meta := map[string]string{}
	for _, k := range labelKeys {
		if raw, ok := obj[k]; ok {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return Example{}, fmt.Errorf("%q must be a string", k)
			}
			meta[k] = s
			delete(obj, k)
		}
	}
	switch meta["label"] {
	case LabelLure, LabelLegit, LabelFraud:
	case "":
		return Example{}, errors.New(`missing "label" (lure, fraud or legit)`)
	default:
		return Example{}, fmt.Errorf("label %q is not lure, fraud or legit", meta["label"])
	}
	if !schemaorg.IsJobPosting(obj) {
		return Example{}, errors.New(`not JSON-LD: no "@type" or "@context"`)
	}
	p, err := schemaorg.FromObject(obj)
	if err != nil {
		return Example{}, err
	}
	if err := p.Validate(); err != nil {
		return Example{}, err
	}
	return Example{Posting: p, Label: meta["label"], Lang: meta["lang"], Group: meta["group"],
		Source: firstNonEmpty(meta["source"], source)}, nil
}
