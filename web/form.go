package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/lurescan/lurescan/features"
)

// form is what the page's form sends.
type form struct {
	Lang    string
	Text    string
	Title   string
	Company string
	Contact string
}

// posting turns the form into a posting. Browsers send textarea line
// breaks as CRLF; they become LF, as the script sends them, so both paths
// score the same text.
func (f form) posting() features.Posting {
	return features.Posting{
		Text:    strings.ReplaceAll(f.Text, "\r\n", "\n"),
		Title:   strings.TrimSpace(f.Title),
		Company: strings.TrimSpace(f.Company),
		Contact: strings.TrimSpace(f.Contact),
	}
}

// formError is a form that cannot be scored: the status to answer with,
// the message shown and, for a field that is too long, the message that
// labels the field.
type formError struct {
	status int
	msg    string
	field  string
	err    error
}

func (e *formError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("form: %s: %v", e.msg, e.err)
	}
	return "form: " + e.msg
}

func (e *formError) Unwrap() error { return e.err }

// readForm reads a form-encoded body within the limits: the body within
// maxBody, each field within its limit, all of it valid UTF-8.
func readForm(w http.ResponseWriter, r *http.Request, maxBody int64, maxText, maxField int) (form, error) {
	var f form
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return f, &formError{status: http.StatusUnsupportedMediaType, msg: "error_bad_request", err: fmt.Errorf("content type %q", ct)}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return f, &formError{status: http.StatusUnsupportedMediaType, msg: "error_invalid_utf8", err: fmt.Errorf("charset %q", cs)}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return f, &formError{status: http.StatusRequestEntityTooLarge, msg: "error_too_large", err: err}
		}
		return f, &formError{status: http.StatusBadRequest, msg: "error_bad_request", err: err}
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return f, &formError{status: http.StatusBadRequest, msg: "error_bad_request", err: err}
	}
	fields := []struct {
		name  string
		dst   *string
		limit int
		label string
	}{
		{"lang", &f.Lang, 16, ""},
		{"text", &f.Text, maxText, "label_text"},
		{"title", &f.Title, maxField, "label_title"},
		{"company", &f.Company, maxField, "label_company"},
		{"contact", &f.Contact, maxField, "label_contact"},
	}
	for _, fd := range fields {
		v := values.Get(fd.name)
		switch {
		case !utf8.ValidString(v):
			return f, &formError{status: http.StatusUnprocessableEntity, msg: "error_invalid_utf8", err: fmt.Errorf("field %s: %w", fd.name, features.ErrInvalidUTF8)}
		case len(v) > fd.limit && fd.name == "lang":
			v = ""
		case len(v) > fd.limit:
			return f, &formError{status: http.StatusUnprocessableEntity, msg: "error_field_too_long", field: fd.label,
				err: fmt.Errorf("field %s has %d bytes, the limit is %d", fd.name, len(v), fd.limit)}
		}
		*fd.dst = v
	}
	return f, nil
}
