package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/features/schemaorg"
	"github.com/lurescan/lurescan/model"
)

const contentTypeJSON = "application/json; charset=utf-8"

// maxTopFeatures bounds the features a caller may ask for each way.
const maxTopFeatures = 50

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	_ = e.SetTrustedProxies(nil)
	e.Use(requestID, s.observe, s.recoverPanics)

	e.POST("/v1/score", noStore, s.handleScore)
	e.POST("/v1/score/batch", noStore, s.handleBatch)
	e.GET("/v1/model", s.handleModel)
	e.GET("/v1/indicators", s.handleIndicators)
	e.GET("/livez", s.handleLive)
	e.GET("/readyz", s.handleReady)
	e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{Registry: s.metrics.Registry})))
	e.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", openAPI) })
	if s.cfg.AdminToken != "" {
		e.POST("/admin/reload", s.requireAdmin, s.handleReload)
	}
	if s.cfg.Page != nil {
		page := gin.WrapH(s.cfg.Page)
		e.GET("/", s.pageRequest, page)
		e.POST("/", s.pageRequest, page)
		e.GET("/assets/*path", s.pageRequest, page)
	}
	e.NoRoute(func(c *gin.Context) {
		s.fail(c, errorf(CodeNotFound, "no route %s %s; see /openapi.yaml", c.Request.Method, c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		s.fail(c, errorf(CodeMethodNotAllowed, "%s is not allowed on %s; see /openapi.yaml", c.Request.Method, c.Request.URL.Path))
	})
	return e
}

// scoreOptions are the per-call options of a scoring request.
type scoreOptions struct {
	// Thresholds override the model's band thresholds (per-language ones
	// too).
	Thresholds *model.Thresholds `json:"thresholds,omitempty"`
	// Lang is the language of indicator reasons (en, zh, vi, id, th).
	Lang string `json:"lang,omitempty"`
	// TopFeatures is how many model features to list each way (0: none).
	TopFeatures *int `json:"top_features,omitempty"`
}

type scoreRequest struct {
	ID      string          `json:"id,omitempty"`
	Posting json.RawMessage `json:"posting"`
	scoreOptions
}

type batchRequest struct {
	Postings []json.RawMessage `json:"postings"`
	scoreOptions
}

func (o scoreOptions) classifyOptions() (classifier.Options, error) {
	opts := classifier.Options{ReasonLanguage: o.Lang, Thresholds: o.Thresholds}
	if o.Thresholds != nil {
		if err := o.Thresholds.Validate(); err != nil {
			return opts, errorf(CodeUnprocessable, "thresholds: %v", err)
		}
	}
	if o.TopFeatures != nil {
		switch n := *o.TopFeatures; {
		case n < 0 || n > maxTopFeatures:
			return opts, errorf(CodeUnprocessable, "top_features must be between 0 and %d, got %d", maxTopFeatures, n)
		case n == 0:
			opts.TopFeatures = -1
		default:
			opts.TopFeatures = n
		}
	}
	if len(o.Lang) > 16 {
		return opts, errorf(CodeUnprocessable, "lang must be a language code such as en, zh, vi, id or th")
	}
	return opts, nil
}

// readBody checks the content type and reads the body within the limit.
func (s *Server) readBody(c *gin.Context) ([]byte, error) {
	ct := c.GetHeader("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || !(mt == "application/json" || mt == "application/ld+json" || strings.HasSuffix(mt, "+json")) {
		return nil, errorf(CodeUnsupportedType, "send JSON with Content-Type: application/json (got %q)", ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, errorf(CodeUnsupportedType, "only the utf-8 charset is accepted (got %q)", cs)
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
	c.Set(ctxRequestBytes, int64(len(body)))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errorf(CodeTooLarge, "the body exceeds the limit of %d bytes", s.cfg.MaxBodyBytes)
		}
		return nil, &Error{Code: CodeBadRequest, Detail: "the request body could not be read", Err: err}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errorf(CodeBadRequest, "the request body is empty; send a JSON object")
	}
	if !utf8.Valid(body) {
		return nil, errorf(CodeInvalidUTF8, "the body is not valid UTF-8 (first bad byte at offset %d)", invalidUTF8At(body))
	}
	return body, nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// decodeStrict decodes exactly one JSON value into v: unknown fields, wrong
// types and trailing data are errors.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(CodeMalformedJSON, "unexpected data after the JSON value (at byte %d)", dec.InputOffset())
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &Error{Code: CodeMalformedJSON, Detail: fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn), Err: err}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return &Error{Code: CodeMalformedJSON, Detail: fmt.Sprintf("%s must be %s, not %s", field, typ.Type, typ.Value), Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &Error{Code: CodeMalformedJSON, Detail: "the JSON ends too early", Err: err}
	}
	return &Error{Code: CodeMalformedJSON, Detail: err.Error(), Err: err}
}

