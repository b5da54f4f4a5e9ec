package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	yaml "go.yaml.in/yaml/v3"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/model/defaultmodel"
)

const lure = "URGENT hiring!! Customer service staff for Bangkok, salary $2,000/month, free air ticket, free food and accommodation, no experience needed, age 18-35. Contact Telegram @hr_mina77"

type testServer struct {
	*Server
	logs *bytes.Buffer
	mu   *sync.Mutex
}

func newTestServer(t testing.TB, mutate func(*Config)) testServer {
	t.Helper()
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.MaxBatch = 5
	if mutate != nil {
		mutate(&cfg)
	}
	var mu sync.Mutex
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, logs}, nil))
	s, err := New(cfg, m, log, model.Load)
	if err != nil {
		t.Fatal(err)
	}
	return testServer{s, logs, &mu}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (ts testServer) do(method, path, contentType, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	ts.Handler().ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, rec.Body.String())
	}
	return v
}

func TestScore(t *testing.T) {
	ts := newTestServer(t, nil)
	tests := []struct {
		name string
		body string
	}{
		{"plain text", `{"id":"c1","posting":` + jsonString(lure) + `}`},
		{"fields", `{"id":"c1","posting":{"title":"Customer service","description":` + jsonString(lure) + `}}`},
		{"json-ld", `{"id":"c1","posting":{"@context":"https://schema.org","@type":"JobPosting","title":"Customer service","description":` + jsonString(lure) + `,"hiringOrganization":{"name":"X"}}}`},
		{"with options", `{"id":"c1","posting":` + jsonString(lure) + `,"thresholds":{"review":0.1,"high":0.2},"lang":"zh","top_features":2}`},
		{"lang with subtags", `{"id":"c1","posting":` + jsonString(lure) + `,"lang":"zh-Hant"}`},
		{"null thresholds are the model's", `{"id":"c1","posting":` + jsonString(lure) + `,"thresholds":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do("POST", "/v1/score", "application/json", tt.body, "X-Request-ID", "abc-123")
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if rec.Header().Get("X-Request-ID") != "abc-123" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Errorf("headers %v", rec.Header())
			}
			v := decode(t, rec)
			if v["id"] != "c1" || v["band"] != "high" || v["model_id"] != ts.Classifier().Model().ID() || len(v["indicators"].([]any)) == 0 {
				t.Errorf("result %v", v)
			}
		})
	}
	rec := ts.do("POST", "/v1/score", "application/json", `{"posting":"hello there","top_features":0}`)
	if v := decode(t, rec); v["status"] != "insufficient_text" || v["band"] != nil {
		t.Errorf("three words: %v", v)
	}
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestErrors(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.MaxBodyBytes = 4096 })
	big := `{"posting":"` + strings.Repeat("a ", 3000) + `"}`
	tests := []struct {
		name, method, path, ctype, body string
		status                          int
		code                            Code
	}{
		{"malformed json", "POST", "/v1/score", "application/json", `{"posting": "x"`, 400, CodeMalformedJSON},
		{"trailing data", "POST", "/v1/score", "application/json", `{"posting":"a b c d e f"} {"x":1}`, 400, CodeMalformedJSON},
		{"trailing junk", "POST", "/v1/score", "application/json", `{"posting":"a b c d e f"}garbage`, 400, CodeMalformedJSON},
		{"unknown field", "POST", "/v1/score", "application/json", `{"posting":"a b c","colour":"red"}`, 400, CodeMalformedJSON},
		{"unknown posting field", "POST", "/v1/score", "application/json", `{"posting":{"txt":"a b c"}}`, 400, CodeMalformedJSON},
		{"wrong type", "POST", "/v1/score", "application/json", `{"posting":{"title":5}}`, 400, CodeMalformedJSON},
		{"wrong posting type", "POST", "/v1/score", "application/json", `{"posting":[1,2]}`, 400, CodeMalformedJSON},
		{"empty body", "POST", "/v1/score", "application/json", ``, 400, CodeBadRequest},
		{"too large", "POST", "/v1/score", "application/json", big, 413, CodeTooLarge},
		{"no content type", "POST", "/v1/score", "", `{"posting":"x"}`, 415, CodeUnsupportedType},
		{"text content type", "POST", "/v1/score", "text/plain", `{"posting":"x"}`, 415, CodeUnsupportedType},
		{"latin-1 charset", "POST", "/v1/score", "application/json; charset=iso-8859-1", `{"posting":"x"}`, 415, CodeUnsupportedType},
		{"empty text", "POST", "/v1/score", "application/json", `{"posting":""}`, 422, CodeEmptyPosting},
		{"empty fields", "POST", "/v1/score", "application/json", `{"posting":{"title":""}}`, 422, CodeEmptyPosting},
		{"missing posting", "POST", "/v1/score", "application/json", `{"id":"x"}`, 422, CodeEmptyPosting},
		{"invalid utf-8", "POST", "/v1/score", "application/json", "{\"posting\":\"bad \xff\xfe\"}", 422, CodeInvalidUTF8},
		{"bad thresholds", "POST", "/v1/score", "application/json", `{"posting":"a b c","thresholds":{"review":0.9,"high":0.1}}`, 422, CodeUnprocessable},
		{"empty thresholds", "POST", "/v1/score", "application/json", `{"posting":"a b c","thresholds":{}}`, 422, CodeUnprocessable},
		{"thresholds without review", "POST", "/v1/score", "application/json", `{"posting":"a b c","thresholds":{"high":0.9}}`, 422, CodeUnprocessable},
		{"thresholds without high", "POST", "/v1/score", "application/json", `{"posting":"a b c","thresholds":{"review":0.1}}`, 422, CodeUnprocessable},
		{"batch thresholds without review", "POST", "/v1/score/batch", "application/json", `{"postings":["a b c"],"thresholds":{"high":0.9}}`, 422, CodeUnprocessable},
		// A null lang sends the request to the reference decoding.
		{"reference path thresholds without high", "POST", "/v1/score", "application/json", `{"posting":"a b c","thresholds":{"review":0.1},"lang":null}`, 422, CodeUnprocessable},
		{"unsupported lang", "POST", "/v1/score", "application/json", `{"posting":"a b c","lang":"fr"}`, 422, CodeUnprocessable},
		{"upper-case lang", "POST", "/v1/score", "application/json", `{"posting":"a b c","lang":"ZH"}`, 422, CodeUnprocessable},
		{"batch unsupported lang", "POST", "/v1/score/batch", "application/json", `{"postings":["a b c"],"lang":"fr-CA"}`, 422, CodeUnprocessable},
		{"bad top", "POST", "/v1/score", "application/json", `{"posting":"a b c","top_features":500}`, 422, CodeUnprocessable},
		{"not a job posting", "POST", "/v1/score", "application/json", `{"posting":{"@type":"Event","name":"x"}}`, 422, CodeUnprocessable},
		{"too many postings", "POST", "/v1/score/batch", "application/json", `{"postings":["a","b","c","d","e","f"]}`, 422, CodeTooManyPostings},
		{"no postings", "POST", "/v1/score/batch", "application/json", `{"postings":[]}`, 422, CodeUnprocessable},
		{"postings missing", "POST", "/v1/score/batch", "application/json", `{}`, 422, CodeUnprocessable},
		{"unknown route", "GET", "/v2/nothing", "", ``, 404, CodeNotFound},
		{"wrong method", "GET", "/v1/score", "", ``, 405, CodeMethodNotAllowed},
		{"admin off", "POST", "/admin/reload", "application/json", `{}`, 404, CodeNotFound},
	}
	// What some details must say.
	details := map[string]string{
		"empty thresholds":                       `"review" and "high" are missing`,
		"thresholds without review":              `"review" is missing`,
		"thresholds without high":                `"high" is missing`,
		"batch thresholds without review":        `"review" is missing`,
		"reference path thresholds without high": `"high" is missing`,
		"unsupported lang":                       `lang "fr" is not a language of the reasons: send one of en, id, th, vi, zh`,
		"upper-case lang":                        `send one of en, id, th, vi, zh`,
		"batch unsupported lang":                 `lang "fr-CA" is not`,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do(tt.method, tt.path, tt.ctype, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if want := details[tt.name]; want != "" {
				if d, _ := decode(t, rec)["detail"].(string); !strings.Contains(d, want) {
					t.Errorf("detail %q lacks %s", d, want)
				}
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("content type %q", ct)
			}
			v := decode(t, rec)
			if v["type"] != "urn:lurescan:problem:"+string(tt.code) || v["status"] != float64(tt.status) || v["detail"] == "" ||
				v["request_id"] == "" || v["request_id"] != rec.Header().Get("X-Request-ID") {
				t.Errorf("problem %v", v)
			}
		})
	}
	// The service still serves after all that.
	if rec := ts.do("POST", "/v1/score", "application/json", `{"posting":`+jsonString(lure)+`}`); rec.Code != 200 {
		t.Errorf("after errors: %d", rec.Code)
	}
}

func TestBatch(t *testing.T) {
	ts := newTestServer(t, nil)
	body := `{"postings":[` + jsonString(lure) + `,{"title":""},{"id":"p3","title":"Engineer","description":"We build payment systems in Go for banks in Singapore; five years of experience and a degree required; apply on our careers page."},"\u0000",{"oops":1}],"lang":"vi"}`
	rec := ts.do("POST", "/v1/score/batch", "application/json", body)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	var resp struct {
		ModelID string           `json:"model_id"`
		Errors  int              `json:"errors"`
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) != 5 || resp.Errors != 3 || resp.ModelID == "" {
		t.Fatalf("response %+v", resp)
	}
	for i, r := range resp.Results {
		if r["index"] != float64(i) {
			t.Errorf("result %d has index %v: out of order", i, r["index"])
		}
	}
	if resp.Results[0]["band"] != "high" || resp.Results[2]["id"] != "p3" || resp.Results[2]["status"] != "scored" {
		t.Errorf("scored items %v %v", resp.Results[0], resp.Results[2])
	}
	for _, i := range []int{1, 3, 4} {
		e, ok := resp.Results[i]["error"].(map[string]any)
		if resp.Results[i]["status"] != "error" || !ok || e["detail"] == "" {
			t.Errorf("item %d: %v", i, resp.Results[i])
		}
	}
	// Batch items count one each in the metrics.
	if got := testutil.ToFloat64(ts.metrics.scored.WithLabelValues("high")) + testutil.ToFloat64(ts.metrics.scored.WithLabelValues("low")) +
		testutil.ToFloat64(ts.metrics.scored.WithLabelValues("review")) + testutil.ToFloat64(ts.metrics.scored.WithLabelValues("insufficient_text")); got != 2 {
		t.Errorf("postings scored = %v, want 2", got)
	}
}

func TestReadOnlyRoutes(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, path := range []string{"/v1/model", "/v1/indicators", "/livez", "/readyz", "/openapi.yaml", "/metrics"} {
		t.Run(path, func(t *testing.T) {
			rec := ts.do("GET", path, "", "")
			if rec.Code != 200 || rec.Body.Len() == 0 {
				t.Errorf("%s: %d", path, rec.Code)
			}
		})
	}
	v := decode(t, ts.do("GET", "/v1/model", "", ""))
	if v["model_id"] != ts.Classifier().Model().ID() || v["thresholds"] == nil || v["training"] == nil {
		t.Errorf("model card %v", v)
	}
	if want := ts.Classifier().Model().LanguageThresholds(); len(want) > 0 {
		got, _ := v["language_thresholds"].(map[string]any)
		if len(got) != len(want) {
			t.Errorf("model card language thresholds %v, want %v", v["language_thresholds"], want)
		}
	}
	ind := decode(t, ts.do("GET", "/v1/indicators", "", ""))
	if len(ind["indicators"].([]any)) < 20 || len(ind["categories"].([]any)) != 11 {
		t.Errorf("catalogue has %d indicators", len(ind["indicators"].([]any)))
	}
	ts.SetReady(false)
	if rec := ts.do("GET", "/readyz", "", ""); rec.Code != 503 {
		t.Errorf("readyz while shutting down: %d", rec.Code)
	}
	if rec := ts.do("GET", "/livez", "", ""); rec.Code != 200 {
		t.Errorf("livez while shutting down: %d", rec.Code)
	}
}

func TestRequestIDs(t *testing.T) {
	ts := newTestServer(t, nil)
	made := ts.do("GET", "/livez", "", "").Header().Get("X-Request-ID")
	if len(made) < 16 {
		t.Errorf("made request id %q", made)
	}
	for _, bad := range []string{"has space", strings.Repeat("x", 200), "new\nline", "<script>"} {
		got := ts.do("GET", "/livez", "", "", "X-Request-ID", bad).Header().Get("X-Request-ID")
		if got == bad {
			t.Errorf("malformed request id %q echoed", bad)
		}
	}
}

func TestPanicBecomes500(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.Handler().GET("/test/panic", func(c *gin.Context) { panic("boom") })
	rec := ts.do("GET", "/test/panic", "", "", "X-Request-ID", "panic-1")
	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	if v := decode(t, rec); v["request_id"] != "panic-1" || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("problem %v", v)
	}
	if testutil.ToFloat64(ts.metrics.panicsRecovered) != 1 {
		t.Error("panic not counted")
	}
	if rec := ts.do("GET", "/livez", "", ""); rec.Code != 200 {
		t.Error("server does not serve after a panic")
	}
}

func TestLogsCarryNoAdvertText(t *testing.T) {
	ts := newTestServer(t, nil)
	secret := "Call +66 555 987 6543 for the SECRETWORD job"
	ts.do("POST", "/v1/score", "application/json", `{"posting":`+jsonString(secret)+`}`, "X-Request-ID", "log-1")
	ts.do("POST", "/v1/score", "application/json", `{"posting":`+jsonString(secret)+`,"bad":1}`, "X-Request-ID", "log-2")
	ts.mu.Lock()
	logs := ts.logs.String()
	ts.mu.Unlock()
	// Look for the advert's words and its phone number as written or as
	// bare digits; a bare "987" would also match timestamps and durations.
	for _, leak := range []string{"SECRETWORD", "555 987 6543", "5559876543", "+66"} {
		if strings.Contains(logs, leak) {
			t.Errorf("advert text %q in logs:\n%s", leak, logs)
		}
	}
	for _, want := range []string{`"request_id":"log-1"`, `"route":"/v1/score"`, `"status":200`, `"band":`, `"duration_ms":`, `"request_bytes":`, `"request_id":"log-2"`, `"status":400`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.do("POST", "/v1/score", "application/json", `{"posting":`+jsonString(lure)+`}`)
	ts.do("GET", "/nope", "", "")
	if got := testutil.ToFloat64(ts.metrics.requests.WithLabelValues("/v1/score", "POST", "200")); got != 1 {
		t.Errorf("score requests = %v", got)
	}
	if got := testutil.ToFloat64(ts.metrics.requests.WithLabelValues("unmatched", "GET", "404")); got != 1 {
		t.Errorf("unmatched requests = %v", got)
	}
	if got := testutil.ToFloat64(ts.metrics.scored.WithLabelValues("high")); got != 1 {
		t.Errorf("high postings = %v", got)
	}
	if got := testutil.ToFloat64(ts.metrics.indicatorHits.WithLabelValues("perks_travel")); got < 1 {
		t.Errorf("perks_travel hits = %v", got)
	}
	if got := testutil.ToFloat64(ts.metrics.modelInfo.WithLabelValues(ts.Classifier().Model().ID())); got != 1 {
		t.Errorf("model_info = %v", got)
	}
	if got := testutil.CollectAndCount(ts.metrics.duration); got < 2 {
		t.Errorf("duration series = %d", got)
	}
	mfs, err := ts.metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	body := ts.do("GET", "/metrics", "", "").Body.String()
	for _, want := range []string{"lurescan_http_request_duration_seconds_bucket", "lurescan_score_probability_bucket", "go_goroutines", "process_cpu_seconds_total", "lurescan_model_last_reload_success_timestamp_seconds"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.model")
	if err := os.WriteFile(path, defaultmodel.Artifact(), 0o644); err != nil {
		t.Fatal(err)
	}
	token := "0123456789abcdef-token"
	ts := newTestServer(t, func(c *Config) { c.ModelPath, c.AdminToken = path, token })
	id := ts.Classifier().Model().ID()
	auth := []string{"Authorization", "Bearer " + token}

	if rec := ts.do("POST", "/admin/reload", "", "", "Authorization", "Bearer wrong-token-000000"); rec.Code != 401 {
		t.Errorf("wrong token: %d", rec.Code)
	}
	if rec := ts.do("POST", "/admin/reload", "", ""); rec.Code != 401 {
		t.Errorf("no token: %d", rec.Code)
	}
	rec := ts.do("POST", "/admin/reload", "", "", auth...)
	if rec.Code != 200 || decode(t, rec)["model_id"] != id {
		t.Errorf("good reload: %d %s", rec.Code, rec.Body.String())
	}
	// A corrupt file is refused; the old model keeps serving.
	if err := os.WriteFile(path, []byte("LURESCAN garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec = ts.do("POST", "/admin/reload", "", "", auth...)
	if rec.Code != 422 || !strings.Contains(decode(t, rec)["detail"].(string), id) {
		t.Errorf("corrupt reload: %d %s", rec.Code, rec.Body.String())
	}
	if ts.Classifier().Model().ID() != id {
		t.Error("model changed after a failed reload")
	}
	if rec := ts.do("POST", "/v1/score", "application/json", `{"posting":`+jsonString(lure)+`}`); rec.Code != 200 {
		t.Errorf("scoring after failed reload: %d", rec.Code)
	}
	if got := testutil.ToFloat64(ts.metrics.reloads.WithLabelValues("failure")); got != 1 {
		t.Errorf("failed reloads = %v", got)
	}
	if got := testutil.ToFloat64(ts.metrics.reloads.WithLabelValues("success")); got != 2 {
		t.Errorf("successful loads = %v (start + reload)", got)
	}
	// Without a model file there is nothing to reload.
	ts2 := newTestServer(t, func(c *Config) { c.AdminToken = token })
	if _, _, err := ts2.Reload(context.Background()); err == nil {
		t.Error("reload without a model file succeeded")
	}
}

func TestConfigValidation(t *testing.T) {
	for name, c := range map[string]Config{
		"tiny body":   {MaxBodyBytes: 10, MaxBatch: 1},
		"zero batch":  {MaxBodyBytes: 4096, MaxBatch: 0},
		"short token": {MaxBodyBytes: 4096, MaxBatch: 1, AdminToken: "short"},
		"neg workers": {MaxBodyBytes: 4096, MaxBatch: 1, Workers: -1},
	} {
		if c.Validate() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// openAPIPath writes a gin route as an OpenAPI path: gin's parameters
// ":name" and catch-alls "*name" become "{name}".
func openAPIPath(route string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if len(p) > 1 && (p[0] == ':' || p[0] == '*') {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIMatchesRoutes fails when a route and the OpenAPI document
// disagree.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := newTestServer(t, func(c *Config) {
		c.AdminToken = "0123456789abcdef-token"
		c.Page = http.NotFoundHandler()
	})
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range ts.Handler().Routes() {
		served[r.Method+" "+openAPIPath(r.Path)] = true
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("openapi.yaml documents %s, which is not served", r)
		}
	}
}

// TestMethodLabels checks that the method label takes a fixed set of values:
// a method is any token a client likes, and each would be a new series.
func TestMethodLabels(t *testing.T) {
	ts := newTestServer(t, nil)
	tests := []struct{ method, label string }{
		{"GET", "GET"}, {"POST", "POST"}, {"HEAD", "HEAD"}, {"PUT", "PUT"}, {"DELETE", "DELETE"},
		{"PATCH", "PATCH"}, {"OPTIONS", "OPTIONS"}, {"XM1", "other"}, {"get", "other"}, {"PROPFIND", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			before := testutil.ToFloat64(ts.metrics.requests.WithLabelValues("unmatched", tt.label, "404"))
			if rec := ts.do(tt.method, "/nope", "", ""); rec.Code != 404 {
				t.Fatalf("status %d", rec.Code)
			}
			if got := testutil.ToFloat64(ts.metrics.requests.WithLabelValues("unmatched", tt.label, "404")); got != before+1 {
				t.Errorf("%s counted %v times under method %q, want 1", tt.method, got-before, tt.label)
			}
		})
	}
	for i := range 300 {
		ts.do(fmt.Sprintf("XM%d", i), "/v1/score", "", "")
	}
	mfs, err := ts.metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]bool{}
	for _, mf := range mfs {
		if mf.GetName() != "lurescan_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "method" {
					methods[l.GetValue()] = true
				}
			}
		}
	}
	if len(methods) != 8 {
		t.Errorf("method labels after 300 made-up methods: %v", methods)
	}
}

// otherModel returns the default model with another high threshold, so
// with another id.
func otherModel(t testing.TB, high float64) *model.Model {
	t.Helper()
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	meta := m.Meta()
	meta.ID, meta.Thresholds.High = "", high
	o, err := model.New(model.Spec{Meta: meta, Counts: m.Counts()})
	if err != nil {
		t.Fatal(err)
	}
	if o.ID() == m.ID() {
		t.Fatal("same id")
	}
	return o
}

// TestReloadsAreSerialized starts a second reload while the first is
// loading: the second must wait, and lurescan_model_info must end with one
// series at 1, the id of the model served.
func TestReloadsAreSerialized(t *testing.T) {
	models := []*model.Model{otherModel(t, 0.9), otherModel(t, 0.95)}
	entered := make(chan int, 2)
	release := make(chan struct{})
	var calls atomic.Int32
	ts := newTestServer(t, func(c *Config) { c.ModelPath = "unused" })
	ts.loader = func(string) (*model.Model, error) {
		n := int(calls.Add(1)) - 1
		entered <- n
		if n == 0 {
			<-release
		}
		return models[n], nil
	}
	var wg sync.WaitGroup
	wg.Go(func() { _, _, _ = ts.Reload(context.Background()) })
	<-entered
	wg.Go(func() { _, _, _ = ts.Reload(context.Background()) })
	select {
	case <-entered:
		t.Error("a second reload loaded while the first was loading")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	wg.Wait()
	served := ts.Classifier().Model().ID()
	if served != models[1].ID() {
		t.Errorf("serving %s, want the later reload's %s", served, models[1].ID())
	}
	if n := testutil.CollectAndCount(ts.metrics.modelInfo); n != 1 {
		t.Errorf("%d model_info series, want 1", n)
	}
	if got := testutil.ToFloat64(ts.metrics.modelInfo.WithLabelValues(served)); got != 1 {
		t.Errorf("model_info{model_id=%q} = %v", served, got)
	}
}

// logLines returns the server's log lines so far, decoded.
func (ts testServer) logLines(t *testing.T) []map[string]any {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(ts.logs.String()), "\n") {
		if l == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, l)
		}
		lines = append(lines, v)
	}
	return lines
}

// TestNotReadyIsNoError: while shutting down /readyz answers 503, which is
// expected: its request line is not an error, and there is no other line.
func TestNotReadyIsNoError(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.SetReady(false)
	if rec := ts.do("GET", "/readyz", "", "", "X-Request-ID", "ready-1"); rec.Code != 503 {
		t.Fatalf("status %d", rec.Code)
	}
	lines := ts.logLines(t)
	if len(lines) != 1 || lines[0]["msg"] != "request" || lines[0]["status"] != float64(503) || lines[0]["request_id"] != "ready-1" {
		t.Errorf("log lines %v, want the request line", lines)
	}
	for _, l := range lines {
		if l["level"] == "ERROR" {
			t.Errorf("error line for a not-ready probe: %v", l)
		}
	}
}

// TestReloadLogsCarryRequestID: the lines a reload writes name the request
// that asked for it.
func TestReloadLogsCarryRequestID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.model")
	token := "0123456789abcdef-token"
	ts := newTestServer(t, func(c *Config) { c.ModelPath, c.AdminToken = path, token })
	tests := []struct {
		name, file, msg string
		status          int
	}{
		{"good", string(defaultmodel.Artifact()), "model reloaded", 200},
		{"corrupt", "LURESCAN garbage", "model reload failed", 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
				t.Fatal(err)
			}
			id := "reload-" + tt.name
			if rec := ts.do("POST", "/admin/reload", "", "", "Authorization", "Bearer "+token, "X-Request-ID", id); rec.Code != tt.status {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			found := false
			for _, l := range ts.logLines(t) {
				if l["msg"] == tt.msg {
					found = true
					if l["request_id"] != id {
						t.Errorf("%q line without request_id %s: %v", tt.msg, id, l)
					}
				}
			}
			if !found {
				t.Errorf("no %q line", tt.msg)
			}
		})
	}
}

// TestCancelledRequests: a client that goes away, or a request out of time,
// is answered 408 (single or batch alike) and is no error of the server's.
func TestCancelledRequests(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	tests := []struct {
		name, path, body string
		ctx              context.Context
	}{
		{"score cancelled", "/v1/score", `{"posting":` + jsonString(lure) + `}`, cancelled},
		{"score deadline", "/v1/score", `{"posting":` + jsonString(lure) + `}`, expired},
		{"batch cancelled", "/v1/score/batch", `{"postings":[` + jsonString(lure) + `]}`, cancelled},
		{"batch deadline", "/v1/score/batch", `{"postings":[` + jsonString(lure) + `]}`, expired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, nil)
			req := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body)).WithContext(tt.ctx)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			ts.Handler().ServeHTTP(rec, req)
			if rec.Code != 408 || decode(t, rec)["type"] != "urn:lurescan:problem:"+string(CodeRequestTimeout) {
				t.Errorf("status %d: %s", rec.Code, rec.Body.String())
			}
			for _, l := range ts.logLines(t) {
				if l["level"] == "ERROR" {
					t.Errorf("error line: %v", l)
				}
			}
		})
	}
}

// TestBatchItemPanic: a panic scoring one batch item is that item's
// internal error; the others are scored and the process lives on.
func TestBatchItemPanic(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.Workers = 2 })
	ts.classify = func(cl *classifier.Classifier, ctx context.Context, p *features.Posting, o classifier.Options) (classifier.Result, error) {
		if p.ID == "boom" {
			panic("boom")
		}
		return cl.Classify(ctx, p, o)
	}
	body := `{"postings":[` + jsonString(lure) + `,{"id":"boom","text":` + jsonString(lure) + `},` + jsonString(lure) + `]}`
	rec := ts.do("POST", "/v1/score/batch", "application/json", body, "X-Request-ID", "batch-panic")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	var resp struct {
		Errors  int              `json:"errors"`
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Errors != 1 || len(resp.Results) != 3 || resp.Results[0]["status"] != "scored" || resp.Results[2]["status"] != "scored" {
		t.Fatalf("response %+v", resp)
	}
	e, _ := resp.Results[1]["error"].(map[string]any)
	if resp.Results[1]["status"] != "error" || resp.Results[1]["id"] != "boom" || e["type"] != "urn:lurescan:problem:internal" ||
		e["status"] != float64(500) || e["request_id"] != "batch-panic" || strings.Contains(rec.Body.String(), "boom\"}") {
		t.Errorf("panicking item %v", resp.Results[1])
	}
	if got := testutil.ToFloat64(ts.metrics.panicsRecovered); got != 1 {
		t.Errorf("panics recovered = %v", got)
	}
	logged := false
	for _, l := range ts.logLines(t) {
		logged = logged || l["level"] == "ERROR" && l["msg"] == "batch item panic" && l["request_id"] == "batch-panic"
	}
	if !logged {
		t.Error("the panic is not logged with the request id")
	}
}
