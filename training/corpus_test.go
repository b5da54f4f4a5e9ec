package training

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
)

// corpusLanguages are the languages the corpus must cover with both labels.
var corpusLanguages = []string{"en", "zh", "zh-Hant", "vi", "id", "ms", "th", "ko", "ja", "tl"}

var corpusPatterns = map[string]bool{
	"customer_service": true, "chat_typing_data_entry": true, "crypto_online_marketing": true, "game_testing": true,
	"casino_hotel": true, "translation": true, "it_tech_support": true, "film_casting_modelling": true,
	"debt_advance": true, "teaching": true, "tourism_hospitality": true, "film_production": true, "remote_work": true, "other": true,
}

// corpusRecord is the corpus schema (CORPUS.md): stricter than the training
// reader, which takes any labelled JSON Lines.
type corpusRecord struct {
	ID         *string   `json:"id"`
	Lang       *string   `json:"lang"`
	Label      *string   `json:"label"`
	Pattern    *string   `json:"pattern"`
	Categories *[]string `json:"categories"`
	Provenance *string   `json:"provenance"`
	jsonlFields
}

// jsonlFields are the posting fields of a record.
type jsonlFields struct {
	Text, Title, Company, Location, Salary, Description, Requirements, Benefits, Contact string
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("corpus/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	return files
}

func readCorpus(t *testing.T) []Example {
	t.Helper()
	var all []Example
	for _, f := range corpusFiles(t) {
		ex, err := ReadFile(f, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ex...)
	}
	return all
}

func TestCorpusSchema(t *testing.T) {
	cat, err := features.ParseCatalog(features.DefaultCatalogJSON())
	if err != nil {
		t.Fatal(err)
	}
	categories := map[string]bool{}
	for _, c := range cat.Categories {
		categories[c.ID] = true
	}
	langs := map[string]bool{}
	for _, l := range corpusLanguages {
		langs[l] = true
	}
	ids := map[string]string{}
	for _, file := range corpusFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			var r corpusRecord
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&r); err != nil {
				t.Errorf("%s:%d: %v", file, line, err)
				continue
			}
			where := file + ":" + itoa(line)
			switch {
			case r.ID == nil || *r.ID == "":
				t.Errorf("%s: no id", where)
			case ids[*r.ID] != "":
				t.Errorf("%s: id %s also at %s", where, *r.ID, ids[*r.ID])
			case r.Lang == nil || !langs[*r.Lang]:
				t.Errorf("%s: language missing or not one of %v", where, corpusLanguages)
			case r.Label == nil || (*r.Label != LabelLure && *r.Label != LabelLegit):
				t.Errorf("%s: label must be lure or legit", where)
			case r.Pattern == nil || !corpusPatterns[*r.Pattern]:
				t.Errorf("%s: pattern missing or unknown", where)
			case r.Categories == nil:
				t.Errorf("%s: categories missing", where)
			case r.Provenance == nil || len(strings.Fields(*r.Provenance)) < 5:
				t.Errorf("%s: provenance missing or too short", where)
			case r.Text != "" && (r.Title != "" || r.Description != ""):
				t.Errorf("%s: both text and structured fields", where)
			case r.Text == "" && r.Description == "" && r.Title == "":
				t.Errorf("%s: no text", where)
			}
			if r.ID != nil {
				ids[*r.ID] = where
			}
			if r.Categories != nil {
				for _, c := range *r.Categories {
					if !categories[c] {
						t.Errorf("%s: unknown category %q", where, c)
					}
				}
			}
		}
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + jsonNumber(i)) }

func jsonNumber(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestCorpusCoverage: every language and every category has lures and
// legitimate adverts.
func TestCorpusCoverage(t *testing.T) {
	ex := readCorpus(t)
	byLang := map[string]map[string]int{}
	byCat := map[string]map[string]int{}
	for _, e := range ex {
		if byLang[e.Lang] == nil {
			byLang[e.Lang] = map[string]int{}
		}
		byLang[e.Lang][e.Label]++
		for _, c := range e.Categories {
			if byCat[c] == nil {
				byCat[c] = map[string]int{}
			}
			byCat[c][e.Label]++
		}
	}
	for _, l := range corpusLanguages {
		if byLang[l][LabelLure] == 0 || byLang[l][LabelLegit] == 0 {
			t.Errorf("language %s: %d lures, %d legitimate", l, byLang[l][LabelLure], byLang[l][LabelLegit])
		}
	}
	cat, _ := features.ParseCatalog(features.DefaultCatalogJSON())
	for _, c := range cat.Categories {
		if byCat[c.ID][LabelLure] == 0 || byCat[c.ID][LabelLegit] == 0 {
			t.Errorf("category %s: %d lures, %d legitimate", c.ID, byCat[c.ID][LabelLure], byCat[c.ID][LabelLegit])
		}
	}
	lures, legit := 0, 0
	for _, l := range byLang {
		lures += l[LabelLure]
		legit += l[LabelLegit]
	}
	if lures < 400 || legit < 400 {
		t.Errorf("%d lures and %d legitimate adverts, want at least 400 each", lures, legit)
	}
}

// TestCorpusLanguageTags: the tag of every example agrees with the detector.
func TestCorpusLanguageTags(t *testing.T) {
	ex := readCorpus(t)
	cat, _ := features.ParseCatalog(features.DefaultCatalogJSON())
	an, err := features.NewAnalyzer(features.DefaultConfig(), cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex {
		got := an.Analyze(&e.Posting, false).Language.Code
		if got != e.Lang {
			t.Errorf("%s: tagged %s, detected %s", e.Posting.ID, e.Lang, got)
		}
	}
}

// TestCorpusHasNoDuplicates: no exact or near duplicates within the corpus,
// nor against the real adverts in the shared data.
func TestCorpusHasNoDuplicates(t *testing.T) {
	ex := readCorpus(t)
	n := len(ex)
	if dir := os.Getenv("LURESCAN_DATA"); dir != "" {
		shared, err := ReadFile(filepath.Join(dir, "jobs", "legit.jsonl"), ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ex = append(ex, shared...)
	} else {
		t.Log("LURESCAN_DATA unset: checking the corpus against itself only")
	}
	sh := make([][]uint64, len(ex))
	for i := range ex {
		sh[i] = Shingles(&ex[i].Posting)
	}
	for _, p := range NearDuplicates(sh, NearDuplicate) {
		if p.A < n || p.B < n {
			t.Errorf("%s and %s are near duplicates (similarity %.2f)", ex[p.A].Posting.ID, ex[p.B].Posting.ID, p.Similarity)
		}
	}
}
