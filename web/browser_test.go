package web_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestBrowser(t *testing.T) {
	e := startBrowser(t)
	en := e.ui["en"].Messages

	t.Run("english lure", func(t *testing.T) {
		tb := e.newTab(t, true)
		s := e.check(t, tb, "en", lureEN)
		if s.Verdict != en["verdict_high"] || s.Band != "result band-high" {
			t.Errorf("verdict %q (%s), want high risk", s.Verdict, s.Band)
		}
		wantMarks(t, s, lureENMarks)
		if len(s.Labels) != len(s.Marks) || !strings.HasPrefix(s.Labels[0], en["warning_sign"]+": ") {
			t.Errorf("screen-reader labels %q", s.Labels)
		}
		if s.Focused != "result" {
			t.Errorf("focus on %q after the answer, want the result", s.Focused)
		}
		if s.Score != strings.ReplaceAll(en["score"], "{score}", "100") || s.Meter != 100 {
			t.Errorf("score %q, meter %v", s.Score, s.Meter)
		}
	})

	t.Run("chinese lure", func(t *testing.T) {
		tb := e.newTab(t, true)
		s := e.check(t, tb, "zh", lureZH)
		if s.Verdict != e.ui["zh"].Messages["verdict_high"] || s.HTMLLang != "zh-Hans" {
			t.Errorf("verdict %q, page language %s", s.Verdict, s.HTMLLang)
		}
		// Byte offsets into UTF-8 are right only if converted to UTF-16.
		wantMarks(t, s, lureZHMarks)
		if want := "text: " + lureZH; len(s.Fields) != 1 || s.Fields[0] != want {
			t.Errorf("advert shown as %q", s.Fields)
		}
	})

	t.Run("emoji and accents before the hits", func(t *testing.T) {
		tb := e.newTab(t, true)
		text := "🔥🔥 Tuyển gấp 🔥 nhân viên chăm sóc khách hàng tại Campuchia, lương 1500-3000 USD/tháng, bao vé máy bay, " +
			"bao ăn ở, không cần kinh nghiệm. Tuổi 18-30. Liên hệ Telegram @tuyendung_pp 📲"
		s := e.check(t, tb, "vi", text)
		wantMarks(t, s, []string{"Tuyển gấp", "Campuchia", "bao vé máy bay", "bao ăn ở", "không cần kinh nghiệm", "Telegram", "@tuyendung_pp"})
		if s.Verdict != e.ui["vi"].Messages["verdict_high"] {
			t.Errorf("verdict %q", s.Verdict)
		}
	})

	t.Run("legitimate advert", func(t *testing.T) {
		tb := e.newTab(t, true)
		s := e.check(t, tb, "en", legitEN)
		if s.Verdict != en["verdict_low"] || len(s.Marks) != 0 {
			t.Errorf("verdict %q, marks %q", s.Verdict, s.Marks)
		}
	})

	t.Run("not enough text", func(t *testing.T) {
		tb := e.newTab(t, true)
		s := e.check(t, tb, "id", "halo apa kabar")
		if s.Verdict != e.ui["id"].Messages["verdict_insufficient"] || s.Score != "" {
			t.Errorf("verdict %q, score %q", s.Verdict, s.Score)
		}
	})

	t.Run("error with javascript", func(t *testing.T) {
		tb := e.newTab(t, true)
		tb.expectHTTPErrors()
		tb.do(t,
			chromedp.Navigate(e.url+"/?lang=vi"),
			chromedp.WaitReady(chromedp.ID("text")),
			chromedp.SetValue(chromedp.ID("text"), "   \n  "),
			chromedp.Click(chromedp.ID("submit")),
			chromedp.WaitVisible(chromedp.ID("error")),
		)
		msg, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("#error p")))
		if err != nil || msg != e.ui["vi"].Messages["error_empty"] {
			t.Errorf("error %q (%v), want the Vietnamese message for an empty advert", msg, err)
		}
		enabled, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`!document.getElementById('submit').disabled`))
		if err != nil || !enabled {
			t.Error("the button stays disabled after an error")
		}
	})

	t.Run("switch language", func(t *testing.T) {
		tb := e.newTab(t, true)
		tb.do(t,
			chromedp.Navigate(e.url+"/"),
			chromedp.WaitReady(chromedp.ID("text")),
		)
		lang, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		if err != nil || lang != "en" {
			t.Fatalf("the page starts in %q (%v), want the browser's English", lang, err)
		}
		for _, code := range []string{"vi", "th", "id", "zh", "en"} {
			tb.do(t,
				chromedp.Click(chromedp.CSS(`nav a[href="/?lang=`+code+`"]`)),
				chromedp.WaitReady(chromedp.CSS(`html[lang="`+e.ui[code].HTMLLang+`"]`)),
			)
			h1, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("h1")))
			if err != nil || h1 != e.ui[code].Messages["heading"] {
				t.Errorf("%s: heading %q (%v)", code, h1, err)
			}
		}
		s := e.check(t, tb, "th", lureEN)
		if s.Verdict != e.ui["th"].Messages["verdict_high"] || !strings.Contains(s.Advice, e.ui["th"].Messages["advice_passport"]) {
			t.Errorf("Thai answer: %q", s.Verdict)
		}
	})

	t.Run("accept-language", func(t *testing.T) {
		tb := e.newTab(t, true)
		if _, err := chromedp.Call(tb.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": "vi-VN,vi;q=0.9"},
		}); err != nil {
			t.Fatal(err)
		}
		tb.do(t, chromedp.Navigate(e.url+"/"), chromedp.WaitReady(chromedp.ID("text")))
		h1, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("h1")))
		if err != nil || h1 != e.ui["vi"].Messages["heading"] {
			t.Errorf("heading %q (%v), want Vietnamese", h1, err)
		}
	})

	t.Run("without javascript", func(t *testing.T) {
		withJS := e.check(t, e.newTab(t, true), "en", lureEN)
		tb := e.newTab(t, false)
		tb.do(t,
			chromedp.Navigate(e.url+"/?lang=en"),
			chromedp.WaitReady(chromedp.ID("text")),
			chromedp.SetValue(chromedp.ID("text"), lureEN),
		)
		resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.ID("submit")))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 || resp.URL != e.url+"/" {
			t.Errorf("form post answered %d from %s", resp.Status, resp.URL)
		}
		tb.do(t, chromedp.WaitVisible(chromedp.CSS("#answer #result")))
		noJS := tb.result(t)
		// Both paths show the same answer; only focus differs (the script
		// moves it to the answer).
		withJS.Focused, noJS.Focused = "", ""
		if !reflect.DeepEqual(withJS, noJS) {
			t.Errorf("the server and the script render different answers:\nscript %+v\nserver %+v", withJS, noJS)
		}
		wantMarks(t, noJS, lureENMarks)
		text, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID("text")))
		if err != nil || text != lureEN {
			t.Errorf("the form lost the advert: %q", text)
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		tb := e.newTab(t, true)
		tb.do(t, chromedp.Navigate(e.url+"/?lang=en"), chromedp.WaitReady(chromedp.ID("text")), chromedp.KeyEvent(kb.Tab))
		focus := func() (string, string) {
			t.Helper()
			raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](
				`[document.activeElement.id || document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]`))
			if err != nil || len(raw) != 2 {
				t.Fatalf("focus: %v", err)
			}
			return raw[0], raw[1]
		}
		if id, outline := focus(); id != "skip" || outline != "solid" {
			t.Errorf("first Tab focuses %q with outline %q, want the skip link with a visible outline", id, outline)
		}
		tb.do(t, chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab))
		if id, outline := focus(); id != "text" || outline != "solid" {
			t.Errorf("after the skip link, Tab focuses %q (outline %q), want the advert box", id, outline)
		}
		tb.do(t, chromedp.KeyEvent("URGENT! Chat job in Myawaddy, 3000 USD a month, free flight, no experience, contact Telegram @hr_mm now"))
		for range 4 { // title, employer, contact, button
			tb.do(t, chromedp.KeyEvent(kb.Tab))
		}
		if id, outline := focus(); id != "submit" || outline != "solid" {
			t.Errorf("Tab reaches %q (outline %q), want the button", id, outline)
		}
		tb.do(t, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#answer #result")))
		s := tb.result(t)
		if s.Focused != "result" || s.Verdict != en["verdict_high"] {
			t.Errorf("after Enter: focus %q, verdict %q", s.Focused, s.Verdict)
		}
	})

	t.Run("contrast", func(t *testing.T) {
		tb := e.newTab(t, true)
		for _, text := range []string{lureEN, legitEN, "hello there"} {
			e.check(t, tb, "en", text)
			low, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](contrastCheck))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range low {
				t.Errorf("contrast below WCAG AA: %s", l)
			}
		}
	})

	t.Run("screenshots", func(t *testing.T) {
		dir := t.TempDir()
		if *updateScreenshots {
			dir = filepath.Join("..", "docs", "screenshots")
		}
		shots := []struct {
			name          string
			width, height int64
			scale         float64
			mobile        bool
			lang, advert  string
		}{
			{"desktop-form-en", 1280, 900, 1, false, "en", ""},
			{"desktop-result-high-en", 1280, 900, 1, false, "en", lureEN},
			{"desktop-result-low-en", 1280, 900, 1, false, "en", legitEN},
			{"phone-form-vi", 390, 844, 2, true, "vi", ""},
			{"phone-result-high-zh", 390, 844, 2, true, "zh", lureZH},
		}
		for _, sh := range shots {
			tb := e.newTab(t, true)
			opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(sh.scale)}
			if sh.mobile {
				opts = append(opts, chromedp.EmulateMobile)
			}
			tb.do(t, chromedp.EmulateViewport(sh.width, sh.height, opts...))
			if sh.advert == "" {
				tb.do(t, chromedp.Navigate(e.url+"/?lang="+sh.lang), chromedp.WaitReady(chromedp.ID("text")))
			} else {
				e.check(t, tb, sh.lang, sh.advert)
			}
			img, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("%s: %v", sh.name, err)
			}
			if w, h := int64(float64(sh.width)*sh.scale), int64(float64(sh.height)*sh.scale); int64(cfg.Width) != w || int64(cfg.Height) != h {
				t.Errorf("%s is %dx%d, want %dx%d", sh.name, cfg.Width, cfg.Height, w, h)
			}
			overflow, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
			if err != nil || overflow {
				t.Errorf("%s: the page is wider than the screen (%v)", sh.name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, sh.name+".png"), img, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})

	// Nothing typed reaches the logs, on either path.
	logs := e.logs.String()
	for _, secret := range []string{"URGENT", "Bangkok", "job_lin_hr", "柬埔寨", "Riverside", "Myawaddy", "Campuchia"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain %q", secret)
		}
	}
	if !strings.Contains(logs, `"route":"/","status":200`) || !strings.Contains(logs, `"route":"/v1/score"`) {
		t.Errorf("the requests were not logged:\n%s", logs)
	}
}
