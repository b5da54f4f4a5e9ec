// Package training reads labelled adverts, splits them without leaks, trains
// and calibrates models, and measures them.
package training

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lurescan/lurescan/features"
)

// Labels.
const (
	LabelLegit = "legit"
	LabelLure  = "lure"
)

// Example is one labelled posting.
type Example struct {
	Posting features.Posting
	Label   string
	Lang    string
	// Group ties together reposts of one template; splits keep a group whole.
	Group      string
	Source     string
	Categories []string
	Pattern    string
	// Set says where the example comes from: SetCorpus for the project's
	// written examples (lures and hard negatives), SetReal for collected
	// real adverts. Metrics are reported per set.
	Set string
}

// Example sets.
const (
	SetCorpus = "corpus"
	SetReal   = "real"
)

// Class is the model class of the example: 1 for a lure or a generic
// employment scam, 0 for legitimate.
func (e *Example) Class() int {
	if e.Label == LabelLure || e.Label == LabelFraud {
		return 1
	}
	return 0
}

// Class0 is the class as a string key ("1" positive, "0" legitimate).
func (e *Example) Class0() string {
	if e.Class() == 1 {
		return "1"
	}
	return "0"
}

// jsonlRecord is one line of the JSON Lines format (see CORPUS.md): text or
// structured fields, a label, and optional id, group, language and source.
type jsonlRecord struct {
	ID             string            `json:"id"`
	Lang           string            `json:"lang"`
	Label          string            `json:"label"`
	Group          string            `json:"group"`
	Source         string            `json:"source"`
	Text           string            `json:"text"`
	Title          string            `json:"title"`
	Company        string            `json:"company"`
	Location       string            `json:"location"`
	Salary         string            `json:"salary"`
	Description    string            `json:"description"`
	Requirements   string            `json:"requirements"`
	Benefits       string            `json:"benefits"`
	Contact        string            `json:"contact"`
	CompanyProfile string            `json:"company_profile"`
	Attributes     map[string]string `json:"attributes"`
	Categories     []string          `json:"categories"`
	Pattern        string            `json:"pattern"`
	Provenance     string            `json:"provenance"`
}

// LineError is a malformed record, with where it is.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ReadOptions control reading.
type ReadOptions struct {
	// Source names the examples; the file name when empty.
	Source string
	// SkipBad skips malformed records (reporting each through Bad) instead
	// of failing on the first.
	SkipBad bool
	// Bad receives every skipped record's error.
	Bad func(error)
	// Set is recorded on every example (SetReal when empty).
	Set string
}

// maxLine bounds one JSON Lines record.
const maxLine = 4 << 20

// ReadJSONL reads labelled examples in JSON Lines from r; name is used in
// errors.
func ReadJSONL(r io.Reader, name string, opts ReadOptions) ([]Example, error) {
	source := opts.Source
	if source == "" {
		source = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	// Lines are read here and decoded by workers a batch at a time, while
	// reading goes on; results, errors and reports of bad lines keep the
	// file's order.
	type record struct {
		line int
		text string
		ex   Example
		err  error
	}
	const batchSize = 256
	var batches [][]record
	work := make(chan []record, 4)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range work {
				for i := range batch {
					batch[i].ex, batch[i].err = decodeRecord(batch[i].text, source)
					batch[i].text = ""
				}
			}
		}()
	}
	batch := make([]record, 0, batchSize)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		batch = append(batch, record{line: line, text: string(b)})
		if len(batch) == batchSize {
			batches = append(batches, batch)
			work <- batch
			batch = make([]record, 0, batchSize)
		}
	}
	batches = append(batches, batch)
	work <- batch
	close(work)
	wg.Wait()
	var out []Example
	for _, batch := range batches {
		for _, rec := range batch {
			if rec.err != nil {
				lerr := &LineError{File: name, Line: rec.line, Err: rec.err}
				if !opts.SkipBad {
					return nil, lerr
				}
				if opts.Bad != nil {
					opts.Bad(lerr)
				}
				continue
			}
			ex := rec.ex
			if ex.Group == "" {
				ex.Group = source + ":" + firstNonEmpty(ex.Posting.ID, strconv.Itoa(rec.line))
			}
			ex.Set = firstNonEmpty(opts.Set, SetReal)
			out = append(out, ex)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &LineError{File: name, Line: line + 1, Err: err}
	}
	return out, nil
}

func decodeRecord(line string, source string) (Example, error) {
	// encoding/json would quietly turn invalid bytes into U+FFFD.
	if !utf8.ValidString(line) {
		return Example{}, fmt.Errorf("not valid UTF-8 (byte %d): %w", invalidUTF8At([]byte(line)), features.ErrInvalidUTF8)
	}
	rec, ok := decodeRecordFast(line)
	if !ok {
		rec = jsonlRecord{}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return Example{}, fmt.Errorf("invalid record: %w", err)
		}
		// More would let a stray closing } or ] through: only the end may follow.
		if _, err := dec.Token(); err != io.EOF {
			return Example{}, errors.New("invalid record: data after the JSON object")
		}
	}
	switch rec.Label {
	case LabelLure, LabelLegit, LabelFraud:
	case "":
		return Example{}, errors.New(`missing "label" (lure, fraud or legit)`)
	default:
		return Example{}, fmt.Errorf("label %q is not lure, fraud or legit", rec.Label)
	}
	p := features.Posting{
		ID: rec.ID, Text: rec.Text, Title: rec.Title, Company: rec.Company, Location: rec.Location,
		Salary: rec.Salary, Description: rec.Description, Requirements: rec.Requirements,
		Benefits: rec.Benefits, Contact: rec.Contact, CompanyProfile: rec.CompanyProfile, Attributes: rec.Attributes,
	}
	if err := p.Validate(); err != nil {
		return Example{}, err
	}
	if rec.Source != "" {
		source = rec.Source
	}
	return Example{Posting: p, Label: rec.Label, Lang: rec.Lang, Group: rec.Group, Source: source,
		Categories: rec.Categories, Pattern: rec.Pattern}, nil
}

// invalidUTF8At returns the offset of the first invalid UTF-8 byte in b.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ReadFile reads a file of labelled examples, in the format its name says:
// .csv is EMSCAD's layout, .jsonld (or .ldjson) is schema.org JobPosting
// JSON-LD one object a line, anything else JSON Lines.
func ReadFile(path string, opts ReadOptions) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read examples: %w", err)
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return ReadEMSCAD(f, path, opts)
	case ".jsonld", ".ldjson":
		return ReadJobPostings(f, path, opts)
	}
	return ReadJSONL(f, path, opts)
}
