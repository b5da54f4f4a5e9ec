package schemaorg

import (
	"errors"
	"testing"
)

func TestParseJobPosting(t *testing.T) {
	data := `{
	  "@context": "https://schema.org/", "@type": "JobPosting",
	  "identifier": {"@type": "PropertyValue", "name": "Acme", "value": "J-123"},
	  "title": "Customer Support Agent",
	  "description": "<p>Answer chats &amp; emails.</p><ul><li>Free housing</li></ul>",
	  "hiringOrganization": {"@type": "Organization", "name": "Acme Travel", "sameAs": "https://acme.example"},
	  "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Bangkok", "addressCountry": "TH"}},
	  "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {"@type": "QuantitativeValue", "minValue": 1500, "maxValue": 2000, "unitText": "MONTH"}},
	  "qualifications": "No experience needed",
	  "jobBenefits": "Flights paid",
	  "employmentType": ["FULL_TIME", "CONTRACTOR"],
	  "applicationContact": {"@type": "ContactPoint", "telephone": "+66 555 0101"},
	  "datePosted": "2025-01-05",
	  "somethingNew": {"x": 1}
	}`
	p, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"id":          {p.ID, "Acme"},
		"title":       {p.Title, "Customer Support Agent"},
		"description": {p.Description, "Answer chats & emails. Free housing"},
		"company":     {p.Company, "Acme Travel"},
		"location":    {p.Location, "Bangkok, TH"},
		"salary":      {p.Salary, "USD 1500-2000 per month"},
		"requirement": {p.Requirements, "No experience needed"},
		"benefits":    {p.Benefits, "Flights paid"},
		"contact":     {p.Contact, "+66 555 0101"},
		"employment":  {p.Attributes["employmentType"], "FULL_TIME, CONTRACTOR"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
}

func TestParseRejects(t *testing.T) {
	if _, err := Parse([]byte(`{"@type": "Event", "name": "x"}`)); !errors.Is(err, ErrNotJobPosting) {
		t.Errorf("Event accepted: %v", err)
	}
	if _, err := Parse([]byte(`{"@type": "JobPosting", `)); err == nil {
		t.Error("truncated JSON accepted")
	}
	if _, err := Parse([]byte(`{"@type": ["JobPosting"], "title": "ok", "description": "fine"}`)); err != nil {
		t.Errorf("type list refused: %v", err)
	}
}
