package api

import (
	"context"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lurescan/lurescan/classifier"
)

// pageNoteKey keys the pageNote in a page request's context.
type pageNoteKey struct{}

// pageNote is what the page handler tells the API's request log about a
// page request: the band of the posting it scored, never the posting.
type pageNote struct {
	band string
}

// pageRequest wraps a request to the web page: its body is bounded like
// the API's and counted for the metrics, and the band of an answer the page
// renders is logged like the API's.
func (s *Server) pageRequest(c *gin.Context) {
	note := &pageNote{}
	r := c.Request
	body := &countingReader{r: http.MaxBytesReader(c.Writer, r.Body, s.cfg.MaxBodyBytes)}
	r = r.WithContext(context.WithValue(r.Context(), pageNoteKey{}, note))
	r.Body = body
	c.Request = r
	c.Next()
	c.Set(ctxRequestBytes, body.n)
	if note.band != "" {
		c.Set(ctxBand, note.band)
		c.Set(ctxPostings, 1)
	}
}

// RecordScored counts a posting that the web page scored itself in the
// metrics, and notes its band for the request log line. r is the page
// request; only the band and the indicator categories are kept.
func (s *Server) RecordScored(r *http.Request, res classifier.Result) {
	s.record(res)
	if note, ok := r.Context().Value(pageNoteKey{}).(*pageNote); ok {
		note.band = classifier.StatusInsufficientText
		if res.Band != nil {
			note.band = *res.Band
		}
	}
}

// noStore keeps answers that carry advert text out of caches.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReadCloser
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) Close() error { return c.r.Close() }
