package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	// headerRequestID is X-Request-ID in Go's canonical form, so that
	// getting and setting it need not canonicalise (and allocate) each time.
	headerRequestID = "X-Request-Id"
	ctxRequestID    = "lurescan.request_id"
	ctxBand         = "lurescan.band"
	ctxPostings     = "lurescan.postings"
	ctxRequestBytes = "lurescan.request_bytes"
	// ctxExpected marks a 5xx answer that is part of normal operation
	// (/readyz while shutting down): its request line is not an error.
	ctxExpected     = "lurescan.expected"
	maxRequestIDLen = 128
)

// requestID echoes a well-formed X-Request-ID or makes one, and puts it in
// the context and the response headers.
func requestID(c *gin.Context) {
	id := c.GetHeader(headerRequestID)
	if !validRequestID(id) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(ctxRequestID, id)
	c.Header(headerRequestID, id)
	c.Next()
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.' || ch == ':') {
			return false
		}
	}
	return true
}

// observe records metrics and writes one log line per request: request id,
// route, status, duration, sizes and score band; never the advert.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	s.metrics.inFlight.Inc()
	defer s.metrics.inFlight.Dec()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	elapsed := time.Since(start)
	m := s.metrics.http(route, methodLabel(c.Request.Method), status)
	m.requests.Inc()
	m.duration.Observe(elapsed.Seconds())
	reqBytes := c.GetInt64(ctxRequestBytes)
	respBytes := max(c.Writer.Size(), 0)
	if c.Request.Method == http.MethodPost {
		m.requestSize.Observe(float64(reqBytes))
	}
	m.responseSize.Observe(float64(respBytes))
	level := slog.LevelInfo
	if status >= 500 && !c.GetBool(ctxExpected) {
		level = slog.LevelError
	}
	// Build the line only if it is logged (LogAttrs would check this too,
	// after the attributes were made).
	if !s.log.Enabled(c.Request.Context(), level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("request_id", c.GetString(ctxRequestID)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.Int64("request_bytes", reqBytes),
		slog.Int("response_bytes", respBytes),
	}
	if band := c.GetString(ctxBand); band != "" {
		attrs = append(attrs, slog.String("band", band))
	}
	if n := c.GetInt(ctxPostings); n > 0 {
		attrs = append(attrs, slog.Int("postings", n))
	}
	s.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
}

// recoverPanics turns a handler panic into a 500 with the request id; the
// process lives on.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.metrics.panicsRecovered.Inc()
			s.log.LogAttrs(c.Request.Context(), slog.LevelError, "handler panic",
				slog.String("request_id", c.GetString(ctxRequestID)), slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			if !c.Writer.Written() {
				s.fail(c, errorf(CodeInternal, "the server failed to handle the request; quote the request id when reporting it"))
			}
			c.Abort()
		}
	}()
	c.Next()
}

// fail answers with a problem document.
func (s *Server) fail(c *gin.Context, err error) {
	p := problemFor(err, c.GetString(ctxRequestID), c.Request.URL.Path)
	switch {
	case expected(err):
		c.Set(ctxExpected, true)
	case p.Status >= 500:
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "request failed", slog.String("request_id", p.RequestID),
			slog.String("error", err.Error()))
	}
	if p.Status == http.StatusMethodNotAllowed && c.Writer.Header().Get("Allow") == "" {
		c.Header("Allow", "GET, POST")
	}
	s.writeJSON(c, p.Status, problemContentTypeUTF8, p)
	c.Abort()
}

// writeJSON writes v without HTML escaping (results carry advert text).
// It encodes into a pooled buffer, whole, so that a failure can still be a
// 500; the writer copies the bytes, so the buffer goes back at once.
func (s *Server) writeJSON(c *gin.Context, status int, contentType string, v any) {
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	if err := buf.enc.Encode(v); err != nil {
		status, contentType = http.StatusInternalServerError, problemContentTypeUTF8
		buf.Reset()
		buf.WriteString(`{"type":"urn:lurescan:problem:internal","title":"Internal server error","status":500}` + "\n")
	}
	c.Header("Content-Type", contentType)
	c.Status(status)
	_, _ = c.Writer.Write(buf.Bytes())
}
