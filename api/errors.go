package api

import (
	"errors"
	"fmt"
	"net/http"
)

// Code names a kind of failure. Each maps to one HTTP status and title here,
// in one place; handlers return errors carrying a code and a detail a
// developer can act on.
type Code string

// Failure codes.
const (
	CodeBadRequest             Code = "bad-request"
	CodeMalformedJSON          Code = "malformed-json"
	CodeUnsupportedType        Code = "unsupported-media-type"
	CodeTooLarge               Code = "body-too-large"
	CodeUnprocessable          Code = "unprocessable"
	CodeInvalidUTF8            Code = "invalid-utf8"
	CodeEmptyPosting           Code = "empty-posting"
	CodeTooManyPostings        Code = "too-many-postings"
	CodeNotFound               Code = "not-found"
	CodeMethodNotAllowed       Code = "method-not-allowed"
	CodeUnauthorized           Code = "unauthorized"
	CodeNotReady               Code = "not-ready"
	CodeReloadFailed           Code = "reload-failed"
	CodeNoModelFile            Code = "no-model-file"
	CodeInternal               Code = "internal"
	CodeRequestTimeout         Code = "request-timeout"
	problemTypeBase                 = "urn:lurescan:problem:"
	problemContentType              = "application/problem+json"
	problemContentTypeUTF8          = problemContentType + "; charset=utf-8"
	defaultProblemTitleUnknown      = "Error"
)

var problems = map[Code]struct {
	status int
	title  string
}{
	CodeBadRequest:       {http.StatusBadRequest, "Bad request"},
	CodeMalformedJSON:    {http.StatusBadRequest, "Malformed JSON"},
	CodeUnsupportedType:  {http.StatusUnsupportedMediaType, "Unsupported media type"},
	CodeTooLarge:         {http.StatusRequestEntityTooLarge, "Request body too large"},
	CodeUnprocessable:    {http.StatusUnprocessableEntity, "Unprocessable request"},
	CodeInvalidUTF8:      {http.StatusUnprocessableEntity, "Invalid UTF-8"},
	CodeEmptyPosting:     {http.StatusUnprocessableEntity, "Empty posting"},
	CodeTooManyPostings:  {http.StatusUnprocessableEntity, "Too many postings"},
	CodeNotFound:         {http.StatusNotFound, "Not found"},
	CodeMethodNotAllowed: {http.StatusMethodNotAllowed, "Method not allowed"},
	CodeUnauthorized:     {http.StatusUnauthorized, "Unauthorized"},
	CodeNotReady:         {http.StatusServiceUnavailable, "Not ready"},
	CodeReloadFailed:     {http.StatusUnprocessableEntity, "Model reload failed"},
	CodeNoModelFile:      {http.StatusConflict, "No model file configured"},
	CodeInternal:         {http.StatusInternalServerError, "Internal server error"},
	CodeRequestTimeout:   {http.StatusRequestTimeout, "Request timeout"},
}

// Error is a failure with a code and a detail for the client.
type Error struct {
	Code   Code
	Detail string
	Err    error // the cause, for logs and errors.Is
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Detail, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Detail)
}

func (e *Error) Unwrap() error { return e.Err }

// errorf builds an Error.
func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// expected reports whether err is a failure of normal operation, not
// worth an error log line although its status is 5xx: not ready (starting
// or shutting down).
func expected(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeNotReady
}

// Status returns the HTTP status of a code.
func (c Code) Status() int {
	if p, ok := problems[c]; ok {
		return p.status
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// problemFor turns any error into a problem document; errors without a
// code are internal and their text is not shown.
func problemFor(err error, requestID, instance string) Problem {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: CodeInternal, Detail: "the server failed to handle the request; quote the request id when reporting it"}
	}
	p, ok := problems[e.Code]
	if !ok {
		p.status, p.title = http.StatusInternalServerError, defaultProblemTitleUnknown
	}
	return Problem{Type: problemTypeBase + string(e.Code), Title: p.title, Status: p.status, Detail: e.Detail, Instance: instance, RequestID: requestID}
}
