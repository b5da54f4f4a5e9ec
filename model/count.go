package model

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cdipaolo/goml/base"
	"github.com/cdipaolo/goml/text"
)

// Document is one training example: its feature names and its class
// (0 legit, 1 lure).
type Document struct {
	Features []string
	Class    int
}

// featureSep joins a document's features into the one string goml takes.
const featureSep = "\x1f"

// splitTokenizer hands goml the features as they are: analysis (NFKC, case
// folding, stemming) has already happened in the features package.
type splitTokenizer struct{}

func (splitTokenizer) Tokenize(s string) []string { return strings.Split(s, featureSep) }

// Count gathers per-class document frequencies with goml's naive Bayes,
// which does that part right: each document's distinct features are
// streamed in, and the per-class word counts are read back. goml's own
// scoring is never used (see package doc). Features seen in fewer than
// minCount documents are dropped. The result is sorted by name.
func Count(docs []Document, minCount int) (Counts, []uint64, error) {
	stream := make(chan base.TextDatapoint, 256)
	// Keep every rune: goml's default sanitiser would delete separators.
	nb := text.NewNaiveBayes(stream, 2, func(rune) bool { return false })
	nb.Output = io.Discard
	nb.UpdateTokenizer(splitTokenizer{})
	errs := make(chan error, 16)
	done := make(chan struct{})
	var learnErr error
	go func() {
		for err := range errs {
			if learnErr == nil {
				learnErr = err
			}
		}
		close(done)
	}()
	go nb.OnlineLearn(errs)

	vocab := map[string]struct{}{}
	seen := map[string]struct{}{}
	var classDocs [2]uint64
	var sb strings.Builder
	for di, d := range docs {
		if d.Class != 0 && d.Class != 1 {
			close(stream)
			<-done
			return Counts{}, nil, fmt.Errorf("document %d: class %d is not 0 or 1", di, d.Class)
		}
		clear(seen)
		sb.Reset()
		for _, f := range d.Features {
			if len(f) < 3 {
				close(stream)
				<-done
				return Counts{}, nil, fmt.Errorf("document %d: feature %q is shorter than goml's 3-byte minimum", di, f)
			}
			if strings.Contains(f, featureSep) {
				close(stream)
				<-done
				return Counts{}, nil, fmt.Errorf("document %d: feature %q contains the separator", di, f)
			}
			if _, dup := seen[f]; dup {
				continue
			}
			seen[f] = struct{}{}
			vocab[f] = struct{}{}
			if sb.Len() > 0 {
				sb.WriteString(featureSep)
			}
			sb.WriteString(f)
		}
		classDocs[d.Class]++
		if sb.Len() == 0 {
			continue
		}
		stream <- base.TextDatapoint{X: sb.String(), Y: uint8(d.Class)}
	}
	close(stream)
	<-done // OnlineLearn closes errs when the stream is drained
	if learnErr != nil {
		return Counts{}, nil, fmt.Errorf("goml training: %w", learnErr)
	}
	names := make([]string, 0, len(vocab))
	for f := range vocab {
		names = append(names, f)
	}
	sort.Strings(names)
	out := Counts{Names: names[:0], PerClass: make([][2]uint64, 0, len(names))}
	for _, f := range names {
		w, ok := nb.Words.Get(f)
		if !ok || len(w.Count) != 2 {
			return Counts{}, nil, fmt.Errorf("goml lost feature %q", f)
		}
		if w.Seen < uint64(minCount) {
			continue
		}
		out.Names = append(out.Names, f)
		out.PerClass = append(out.PerClass, [2]uint64{w.Count[0], w.Count[1]})
	}
	return out, classDocs[:], nil
}
