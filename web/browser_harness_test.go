package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lurescan/lurescan/api"
	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/model/defaultmodel"
	"github.com/lurescan/lurescan/web"
)

// chromiumPath is Debian's Chromium (apt-get install chromium).
const chromiumPath = "/usr/bin/chromium"

var updateScreenshots = flag.Bool("update-screenshots", false, "write the browser tests' screenshots to docs/screenshots")

// syncBuffer is a buffer for logs written from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browserEnv is the real service (API and page) and a headless Chromium.
type browserEnv struct {
	url     string
	browser context.Context
	logs    *syncBuffer
	ui      map[string]uiText
}

func startBrowser(t *testing.T) *browserEnv {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("LURESCAN_REQUIRE_BROWSER") != "" {
			t.Fatalf("LURESCAN_REQUIRE_BROWSER is set but Chromium is missing at %s: %v", chromiumPath, err)
		}
		t.Skipf("browser tests need Chromium at %s (apt-get install chromium); skipping: %v", chromiumPath, err)
	}
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	var srv *api.Server
	page, err := web.New(web.Config{
		Scored: func(r *http.Request, res classifier.Result) { srv.RecordScored(r, res) },
		Log:    log,
	}, func() *classifier.Classifier { return srv.Classifier() })
	if err != nil {
		t.Fatal(err)
	}
	cfg := api.DefaultConfig()
	cfg.Page = page
	srv, err = api.New(cfg, m, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	// Without the background-networking flags Chromium's own connections
	// are refused here; a fresh profile keeps runs independent.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Env("TMPDIR="+t.TempDir()), // its shared-memory files
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		// Wait for Chromium to exit before its profile directory is removed.
		_ = chromedp.Cancel(bctx)
	})
	// The first Do starts Chromium and ties it to bctx, which has no
	// deadline; the tabs have theirs.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browserEnv{url: ts.URL, browser: bctx, logs: logs, ui: loadUIText(t)}
}

// tab is one browser tab and what it saw: every request it made, and every
// console error, exception or CSP report.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	problems []string
	// httpErrorsExpected: the test provokes error statuses, which the
	// browser logs.
	httpErrorsExpected bool
}

func (tb *tab) expectHTTPErrors() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.httpErrorsExpected = true
}

// newTab opens a tab, with JavaScript on or off, and checks when the test
// ends that it loaded nothing from elsewhere and saw no errors.
func (e *browserEnv) newTab(t *testing.T, javascript bool) *tab {
	t.Helper()
	tb := &tab{}
	tctx, cancelTab := chromedp.NewContext(e.browser, chromedp.WithListener(tb.listen))
	ctx, cancel := context.WithTimeout(tctx, 90*time.Second)
	t.Cleanup(func() {
		cancel()
		cancelTab()
	})
	tb.ctx = ctx
	if err := chromedp.Do(tctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, struct{}{}); err != nil {
		t.Fatal(err)
	}
	if !javascript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, u := range tb.requests {
			if !strings.HasPrefix(u, e.url+"/") && u != e.url && !strings.HasPrefix(u, "about:") {
				t.Errorf("the page requested %s", u)
			}
		}
		for _, p := range tb.problems {
			t.Errorf("browser reported: %s", p)
		}
	})
	return tb
}

// listen runs in the tab's event loop: it only records.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		tb.problems = append(tb.problems, "exception: "+ev.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			tb.problems = append(tb.problems, "console."+string(ev.Type))
		}
	case *cdplog.EventEntryAdded:
		if tb.httpErrorsExpected && ev.Entry.Source == cdplog.EntrySourceNetwork {
			return
		}
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
			tb.problems = append(tb.problems, string(ev.Entry.Source)+": "+ev.Entry.Text)
		}
	}
}

