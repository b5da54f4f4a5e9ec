// Package api is lurescan's HTTP service for job boards: single and batch
// scoring, the model card and indicator catalogue, health, Prometheus
// metrics, and hot model reload. It is hardened against hostile input:
// every failure is an RFC 9457 problem document with the request id.
package api

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/model"
)

// Config configures the service. Validate it before use.
type Config struct {
	// MaxBodyBytes bounds a request body (413 beyond).
	MaxBodyBytes int64
	// MaxBatch bounds the postings of one batch request (422 beyond).
	MaxBatch int
	// ModelPath is the model file loaded at start and on reload; empty
	// serves the embedded default model and cannot be reloaded.
	ModelPath string
	// AdminToken enables POST /admin/reload for bearers of this token;
	// empty disables the admin routes.
	AdminToken string
	// Workers scores batch items in parallel; 0 means one per CPU.
	Workers int
	// Page, when set, serves the web page: GET / and POST / (the form and
	// its answer) and GET /assets/*path. It goes through the same request
	// ids, metrics, logs and body limit as the API.
	Page http.Handler
}

// Validate reports the first invalid setting.
func (c Config) Validate() error {
	switch {
	case c.MaxBodyBytes < 1024:
		return fmt.Errorf("max body size must be at least 1024 bytes, got %d", c.MaxBodyBytes)
	case c.MaxBatch < 1:
		return fmt.Errorf("max batch size must be at least 1, got %d", c.MaxBatch)
	case c.Workers < 0:
		return fmt.Errorf("workers must not be negative, got %d", c.Workers)
	case c.AdminToken != "" && len(c.AdminToken) < 16:
		return fmt.Errorf("admin token must be at least 16 characters")
	}
	return nil
}

// DefaultConfig is the configuration without flags or environment.
func DefaultConfig() Config {
	return Config{MaxBodyBytes: 1 << 20, MaxBatch: 1000}
}

//go:embed openapi.yaml
var openAPI []byte

// Server serves the API. Create it with New.
type Server struct {
	cfg        Config
	log        *slog.Logger
	metrics    *Metrics
	classifier atomic.Pointer[classifier.Classifier]
	// reloadMu serializes Reload (SIGHUP and POST /admin/reload may come
	// together) and the model swap with its model_info series.
	reloadMu sync.Mutex
	infoID   string // the model_info series at 1; guarded by reloadMu
	ready    atomic.Bool
	loader   func(path string) (*model.Model, error)
	// classify scores a posting: (*classifier.Classifier).Classify, which
	// tests replace (to make it panic, say).
	classify func(*classifier.Classifier, context.Context, *features.Posting, classifier.Options) (classifier.Result, error)
	engine   *gin.Engine
	bufs     bufferPool // request bodies and encoded answers
}

// New returns a server that serves m. loader loads a model file on reload
// (model.Load in production).
func New(cfg Config, m *model.Model, log *slog.Logger, loader func(string) (*model.Model, error)) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("api config: %w", err)
	}
	if m == nil {
		return nil, errors.New("api: no model")
	}
	if loader == nil {
		loader = model.Load
	}
	s := &Server{cfg: cfg, log: log, metrics: NewMetrics(), loader: loader, classify: (*classifier.Classifier).Classify}
	s.reloadMu.Lock()
	s.swap(classifier.New(m))
	s.reloadMu.Unlock()
	s.metrics.reloads.WithLabelValues("success").Inc()
	s.metrics.lastReloadOK.SetToCurrentTime()
	s.engine = s.routes()
	s.ready.Store(true)
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() *gin.Engine { return s.engine }

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// SetReady marks the server ready or not (readiness fails first on shutdown).
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Classifier returns the classifier being served.
func (s *Server) Classifier() *classifier.Classifier { return s.classifier.Load() }

// swap serves c from now on; requests in flight finish with the old one.
// Call it with reloadMu held. lurescan_model_info then has one series, at
// 1: the id of the classifier being served.
func (s *Server) swap(c *classifier.Classifier) {
	s.classifier.Store(c)
	id := s.Classifier().Model().ID()
	s.metrics.modelInfo.WithLabelValues(id).Set(1)
	if s.infoID != "" && s.infoID != id {
		s.metrics.modelInfo.DeleteLabelValues(s.infoID)
	}
	s.infoID = id
}

// Reload loads the model file, validates it and swaps it in. On failure the
// old model keeps serving and the error says why. Reloads are serialized:
// one asked for during another waits for it, then loads the file again.
func (s *Server) Reload(ctx context.Context) (oldID, newID string, err error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	oldID = s.Classifier().Model().ID()
	if s.cfg.ModelPath == "" {
		return oldID, "", errorf(CodeNoModelFile, "the service runs the embedded default model; start it with --model FILE to reload from a file")
	}
	start := time.Now()
	m, err := s.loader(s.cfg.ModelPath)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		s.metrics.reloads.WithLabelValues("failure").Inc()
		s.log.LogAttrs(ctx, slog.LevelError, "model reload failed", withRequestID(ctx, slog.String("path", s.cfg.ModelPath),
			slog.String("error", err.Error()), slog.String("serving", oldID))...)
		return oldID, "", &Error{Code: CodeReloadFailed, Detail: fmt.Sprintf("the model file was refused and %s keeps serving: %v", oldID, err), Err: err}
	}
	s.swap(classifier.New(m))
	s.metrics.reloads.WithLabelValues("success").Inc()
	s.metrics.lastReloadOK.SetToCurrentTime()
	s.log.LogAttrs(ctx, slog.LevelInfo, "model reloaded", withRequestID(ctx, slog.String("previous", oldID), slog.String("model_id", m.ID()),
		slog.Duration("took", time.Since(start)))...)
	return oldID, m.ID(), nil
}

// requestIDKey is the context key of the id of the request that asked for
// a reload.
type requestIDKey struct{}

// withRequestID puts the id of the request that ctx belongs to, if any,
// before attrs (a reload on SIGHUP has none).
func withRequestID(ctx context.Context, attrs ...slog.Attr) []slog.Attr {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok && id != "" {
		return append([]slog.Attr{slog.String("request_id", id)}, attrs...)
	}
	return attrs
}
