// Package features turns a job posting into the evidence lurescan scores: a
// normalised text, its language, tokens, stemmed n-gram features, typed
// features (money, contacts, age bands) and explainable lure-indicator hits.
//
// Analysis is a pipeline of small steps, each in its own file:
//
//	normalise (normalize.go) → tokenize (tokenize.go) → detect language (lang.go)
//	→ filter and stem (stem.go) → n-grams and typed features (analyzer.go)
//	with the indicator matcher (matcher.go) and extractors (money.go, contact.go,
//	age.go) reading the same tokens.
package features

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Field names a part of a posting. A word in the title and the same word in
// the benefits are different evidence, so features carry their field.
type Field uint8

// The fields of a posting, in the order they are analysed.
const (
	FieldText Field = iota
	FieldTitle
	FieldCompany
	FieldLocation
	FieldSalary
	FieldDescription
	FieldRequirements
	FieldBenefits
	FieldContact
	FieldCompanyProfile
	numFields
)

var fieldNames = [numFields]string{
	"text", "title", "company", "location", "salary", "description",
	"requirements", "benefits", "contact", "company_profile",
}

// String returns the JSON name of the field.
func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return fmt.Sprintf("field(%d)", uint8(f))
}

// MarshalText makes a Field serialise as its name.
func (f Field) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Posting is one job advert: either free text (Text) or structured fields,
// or both. Attributes carry structured extras that are not prose, such as
// EMSCAD's employment_type or has_company_logo.
type Posting struct {
	ID             string            `json:"id,omitempty"`
	Text           string            `json:"text,omitempty"`
	Title          string            `json:"title,omitempty"`
	Company        string            `json:"company,omitempty"`
	Location       string            `json:"location,omitempty"`
	Salary         string            `json:"salary,omitempty"`
	Description    string            `json:"description,omitempty"`
	Requirements   string            `json:"requirements,omitempty"`
	Benefits       string            `json:"benefits,omitempty"`
	Contact        string            `json:"contact,omitempty"`
	CompanyProfile string            `json:"company_profile,omitempty"`
	Attributes     map[string]string `json:"attributes,omitempty"`
}

// FieldText returns the text of field f.
func (p *Posting) FieldText(f Field) string {
	switch f {
	case FieldText:
		return p.Text
	case FieldTitle:
		return p.Title
	case FieldCompany:
		return p.Company
	case FieldLocation:
		return p.Location
	case FieldSalary:
		return p.Salary
	case FieldDescription:
		return p.Description
	case FieldRequirements:
		return p.Requirements
	case FieldBenefits:
		return p.Benefits
	case FieldContact:
		return p.Contact
	case FieldCompanyProfile:
		return p.CompanyProfile
	}
	return ""
}

// Structured reports whether the posting uses any field other than Text.
func (p *Posting) Structured() bool {
	for f := FieldTitle; f < numFields; f++ {
		if p.FieldText(f) != "" {
			return true
		}
	}
	return false
}

// TotalBytes is the size of all text in the posting.
func (p *Posting) TotalBytes() int {
	n := 0
	for f := FieldText; f < numFields; f++ {
		n += len(p.FieldText(f))
	}
	for k, v := range p.Attributes {
		n += len(k) + len(v)
	}
	return n
}

// Errors a posting can be refused with.
var (
	ErrEmptyPosting = errors.New("posting has no text (only spaces or control characters, or nothing)")
	ErrInvalidUTF8  = errors.New("posting text is not valid UTF-8")
)

// hasText reports whether s has anything but spaces and control characters.
func hasText(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// Validate checks that the posting has some text and that all of it is valid
// UTF-8. The error names the offending field.
func (p *Posting) Validate() error {
	empty := true
	for f := FieldText; f < numFields; f++ {
		s := p.FieldText(f)
		if !utf8.ValidString(s) {
			return fmt.Errorf("field %q: %w", f, ErrInvalidUTF8)
		}
		if empty && hasText(s) {
			empty = false
		}
	}
	for k, v := range p.Attributes {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("attribute %q: %w", k, ErrInvalidUTF8)
		}
	}
	if empty {
		return ErrEmptyPosting
	}
	return nil
}
