package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/lurescan/lurescan/api"
	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/model"
	"github.com/lurescan/lurescan/web"
)

// serveConfig is everything lurescan serve is configured with.
type serveConfig struct {
	addr              string
	api               api.Config
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	shutdownDelay     time.Duration
	shutdownTimeout   time.Duration
	logLevel          slog.Level
	// hotlineText is where the web page sends people for help.
	hotlineText string
}

func (c serveConfig) validate() error {
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return fmt.Errorf("--addr %q: %w", c.addr, err)
	}
	for name, d := range map[string]time.Duration{
		"--read-header-timeout": c.readHeaderTimeout, "--read-timeout": c.readTimeout,
		"--write-timeout": c.writeTimeout, "--idle-timeout": c.idleTimeout, "--shutdown-timeout": c.shutdownTimeout,
	} {
		if d <= 0 {
			return fmt.Errorf("%s must be positive, got %v", name, d)
		}
	}
	if !utf8.ValidString(c.hotlineText) || len(c.hotlineText) > 4000 {
		return fmt.Errorf("--hotline-text must be valid UTF-8 of at most 4000 bytes")
	}
	if c.shutdownDelay < 0 {
		return fmt.Errorf("--shutdown-delay must not be negative, got %v", c.shutdownDelay)
	}
	return c.api.Validate()
}

func parseServeFlags(args []string, stderr io.Writer) (serveConfig, error) {
	fs := newFlagSet("serve", "serve [flags]", stderr)
	var c serveConfig
	c.api = api.DefaultConfig()
	var err error
	envInt := func(name string, def int64) int64 {
		if v := envDefault(name, ""); v != "" {
			n, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil && err == nil {
				err = fmt.Errorf("%s=%q is not a number", name, v)
			}
			return n
		}
		return def
	}
	envDur := func(name string, def time.Duration) time.Duration {
		if v := envDefault(name, ""); v != "" {
			d, perr := time.ParseDuration(v)
			if perr != nil && err == nil {
				err = fmt.Errorf("%s=%q is not a duration (such as 5s)", name, v)
			}
			return d
		}
		return def
	}
	fs.StringVar(&c.addr, "addr", envDefault("LURESCAN_ADDR", ":8080"), "listen address (env LURESCAN_ADDR)")
	fs.StringVar(&c.api.ModelPath, "model", envDefault("LURESCAN_MODEL", ""), "model file, reloaded on SIGHUP and POST /admin/reload (env LURESCAN_MODEL); the embedded default when empty")
	fs.Int64Var(&c.api.MaxBodyBytes, "max-body", envInt("LURESCAN_MAX_BODY", c.api.MaxBodyBytes), "largest request body in bytes (env LURESCAN_MAX_BODY)")
	maxBatch := fs.Int64("max-batch", envInt("LURESCAN_MAX_BATCH", int64(c.api.MaxBatch)), "most postings in one batch (env LURESCAN_MAX_BATCH)")
	workers := fs.Int64("workers", envInt("LURESCAN_WORKERS", 0), "goroutines scoring a batch; 0 means one per CPU (env LURESCAN_WORKERS)")
	fs.DurationVar(&c.readHeaderTimeout, "read-header-timeout", envDur("LURESCAN_READ_HEADER_TIMEOUT", 5*time.Second), "time to read request headers (env LURESCAN_READ_HEADER_TIMEOUT)")
	fs.DurationVar(&c.readTimeout, "read-timeout", envDur("LURESCAN_READ_TIMEOUT", 15*time.Second), "time to read a request (env LURESCAN_READ_TIMEOUT)")
	fs.DurationVar(&c.writeTimeout, "write-timeout", envDur("LURESCAN_WRITE_TIMEOUT", 30*time.Second), "time to write a response (env LURESCAN_WRITE_TIMEOUT)")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", envDur("LURESCAN_IDLE_TIMEOUT", 120*time.Second), "keep-alive idle time (env LURESCAN_IDLE_TIMEOUT)")
	fs.DurationVar(&c.shutdownDelay, "shutdown-delay", envDur("LURESCAN_SHUTDOWN_DELAY", 5*time.Second), "on SIGTERM, how long /readyz fails before the listener closes (env LURESCAN_SHUTDOWN_DELAY)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", envDur("LURESCAN_SHUTDOWN_TIMEOUT", 30*time.Second), "how long in-flight requests may take to finish (env LURESCAN_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.hotlineText, "hotline-text", envDefault("LURESCAN_HOTLINE_TEXT", ""), "where the web page tells people to turn for help: plain text, such as hotline names and numbers (env LURESCAN_HOTLINE_TEXT); empty shows a translated default pointing to embassies, the police and the IOM")
	level := fs.String("log-level", envDefault("LURESCAN_LOG_LEVEL", "info"), "debug, info, warn or error (env LURESCAN_LOG_LEVEL)")
	if perr := parseFlags(fs, args); perr != nil {
		return c, perr
	}
	if err != nil {
		return c, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, fmt.Errorf("%w: --log-level: %w", errUsage, err)
	}
	c.api.MaxBatch, c.api.Workers = int(*maxBatch), int(*workers)
	c.api.AdminToken = os.Getenv("LURESCAN_ADMIN_TOKEN")
	if err := c.validate(); err != nil {
		return c, fmt.Errorf("%w: %w", errUsage, err)
	}
	return c, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, errUsage) || err.Error() != errUsage.Error() {
			fmt.Fprintln(stderr, "lurescan serve:", err)
		}
		return errUsage
	}
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.logLevel}))
	m, err := loadModel(cfg.api.ModelPath)
	if err != nil {
		return err
	}
	srv, err := newServer(cfg, m, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("model_id", m.ID()),
		slog.Bool("admin", cfg.api.AdminToken != ""), slog.String("model_path", cfg.api.ModelPath))

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	for {
		select {
		case <-hup:
			_, _, _ = srv.Reload(context.Background()) // logged and counted by Reload
		case err := <-serveErr:
			return fmt.Errorf("serve: %w", err)
		case <-ctx.Done():
			// Readiness fails first, so load balancers stop sending; then the
			// listener closes and in-flight requests finish.
			srv.SetReady(false)
			log.Info("shutting down", slog.Duration("delay", cfg.shutdownDelay))
			time.Sleep(cfg.shutdownDelay)
			sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			log.Info("stopped")
			return nil
		}
	}
}

// newServer builds the API server with the web page at /. The page scores
// with whatever model the server serves at the time, so it looks the server
// up when asked; it is never asked before the server exists.
func newServer(cfg serveConfig, m *model.Model, log *slog.Logger) (*api.Server, error) {
	var srv *api.Server
	page, err := web.New(web.Config{
		HotlineText:  cfg.hotlineText,
		MaxBodyBytes: cfg.api.MaxBodyBytes,
		Scored:       func(r *http.Request, res classifier.Result) { srv.RecordScored(r, res) },
		Log:          log,
	}, func() *classifier.Classifier { return srv.Classifier() })
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	cfg.api.Page = page
	srv, err = api.New(cfg.api, m, log, model.Load)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return srv, nil
}

// runHealthcheck asks the local service whether it is alive, for container
// health checks that have no shell or curl.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("healthcheck", "healthcheck [--url URL]", stderr)
	addr := envDefault("LURESCAN_ADDR", ":8080")
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = "", "8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	url := fs.String("url", "http://"+net.JoinHostPort(host, port)+"/livez", "URL to check")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", *url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
