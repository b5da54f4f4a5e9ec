package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const lureText = "URGENT hiring!! Customer service staff for Bangkok, salary $2,000/month, free air ticket, free food and accommodation, no experience needed, age 18-35. Contact Telegram @hr_mina77"

func TestScoreInputs(t *testing.T) {
	tests := []struct {
		name      string
		stdin     string
		args      []string
		wantLines int
		wantCode  int
	}{
		{"plain text", lureText, []string{"score"}, 1, 0},
		{"json posting", `{"id":"a","title":"Customer service","description":"` + lureText + `"}`, []string{"score"}, 1, 0},
		{"json lines in order", `{"id":"1","text":"` + lureText + `"}` + "\n\n" + `{"id":"2","text":"Senior accountant for our Singapore office, CPA required, apply on our careers page."}` + "\n", []string{"score"}, 2, 0},
		{"bad line keeps going", `{"id":"1","text":"` + lureText + `"}` + "\n{bad json\n" + `{"id":"3","text":"` + lureText + `"}` + "\n", []string{"score"}, 3, 1},
		{"unknown field is an error", `{"txt":"hello"}`, []string{"score"}, 1, 1},
		{"stray closing brace is an error", `{"text":"` + lureText + `"}}`, []string{"score"}, 1, 1},
		{"second object on the line is an error", `{"text":"` + lureText + `"} {"text":"x"}`, []string{"score"}, 1, 1},
		{"labelled dataset lines", `{"id":"1","lang":"en","label":"lure","group":"g1","source":"corpus","categories":["lavish_pay"],"provenance":"IOM warning","text":"` + lureText + `"}` + "\n" +
			`{"id":"2","label":"legit","title":"Senior accountant","description":"Senior accountant for our Singapore office, CPA required, apply on our careers page."}` + "\n", []string{"score"}, 2, 0},
		{"wrong type of a dataset field is an error", `{"label":7,"text":"` + lureText + `"}`, []string{"score"}, 1, 1},
		{"invalid utf-8 in json", "{\"text\":\"bad \xff bytes\"}", []string{"score"}, 1, 1},
		{"forced text input", `{"not":"json"}`, []string{"score", "--input", "text"}, 1, 0},
		{"lang with subtags", lureText, []string{"score", "--lang", "zh-Hant"}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.stdin, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.wantCode, errs)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != tt.wantLines {
				t.Fatalf("%d output lines, want %d:\n%s", len(lines), tt.wantLines, out)
			}
			for i, l := range lines {
				var v map[string]any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Errorf("line %d is not JSON: %v", i+1, err)
				}
				if id, ok := v["id"]; ok && (strings.HasPrefix(tt.name, "json lines") || strings.HasPrefix(tt.name, "labelled")) && id != []string{"1", "2"}[i] {
					t.Errorf("line %d has id %v: out of order", i+1, id)
				}
			}
		})
	}
}

func TestScoreTextFormat(t *testing.T) {
	code, out, errs := runCLI(t, lureText, "score", "--format", "text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"/100", "Warning signs:", "Model: nb-"} {
		if !strings.Contains(out, want) {
			t.Errorf("text verdict lacks %q:\n%s", want, out)
		}
	}
}

func TestScoreFromFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(a, []byte(lureText), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "", "score", a, a)
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("exit %d, output %q", code, out)
	}
	if code, _, errs := runCLI(t, "", "score", filepath.Join(dir, "missing.txt")); code != 1 || !strings.Contains(errs, "missing.txt") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		// want is what stderr must say.
		want string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"frobnicate"}, `"frobnicate"`},
		{"unknown flag", []string{"score", "--nope"}, "-nope"},
		{"bad format", []string{"score", "--format", "xml"}, `--format must be json or text, got "xml"`},
		{"bad input", []string{"score", "--input", "csv"}, `--input must be`},
		{"bad threshold", []string{"score", "--review", "0.9", "--high", "0.1"}, "review threshold 0.9 is above high threshold 0.1"},
		{"negative review", []string{"score", "--review", "-0.5"}, "--review must be between 0 and 1, got -0.5"},
		{"negative high", []string{"score", "--high", "-1"}, "--high must be between 0 and 1, got -1"},
		{"NaN review", []string{"score", "--review", "NaN"}, "--review must be between 0 and 1, got NaN"},
		{"NaN high", []string{"score", "--high", "NaN"}, "--high must be between 0 and 1, got NaN"},
		{"high above 1", []string{"score", "--high", "1.5"}, "--high must be between 0 and 1, got 1.5"},
		{"unsupported lang", []string{"score", "--lang", "fr"}, `--lang "fr" is not a language of the reasons: use one of en, id, th, vi, zh`},
		{"upper-case lang", []string{"score", "--lang", "ZH"}, `--lang "ZH"`},
		{"train without data", []string{"train"}, "--data"},
		{"C for naive Bayes", []string{"train", "--data", "x.jsonl", "--out", "m.model", "--c", "10"}, "--c applies to --algorithm nb-logistic only"},
		{"negative C", []string{"train", "--data", "x.jsonl", "--out", "m.model", "--algorithm", "nb-logistic", "--c", "-1"}, "--c must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, lureText, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q does not say %q", errs, tt.want)
			}
		})
	}
}

