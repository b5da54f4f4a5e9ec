package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/internal/strictjson"
	"github.com/lurescan/lurescan/model"
)

// errSomeFailed reports that some postings of a stream could not be scored
// (each has its own error line in the output).
var errSomeFailed = errors.New("some postings could not be scored")

// maxPostingBytes bounds one posting (one line of JSON Lines, or one file).
const maxPostingBytes = 1 << 20

type scoreOptions struct {
	format string
	input  string
	lang   string
	top    int
	review float64
	high   float64
	// reviewSet and highSet: --review and --high were given.
	reviewSet, highSet bool
	pretty             bool
	classify           *classifier.Classifier
}

func runScore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("score", "score [flags] [file ...]", stderr)
	modelPath := fs.String("model", envDefault("LURESCAN_MODEL", ""), "model file (env LURESCAN_MODEL); the embedded default model when empty")
	var o scoreOptions
	fs.StringVar(&o.format, "format", "json", "output: json (one result per line) or text (a verdict a person can read)")
	fs.StringVar(&o.input, "input", "auto", "input: auto, text, json (one posting) or jsonl (one posting a line)")
	fs.StringVar(&o.lang, "lang", "en", "language of indicator reasons: en, zh, vi, id or th (zh-Hant and other subtags fall back to their language)")
	fs.IntVar(&o.top, "top", classifier.DefaultTopFeatures, "model features to list for and against")
	fs.Float64Var(&o.review, "review", 0, "override the model's review threshold (0-1)")
	fs.Float64Var(&o.high, "high", 0, "override the model's high threshold (0-1)")
	fs.BoolVar(&o.pretty, "pretty", false, "indent JSON output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) {
		o.reviewSet = o.reviewSet || f.Name == "review"
		o.highSet = o.highSet || f.Name == "high"
	})
	if o.format != "json" && o.format != "text" {
		return fmt.Errorf("%w: --format must be json or text, got %q", errUsage, o.format)
	}
	switch o.input {
	case "auto", "text", "json", "jsonl":
	default:
		return fmt.Errorf("%w: --input must be auto, text, json or jsonl, got %q", errUsage, o.input)
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	o.classify = classifier.New(m)
	copts, err := o.classifyOptions(m)
	if err != nil {
		return err
	}

	var failed bool
	score := func(r io.Reader) error {
		f, err := o.scoreStream(ctx, r, copts, stdout)
		failed = failed || f
		return err
	}
	if fs.NArg() == 0 {
		if err := score(stdin); err != nil {
			return err
		}
	}
	for _, path := range fs.Args() {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("score: %w", err)
		}
		err = score(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("score %s: %w", path, err)
		}
	}
	if failed {
		return errSomeFailed
	}
	return nil
}

func (o *scoreOptions) classifyOptions(m *model.Model) (classifier.Options, error) {
	opts := classifier.Options{ReasonLanguage: o.lang, TopFeatures: o.top}
	if !o.classify.SupportsReasonLanguage(o.lang) {
		return opts, fmt.Errorf("%w: --lang %q is not a language of the reasons: use one of %s (a code with subtags, such as zh-Hant, falls back to its language)",
			errUsage, o.lang, strings.Join(o.classify.ReasonLanguages(), ", "))
	}
	if o.top == 0 {
		opts.TopFeatures = -1
	}
	for _, t := range []struct {
		name string
		set  bool
		v    float64
	}{{"--review", o.reviewSet, o.review}, {"--high", o.highSet, o.high}} {
		if t.set && !(t.v >= 0 && t.v <= 1) { // NaN too
			return opts, fmt.Errorf("%w: %s must be between 0 and 1, got %v", errUsage, t.name, t.v)
		}
	}
	if o.reviewSet || o.highSet {
		th := m.Thresholds()
		if o.reviewSet {
			th.Review = o.review
		}
		if o.highSet {
			th.High = o.high
		}
		if err := th.Validate(); err != nil {
			return opts, fmt.Errorf("%w: %w", errUsage, err)
		}
		opts.Thresholds = &th
	}
	return opts, nil
}

// scoreStream scores one input. Plain text is one posting; a JSON object is
// one posting; several JSON objects, one a line, are streamed and answered
// in order. It reports whether any posting failed.
func (o *scoreOptions) scoreStream(ctx context.Context, r io.Reader, opts classifier.Options, w io.Writer) (bool, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	mode := o.input
	if mode == "auto" {
		mode = "text"
		if first, err := peekNonSpace(br); err == nil && first == '{' {
			mode = "jsonl" // a single JSON object is JSON Lines of one line
		}
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	if mode == "text" || mode == "json" {
		data, err := io.ReadAll(io.LimitReader(br, maxPostingBytes+1))
		if err != nil {
			return false, err
		}
		if len(data) > maxPostingBytes {
			return false, fmt.Errorf("input is larger than %d bytes", maxPostingBytes)
		}
		var p features.Posting
		if mode == "json" {
			if p, err = decodePosting(data); err != nil {
				return false, err
			}
		} else {
			p.Text = string(data)
		}

		res, err := o.classify.Classify(ctx, &p, opts)
		if err != nil {
			return false, err
		}
		return false, o.write(bw, res)
	}
	// JSON Lines.
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), maxPostingBytes)
	failed := false
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		p, err := decodePosting(b)
		var res classifier.Result
		if err == nil {
			res, err = o.classify.Classify(ctx, &p, opts)
		}
		if err != nil {
			if ctx.Err() != nil {
				return failed, ctx.Err()
			}
			failed = true
			if werr := o.writeError(bw, line, p.ID, err); werr != nil {
				return failed, werr
			}
			continue
		}
		if err := o.write(bw, res); err != nil {
			return failed, err
		}
		// Stream: each answer leaves as soon as it is ready.
		if err := bw.Flush(); err != nil {
			return failed, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return failed, fmt.Errorf("line %d: longer than %d bytes", line+1, maxPostingBytes)
		}
		return failed, err
	}
	return failed, nil
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0, err
		}
		c := b[n-1]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c, nil
		}
		if n >= 4096 {
			return c, nil
		}
	}
}

