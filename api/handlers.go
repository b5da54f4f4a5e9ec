package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lurescan/lurescan/classifier"
	"github.com/lurescan/lurescan/features"
	"github.com/lurescan/lurescan/features/schemaorg"
	"github.com/lurescan/lurescan/internal/strictjson"
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
	Thresholds *thresholdsOption `json:"thresholds,omitempty"`
	// Lang is the language of indicator reasons (en, zh, vi, id, th, or
	// one of them with subtags; the classifier's ReasonLanguages).
	Lang string `json:"lang,omitempty"`
	// TopFeatures is how many model features to list each way (0: none).
	TopFeatures *int `json:"top_features,omitempty"`
}

// thresholdsOption is a request's "thresholds". Both keys are required: a
// missing one must not read as 0 (a high threshold of 0 puts every posting
// in the high band).
type thresholdsOption struct {
	Review *float64 `json:"review"`
	High   *float64 `json:"high"`
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

// classifyOptions checks the options and makes them cl's.
func (o scoreOptions) classifyOptions(cl *classifier.Classifier) (classifier.Options, error) {
	opts := classifier.Options{ReasonLanguage: o.Lang}
	if t := o.Thresholds; t != nil {
		var missing string
		switch {
		case t.Review == nil && t.High == nil:
			missing = `"review" and "high" are missing`
		case t.Review == nil:
			missing = `"review" is missing`
		case t.High == nil:
			missing = `"high" is missing`
		}
		if missing != "" {
			return opts, errorf(CodeUnprocessable, `thresholds needs both "review" and "high" (%s); send null, or leave thresholds out, for the model's`, missing)
		}
		th := model.Thresholds{Review: *t.Review, High: *t.High}
		if err := th.Validate(); err != nil {
			return opts, errorf(CodeUnprocessable, "thresholds: %v", err)
		}
		opts.Thresholds = &th
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
	if !cl.SupportsReasonLanguage(o.Lang) {
		// At most 32 characters of what was sent are quoted back.
		return opts, errorf(CodeUnprocessable, "lang %.32q is not a language of the reasons: send one of %s (a code with subtags, such as zh-Hant, falls back to its language), or none for English",
			o.Lang, strings.Join(cl.ReasonLanguages(), ", "))
	}
	return opts, nil
}

// readBody checks the content type and reads the body within the limit,
// into a buffer from the server's pool: call s.bufs.put(buf) when nothing
// refers to the body any more (buf is nil on error). Decoding copies what
// it keeps, so that is once the request is decoded and its postings scored.
func (s *Server) readBody(c *gin.Context) (body []byte, buf *buffer, err error) {
	ct := c.GetHeader("Content-Type")
	if !jsonContentType(ct) {
		// The reference check, for its exact messages.
		mt, params, err := mime.ParseMediaType(ct)
		if ct == "" || err != nil || !(mt == "application/json" || mt == "application/ld+json" || strings.HasSuffix(mt, "+json")) {
			return nil, nil, errorf(CodeUnsupportedType, "send JSON with Content-Type: application/json (got %q)", ct)
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return nil, nil, errorf(CodeUnsupportedType, "only the utf-8 charset is accepted (got %q)", cs)
		}
	}
	buf = s.bufs.get()
	_, err = buf.ReadFrom(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
	body = buf.Bytes()
	c.Set(ctxRequestBytes, int64(len(body)))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		err = errorf(CodeTooLarge, "the body exceeds the limit of %d bytes", s.cfg.MaxBodyBytes)
	case err != nil:
		err = &Error{Code: CodeBadRequest, Detail: "the request body could not be read", Err: err}
	case len(bytes.TrimSpace(body)) == 0:
		err = errorf(CodeBadRequest, "the request body is empty; send a JSON object")
	case !utf8.Valid(body):
		err = errorf(CodeInvalidUTF8, "the body is not valid UTF-8 (first bad byte at offset %d)", invalidUTF8At(body))
	default:
		return body, buf, nil
	}
	s.bufs.put(buf)
	return nil, nil, err
}

// jsonContentType accepts the two content types clients send nearly
// always without parsing them; mime.ParseMediaType, which allocates a map,
// decides everything else.
func jsonContentType(ct string) bool {
	return ct == "application/json" || ct == "application/json; charset=utf-8"
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

// decodeStrict decodes exactly one JSON value into v: unknown fields
// (keys match field names exactly), repeated keys, wrong types and trailing
// data are errors. path is where body sits in the request ("" when it is
// the body), for the messages.
func decodeStrict(body []byte, v any, path string) error {
	checkErr := checkStrict(body, reflect.TypeOf(v), path)
	var e *Error
	if errors.As(checkErr, &e) {
		return checkErr
	}
	// Otherwise checkErr is a syntax error, which encoding/json reports
	// with its own message, saying where.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if checkErr != nil {
		return jsonError(checkErr)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(CodeMalformedJSON, "unexpected data after the JSON value (at byte %d)", dec.InputOffset())
	}
	return nil
}

// checkStrict runs strictjson.Check: its findings are malformed-json
// Errors, syntax errors are returned as they are.
func checkStrict(body []byte, t reflect.Type, path string) error {
	err := strictjson.Check(body, t, path, "the body")
	var se *strictjson.Error
	if errors.As(err, &se) {
		return &Error{Code: CodeMalformedJSON, Detail: se.Error(), Err: err}
	}
	return err
}

// jsonError describes an encoding/json error for the client. Wrong types
// and unknown fields are found by strictjson.Check first, with the field
// path as the client wrote it; the cases here only keep Go's type and
// struct names out of an answer should one get through.
func jsonError(err error) error {
	var e *Error
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &e):
		return err // already described
	case errors.As(err, &syn):
		return &Error{Code: CodeMalformedJSON, Detail: fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn), Err: err}
	case errors.As(err, &typ):
		return &Error{Code: CodeMalformedJSON, Detail: fmt.Sprintf("the value at byte %d must be %s, not %s", typ.Offset, typeWords(typ.Type), valueWords(typ.Value)), Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &Error{Code: CodeMalformedJSON, Detail: "the JSON ends too early", Err: err}
	}
	return &Error{Code: CodeMalformedJSON, Detail: "the JSON could not be decoded", Err: err}
}

