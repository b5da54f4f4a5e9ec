package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/model/defaultmodel"
	"github.com/lurescan/lurescan/web"
)

// uiText holds a few interface messages per language, read from the same
// files the page uses, so the tests check the page against its data.
type uiText struct {
	Code     string            `json:"code"`
	HTMLLang string            `json:"html_lang"`
	Messages map[string]string `json:"messages"`
}

func loadUIText(t *testing.T) map[string]uiText {
	t.Helper()
	out := map[string]uiText{}
	for _, code := range []string{"en", "zh", "vi", "id", "th"} {
		data, err := os.ReadFile(filepath.Join("i18n", code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var u uiText
		if err := json.Unmarshal(data, &u); err != nil {
			t.Fatal(err)
		}
		out[code] = u
	}
	return out
}

type pageServer struct {
	handler http.Handler
	cl      *classifier.Classifier
	mu      sync.Mutex
	scored  []classifier.Result
}

func newPage(t testing.TB, cfg web.Config) *pageServer {
	t.Helper()
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	ps := &pageServer{cl: classifier.New(m)}
	cfg.Scored = func(_ *http.Request, res classifier.Result) {
		ps.mu.Lock()
		defer ps.mu.Unlock()
		ps.scored = append(ps.scored, res)
	}
	h, err := web.New(cfg, func() *classifier.Classifier { return ps.cl })
	if err != nil {
		t.Fatal(err)
	}
	ps.handler = h
	return ps
}

func (ps *pageServer) get(target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	ps.handler.ServeHTTP(rec, req)
	return rec
}

// post submits the form as a browser on the same page would.
func (ps *pageServer) post(values url.Values, header ...string) *httptest.ResponseRecorder {
	return ps.postRaw("application/x-www-form-urlencoded", values.Encode(), header...)
}

func (ps *pageServer) postRaw(contentType, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	ps.handler.ServeHTTP(rec, req)
	return rec
}

func checkHeaders(t *testing.T, rec *httptest.ResponseRecorder, contentType string) {
	t.Helper()
	h := rec.Header()
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
		t.Errorf("CSP %q is not strict", csp)
	}
	if !strings.HasPrefix(h.Get("Content-Type"), contentType) {
		t.Errorf("Content-Type %q, want %s", h.Get("Content-Type"), contentType)
	}
	if contentType == "text/html" && h.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", h.Get("Cache-Control"))
	}
}

// marks returns the visible text of every highlight in the advert.
func marks(d doc) []string {
	var out []string
	for _, m := range d.all("mark") {
		out = append(out, text(m, true))
	}
	return out
}

func TestFormInEachLanguage(t *testing.T) {
	ps := newPage(t, web.Config{})
	ui := loadUIText(t)
	for code, u := range ui {
		t.Run(code, func(t *testing.T) {
			rec := ps.get("/?lang=" + code)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			checkHeaders(t, rec, "text/html")
			d := parse(t, rec.Body.String())
			if lang, _ := attr(d.first(t, "html"), "lang"); lang != u.HTMLLang {
				t.Errorf("html lang %q, want %q", lang, u.HTMLLang)
			}
			if h1 := text(d.first(t, "h1"), false); h1 != u.Messages["heading"] {
				t.Errorf("h1 %q, want %q", h1, u.Messages["heading"])
			}
			if got := text(d.first(t, "label", "for", "text"), false); got != u.Messages["label_text"] {
				t.Errorf("textarea label %q", got)
			}
			if got := strings.TrimSpace(text(d.first(t, "p", "class", "privacy"), false)); got != u.Messages["privacy"] {
				t.Errorf("privacy note %q", got)
			}
			current := d.all("a", "aria-current", "page")
			if len(current) != 1 {
				t.Fatalf("%d current languages in the switch", len(current))
			}
			if href, _ := attr(current[0], "href"); href != "/?lang="+code {
				t.Errorf("current language links to %q", href)
			}
			if len(d.all("a", "hreflang", "")) != 5 {
				t.Errorf("the language switch lists %d languages", len(d.all("a", "hreflang", "")))
			}
			if v, _ := attr(d.first(t, "input", "name", "lang"), "value"); v != code {
				t.Errorf("the form carries lang %q", v)
			}
			if strings.Contains(rec.Body.String(), "MISSING(") {
				t.Error("untranslated message")
			}
		})
	}
}