// datasetRecord is a posting as a line of lurescan's labelled JSON Lines
// (README, "Training data formats"): the dataset's own fields are accepted
// and set aside, so that a dataset file can be scored as it is.
type datasetRecord struct {
	features.Posting
	Lang       string   `json:"lang"`
	Label      string   `json:"label"`
	Group      string   `json:"group"`
	Source     string   `json:"source"`
	Categories []string `json:"categories"`
	Pattern    string   `json:"pattern"`
	Provenance string   `json:"provenance"`
}

// decodePosting decodes one JSON posting strictly: unknown fields (names
// match exactly, case too), repeated keys, wrong types and trailing data
// are errors, which name the field as the input wrote it.
func decodePosting(b []byte) (features.Posting, error) {
	var rec datasetRecord
	// encoding/json would quietly turn invalid bytes into U+FFFD.
	if !utf8.Valid(b) {
		return rec.Posting, fmt.Errorf("invalid posting JSON: %w", features.ErrInvalidUTF8)
	}
	// encoding/json matches keys case-insensitively, keeps the last of
	// repeated ones and names Go types in its errors: Check refuses the
	// first two and words the third for the user. Its other errors are
	// syntax errors, which the decoder below reports.
	checkErr := strictjson.Check(b, reflect.TypeFor[datasetRecord](), "", "the posting")
	if se := (*strictjson.Error)(nil); errors.As(checkErr, &se) {
		return rec.Posting, fmt.Errorf("invalid posting JSON: %w", checkErr)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec.Posting, fmt.Errorf("invalid posting JSON: %w", err)
	}
	if checkErr != nil {
		return rec.Posting, fmt.Errorf("invalid posting JSON: %w", checkErr)
	}
	// More would let a stray closing } or ] through: only the end may follow.
	if _, err := dec.Token(); err != io.EOF {
		return rec.Posting, errors.New("invalid posting JSON: data after the JSON object")
	}
	return rec.Posting, nil
}

func (o *scoreOptions) write(w io.Writer, res classifier.Result) error {
	if o.format == "text" {
		return writeVerdict(w, res)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if o.pretty {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(res)
}

func (o *scoreOptions) writeError(w io.Writer, line int, id string, err error) error {
	if o.format == "text" {
		_, werr := fmt.Fprintf(w, "line %d: error: %v\n\n", line, err)
		return werr
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Line  int    `json:"line"`
		ID    string `json:"id,omitempty"`
		Error string `json:"error"`
	}{line, id, err.Error()})
}

// verdicts are the plain-words verdicts of each band.
var verdicts = map[string]string{
	classifier.BandLow:    "LOW RISK: no strong signs of a trafficking lure",
	classifier.BandReview: "NEEDS A CLOSER LOOK: some signs of a trafficking lure",
	classifier.BandHigh:   "HIGH RISK: likely a trafficking lure",
}

// writeVerdict prints a result for a person.
func writeVerdict(w io.Writer, r classifier.Result) error {
	var b strings.Builder
	if r.ID != "" {
		fmt.Fprintf(&b, "Posting %s\n", r.ID)
	}
	if r.Status == classifier.StatusInsufficientText {
		fmt.Fprintf(&b, "NOT ENOUGH TEXT TO JUDGE: %s\n", r.Message)
	} else {
		fmt.Fprintf(&b, "%s (score %d/100)\n", verdicts[*r.Band], *r.Score)
	}
	fmt.Fprintf(&b, "Language: %s (confidence %.2f)\n", r.Language.Code, r.Language.Confidence)
	if len(r.Indicators) == 0 {
		b.WriteString("Warning signs: none found\n")
	} else {
		b.WriteString("Warning signs:\n")
		seen := map[string]bool{}
		for _, h := range r.Indicators {
			fmt.Fprintf(&b, "  - %q (%s, %s)\n", h.Text, strings.ReplaceAll(h.Category, "_", " "), h.Field)
			if !seen[h.ID] {
				seen[h.ID] = true
				fmt.Fprintf(&b, "    %s\n", h.Reason)
			}
		}
	}
	if len(r.TopFeatures.For) > 0 {
		b.WriteString("Weighed most towards a lure: ")
		b.WriteString(featureList(r.TopFeatures.For))
		b.WriteByte('\n')
	}
	if len(r.TopFeatures.Against) > 0 {
		b.WriteString("Weighed most against: ")
		b.WriteString(featureList(r.TopFeatures.Against))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "Model: %s\n\n", r.ModelID)
	_, err := io.WriteString(w, b.String())
	return err
}

func featureList(fs []classifier.Feature) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s %q", f.Kind, f.Text)
	}
	return strings.Join(parts, ", ")
}