// typeWords says what a value of Go type t is in JSON.
func typeWords(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another type"
}

// valueWords says what an UnmarshalTypeError's Value ("string", "number
// 5.0", "array"...) is.
func valueWords(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "true or false"
	case "array":
		return "an array"
	case "object":
		return "an object"
	}
	return "another type"
}

// postingPath is the place of a posting in its request, for messages:
// "posting" (item < 0) or "postings[item]" in a batch.
func postingPath(item int) string {
	if item < 0 {
		return "posting"
	}
	return "postings[" + strconv.Itoa(item) + "]"
}

// decodePosting reads a posting: a string of plain text, an object with
// lurescan's posting fields, or a schema.org JobPosting JSON-LD object.
// item is its index in a batch, -1 in a single request.
func decodePosting(raw json.RawMessage, item int) (features.Posting, error) {
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
			// Any property, at any depth, once: the map above kept
			// the last of repeated ones.
			if err := checkStrict(raw, reflect.TypeFor[any](), postingPath(item)); err != nil {
				return p, jsonError(err)
			}
			jp, err := schemaorg.FromObject(obj)
			if err != nil {
				return p, &Error{Code: CodeUnprocessable, Detail: err.Error(), Err: err}
			}
			p = jp
		} else if err := decodeStrict(raw, &p, postingPath(item)); err != nil {
			return p, err
		}
	default:
		return p, errorf(CodeMalformedJSON, "%s must be a string or an object, not %s", postingPath(item), jsonKind(raw))
	}
	return p, checkPosting(p)
}

// jsonKind says what kind of JSON value raw (not a string, an object or
// null) is.
func jsonKind(raw []byte) string {
	switch raw[0] {
	case '[':
		return "an array"
	case 't':
		return "true"
	case 'f':
		return "false"
	}
	return "a number"
}

// checkPosting validates a decoded posting.
func checkPosting(p features.Posting) error {
	if err := p.Validate(); err != nil {
		code := CodeUnprocessable
		switch {
		case errors.Is(err, features.ErrEmptyPosting):
			code = CodeEmptyPosting
		case errors.Is(err, features.ErrInvalidUTF8):
			code = CodeInvalidUTF8
		}
		return &Error{Code: code, Detail: err.Error(), Err: err}
	}
	return nil
}

// record counts one scored posting in the metrics.
func (s *Server) record(res classifier.Result) {
	band := classifier.StatusInsufficientText
	if res.Band != nil {
		band = *res.Band
		s.metrics.probability.Observe(*res.Probability)
	}
	s.metrics.scoredIn(band).Inc()
	for _, h := range res.Indicators {
		s.metrics.hitsIn(h.Category).Inc()
	}
}

func (s *Server) handleScore(c *gin.Context) {
	cl := s.Classifier()
	p, opts, err := s.readScoreRequest(c, cl)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.classify(cl, c.Request.Context(), &p, opts)
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
	s.writeJSON(c, http.StatusOK, contentTypeJSON, res)
}

// readScoreRequest reads and decodes a POST /v1/score body: the fast path
// when it can, else the reference decoding. Errors come in the reference
// order: JSON, then options, then the posting.
func (s *Server) readScoreRequest(c *gin.Context, cl *classifier.Classifier) (features.Posting, classifier.Options, error) {
	body, buf, err := s.readBody(c)
	if err != nil {
		return features.Posting{}, classifier.Options{}, err
	}
	// The posting is copied out of the body, which can go back to the
	// pool before scoring (and serve to encode the answer).
	defer s.bufs.put(buf)
	req, fp, ok, err := fastScoreRequest(body)
	if err != nil {
		return features.Posting{}, classifier.Options{}, err
	}
	if !ok {
		req = scoreRequest{}
		if err := decodeStrict(body, &req, ""); err != nil {
			return features.Posting{}, classifier.Options{}, err
		}
		fp = fastPosting{raw: req.Posting}
	}
	opts, err := req.classifyOptions(cl)
	if err != nil {
		return features.Posting{}, opts, err
	}
	p, err := fp.decode(-1)
	if err != nil {
		return p, opts, err
	}
	if req.ID != "" {
		p.ID = req.ID
	}
	return p, opts, nil
}

