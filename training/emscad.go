package training

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/lurescan/lurescan/features"
)

// LabelFraud marks a generic employment scam (EMSCAD's "fraudulent"), as
// opposed to a trafficking lure.
const LabelFraud = "fraud"

// emscadColumns are the columns of EMSCAD's Kaggle layout that the reader
// needs; others (such as "source") are allowed and ignored as features.
var emscadColumns = []string{
	"title", "location", "department", "salary_range", "company_profile", "description", "requirements",
	"benefits", "telecommuting", "has_company_logo", "has_questions", "employment_type", "required_experience",
	"required_education", "industry", "function", "fraudulent",
}

// emscadAttributes are the structured columns carried as posting attributes.
var emscadAttributes = []string{
	"telecommuting", "has_company_logo", "has_questions", "employment_type", "required_experience",
	"required_education", "industry", "function", "department",
}

// ReadEMSCAD reads CSV in the EMSCAD / Kaggle "fake job postings" layout.
// Fraudulent rows are labelled LabelFraud, the others LabelLegit. HTML
// entities are decoded. The optional "source" column becomes the example's
// source (never a feature: in the shared partial file it gives the label
// away). A malformed row is reported with file and line; opts decides
// between skipping it and failing.
func ReadEMSCAD(r io.Reader, name string, opts ReadOptions) ([]Example, error) {
	source := opts.Source
	if source == "" {
		source = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked per row, to report it well
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, &LineError{File: name, Line: 1, Err: fmt.Errorf("no header: %w", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var missing []string
	for _, c := range emscadColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &LineError{File: name, Line: 1, Err: fmt.Errorf("missing columns %s (EMSCAD layout expected)", strings.Join(missing, ", "))}
	}
	var out []Example
	bad := func(line int, err error) error {
		lerr := &LineError{File: name, Line: line, Err: err}
		if !opts.SkipBad {
			return lerr
		}
		if opts.Bad != nil {
			opts.Bad(lerr)
		}
		return nil
	}
	for {
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				err := fmt.Errorf("malformed CSV: %w", perr.Err)
				if perr.Line > perr.StartLine {
					// A quote left open runs on to the next quote: every
					// row up to there went into this one record.
					err = fmt.Errorf("malformed CSV: %w (the record runs on to line %d, so every row on lines %d–%d is lost)",
						perr.Err, perr.Line, perr.StartLine, perr.Line)
				}
				if e := bad(perr.StartLine, err); e != nil {
					return nil, e
				}
				continue
			}
			return nil, &LineError{File: name, Line: line, Err: err}
		}
		line, _ = cr.FieldPos(0)
		ex, err := emscadRow(rec, col, len(header), source)
		if err != nil {
			if e := bad(line, err); e != nil {
				return nil, e
			}
			continue
		}
		if ex.Group == "" {
			ex.Group = fmt.Sprintf("%s:%d", source, line)
		}
		ex.Set = firstNonEmpty(opts.Set, SetReal)
		out = append(out, ex)
	}
	return out, nil
}

func emscadRow(rec []string, col map[string]int, width int, source string) (Example, error) {
	if len(rec) != width {
		return Example{}, fmt.Errorf("%d fields, the header has %d", len(rec), width)
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return Example{}, fmt.Errorf("field %d is not valid UTF-8 (is the file in another encoding?): %w", i+1, features.ErrInvalidUTF8)
		}
	}
	get := func(c string) string {
		i, ok := col[c]
		if !ok {
			return ""
		}
		return strings.TrimSpace(html.UnescapeString(rec[i]))
	}
	var label string
	switch get("fraudulent") {
	case "1", "t", "true":
		label = LabelFraud
	case "0", "f", "false":
		label = LabelLegit
	default:
		return Example{}, fmt.Errorf("fraudulent is %q, want 0 or 1", get("fraudulent"))
	}
	p := features.Posting{
		ID: get("job_id"), Title: get("title"), Location: get("location"), Salary: get("salary_range"),
		CompanyProfile: get("company_profile"), Description: get("description"), Requirements: get("requirements"),
		Benefits: get("benefits"), Attributes: map[string]string{},
	}
	for _, a := range emscadAttributes {
		if v := get(a); v != "" {
			p.Attributes[a] = v
		}
	}
	if err := p.Validate(); err != nil {
		return Example{}, err
	}
	if s := get("source"); s != "" {
		source = s
	}
	return Example{Posting: p, Label: label, Lang: "en", Source: source}, nil
}
