package web

// pageData is what the page template renders.
type pageData struct {
	L     *locale
	Langs []langLink
	Form  form
	// Result is the server-rendered answer to a form submission.
	Result *resultView
	// Skeleton is an empty result section the script fills in.
	Skeleton *resultView
	// Error is a message shown instead of an answer; RequestID goes with
	// server failures.
	Error     string
	RequestID string
	// Client is what the script needs that the skeleton does not carry.
	Client         clientData
	TextMaxLength  int
	FieldMaxLength int
}

// langLink is an entry of the language switch.
type langLink struct {
	Code, Name, HTMLLang string
	Current              bool
}

// clientData is given to the script as JSON: the interface text and the
// names of indicator categories in the page's language.
type clientData struct {
	Lang      string            `json:"lang"`
	Messages  map[string]string `json:"messages"`
	Languages map[string]string `json:"languages"`
	// Categories maps category ids to names.
	Categories map[string]string `json:"categories"`
	// Indicators maps indicator ids to category ids.
	Indicators map[string]string `json:"indicators"`
}

func (p *page) newPageData(l *locale, f form) *pageData {
	d := &pageData{L: l, Form: f, TextMaxLength: textMaxLength, FieldMaxLength: fieldMaxLength}
	for _, o := range p.locales.ordered {
		d.Langs = append(d.Langs, langLink{Code: o.Code, Name: o.SelfName, HTMLLang: o.HTMLLang, Current: o == l})
	}
	cat := p.current().Model().Catalog()
	d.Client = clientData{
		Lang: l.Code, Messages: l.Messages, Languages: l.Languages,
		Categories: map[string]string{}, Indicators: map[string]string{},
	}
	for _, c := range cat.Categories {
		d.Client.Categories[c.ID] = categoryName(l, cat, c.ID)
	}
	for _, ind := range cat.Indicators {
		d.Client.Indicators[ind.ID] = ind.Category
	}
	d.Skeleton = &resultView{L: l, Skeleton: true, Band: bandInsufficient, Hotline: p.hotline(l)}
	return d
}
