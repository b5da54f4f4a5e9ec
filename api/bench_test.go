package api

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

const benchAdvert = `Customer Support Specialist - Riverside Logistics, Kuala Lumpur. Riverside Logistics is a regional freight forwarder with offices in Kuala Lumpur, Penang and Singapore. We are looking for a Customer Support Specialist to join our growing service team in Bangsar South. You will be the first point of contact for shippers and consignees, answering questions by phone, email and our web portal, tracking shipments across our partner network and resolving delivery exceptions with the operations team. Responsibilities: respond to customer enquiries within our service levels; update shipment records in our transport management system; coordinate with warehouse and trucking teams to resolve delays; prepare weekly reports on open cases; suggest improvements to our knowledge base and processes. Requirements: a diploma or degree in any field; at least one year of experience in customer service, preferably in logistics or e-commerce; good written and spoken English and Bahasa Malaysia, Mandarin is an advantage; comfortable with spreadsheets and ticketing tools; a calm and organised way of working with several cases at once. What we offer: a monthly salary of RM 3,200 to RM 3,800 depending on experience, EPF and SOCSO contributions, medical and dental insurance, fourteen days of annual leave, a hybrid schedule after probation, and a structured training programme during your first two months. Our office is a five-minute walk from the Abdullah Hukum LRT station. How to apply: send your CV and a short cover letter through the careers page on our website. Shortlisted candidates will be invited to a phone screen, a written exercise and a panel interview with the service manager.`

func BenchmarkScoreHandler(b *testing.B) {
	ts := newTestServer(&testing.T{}, nil)
	body := `{"posting":` + jsonString(benchAdvert) + `,"top_features":5}`
	h := ts.Handler()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v1/score", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkBatchHandler scores a batch of 100 ~2 KB adverts per request, like
// scripts/loadtest/batch.lua.
func BenchmarkBatchHandler(b *testing.B) {
	ts := newTestServer(&testing.T{}, func(c *Config) { c.MaxBatch = 1000 })
	items := make([]string, 100)
	for i := range items {
		items[i] = jsonString(benchAdvert + " #" + strconv.Itoa(i+1))
	}
	body := `{"postings":[` + strings.Join(items, ",") + `],"top_features":0}`
	h := ts.Handler()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v1/score/batch", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