// decodePosting reads a posting: a string of plain text, an object with
// lurescan's posting fields, or a schema.org JobPosting JSON-LD object.
func decodePosting(raw json.RawMessage) (features.Posting, error) {
	var p features.Posting
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return p, errorf(CodeEmptyPosting, `"posting" is required: plain text, posting fields, or a schema.org JobPosting`)
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &p.Text); err != nil {
			return p, jsonError(err)
		}
	case raw[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return p, jsonError(err)
		}
		if schemaorg.IsJobPosting(obj) {
			jp, err := schemaorg.FromObject(obj)
			if err != nil {
				return p, &Error{Code: CodeUnprocessable, Detail: err.Error(), Err: err}
			}
			p = jp
		} else if err := decodeStrict(raw, &p); err != nil {
			return p, err
		}
	default:
		return p, errorf(CodeMalformedJSON, "a posting must be a string or an object")
	}
	if err := p.Validate(); err != nil {
		code := CodeUnprocessable
		switch {
		case errors.Is(err, features.ErrEmptyPosting):
			code = CodeEmptyPosting
		case errors.Is(err, features.ErrInvalidUTF8):
			code = CodeInvalidUTF8
		}
		return p, &Error{Code: code, Detail: err.Error(), Err: err}
	}
	return p, nil
}

// record counts one scored posting in the metrics.
func (s *Server) record(res classifier.Result) {
	band := classifier.StatusInsufficientText
	if res.Band != nil {
		band = *res.Band
		s.metrics.probability.Observe(*res.Probability)
	}
	s.metrics.scored.WithLabelValues(band).Inc()
	for _, h := range res.Indicators {
		s.metrics.indicatorHits.WithLabelValues(h.Category).Inc()
	}
}

func (s *Server) handleScore(c *gin.Context) {
	body, err := s.readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req scoreRequest
	if err := decodeStrict(body, &req); err != nil {
		s.fail(c, err)
		return
	}
	opts, err := req.classifyOptions()
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := decodePosting(req.Posting)
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.ID != "" {
		p.ID = req.ID
	}
	res, err := s.Classifier().Classify(c.Request.Context(), &p, opts)
	if err != nil {
		s.fail(c, classifyError(err))
		return
	}
	s.record(res)
	band := classifier.StatusInsufficientText
	if res.Band != nil {
		band = *res.Band
	}
	c.Set(ctxBand, band)
	c.Set(ctxPostings, 1)
	writeJSON(c, http.StatusOK, contentTypeJSON, res)
}

func classifyError(err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return err
	case errors.Is(err, features.ErrEmptyPosting):
		return &Error{Code: CodeEmptyPosting, Detail: err.Error(), Err: err}
	case errors.Is(err, features.ErrInvalidUTF8):
		return &Error{Code: CodeInvalidUTF8, Detail: err.Error(), Err: err}
	}
	return err
}

// batchError is a batch item that could not be scored.
type batchError struct {
	Index  int     `json:"index"`
	ID     string  `json:"id,omitempty"`
	Status string  `json:"status"`
	Error  Problem `json:"error"`
}

// batchResult is a scored batch item.
type batchResult struct {
	Index int `json:"index"`
	classifier.Result
}

type batchResponse struct {
	ModelID string `json:"model_id"`
	Results []any  `json:"results"`
	Errors  int    `json:"errors"`
}

