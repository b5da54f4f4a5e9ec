package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/model/defaultmodel"
)

// newFlagSet returns a flag set that reports errors to stderr and returns
// them instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: lurescan %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping -h and bad flags to errUsage alone: the
// flag set has already printed the problem and the usage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}

// envDefault returns the environment variable's value or def.
func envDefault(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// listFlag is a repeatable string flag (also comma-separated).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// loadModel loads the model at path, or the embedded default when path is "".
func loadModel(path string) (*model.Model, error) {
	if path == "" {
		return defaultmodel.Load()
	}
	return model.Load(path)
}

// cpuProfileFlag registers --cpuprofile; the returned start function begins
// profiling when the flag is set and returns the function that ends it.
func cpuProfileFlag(fs *flag.FlagSet) func() (stop func() error, err error) {
	path := fs.String("cpuprofile", "", "write a CPU profile (go tool pprof) of the run to this file")
	return func() (func() error, error) {
		if *path == "" {
			return func() error { return nil }, nil
		}
		f, err := os.Create(*path)
		if err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		return func() error {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
			return nil
		}, nil
	}
}
