package training

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/model"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id":"a","label":"lure","lang":"en","text":"free flight to bangkok","categories":["perks_travel"]}

{"id":"b","label":"legit","title":"Engineer","description":"Build things","group":"g1","source":"board"}
`
	ex, err := ReadJSONL(strings.NewReader(in), "x.jsonl", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 {
		t.Fatalf("%d examples", len(ex))
	}
	if ex[0].Class() != 1 || ex[0].Source != "x" || ex[0].Group != "x:a" || ex[0].Posting.Text == "" {
		t.Errorf("first example %+v", ex[0])
	}
	if ex[1].Class() != 0 || ex[1].Source != "board" || ex[1].Group != "g1" || ex[1].Posting.Title != "Engineer" {
		t.Errorf("second example %+v", ex[1])
	}
}

func TestReadJSONLRejectsBadRecords(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"not json", `{"label":`, "invalid record"},
		{"unknown field", `{"label":"lure","text":"x","colour":"red"}`, "unknown field"},
		{"wrong type", `{"label":"lure","text":5}`, "invalid record"},
		{"missing label", `{"text":"x"}`, "missing"},
		{"bad label", `{"label":"spam","text":"x"}`, "is not lure"},
		{"no text", `{"label":"lure"}`, "no text"},
		{"invalid utf-8", "{\"label\":\"lure\",\"text\":\"\xff\xfe\"}", "UTF-8"},
		{"trailing data", `{"label":"lure","text":"x"} {"a":1}`, "after the JSON"},
		{"stray closing brace", `{"label":"lure","text":"x"}}`, "after the JSON"},
		{"stray closing bracket", `{"label":"lure","text":"x"}]`, "after the JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := `{"label":"legit","text":"fine"}` + "\n" + tt.line + "\n"
			_, err := ReadJSONL(strings.NewReader(in), "d.jsonl", ReadOptions{})
			var le *LineError
			if !errors.As(err, &le) || le.Line != 2 || le.File != "d.jsonl" || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want d.jsonl:2 ... %q", err, tt.want)
			}
			var skipped []error
			ex, err := ReadJSONL(strings.NewReader(in), "d.jsonl", ReadOptions{SkipBad: true, Bad: func(e error) { skipped = append(skipped, e) }})
			if err != nil || len(ex) != 1 || len(skipped) != 1 {
				t.Errorf("skip mode: %d examples, %d skipped, err %v", len(ex), len(skipped), err)
			}
		})
	}
}

func TestFoldOfKeepsGroupsTogether(t *testing.T) {
	counts := make([]int, 5)
	for i := 0; i < 5000; i++ {
		g := "group-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		f := FoldOf(g, 7, 5)
		if f != FoldOf(g, 7, 5) {
			t.Fatal("fold is not deterministic")
		}
		counts[f]++
	}
	for f, n := range counts {
		if n < 800 || n > 1200 {
			t.Errorf("fold %d has %d of 5000 groups: unbalanced", f, n)
		}
	}
	if FoldOf("x", 1, 5) == FoldOf("x", 2, 5) && FoldOf("y", 1, 5) == FoldOf("y", 2, 5) && FoldOf("z", 1, 5) == FoldOf("z", 2, 5) {
		t.Error("the seed does not change the split")
	}
}

func TestROCAUCHandComputed(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		labels []int
		want   float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []int{0, 0, 1, 1}, 1},
		{"inverted", []float64{0.9, 0.8, 0.2, 0.1}, []int{0, 0, 1, 1}, 0},
		// positives 0.8, 0.4; negatives 0.6, 0.2: pairs won 3 of 4.
		{"three of four pairs", []float64{0.8, 0.4, 0.6, 0.2}, []int{1, 1, 0, 0}, 0.75},
		// a tie between a positive and a negative counts half: (1 + 0.5) / 2.
		{"tie", []float64{0.5, 0.9, 0.5}, []int{0, 1, 1}, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ROCAUC(tt.scores, tt.labels); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("ROCAUC = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestROCAUCIntervalHandComputed(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		labels []int
		lo, hi float64
	}{
		// Positives 0.9, 0.8, 0.4 outscore 1, 1 and 0.5 of the negatives
		// 0.7, 0.4, 0.1 (a tie counts half), which are outscored by 2/3,
		// 5/6 and 1 of the positives: AUC 5/6, variance 0.08333/3 +
		// 0.02778/3, standard error 0.19245; 5/6 - 1.96 x 0.19245 = 0.4561,
		// and the upper bound is cut at 1.
		{"with a tie", []float64{0.9, 0.8, 0.4, 0.7, 0.4, 0.1}, []int{1, 1, 1, 0, 0, 0}, 0.4561, 1},
		// Positives 0.9, 0.6, 0.5, 0.3 against negatives 0.7, 0.4, 0.2, 0.1:
		// components 1, .75, .75, .5 and .25, .75, 1, 1; AUC 0.75, variance
		// 0.041667/4 + 0.125/4, standard error 0.204124.
		{"interleaved", []float64{0.9, 0.6, 0.5, 0.3, 0.7, 0.4, 0.2, 0.1}, []int{1, 1, 1, 1, 0, 0, 0, 0}, 0.3499, 1},
		// The same with the labels swapped: AUC 0.25, same standard error.
		{"swapped", []float64{0.9, 0.6, 0.5, 0.3, 0.7, 0.4, 0.2, 0.1}, []int{0, 0, 0, 0, 1, 1, 1, 1}, 0, 0.6501},
		{"separated", []float64{0.1, 0.2, 0.8, 0.9}, []int{0, 0, 1, 1}, 1, 1},
		{"one positive", []float64{0.1, 0.2, 0.15}, []int{0, 0, 1}, 0.5, 0.5},
		{"no positives", []float64{0.1, 0.2}, []int{0, 0}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := ROCAUCInterval(tt.scores, tt.labels)
			if math.Abs(lo-tt.lo) > 1e-9 || math.Abs(hi-tt.hi) > 1e-9 {
				t.Errorf("ROCAUCInterval = [%v, %v], want [%v, %v]", lo, hi, tt.lo, tt.hi)
			}
			if auc := ROCAUC(tt.scores, tt.labels); len(tt.scores) > 2 && (auc < lo || auc > hi) {
				t.Errorf("AUC %v outside its interval [%v, %v]", auc, lo, hi)
			}
		})
	}
}

// The interval narrows as the sample grows.
func TestROCAUCIntervalNarrowsWithData(t *testing.T) {
	width := func(n int) float64 {
		var scores []float64
		var labels []int
		for i := 0; i < n; i++ {
			// Overlapping classes: positives on [0.3, 1.0), negatives on [0, 0.7).
			scores = append(scores, 0.3+0.7*float64(i)/float64(n), 0.7*float64(i)/float64(n))
			labels = append(labels, 1, 0)
		}
		lo, hi := ROCAUCInterval(scores, labels)
		return hi - lo
	}
	if small, big := width(20), width(2000); !(big < small/5) {
		t.Errorf("interval width %v at n=20, %v at n=2000: want it to shrink about tenfold", small, big)
	}
}

func TestThresholdForFPR(t *testing.T) {
	// Ten legitimate scores 0.0..0.9 and two lures.
	var probs []float64
	var labels []int
	for i := 0; i < 10; i++ {
		probs = append(probs, float64(i)/10)
		labels = append(labels, 0)
	}
	probs = append(probs, 0.95, 0.5)
	labels = append(labels, 1, 1)
	tests := []struct {
		fpr     float64
		maxFP   int
		minimum float64
	}{
		{0, 0, 0.9}, {0.1, 1, 0.8}, {0.25, 2, 0.7}, {0.5, 5, 0.4},
	}
	for _, tt := range tests {
		th := ThresholdForFPR(probs, labels, tt.fpr)
		fp := 0
		for i, p := range probs {
			if labels[i] == 0 && p >= th {
				fp++
			}
		}
		if fp != tt.maxFP || th <= tt.minimum {
			t.Errorf("fpr %v: threshold %v lets %d legitimate through, want %d (threshold above %v)", tt.fpr, th, fp, tt.maxFP, tt.minimum)
		}
	}
	m := Evaluate(probs, labels, model.Thresholds{Review: 0.45, High: 0.91})
	if m.RecallAtReview != 1 || m.RecallAtHigh != 0.5 || m.FPRAtReview != 0.5 || m.FPRAtHigh != 0 {
		t.Errorf("metrics %+v", m)
	}
}

func TestLanguageWeights(t *testing.T) {
	type group struct {
		lang, label string
		n           int
	}
	tests := []struct {
		name   string
		groups []group
		want   map[string]map[string]int
	}{
		{
			// Whole data: 65 lures to 1010 legit, r = 0.064. English (0.05)
			// rounds to the same ratio; Korean has no legitimate examples.
			name: "lures",
			groups: []group{{"en", LabelLegit, 1000}, {"en", LabelLure, 50}, {"th", LabelLegit, 10},
				{"th", LabelLure, 10}, {"ko", LabelLure, 5}},
			want: map[string]map[string]int{
				"en": {LabelLure: 1, LabelLegit: 1},
				"th": {LabelLure: 1, LabelLegit: 16},
				"ko": {LabelLure: 1, LabelLegit: 1},
			},
		},
		{
			// Frauds are positives: 60 positives to 140 legit, r = 0.43.
			// English is 50:50 (legit x2), Thai 10:90 (positives x4).
			name: "frauds count as positives",
			groups: []group{{"en", LabelLure, 10}, {"en", LabelFraud, 40}, {"en", LabelLegit, 50},
				{"th", LabelLure, 10}, {"th", LabelLegit, 90}},
			want: map[string]map[string]int{
				"en": {LabelLure: 1, LabelFraud: 1, LabelLegit: 2},
				"th": {LabelLure: 4, LabelFraud: 4, LabelLegit: 1},
			},
		},
		{
			// 20 frauds to 100 legit, r = 0.2: English 0.11 (frauds x2),
			// Thai 1.0 (legit x5).
			name:   "frauds only",
			groups: []group{{"en", LabelFraud, 10}, {"en", LabelLegit, 90}, {"th", LabelFraud, 10}, {"th", LabelLegit, 10}},
			want: map[string]map[string]int{
				"en": {LabelLure: 2, LabelFraud: 2, LabelLegit: 1},
				"th": {LabelLure: 1, LabelFraud: 1, LabelLegit: 5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ex []Example
			var langs []string
			for _, g := range tt.groups {
				for range g.n {
					ex = append(ex, Example{Label: g.label})
					langs = append(langs, g.lang)
				}
			}
			if got := LanguageWeights(langs, ex); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("weights %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadEMSCAD(t *testing.T) {
	header := "job_id,title,location,department,salary_range,company_profile,description,requirements,benefits,telecommuting,has_company_logo,has_questions,employment_type,required_experience,required_education,industry,function,fraudulent,source\n"
	good := `1,Data Entry Clerk,"US, TX, Houston",,30000-40000,,"Work from home &amp; earn $500/day",None,,1,0,0,Part-time,,,,,1,repo-a