func classifyError(err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return err
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		// The client went away or the request ran out of time: not a
		// failure of the server.
		return &Error{Code: CodeRequestTimeout, Detail: "the request was cancelled before the posting was scored", Err: err}
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
	body, buf, err := s.readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer s.bufs.put(buf) // raw postings point into the body until scored
	reqOpts, postings, ok, err := fastBatchRequest(body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !ok {
		var req batchRequest
		if err := decodeStrict(body, &req, ""); err != nil {
			s.fail(c, err)
			return
		}
		reqOpts, postings = req.scoreOptions, nil
		if req.Postings != nil {
			postings = make([]fastPosting, len(req.Postings))
			for i, raw := range req.Postings {
				postings[i].raw = raw
			}
		}
	}
	n := len(postings)
	switch {
	case postings == nil:
		s.fail(c, errorf(CodeUnprocessable, `"postings" is required: an array of postings`))
		return
	case n == 0:
		s.fail(c, errorf(CodeUnprocessable, `"postings" is empty`))
		return
	case n > s.cfg.MaxBatch:
		s.fail(c, errorf(CodeTooManyPostings, "%d postings in one batch; the limit is %d", n, s.cfg.MaxBatch))
		return
	}
	cl := s.Classifier() // one model for the whole batch
	opts, err := reqOpts.classifyOptions(cl)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	// Scored items are encoded through pointers into one slice: one
	// allocation for the batch instead of one per item.
	results := make([]any, n)
	scored := make([]batchResult, n)
	var failed atomic.Int64
	workers := s.cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	// Workers take the next item from a shared counter: cheaper than
	// handing each index over a channel.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				p, res, err := s.batchItem(ctx, c, cl, postings, i, opts)
				if err != nil {
					failed.Add(1)
					results[i] = batchError{Index: i, ID: p.ID, Status: "error", Error: problemFor(classifyError(err), c.GetString(ctxRequestID), "")}
					continue
				}
				s.record(res)
				scored[i] = batchResult{Index: i, Result: res}
				results[i] = &scored[i]
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		s.fail(c, &Error{Code: CodeRequestTimeout, Detail: "the request was cancelled before the batch was scored", Err: err})
		return
	}
	resp := batchResponse{ModelID: cl.Model().ID(), Results: results, Errors: int(failed.Load())}
	s.metrics.batchPostings.Observe(float64(n))
	c.Set(ctxPostings, n)
	s.writeJSON(c, http.StatusOK, contentTypeJSON, resp)
}

// batchItem decodes and scores one batch item. It runs on a worker
// goroutine, where a panic would end the process: a panic becomes the
// item's internal error, counted and logged as the middleware does for a
// handler's.
func (s *Server) batchItem(ctx context.Context, c *gin.Context, cl *classifier.Classifier, postings []fastPosting, i int, opts classifier.Options) (p features.Posting, res classifier.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.metrics.panicsRecovered.Inc()
			s.log.LogAttrs(ctx, slog.LevelError, "batch item panic",
				slog.String("request_id", c.GetString(ctxRequestID)), slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			err = errorf(CodeInternal, "the server failed to score this posting; quote the request id when reporting it")
		}
	}()
	p, err = postings[i].decode(i)
	if err == nil {
		res, err = s.classify(cl, ctx, &p, opts)
	}
	return p, res, err
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
	s.writeJSON(c, http.StatusOK, contentTypeJSON, modelCard{
		ID: meta.ID, Created: meta.Created.Format("2006-01-02T15:04:05Z07:00"), Format: meta.FormatVersion,
		Settings: meta.Settings, Thresholds: meta.Thresholds, LanguageThresholds: meta.LanguageThresholds, Calibration: meta.Calibration,
		Vocabulary: m.VocabularySize(), Training: meta.Training,
	})
}

func (s *Server) handleIndicators(c *gin.Context) {
	m := s.Classifier().Model()
	s.writeJSON(c, http.StatusOK, contentTypeJSON, struct {
		ModelID string `json:"model_id"`
		*features.Catalog
	}{m.ID(), m.Catalog()})
}

func (s *Server) handleLive(c *gin.Context) {
	s.writeJSON(c, http.StatusOK, contentTypeJSON, map[string]string{"status": "ok"})
}

func (s *Server) handleReady(c *gin.Context) {
	if !s.ready.Load() {
		s.fail(c, errorf(CodeNotReady, "the service is starting or shutting down"))
		return
	}
	s.writeJSON(c, http.StatusOK, contentTypeJSON, map[string]string{"status": "ready", "model_id": s.Classifier().Model().ID()})
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
	// The reload's log lines carry the request id.
	ctx := context.WithValue(c.Request.Context(), requestIDKey{}, c.GetString(ctxRequestID))
	old, id, err := s.Reload(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeJSON(c, http.StatusOK, contentTypeJSON, map[string]string{"status": "reloaded", "previous_model_id": old, "model_id": id})
}
