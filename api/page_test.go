package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
)

// stubPage stands in for the web page: it reads the form and scores its
// text with the server's classifier, as the real page does.
type stubPage struct{ s *Server }

func (p stubPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>page</title>"+r.URL.Path)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	post := features.Posting{Text: r.PostForm.Get("text")}
	res, err := p.s.Classifier().Classify(r.Context(), &post, classifier.Options{})
	if err != nil {
		http.Error(w, "bad", http.StatusUnprocessableEntity)
		return
	}
	p.s.RecordScored(r, res)
	_, _ = io.WriteString(w, "scored")
}

func newPageServer(t *testing.T, maxBody int64) testServer {
	t.Helper()
	var ts testServer
	ts = newTestServer(t, func(c *Config) {
		c.MaxBodyBytes = maxBody
		c.Page = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stubPage{ts.Server}.ServeHTTP(w, r) })
	})
	return ts
}

func TestPageRoutes(t *testing.T) {
	ts := newPageServer(t, 4096)
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, path, ctype, body string
		status                          int
		contains                        string
	}{
		{"form", "GET", "/", "", "", 200, "<title>page</title>/"},
		{"asset", "GET", "/assets/app.js", "", "", 200, "/assets/app.js"},
		{"nested asset path", "GET", "/assets/a/b.css", "", "", 200, "/assets/a/b.css"},
		{"submit", "POST", "/", form, "text=" + strings.ReplaceAll(lure, " ", "+"), 200, "scored"},
		{"submit too large", "POST", "/", form, "text=" + strings.Repeat("a", 5000), 413, ""},
		{"other methods stay the API's", "DELETE", "/", "", "", 405, "method-not-allowed"},
		{"other paths stay the API's", "GET", "/index.html", "", "", 404, "not-found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do(tt.method, tt.path, tt.ctype, tt.body, "X-Request-ID", "page-1")
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body %q lacks %q", rec.Body.String(), tt.contains)
			}
			if rec.Header().Get("X-Request-ID") != "page-1" {
				t.Errorf("no request id on the page")
			}
		})
	}
	if got := testutil.ToFloat64(ts.metrics.scored.WithLabelValues("high")); got != 1 {
		t.Errorf("page scorings counted %v times as high, want 1", got)
	}
	if got := testutil.ToFloat64(ts.metrics.requests.WithLabelValues("/assets/*path", "GET", "200")); got != 2 {
		t.Errorf("asset requests counted %v times, want 2", got)
	}
	ts.mu.Lock()
	logs := ts.logs.String()
	ts.mu.Unlock()
	if strings.Contains(logs, "Bangkok") || strings.Contains(logs, "Telegram") {
		t.Errorf("advert text in the logs:\n%s", logs)
	}
	if !strings.Contains(logs, `"route":"/","status":200,`) || !strings.Contains(logs, `"band":"high","postings":1`) {
		t.Errorf("the page's scoring is not logged like the API's:\n%s", logs)
	}
	if !strings.Contains(logs, `"request_bytes":`+strconv.Itoa(len("text=")+len(lure))) {
		t.Errorf("the form's size is not logged:\n%s", logs)
	}
}

func TestNoPageWithoutHandler(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, path := range []string{"/", "/assets/app.js"} {
		if rec := ts.do("GET", path, "", ""); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d without a page", path, rec.Code)
		}
	}
}

func TestScoreNotCached(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, path := range []string{"/v1/score", "/v1/score/batch"} {
		body := `{"posting":` + jsonString(lure) + `}`
		if path == "/v1/score/batch" {
			body = `{"postings":[` + jsonString(lure) + `]}`
		}
		rec := ts.do("POST", path, "application/json", body)
		if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: status %d, Cache-Control %q", path, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
}

func TestRecordScoredOutsidePage(t *testing.T) {
	ts := newTestServer(t, nil)
	res, err := ts.Classifier().Classify(context.Background(), &features.Posting{Text: lure}, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := http.NewRequest("POST", "/", nil)
	ts.RecordScored(r, res) // a request that did not come through the page route
	if got := testutil.ToFloat64(ts.metrics.scored.WithLabelValues("high")); got != 1 {
		t.Errorf("counted %v", got)
	}
}
