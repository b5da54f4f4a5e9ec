package training

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// decodeRecordSlow is what decodeRecord does when the fast decoder declines:
// encoding/json, strictly.
func decodeRecordSlow(line string) (jsonlRecord, bool) {
	var rec jsonlRecord
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return rec, false
	}
	return rec, true
}

// fastDecoderCases are records the fast decoder must decode as encoding/json
// does (fast: whether it takes them itself), or leave to it.
var fastDecoderCases = []struct {
	name, line string
	fast       bool
}{
	{"plain", `{"id":"a","label":"lure","text":"free flight"}`, true},
	{"every field", `{"id":"1","lang":"en","label":"legit","group":"g","source":"s","text":"t","title":"ti","company":"c","location":"l","salary":"$1","description":"d","requirements":"r","benefits":"b","contact":"@x","company_profile":"p","pattern":"pa","provenance":"pr","categories":["a","b"]}`, true},
	{"whitespace", " {\t\"label\" : \"lure\" ,\r\n \"text\":\"x\" } ", true},
	{"empty object", `{}`, true},
	{"escapes", `{"label":"lure","text":"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9\u4e2d\u0000"}`, true},
	{"escape at the start", `{"label":"lure","text":"\nx"}`, true},
	{"empty categories", `{"label":"lure","text":"x","categories":[]}`, true},
	{"non-ASCII", `{"label":"legit","text":"高薪 包吃包住 – “quoted”"}`, true},
	{"key in another case", `{"label":"lure","Text":"x"}`, false},
	{"both cases", `{"label":"lure","text":"x","TEXT":"y"}`, false},
	{"repeated key", `{"label":"lure","text":"x","text":"y"}`, false},
	{"unknown key", `{"label":"lure","text":"x","colour":"red"}`, false},
	{"attributes", `{"label":"lure","text":"x","attributes":{"a":"b"}}`, false},
	{"null", `{"label":"lure","text":null}`, false},
	{"null categories", `{"label":"lure","text":"x","categories":null}`, false},
	{"number", `{"label":"lure","text":5}`, false},
	{"surrogate pair", `{"label":"lure","text":"\ud83d\ude00"}`, true},
	{"lone surrogate", `{"label":"lure","text":"\ud83d"}`, true},
	{"bad escape", `{"label":"lure","text":"\x"}`, false},
	{"short unicode escape", `{"label":"lure","text":"\u12"}`, false},
	{"control character", "{\"label\":\"lure\",\"text\":\"a\tb\"}", false},
	{"trailing data", `{"label":"lure","text":"x"} {}`, false},
	{"stray brace", `{"label":"lure","text":"x"}}`, false},
	{"trailing comma", `{"label":"lure","text":"x",}`, false},
	{"unterminated", `{"label":"lure","text":"x`, false},
	{"array", `["label"]`, false},
}

func TestDecodeRecordFastAgrees(t *testing.T) {
	for _, tt := range fastDecoderCases {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := decodeRecordFast(tt.line)
			if ok != tt.fast {
				t.Fatalf("fast decoder took it: %v, want %v", ok, tt.fast)
			}
			if !ok {
				return
			}
			want, wantOK := decodeRecordSlow(tt.line)
			if !wantOK || !reflect.DeepEqual(got, want) {
				t.Errorf("fast decoder gave %+v, encoding/json %+v (ok %v)", got, want, wantOK)
			}
		})
	}
}

// TestDecodeRecordFastAgreesOnTheData: on every line of the shared data's
// JSON Lines file and the corpus, the fast decoder gives what
// encoding/json does, and takes nearly all of them itself.
func TestDecodeRecordFastAgreesOnTheData(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("corpus", "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus files: %v %v", files, err)
	}
	if dir := os.Getenv("LURESCAN_DATA"); dir != "" {
		files = append(files, filepath.Join(dir, "jobs", "legit.jsonl"))
	} else {
		t.Log("LURESCAN_DATA is unset: checking the corpus only (CI sets it)")
	}
	lines, fast := 0, 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, maxLine)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			lines++
			got, ok := decodeRecordFast(line)
			want, wantOK := decodeRecordSlow(line)
			if ok {
				fast++
				if !wantOK || !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: line %q...: fast decoder and encoding/json differ", path, line[:min(len(line), 80)])
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if fast < lines*99/100 {
		t.Errorf("fast decoder took %d of %d lines; it exists for the usual shape", fast, lines)
	}
}

// FuzzDecodeRecordFast: whatever the fast decoder accepts, encoding/json
// decodes to the same record.
func FuzzDecodeRecordFast(f *testing.F) {
	for _, tt := range fastDecoderCases {
		f.Add(tt.line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) {
			return // decodeRecord rejects it before either decoder
		}
		got, ok := decodeRecordFast(line)
		if !ok {
			return
		}
		want, wantOK := decodeRecordSlow(line)
		if !wantOK || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: fast decoder gave %+v, encoding/json %+v (ok %v)", line, got, want, wantOK)
		}
	})
}

// BenchmarkDecodeRecord decodes every line of the shared data's JSON Lines
// file with the fast decoder and with encoding/json:
// go test ./training/ -run XXX -bench DecodeRecord -count 5
func BenchmarkDecodeRecord(b *testing.B) {
	dir := os.Getenv("LURESCAN_DATA")
	if dir == "" {
		b.Skip("LURESCAN_DATA is unset: the shared data is not available (CI sets it)")
	}
	data, err := os.ReadFile(filepath.Join(dir, "jobs", "legit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for _, bc := range []struct {
		name   string
		decode func(string) (jsonlRecord, bool)
	}{{"fast", decodeRecordFast}, {"encoding-json", decodeRecordSlow}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				for _, l := range lines {
					if _, ok := bc.decode(l); !ok && bc.name == "encoding-json" {
						b.Fatal("a line encoding/json rejects")
					}
				}
			}
		})
	}
}
