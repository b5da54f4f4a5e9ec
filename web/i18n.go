package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

//go:embed i18n/*.json
var i18nFiles embed.FS

// uiLanguages are the interface languages, in the order the language switch
// lists them; the first is the fallback.
var uiLanguages = []struct {
	code string
	tag  language.Tag
}{
	{"en", language.English},
	{"zh", language.SimplifiedChinese},
	{"vi", language.Vietnamese},
	{"id", language.Indonesian},
	{"th", language.Thai},
}

// maxAcceptLanguage bounds the Accept-Language header that is parsed.
const maxAcceptLanguage = 512

// locale is the interface text of one language (i18n/<code>.json).
type locale struct {
	Code     string `json:"code"`
	HTMLLang string `json:"html_lang"`
	SelfName string `json:"self_name"`
	// Messages are the labels, verdicts and advice; {name} is a placeholder.
	Messages map[string]string `json:"messages"`
	// Languages names detected advert languages (BCP 47 codes).
	Languages map[string]string `json:"languages"`
}

// T returns message key with placeholders filled from name, value pairs.
// A missing key shows as MISSING(key), which the tests look for.
func (l *locale) T(key string, pairs ...string) string {
	s, ok := l.Messages[key]
	if !ok {
		return "MISSING(" + key + ")"
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}

// LanguageName names a detected language, or returns its code.
func (l *locale) LanguageName(code string) string {
	if n := l.Languages[code]; n != "" {
		return n
	}
	return code
}

// locales holds every interface language and picks one for a request.
type locales struct {
	byCode  map[string]*locale
	ordered []*locale
	matcher language.Matcher
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// loadLocales reads and checks the embedded translations: every language
// must have exactly the messages and placeholders English has.
func loadLocales() (*locales, error) {
	ls := &locales{byCode: map[string]*locale{}}
	tags := make([]language.Tag, 0, len(uiLanguages))
	for _, ui := range uiLanguages {
		data, err := i18nFiles.ReadFile("i18n/" + ui.code + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n %s: %w", ui.code, err)
		}
		l := &locale{}
		if err := json.Unmarshal(data, l); err != nil {
			return nil, fmt.Errorf("i18n %s: %w", ui.code, err)
		}
		if l.Code != ui.code || l.HTMLLang == "" || l.SelfName == "" {
			return nil, fmt.Errorf("i18n %s: code, html_lang and self_name must be set (code %q)", ui.code, l.Code)
		}
		ls.byCode[ui.code] = l
		ls.ordered = append(ls.ordered, l)
		tags = append(tags, ui.tag)
	}
	en := ls.ordered[0]
	for _, l := range ls.ordered[1:] {
		for key, want := range en.Messages {
			got, ok := l.Messages[key]
			switch {
			case !ok || strings.TrimSpace(got) == "":
				return nil, fmt.Errorf("i18n %s: message %q is missing", l.Code, key)
			case !slices.Equal(placeholders(got), placeholders(want)):
				return nil, fmt.Errorf("i18n %s: message %q has placeholders %v, English has %v", l.Code, key, placeholders(got), placeholders(want))
			}
		}
		for key := range l.Messages {
			if _, ok := en.Messages[key]; !ok {
				return nil, fmt.Errorf("i18n %s: message %q is not in English", l.Code, key)
			}
		}
		for code := range en.Languages {
			if l.Languages[code] == "" {
				return nil, fmt.Errorf("i18n %s: language name %q is missing", l.Code, code)
			}
		}
	}
	ls.matcher = language.NewMatcher(tags)
	return ls, nil
}

func placeholders(s string) []string {
	ps := placeholder.FindAllString(s, -1)
	slices.Sort(ps)
	return slices.Compact(ps)
}

// pick chooses the interface language: an explicit choice (the lang query
// or form value) first, then the browser's Accept-Language, then English.
func (ls *locales) pick(r *http.Request, explicit string) *locale {
	if l, ok := ls.byCode[explicit]; ok {
		return l
	}
	header := r.Header.Get("Accept-Language")
	if header == "" || len(header) > maxAcceptLanguage {
		return ls.ordered[0]
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return ls.ordered[0]
	}
	_, i, conf := ls.matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(ls.ordered) {
		return ls.ordered[0]
	}
	return ls.ordered[i]
}
