// Package web is lurescan's page for hotlines and jobseekers: paste a job
// advert, get a verdict in plain words, the advert with every warning sign
// marked, the reasons, what weighed most, and what to do next.
//
// The page works without JavaScript (the form posts to / and the server
// renders the answer) and better with it (the script asks the JSON API and
// renders the answer in place). Everything it needs is embedded; it loads
// nothing from elsewhere, and nothing typed into it is stored or logged.
// Its interface text is data: i18n/<lang>.json for English, Chinese,
// Vietnamese, Indonesian and Thai.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/lurescan/lurescan/classifier"
)

// Limits of what the form takes.
const (
	// DefaultMaxBodyBytes bounds a form submission when Config leaves it 0.
	DefaultMaxBodyBytes = 1 << 20
	// MaxTextBytes bounds the advert text (UTF-8 bytes).
	MaxTextBytes = 200_000
	// MaxFieldBytes bounds the title, employer and contact fields.
	MaxFieldBytes = 1_000
	// textMaxLength and fieldMaxLength are the inputs' maxlength (UTF-16
	// code units, at most 4 bytes each), within the byte limits.
	textMaxLength  = MaxTextBytes / 4
	fieldMaxLength = MaxFieldBytes / 4
)

// Config configures the page.
type Config struct {
	// HotlineText says where to turn for help, under every answer. Plain
	// text (line breaks kept); empty shows a translated default that points
	// to embassies, the police and the IOM.
	HotlineText string
	// MaxBodyBytes bounds a form submission (413 beyond); 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Scored, when set, is told about every answer the page renders itself,
	// for metrics. It must not keep or log the posting.
	Scored func(*http.Request, classifier.Result)
	// Log reports pages that fail to render (never what was typed); nil
	// discards.
	Log *slog.Logger
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// asset is an embedded file served under /assets/.
type asset struct {
	data        []byte
	contentType string
	etag        string
}

// assetType is the content type of an asset file.
func assetType(name string) (string, bool) {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8", true
	case ".js":
		return "text/javascript; charset=utf-8", true
	case ".svg":
		return "image/svg+xml", true
	}
	return "", false
}

// page serves the web page. Immutable after New.
type page struct {
	cfg     Config
	current func() *classifier.Classifier
	tmpl    *template.Template
	locales *locales
	assets  map[string]asset
	origin  *http.CrossOriginProtection
}

// New returns the page's handler: GET / (the form), POST / (a form
// submission, answered with the rendered result) and GET /assets/<file>.
// current returns the classifier to score with, so a reloaded model is
// used from the next request on.
func New(cfg Config, current func() *classifier.Classifier) (http.Handler, error) {
	if current == nil {
		return nil, errors.New("web: no classifier")
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBodyBytes < 1024 {
		return nil, fmt.Errorf("web: max body size must be at least 1024 bytes, got %d", cfg.MaxBodyBytes)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ls, err := loadLocales()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	tmpl, err := template.ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	assets, err := loadAssets()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return &page{cfg: cfg, current: current, tmpl: tmpl, locales: ls, assets: assets, origin: http.NewCrossOriginProtection()}, nil
}

func loadAssets() (map[string]asset, error) {
	assets := map[string]asset{}
	err := fs.WalkDir(assetFiles, "assets", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := assetType(name)
		if !ok {
			return fmt.Errorf("asset %s: unknown type", name)
		}
		data, err := assetFiles.ReadFile(name)
		if err != nil {
			return fmt.Errorf("asset %s: %w", name, err)
		}
		sum := sha256.Sum256(data)
		assets["/"+name] = asset{data: data, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return assets, nil
}

// contentSecurityPolicy allows the page's own files and nothing else: no
// inline script or style, no other origin, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case r.URL.Path == "/" && get:
		p.serveForm(w, r)
	case r.URL.Path == "/" && r.Method == http.MethodPost:
		p.serveSubmit(w, r)
	case r.URL.Path == "/":
		w.Header().Set("Allow", "GET, HEAD, POST")
		p.renderError(w, r, p.locales.pick(r, r.URL.Query().Get("lang")), http.StatusMethodNotAllowed, "error_method", "")
	case strings.HasPrefix(r.URL.Path, "/assets/") && get:
		p.serveAsset(w, r)
	case strings.HasPrefix(r.URL.Path, "/assets/"):
		w.Header().Set("Allow", "GET, HEAD")
		p.renderError(w, r, p.locales.pick(r, ""), http.StatusMethodNotAllowed, "error_method", "")
	default:
		p.renderError(w, r, p.locales.pick(r, r.URL.Query().Get("lang")), http.StatusNotFound, "error_not_found", "")
	}
}

func (p *page) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := p.assets[r.URL.Path]
	if !ok {
		p.renderError(w, r, p.locales.pick(r, ""), http.StatusNotFound, "error_not_found", "")
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
}

func (p *page) serveForm(w http.ResponseWriter, r *http.Request) {
	l := p.locales.pick(r, r.URL.Query().Get("lang"))
	p.render(w, r, http.StatusOK, p.newPageData(l, form{Lang: l.Code}))
}

func (p *page) serveSubmit(w http.ResponseWriter, r *http.Request) {
	if err := p.origin.Check(r); err != nil {
		p.renderError(w, r, p.locales.pick(r, ""), http.StatusForbidden, "error_forbidden", "")
		return
	}
	f, err := readForm(w, r, p.cfg.MaxBodyBytes, MaxTextBytes, MaxFieldBytes)
	l := p.locales.pick(r, f.Lang)
	if err != nil {
		var fe *formError
		if !errors.As(err, &fe) {
			fe = &formError{status: http.StatusBadRequest, msg: "error_bad_request"}
		}
		p.renderError(w, r, l, fe.status, fe.msg, fe.field)
		return
	}
	posting := f.posting()
	if err := posting.Validate(); err != nil {
		p.renderError(w, r, l, http.StatusUnprocessableEntity, "error_empty", "")
		return
	}
	c := p.current()
	res, err := c.Classify(r.Context(), &posting, classifier.Options{ReasonLanguage: l.Code})
	if err != nil {
		p.renderError(w, r, l, http.StatusServiceUnavailable, "error_server", "")
		return
	}
	if p.cfg.Scored != nil {
		p.cfg.Scored(r, res)
	}
	f.Lang, f.Text = l.Code, posting.Text
	data := p.newPageData(l, f)
	data.Result = newResultView(l, c.Model().Catalog(), &posting, res, p.hotline(l))
	p.render(w, r, http.StatusOK, data)
}

// hotline is the configured help text, or the translated default.
func (p *page) hotline(l *locale) string {
	if strings.TrimSpace(p.cfg.HotlineText) != "" {
		return p.cfg.HotlineText
	}
	return l.T("hotline_default")
}

func (p *page) renderError(w http.ResponseWriter, r *http.Request, l *locale, status int, msg, field string) {
	data := p.newPageData(l, form{Lang: l.Code})
	data.Error = l.T(msg)
	if field != "" {
		data.Error = l.T(msg, "field", l.T(field))
	}
	if status >= 500 {
		data.RequestID = w.Header().Get("X-Request-ID")
	}
	p.render(w, r, status, data)
}

func (p *page) render(w http.ResponseWriter, r *http.Request, status int, data *pageData) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, "page.html", data); err != nil {
		p.cfg.Log.LogAttrs(r.Context(), slog.LevelError, "page render failed", slog.String("error", err.Error()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Language")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}