func (s *Server) handleBatch(c *gin.Context) {
	body, err := s.readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req batchRequest
	if err := decodeStrict(body, &req); err != nil {
		s.fail(c, err)
		return
	}
	switch n := len(req.Postings); {
	case req.Postings == nil:
		s.fail(c, errorf(CodeUnprocessable, `"postings" is required: an array of postings`))
		return
	case n == 0:
		s.fail(c, errorf(CodeUnprocessable, `"postings" is empty`))
		return
	case n > s.cfg.MaxBatch:
		s.fail(c, errorf(CodeTooManyPostings, "%d postings in one batch; the limit is %d", n, s.cfg.MaxBatch))
		return
	}
	opts, err := req.classifyOptions()
	if err != nil {
		s.fail(c, err)
		return
	}
	cl := s.Classifier() // one model for the whole batch
	ctx := c.Request.Context()
	results := make([]any, len(req.Postings))
	errs := make([]bool, len(req.Postings))
	workers := s.cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(req.Postings))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, err := decodePosting(req.Postings[i])
				var res classifier.Result
				if err == nil {
					res, err = cl.Classify(ctx, &p, opts)
				}
				if err != nil {
					errs[i] = true
					results[i] = batchError{Index: i, ID: p.ID, Status: "error", Error: problemFor(classifyError(err), c.GetString(ctxRequestID), "")}
					continue
				}
				s.record(res)
				results[i] = batchResult{Index: i, Result: res}
			}
		}()
	}
	for i := range req.Postings {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		s.fail(c, &Error{Code: CodeRequestTimeout, Detail: "the request was cancelled before the batch was scored", Err: err})
		return
	}
	resp := batchResponse{ModelID: cl.Model().ID(), Results: results}
	for _, e := range errs {
		if e {
			resp.Errors++
		}
	}
	s.metrics.batchPostings.Observe(float64(len(req.Postings)))
	c.Set(ctxPostings, len(req.Postings))
	writeJSON(c, http.StatusOK, contentTypeJSON, resp)
}

// modelCard is what GET /v1/model answers.
type modelCard struct {
	ID         string           `json:"model_id"`
	Created    string           `json:"created"`
	Format     int              `json:"format_version"`
	Settings   model.Settings   `json:"settings"`
	Thresholds model.Thresholds `json:"thresholds"`
	// LanguageThresholds replace Thresholds for postings detected in
	// these languages.
	LanguageThresholds map[string]model.Thresholds `json:"language_thresholds,omitempty"`
	Calibration        model.Calibration           `json:"calibration"`
	Vocabulary         int                         `json:"vocabulary"`
	Training           json.RawMessage             `json:"training,omitempty"`
}

func (s *Server) handleModel(c *gin.Context) {
	m := s.Classifier().Model()
	meta := m.Meta()
	writeJSON(c, http.StatusOK, contentTypeJSON, modelCard{
		ID: meta.ID, Created: meta.Created.Format("2006-01-02T15:04:05Z07:00"), Format: meta.FormatVersion,
		Settings: meta.Settings, Thresholds: meta.Thresholds, LanguageThresholds: meta.LanguageThresholds, Calibration: meta.Calibration,
		Vocabulary: m.VocabularySize(), Training: meta.Training,
	})
}

func (s *Server) handleIndicators(c *gin.Context) {
	m := s.Classifier().Model()
	writeJSON(c, http.StatusOK, contentTypeJSON, struct {
		ModelID string `json:"model_id"`
		*features.Catalog
	}{m.ID(), m.Catalog()})
}

func (s *Server) handleLive(c *gin.Context) {
	writeJSON(c, http.StatusOK, contentTypeJSON, map[string]string{"status": "ok"})
}

func (s *Server) handleReady(c *gin.Context) {
	if !s.ready.Load() {
		s.fail(c, errorf(CodeNotReady, "the service is starting or shutting down"))
		return
	}
	writeJSON(c, http.StatusOK, contentTypeJSON, map[string]string{"status": "ready", "model_id": s.Classifier().Model().ID()})
}

// requireAdmin checks the bearer token in constant time.
func (s *Server) requireAdmin(c *gin.Context) {
	auth := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	want := sha256.Sum256([]byte(s.cfg.AdminToken))
	got := sha256.Sum256([]byte(token))
	if !ok || subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		c.Header("WWW-Authenticate", `Bearer realm="lurescan admin"`)
		s.fail(c, errorf(CodeUnauthorized, "send the admin token as Authorization: Bearer <token>"))
		return
	}
	c.Next()
}

func (s *Server) handleReload(c *gin.Context) {
	old, id, err := s.Reload(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, contentTypeJSON, map[string]string{"status": "reloaded", "previous_model_id": old, "model_id": id})
}