func TestAcceptLanguage(t *testing.T) {
	ps := newPage(t, web.Config{})
	tests := []struct{ accept, query, want string }{
		{"", "", "en"},
		{"vi-VN,vi;q=0.9,en-US;q=0.8", "", "vi"},
		{"zh-CN,zh;q=0.9", "", "zh-Hans"},
		{"th-TH", "", "th"},
		{"id", "", "id"},
		{"fr-FR,fr;q=0.9", "", "en"},
		{"vi", "th", "th"},
		{"vi", "klingon", "vi"},
	}
	for _, tt := range tests {
		t.Run(tt.accept+"?"+tt.query, func(t *testing.T) {
			target := "/"
			if tt.query != "" {
				target += "?lang=" + tt.query
			}
			rec := ps.get(target, "Accept-Language", tt.accept)
			d := parse(t, rec.Body.String())
			if lang, _ := attr(d.first(t, "html"), "lang"); lang != tt.want {
				t.Errorf("html lang %q, want %q", lang, tt.want)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Language") {
				t.Error("no Vary: Accept-Language")
			}
		})
	}
}

func TestResultInEachLanguage(t *testing.T) {
	ps := newPage(t, web.Config{})
	ui := loadUIText(t)
	cat := ps.cl.Model().Catalog()
	for code, u := range ui {
		t.Run(code, func(t *testing.T) {
			rec := ps.post(url.Values{"text": {lureEN}, "lang": {code}})
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			checkHeaders(t, rec, "text/html")
			d := parse(t, rec.Body.String())
			if got := text(d.first(t, "h2", "id", "verdict"), false); got != u.Messages["verdict_high"] {
				t.Errorf("verdict %q, want %q", got, u.Messages["verdict_high"])
			}
			ind, _ := cat.Indicator("free_flight")
			reason := d.first(t, "li", "data-indicator", "free_flight")
			if !strings.Contains(text(reason, false), ind.Reason[code]) {
				t.Errorf("reason not in %s: %q", code, text(reason, false))
			}
			if got := text(d.first(t, "p", "data-slot", "score-text"), false); !strings.Contains(got, "100") {
				t.Errorf("score %q", got)
			}
			if strings.Contains(rec.Body.String(), "MISSING(") {
				t.Error("untranslated message")
			}
		})
	}
}

func TestVerdicts(t *testing.T) {
	ps := newPage(t, web.Config{})
	ui := loadUIText(t)["en"].Messages
	tests := []struct {
		name    string
		values  url.Values
		verdict string
		marks   []string
		lang    string
	}{
		{"english lure", url.Values{"text": {lureEN}}, ui["verdict_high"], lureENMarks, "en"},
		{"chinese lure", url.Values{"text": {lureZH}}, ui["verdict_high"], lureZHMarks, "zh"},
		{"legitimate advert", url.Values{"text": {legitEN}, "title": {"Dental nurse"}, "company": {"Riverside Family Dental"}}, ui["verdict_low"], nil, "en"},
		{"too short", url.Values{"text": {"hello there"}}, ui["verdict_insufficient"], nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ps.post(tt.values)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			d := parse(t, rec.Body.String())
			if got := text(d.first(t, "h2", "id", "verdict"), false); got != tt.verdict {
				t.Errorf("verdict %q, want %q", got, tt.verdict)
			}
			got := marks(d)
			for _, want := range tt.marks {
				if !slices.Contains(got, want) {
					t.Errorf("%q is not marked; marks %q", want, got)
				}
			}
			if tt.marks == nil && len(got) > 0 {
				t.Errorf("marks in a clean advert: %q", got)
			}
			// The advert is shown whole, marks in place.
			shown := text(d.first(t, "div", "data-field", "text"), true)
			if !strings.Contains(shown, tt.values.Get("text")) {
				t.Errorf("advert shown as %q", shown)
			}
			score := d.first(t, "div", "data-slot", "score")
			if _, hidden := attr(score, "hidden"); hidden != (tt.verdict == ui["verdict_insufficient"]) {
				t.Errorf("score hidden=%v for %s", hidden, tt.verdict)
			}
			body := d.first(t, "div", "class", "advert-text")
			if lang, _ := attr(body, "lang"); lang != tt.lang {
				t.Errorf("advert lang %q, want %q", lang, tt.lang)
			}
			if tt.name == "legitimate advert" {
				if got := text(d.first(t, "div", "data-field", "company"), true); !strings.Contains(got, "Riverside Family Dental") {
					t.Errorf("employer shown as %q", got)
				}
			}
		})
	}
	if len(ps.scored) != len(tests) {
		t.Errorf("Scored called %d times for %d answers", len(ps.scored), len(tests))
	}
}