func (tb *tab) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// shown is what a result section shows, read from the DOM the same way
// whether the server or the script rendered it.
type shown struct {
	Band            string   `json:"band"`
	Verdict         string   `json:"verdict"`
	Summary         string   `json:"summary"`
	Score           string   `json:"score"`
	Meter           float64  `json:"meter"`
	Language        string   `json:"language"`
	Fields          []string `json:"fields"`
	Marks           []string `json:"marks"`
	Labels          []string `json:"labels"`
	Refs            []string `json:"refs"`
	Reasons         []string `json:"reasons"`
	FeaturesFor     []string `json:"featuresFor"`
	FeaturesAgainst []string `json:"featuresAgainst"`
	Advice          string   `json:"advice"`
	HTMLLang        string   `json:"htmlLang"`
	Focused         string   `json:"focused"`
}

const readResult = `(() => {
  const r = document.querySelector('#answer #result');
  if (!r) return null;
  const txt = (e) => e ? e.textContent.replace(/\s+/g, ' ').trim() : '';
  const visible = (e) => { const c = e.cloneNode(true); c.querySelectorAll('.vh, sup').forEach((x) => x.remove()); return c.textContent; };
  const all = (sel) => [...r.querySelectorAll(sel)];
  return {
    band: r.className,
    verdict: txt(r.querySelector('#verdict')),
    summary: txt(r.querySelector('[data-slot=summary]')),
    score: r.querySelector('[data-slot=score]').hidden ? '' : txt(r.querySelector('[data-slot=score-text]')),
    meter: r.querySelector('meter').value,
    language: txt(r.querySelector('[data-slot=language]')),
    fields: all('.advert-field').map((f) => f.dataset.field + ': ' + visible(f.querySelector('.advert-text'))),
    marks: all('mark').map(visible),
    labels: all('mark .vh').map((e) => e.textContent),
    refs: all('mark sup').map((e) => e.textContent),
    reasons: all('.reasons li').map(txt),
    featuresFor: all('[data-slot=features-for] li').map(txt),
    featuresAgainst: all('[data-slot=features-against] li').map(txt),
    advice: txt(r.querySelector('.advice')),
    htmlLang: document.documentElement.lang,
    focused: document.activeElement ? document.activeElement.id : '',
  };
})()`

func (tb *tab) result(t *testing.T) shown {
	t.Helper()
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]byte](readResult))
	if err != nil {
		t.Fatal(err)
	}
	var s shown
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("result %s: %v", raw, err)
	}
	return s
}

// check submits an advert on the page in lang, with the script, and waits
// for the answer to appear without a reload.
func (e *browserEnv) check(t *testing.T, tb *tab, lang, text string) shown {
	t.Helper()
	tb.do(t,
		chromedp.Navigate(e.url+"/?lang="+lang),
		chromedp.WaitReady(chromedp.ID("text")),
		chromedp.Evaluate[chromedp.Void](`window.noReload = true`),
		chromedp.SetValue(chromedp.ID("text"), text),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.CSS("#answer #result")),
	)
	stayed, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.noReload === true`))
	if err != nil || !stayed {
		t.Errorf("the page reloaded (%v)", err)
	}
	return tb.result(t)
}

func wantMarks(t *testing.T, s shown, want []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(s.Marks, w) {
			t.Errorf("%q is not marked; marks %q", w, s.Marks)
		}
	}
}

// contrastCheck lists text whose contrast with its background is below
// 4.5:1 (WCAG AA for normal text) on the page as shown.
const contrastCheck = `(() => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = (e) => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  const sels = ['body', 'h1', '.intro', '.privacy', '.langs a', '.langs a[aria-current]', '.brand', 'label', '.help',
    'textarea', 'button', 'legend', '#verdict', '.summary', '.score p', '.language', '.caveat', '.field-label',
    '.advert-text', 'mark', 'mark sup', '.reasons .category', '.reasons p', '.found', '.found q', '.features li',
    '.advice li', '.hotline h4', '.hotline p', '.foot p', 'h3', 'h4'];
  for (const sel of sels) {
    for (const e of document.querySelectorAll(sel)) {
      if (!e.offsetParent && e.tagName !== 'BODY') continue;
      const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) low.push(sel + ': ' + ratio.toFixed(2));
    }
  }
  return [...new Set(low)];
})()`