// TestThresholdFlags: --review and --high are applied when given, 0 and 1
// included (0 was taken for "not given" once, -1 is now refused).
func TestThresholdFlags(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		review     float64
		high       float64
		wantReview bool // the result's review threshold is review
		wantHigh   bool
	}{
		{"review 0", []string{"score", "--review", "0"}, 0, 0, true, false},
		{"both 0", []string{"score", "--review", "0", "--high", "0"}, 0, 0, true, true},
		{"high 1", []string{"score", "--high", "1"}, 0, 1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, lureText, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var res struct {
				Thresholds struct{ Review, High float64 } `json:"thresholds"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			if tt.wantReview && res.Thresholds.Review != tt.review || tt.wantHigh && res.Thresholds.High != tt.high {
				t.Errorf("thresholds %+v, want review %v (%v) high %v (%v)", res.Thresholds, tt.review, tt.wantReview, tt.high, tt.wantHigh)
			}
		})
	}
}

func TestCorruptModelIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.model")
	if err := os.WriteFile(path, []byte("LURESCAN\x00\x01garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, lureText, "score", "--model", path)
	if code != 1 || !strings.Contains(errs, "model") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestModelCard(t *testing.T) {
	code, out, errs := runCLI(t, "", "model")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var card struct {
		Model struct {
			ID string `json:"model_id"`
		} `json:"model"`
		Vocabulary int `json:"vocabulary"`
	}
	if err := json.Unmarshal([]byte(out), &card); err != nil || !strings.HasPrefix(card.Model.ID, "nb-") || card.Vocabulary == 0 {
		t.Errorf("card %+v, err %v", card, err)
	}
}

func TestTrainSmall(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	lureWords := strings.Fields("free flight visa telegram high salary bangkok easy job housing passport urgent chat typing casino")
	legitWords := strings.Fields("senior engineer python degree experience office team apply careers page benefits insurance interview")
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(words []string) string {
		var out []string
		for range 8 {
			out = append(out, words[rng.IntN(len(words))])
		}
		return strings.Join(out, " ")
	}
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, `{"id":"l%d","label":"lure","text":"%s"}`+"\n", i, pick(lureWords))
		fmt.Fprintf(&b, `{"id":"g%d","label":"legit","text":"%s"}`+"\n", i, pick(legitWords))
	}
	data := filepath.Join(dir, "d.jsonl")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.model")
	code, stdout, errs := runCLI(t, "", "train", "--data", data, "--out", out, "--created", "2026-01-02T03:04:05Z")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	var rep struct {
		ModelID string `json:"model_id"`
		Stages  []struct {
			Name    string  `json:"name"`
			Seconds float64 `json:"seconds"`
		} `json:"stages"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.ModelID == "" {
		t.Fatalf("report %q: %v", stdout, err)
	}
	var stages []string
	for _, st := range rep.Stages {
		if !(st.Seconds >= 0) {
			t.Errorf("stage %q took %v s", st.Name, st.Seconds)
		}
		stages = append(stages, st.Name)
	}
	if got, want := strings.Join(stages, ", "), "read, analyse, deduplicate, count, out-of-fold scores, calibrate and build, save model and card"; got != want {
		t.Errorf("report stages %q, want %q", got, want)
	}
	code, scored, errs := runCLI(t, "free flight and visa to bangkok, high salary, easy job, telegram", "score", "--model", out)
	if code != 0 || !strings.Contains(scored, rep.ModelID) {
		t.Errorf("scoring with the trained model: exit %d %s %s", code, scored, errs)
	}
	// nb-logistic: C chosen from the grid, said on the card, and it scores.
	nbl := filepath.Join(dir, "nbl.model")
	if code, _, errs := runCLI(t, "", "train", "--data", data, "--out", nbl, "--algorithm", "nb-logistic", "--alpha", "1"); code != 0 {
		t.Fatalf("train nb-logistic: exit %d: %s", code, errs)
	}
	card, err := os.ReadFile(filepath.Join(dir, "nbl.card.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(card), "nb-logistic") || !regexp.MustCompile(`C=(1|10|100)\)`).Match(card) {
		t.Errorf("nb-logistic card does not say the algorithm and a C from the grid:\n%s", card)
	}
	code, scored, errs = runCLI(t, "free flight and visa to bangkok, high salary, easy job, telegram", "score", "--model", nbl)
	if code != 0 || !strings.Contains(scored, `"band":"high"`) {
		t.Errorf("scoring a lure with nb-logistic: exit %d %s %s", code, scored, errs)
	}
	// cv writes out-of-fold scores, and the features with --scores-features.
	for _, withFeatures := range []bool{false, true} {
		scores := filepath.Join(dir, fmt.Sprintf("scores-%v.jsonl", withFeatures))
		args := []string{"cv", "--data", data, "--folds", "3", "--inner-folds", "3", "--scores", scores}
		if withFeatures {
			args = append(args, "--scores-features")
		}
		if code, _, errs := runCLI(t, "", args...); code != 0 {
			t.Fatalf("cv %v: exit %d: %s", args, code, errs)
		}
		raw, err := os.ReadFile(scores)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		if len(lines) != 60 {
			t.Errorf("%s: %d lines, want one per example (60)", scores, len(lines))
		}
		for _, line := range lines {
			var row struct {
				Fold        int      `json:"fold"`
				Probability float64  `json:"probability"`
				Features    []string `json:"features"`
			}
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			seen, words := map[string]bool{}, 0
			for _, f := range row.Features {
				if seen[f] {
					t.Errorf("feature %q listed twice", f)
				}
				seen[f] = true
				if strings.HasPrefix(f, "w:") {
					words++
				}
			}
			if withFeatures && words == 0 || !withFeatures && len(row.Features) > 0 {
				t.Errorf("--scores-features %v: features %v", withFeatures, row.Features)
			}
		}
	}
	// Malformed data: reported with file and line.
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"label":"lure","text":"ok"}`+"\n"+`{"label":"maybe","text":"x"}`+"\n"), 0o644)
	if code, _, errs := runCLI(t, "", "train", "--data", bad, "--out", out); code != 1 || !strings.Contains(errs, "bad.jsonl:2") {
		t.Errorf("bad data: exit %d, stderr %q", code, errs)
	}
}

func TestProgressBarOnlyOnTerminals(t *testing.T) {
	if progressBar(&bytes.Buffer{}, "x") != nil {
		t.Error("progress bar on a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progressBar(f, "x") != nil {
		t.Error("progress bar on a regular file")
	}
}