2,Engineer,"US, NY",Eng,,We build things.,"Design systems, write code",BS degree,401k,0,1,1,Full-time,Mid-Senior level,Bachelor's Degree,Software,Engineering,0,repo-b
`
	ex, err := ReadEMSCAD(strings.NewReader(header+good), "e.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 {
		t.Fatalf("%d examples", len(ex))
	}
	if ex[0].Label != LabelFraud || ex[0].Class() != 1 || ex[0].Posting.Description != "Work from home & earn $500/day" ||
		ex[0].Posting.Attributes["telecommuting"] != "1" || ex[0].Source != "repo-a" || ex[0].Posting.Attributes["source"] != "" {
		t.Errorf("fraud row %+v", ex[0])
	}
	if ex[1].Label != LabelLegit || ex[1].Posting.CompanyProfile != "We build things." || ex[1].Posting.Attributes["function"] != "Engineering" {
		t.Errorf("legit row %+v", ex[1])
	}
	tests := []struct {
		name, data string
		line       int
		want       string
	}{
		{"missing column", "title,description,fraudulent\nA,B,0\n", 1, "missing columns"},
		{"short row", header + "3,Title,Loc\n", 2, "fields"},
		{"bad label", header + strings.Replace(strings.Split(good, "\n")[0], ",1,repo-a", ",maybe,repo-a", 1) + "\n", 2, "fraudulent"},
		{"latin-1 bytes", header + "4,Caf\xe9 staff,Paris,,,,Serve coffee,,,0,1,0,,,,,,0,x\n", 2, "UTF-8"},
		{"unterminated quote", header + `5,"Broken,Loc,,,,desc,,,0,1,0,,,,,,0,x` + "\n", 2, "malformed CSV"},
		{"no text", header + "6,,,,,,,,,0,1,0,,,,,,0,x\n", 2, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadEMSCAD(strings.NewReader(tt.data), "e.csv", ReadOptions{})
			var le *LineError
			if !errors.As(err, &le) || le.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want e.csv:%d ... %q", err, tt.line, tt.want)
			}
		})
	}
	var skipped int
	ex, err = ReadEMSCAD(strings.NewReader(header+good+"7,Only,Three\n"), "e.csv", ReadOptions{SkipBad: true, Bad: func(error) { skipped++ }})
	if err != nil || len(ex) != 2 || skipped != 1 {
		t.Errorf("skip mode: %d examples, %d skipped, %v", len(ex), skipped, err)
	}
	// A quote left open swallows the rows after it, here up to the next
	// quote (line 3's location): skip mode must say which lines went, not
	// only where the record began.
	swallow := header + `8,"Open quote,Loc,,,,desc,,,0,1,0,,,,,,0,x` + "\n" + good
	var reports []string
	ex, err = ReadEMSCAD(strings.NewReader(swallow), "e.csv", ReadOptions{SkipBad: true, Bad: func(e error) { reports = append(reports, e.Error()) }})
	if err != nil || len(ex) != 1 || len(reports) != 1 || !strings.Contains(reports[0], "e.csv:2:") || !strings.Contains(reports[0], "lines 2–3 is lost") {
		t.Errorf("swallowed rows: %d examples, reports %q, err %v", len(ex), reports, err)
	}
}

