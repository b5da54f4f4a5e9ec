// Package schemaorg reads schema.org JobPosting JSON-LD, the markup job
// boards already publish for search engines, into a lurescan posting.
package schemaorg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/lurescan/lurescan/features"
)

// IsJobPosting reports whether a JSON object looks like JSON-LD (it has an
// "@type" or "@context" key).
func IsJobPosting(obj map[string]json.RawMessage) bool {
	_, t := obj["@type"]
	_, c := obj["@context"]
	return t || c
}

// ErrNotJobPosting is returned for JSON-LD of another type.
var ErrNotJobPosting = errors.New(`JSON-LD "@type" is not JobPosting`)

// Parse converts one JobPosting object. Unknown schema.org properties are
// ignored (the vocabulary is large); the known ones must have sensible types.
func Parse(data []byte) (features.Posting, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return features.Posting{}, fmt.Errorf("JobPosting: %w", err)
	}
	return FromObject(obj)
}

// FromObject converts a decoded JobPosting object.
func FromObject(obj map[string]json.RawMessage) (features.Posting, error) {
	var p features.Posting
	if t, ok := obj["@type"]; ok {
		types := stringsOf(t)
		if !contains(types, "JobPosting") {
			return p, fmt.Errorf("%w (got %s)", ErrNotJobPosting, bytes.TrimSpace(t))
		}
	}
	p.Title = text(obj["title"])
	p.Description = stripHTML(text(obj["description"]))
	p.Company = orgName(obj["hiringOrganization"])
	p.Location = location(obj["jobLocation"])
	if p.Location == "" {
		p.Location = text(obj["jobLocationType"])
	}
	p.Salary = salary(obj["baseSalary"])
	if p.Salary == "" {
		p.Salary = salary(obj["estimatedSalary"])
	}
	var req []string
	for _, k := range []string{"qualifications", "experienceRequirements", "educationRequirements", "skills", "responsibilities"} {
		if s := stripHTML(text(obj[k])); s != "" {
			req = append(req, s)
		}
	}
	p.Requirements = strings.Join(req, "\n")
	p.Benefits = stripHTML(text(obj["jobBenefits"]))
	p.Contact = contact(obj["applicationContact"])
	p.ID = text(obj["identifier"])
	attrs := map[string]string{}
	for _, k := range []string{"employmentType", "industry", "occupationalCategory", "datePosted", "validThrough", "directApply"} {
		if s := text(obj[k]); s != "" {
			attrs[k] = s
		}
	}
	if len(attrs) > 0 {
		p.Attributes = attrs
	}
	return p, nil
}

// text renders a JSON-LD value as text: a string, a number, a list of
// values, or an object's name/value/@value.
func text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			var parts []string
			for _, v := range list {
				if s := text(v); s != "" {
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, ", ")
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			for _, k := range []string{"name", "value", "@value", "identifier", "description"} {
				if s := text(obj[k]); s != "" {
					return s
				}
			}
		}
	default:
		return string(raw) // numbers and booleans as written
	}
	return ""
}

func stringsOf(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s || strings.HasSuffix(x, "/"+s) || strings.HasSuffix(x, ":"+s) {
			return true
		}
	}
	return false
}

func orgName(raw json.RawMessage) string { return text(raw) }

func location(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	if raw[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			var parts []string
			for _, v := range list {
				if s := location(v); s != "" {
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, "; ")
		}
	}
	var place struct {
		Name    json.RawMessage `json:"name"`
		Address json.RawMessage `json:"address"`
	}
	if raw[0] != '{' || json.Unmarshal(raw, &place) != nil {
		return text(raw)
	}
	var addr map[string]json.RawMessage
	if json.Unmarshal(place.Address, &addr) == nil {
		var parts []string
		for _, k := range []string{"streetAddress", "addressLocality", "addressRegion", "addressCountry"} {
			if s := text(addr[k]); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, ", ")
		}
	}
	return firstNonEmpty(text(place.Address), text(place.Name))
}

// salary renders a MonetaryAmount as "USD 1000-2000 per MONTH".
func salary(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return text(raw)
	}
	var m struct {
		Currency json.RawMessage `json:"currency"`
		Value    json.RawMessage `json:"value"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	cur := text(m.Currency)
	var q struct {
		Min, Max, Value json.RawMessage
		Unit            json.RawMessage `json:"unitText"`
	}
	v := bytes.TrimSpace(m.Value)
	amount := text(v)
	unit := ""
	if len(v) > 0 && v[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(v, &obj) == nil {
			q.Min, q.Max, q.Value, q.Unit = obj["minValue"], obj["maxValue"], obj["value"], obj["unitText"]
			amount = text(q.Value)
			if lo, hi := text(q.Min), text(q.Max); lo != "" && hi != "" {
				amount = lo + "-" + hi
			} else if amount == "" {
				amount = firstNonEmpty(lo, hi)
			}
			unit = text(q.Unit)
		}
	}
	out := strings.TrimSpace(cur + " " + amount)
	if unit != "" {
		out += " per " + strings.ToLower(unit)
	}
	return out
}

func contact(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return text(raw)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	var parts []string
	for _, k := range []string{"name", "email", "telephone", "url", "contactType"} {
		if s := text(obj[k]); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// stripHTML removes tags and decodes entities: descriptions in JobPosting
// markup are usually HTML.
func stripHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
