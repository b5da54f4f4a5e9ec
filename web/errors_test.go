package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/model/defaultmodel"
	"github.com/lurescan/lurescan/web"
)

func TestSubmitErrors(t *testing.T) {
	ps := newPage(t, web.Config{})
	ui := loadUIText(t)["en"].Messages
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, ctype, body string
		header            []string
		status            int
		msg               string
	}{
		{"empty text", form, "text=", nil, 422, ui["error_empty"]},
		{"only spaces", form, "text=+%20%0D%0A%09", nil, 422, ui["error_empty"]},
		{"no text field", form, "title=Driver", nil, 200, ""},
		{"invalid utf-8", form, "text=bad+%FF%FE+text", nil, 422, ui["error_invalid_utf8"]},
		{"invalid utf-8 in title", form, "text=ok&title=%C3%28", nil, 422, ui["error_invalid_utf8"]},
		{"text too long", form, "text=" + strings.Repeat("a", web.MaxTextBytes+1), nil, 422,
			strings.ReplaceAll(ui["error_field_too_long"], "{field}", ui["label_text"])},
		{"title too long", form, "text=a+b&title=" + strings.Repeat("x", web.MaxFieldBytes+1), nil, 422,
			strings.ReplaceAll(ui["error_field_too_long"], "{field}", ui["label_title"])},
		{"body too large", form, "text=" + strings.Repeat("a", web.DefaultMaxBodyBytes), nil, 413, ui["error_too_large"]},
		{"json", "application/json", `{"text":"x"}`, nil, 415, ui["error_bad_request"]},
		{"multipart", "multipart/form-data; boundary=x", "--x--", nil, 415, ui["error_bad_request"]},
		{"latin-1", form + "; charset=iso-8859-1", "text=caf%E9", nil, 415, ui["error_invalid_utf8"]},
		{"malformed", form, "text=%zz", nil, 400, ui["error_bad_request"]},
		{"cross-site", form, "text=hello", []string{"Sec-Fetch-Site", "cross-site"}, 403, ui["error_forbidden"]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ps.postRaw(tt.ctype, tt.body, tt.header...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			checkHeaders(t, rec, "text/html")
			if tt.msg == "" {
				return
			}
			d := parse(t, rec.Body.String())
			alert := d.first(t, "div", "role", "alert")
			if got := text(alert, false); !strings.Contains(got, tt.msg) {
				t.Errorf("alert %q, want %q", got, tt.msg)
			}
			if len(d.all("form", "id", "check")) != 1 {
				t.Error("error page without the form")
			}
			if len(d.all("section", "id", "result")) != 0 {
				t.Error("error page with a result")
			}
		})
	}
}

func TestErrorLanguage(t *testing.T) {
	ps := newPage(t, web.Config{})
	vi := loadUIText(t)["vi"].Messages
	rec := ps.postRaw("application/x-www-form-urlencoded", "lang=vi&text=%FF")
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), vi["error_invalid_utf8"]) {
		t.Errorf("status %d; want the Vietnamese message", rec.Code)
	}
	rec = ps.postRaw("application/json", "{}", "Accept-Language", "vi")
	if rec.Code != 415 || !strings.Contains(rec.Body.String(), vi["error_bad_request"]) {
		t.Errorf("status %d; want the Vietnamese message", rec.Code)
	}
}

func TestRoutes(t *testing.T) {
	ps := newPage(t, web.Config{})
	tests := []struct {
		method, target string
		status         int
		ctype, allow   string
	}{
		{"GET", "/", 200, "text/html", ""},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/assets/app.js", 200, "text/javascript", ""},
		{"GET", "/assets/style.css", 200, "text/css", ""},
		{"GET", "/assets/icon.svg", 200, "image/svg+xml", ""},
		{"GET", "/assets/missing.js", 404, "text/html", ""},
		{"GET", "/assets/../web.go", 404, "text/html", ""},
		{"GET", "/elsewhere", 404, "text/html", ""},
		{"PUT", "/", 405, "text/html", "GET, HEAD, POST"},
		{"POST", "/assets/app.js", 405, "text/html", "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			rec := httptest.NewRecorder()
			ps.handler.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			checkHeaders(t, rec, tt.ctype)
			if rec.Header().Get("Allow") != tt.allow {
				t.Errorf("Allow %q", rec.Header().Get("Allow"))
			}
			if tt.method == "HEAD" && rec.Body.Len() > 0 {
				t.Error("HEAD with a body")
			}
		})
	}
}

func TestAssetsCache(t *testing.T) {
	ps := newPage(t, web.Config{})
	rec := ps.get("/assets/app.js")
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, rec.Header().Get("Cache-Control"))
	}
	rec = ps.get("/assets/app.js", "If-None-Match", etag)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d", rec.Code)
	}
	// The page references only its own assets, which all exist.
	d := parse(t, ps.get("/").Body.String())
	for _, n := range d.all("") {
		for _, key := range []string{"src", "href"} {
			v, ok := attr(n, key)
			if !ok || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "/?lang=") || v == "/" {
				continue
			}
			if !strings.HasPrefix(v, "/assets/") {
				t.Errorf("<%s %s=%q> points elsewhere", n.Data, key, v)
				continue
			}
			if rec := ps.get(v); rec.Code != 200 {
				t.Errorf("%s: status %d", v, rec.Code)
			}
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	if _, err := web.New(web.Config{}, nil); err == nil {
		t.Error("no classifier accepted")
	}
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	cl := classifier.New(m)
	if _, err := web.New(web.Config{MaxBodyBytes: 10}, func() *classifier.Classifier { return cl }); err == nil {
		t.Error("10-byte body limit accepted")
	}
}