func TestReadJobPostings(t *testing.T) {
	data := `{"@context":"https://schema.org","@type":"JobPosting","label":"lure","lang":"en","title":"Chat support","description":"Free flights to Bangkok","baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"value":2000,"unitText":"MONTH"}}}
{"@type":"JobPosting","label":"legit","group":"g","title":"Engineer","description":"<p>Build &amp; ship</p>"}
`
	ex, err := ReadJobPostings(strings.NewReader(data), "j.jsonld", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 || ex[0].Label != LabelLure || ex[0].Posting.Salary != "USD 2000 per month" || ex[1].Group != "g" || ex[1].Posting.Description != "Build & ship" {
		t.Errorf("examples %+v", ex)
	}
	for name, line := range map[string]string{
		"no label":    `{"@type":"JobPosting","title":"x","description":"y"}`,
		"not json-ld": `{"label":"lure","title":"x"}`,
		"event":       `{"@type":"Event","label":"lure","name":"x"}`,
		"bad json":    `{"@type":"JobPosting",`,
	} {
		if _, err := ReadJobPostings(strings.NewReader(line+"\n"), "j.jsonld", ReadOptions{}); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// realEMSCAD reads the shared EMSCAD file, skipping the test when
// LURESCAN_DATA is unset.
func realEMSCAD(t *testing.T) []Example {
	t.Helper()
	dir := os.Getenv("LURESCAN_DATA")
	if dir == "" {
		t.Skip("LURESCAN_DATA is unset: the shared EMSCAD file is not available (CI sets it)")
	}
	ex, err := ReadFile(filepath.Join(dir, "emscad", "emscad_partial.csv"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestReadRealEMSCAD(t *testing.T) {
	ex := realEMSCAD(t)
	fraud := 0
	for _, e := range ex {
		if e.Label == LabelFraud {
			fraud++
		}
	}
	if len(ex) != 1206 || fraud != 553 {
		t.Errorf("%d rows, %d fraudulent; the data README says 1206 and 553", len(ex), fraud)
	}
}

func TestChooseThresholdsPerLanguage(t *testing.T) {
	// 200 English hard negatives scoring up to 0.99, 200 Thai ones up to
	// 0.5, 20 Korean ones up to 0.99 (too few to estimate 1%), and lures.
	var ex []Example
	var langs []string
	var probs []float64
	var labels []int
	add := func(lang, set string, label int, p float64) {
		l := LabelLegit
		if label == 1 {
			l = LabelLure
		}
		ex = append(ex, Example{Label: l, Set: set})
		langs = append(langs, lang)
		probs = append(probs, p)
		labels = append(labels, label)
	}
	for i := 0; i < 200; i++ {
		add("en", SetCorpus, 0, 0.99*float64(i)/199)
		add("th", SetCorpus, 0, 0.5*float64(i)/199)
	}
	for i := 0; i < 20; i++ {
		add("ko", SetCorpus, 0, 0.99*float64(i)/19)
	}
	for i := 0; i < 50; i++ {
		add("en", SetCorpus, 1, 0.999)
	}
	opts := DefaultOptions()
	opts.LanguageThresholds = false
	global, none := chooseThresholds(ex, langs, probs, labels, opts)
	if none != nil {
		t.Errorf("language thresholds %v without the option", none)
	}
	opts.LanguageThresholds = true
	th, byLang := chooseThresholds(ex, langs, probs, labels, opts)
	if th != global {
		t.Errorf("global thresholds %v changed to %v by the option", global, th)
	}
	flagged := func(lang string, at float64) int {
		n := 0
		for i := range ex {
			if langs[i] == lang && labels[i] == 0 && probs[i] >= at {
				n++
			}
		}
		return n
	}
	en, ok := byLang["en"]
	if !ok {
		t.Fatalf("no English thresholds: %v", byLang)
	}
	if en.High <= th.High || en.Review != th.Review {
		t.Errorf("English %v, global %v: want a stricter high band only", en, th)
	}
	if n := flagged("en", en.High); n > 2 {
		t.Errorf("English high threshold %v flags %d of 200 hard negatives, want at most 1%%", en.High, n)
	}
	if _, ok := byLang["th"]; ok {
		t.Errorf("Thai, whose negatives score low, got its own thresholds %v", byLang["th"])
	}
	if _, ok := byLang["ko"]; ok {
		t.Errorf("Korean, with 20 negatives (too few for 1%%), got its own thresholds %v", byLang["ko"])
	}
}

func TestConfusionEach(t *testing.T) {
	probs := []float64{0.9, 0.6, 0.6, 0.2, 0.9}
	labels := []int{1, 1, 0, 0, 0}
	tests := []struct {
		name      string
		each      []float64
		tp, fp    int
		threshold float64
		mixed     bool
	}{
		{"uniform", []float64{0.5, 0.5, 0.5, 0.5, 0.5}, 2, 2, 0.5, false},
		{"per example", []float64{0.5, 0.7, 0.5, 0.5, 0.95}, 1, 1, 0.4, true},
		{"not judged", []float64{0.5, 0.5, 0.5, 0.5, math.Inf(1)}, 2, 1, 0.5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ConfusionEach(probs, labels, tt.each, 0.4)
			if c.TP != tt.tp || c.FP != tt.fp || c.TP+c.FP+c.TN+c.FN != len(probs) {
				t.Errorf("confusion %+v, want TP %d FP %d", c, tt.tp, tt.fp)
			}
			if c.Threshold != tt.threshold || c.MixedThresholds != tt.mixed {
				t.Errorf("threshold %v mixed %v, want %v %v", c.Threshold, c.MixedThresholds, tt.threshold, tt.mixed)
			}
		})
	}
}