func TestHighlightLabels(t *testing.T) {
	ps := newPage(t, web.Config{})
	rec := ps.post(url.Values{"text": {lureZH}, "lang": {"zh"}})
	d := parse(t, rec.Body.String())
	ms := d.all("mark")
	if len(ms) == 0 {
		t.Fatal("no marks")
	}
	for _, m := range ms {
		var sr string
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if cl, _ := attr(c, "class"); cl == "vh" {
				sr = text(c, false)
			}
		}
		if !strings.HasPrefix(sr, "危险信号: ") {
			t.Errorf("mark %q has screen-reader text %q", text(m, true), sr)
		}
		sup := m.LastChild
		if sup == nil || sup.Data != "sup" {
			t.Fatalf("mark %q has no reason number", text(m, true))
		}
		if v, _ := attr(sup, "aria-hidden"); v != "true" {
			t.Errorf("reason number is read out")
		}
	}
	if n := len(d.all("li", "data-indicator", "")); n < 8 {
		t.Errorf("%d reasons", n)
	}
}

func TestEscaping(t *testing.T) {
	ps := newPage(t, web.Config{HotlineText: "Call <b>1234</b> & " + xss + "\nsecond line"})
	rec := ps.post(url.Values{
		"text": {lureEN + " " + xss}, "title": {xss}, "company": {`"><script>alert(2)</script>`}, "contact": {"javascript:alert(3)"},
		"lang": {`"><script>alert(4)</script>`},
	})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, bad := range []string{"<script>alert", "<img src=x", `"><script>`} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	d := parse(t, body)
	for _, s := range d.all("script") {
		src, _ := attr(s, "src")
		typ, _ := attr(s, "type")
		if src != "/assets/app.js" && typ != "application/json" {
			t.Errorf("unexpected script element %v", s.Attr)
		}
	}
	if n := len(d.all("img")); n != 1 { // the logo
		t.Errorf("%d img elements", n)
	}
	for _, n := range d.all("") {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
	}
	// Shown as text, where it was typed.
	if got := text(d.first(t, "div", "data-field", "title"), true); !strings.Contains(got, xss) {
		t.Errorf("title shown as %q", got)
	}
	if got := text(d.first(t, "textarea"), false); !strings.Contains(got, xss) {
		t.Errorf("textarea holds %q", got)
	}
	if v, _ := attr(d.first(t, "input", "name", "company"), "value"); v != `"><script>alert(2)</script>` {
		t.Errorf("company input holds %q", v)
	}
	hotline := text(d.first(t, "div", "class", "hotline"), false)
	if !strings.Contains(hotline, "Call <b>1234</b> & "+xss+"\nsecond line") {
		t.Errorf("hotline shown as %q", hotline)
	}
	if v, _ := attr(d.first(t, "input", "name", "lang"), "value"); v != "en" {
		t.Errorf("lang %q", v)
	}
	// The script's data block cannot be closed early.
	data := d.first(t, "script", "id", "ui-data")
	var client map[string]any
	if err := json.Unmarshal([]byte(text(data, false)), &client); err != nil {
		t.Errorf("ui-data is not JSON: %v", err)
	}
}

func TestHotlineDefault(t *testing.T) {
	ps := newPage(t, web.Config{})
	ui := loadUIText(t)
	for code, u := range ui {
		rec := ps.post(url.Values{"text": {lureEN}, "lang": {code}})
		d := parse(t, rec.Body.String())
		if got := text(d.first(t, "div", "class", "hotline"), false); !strings.Contains(got, u.Messages["hotline_default"]) {
			t.Errorf("%s: hotline %q", code, got)
		}
	}
}
