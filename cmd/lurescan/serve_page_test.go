package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/model/defaultmodel"
)

func TestHotlineTextFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		want string
		ok   bool
	}{
		{"default", nil, "", "", true},
		{"flag", []string{"--hotline-text", "Call 1234"}, "", "Call 1234", true},
		{"environment", nil, "Hotline: 5678\nChat: example", "Hotline: 5678\nChat: example", true},
		{"flag over environment", []string{"--hotline-text", "A"}, "B", "A", true},
		{"invalid utf-8", []string{"--hotline-text", "bad \xff"}, "", "", false},
		{"too long", []string{"--hotline-text", strings.Repeat("x", 4001)}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LURESCAN_HOTLINE_TEXT", tt.env)
			c, err := parseServeFlags(tt.args, io.Discard)
			if (err == nil) != tt.ok {
				t.Fatalf("error %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && c.hotlineText != tt.want {
				t.Errorf("hotline text %q, want %q", c.hotlineText, tt.want)
			}
		})
	}
}

// TestServePage checks that lurescan serve puts the page at / with the
// configured hotline text, scoring with the served model.
func TestServePage(t *testing.T) {
	c, err := parseServeFlags([]string{"--hotline-text", "Call <Hotline> 1234"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(c, m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/?lang=th")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<html lang="th"`) {
		t.Errorf("GET /: %d\n%.300s", resp.StatusCode, body)
	}
	advert := "URGENT! Chat support in Sihanoukville, 3000 USD per month, free flight and room, no experience, age 18-30, contact Telegram @hr_x now"
	resp, err = http.PostForm(ts.URL+"/", url.Values{"text": {advert}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Call &lt;Hotline&gt; 1234") || !strings.Contains(string(body), "band-high") {
		t.Errorf("POST /: %d; the answer lacks the verdict or the hotline text", resp.StatusCode)
	}
	resp, err = http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `lurescan_postings_scored_total{band="high"} 1`) {
		t.Error("the page's scoring is not in the metrics")
	}
}
