package features

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// ContactKind is a channel an advert asks applicants to use.
type ContactKind string

// Contact channels. Messaging apps are what lure recruiters use; a company
// email domain or careers page is what employers use.
const (
	ContactTelegram  ContactKind = "telegram"
	ContactWhatsApp  ContactKind = "whatsapp"
	ContactWeChat    ContactKind = "wechat"
	ContactLine      ContactKind = "line"
	ContactZalo      ContactKind = "zalo"
	ContactQQ        ContactKind = "qq"
	ContactViber     ContactKind = "viber"
	ContactSignal    ContactKind = "signal"
	ContactKakao     ContactKind = "kakaotalk"
	ContactFacebook  ContactKind = "facebook"
	ContactHandle    ContactKind = "handle" // @name with no channel named
	ContactPhone     ContactKind = "phone"
	ContactEmail     ContactKind = "email"
	ContactFreeEmail ContactKind = "email_free" // gmail, yahoo, qq.com ...
	ContactURL       ContactKind = "url"
)

// Messaging reports whether the channel is a chat app or a bare handle.
func (k ContactKind) Messaging() bool {
	switch k {
	case ContactPhone, ContactEmail, ContactFreeEmail, ContactURL:
		return false
	}
	return true
}

// Contact is one contact channel found in normalised text.
type Contact struct {
	Kind       ContactKind
	Start, End int
	// Handle is set for a personal handle or chat-app link (@name, t.me/...,
	// wa.me/...), as opposed to the mere name of an app.
	Handle bool
}

// channelWord tells whether w names a messaging app. A strict word ("line",
// "wa", "tg") counts only when an id, colon or handle follows it, because
// it is also an ordinary word.
func channelWord(w string) (kind ContactKind, strict, ok bool) {
	switch w {
	case "telegram":
		return ContactTelegram, false, true
	case "tele", "tg":
		return ContactTelegram, true, true
	case "whatsapp", "whatapp", "watsapp":
		return ContactWhatsApp, false, true
	case "wa":
		return ContactWhatsApp, true, true
	case "wechat", "weixin":
		return ContactWeChat, false, true
	case "vx", "wx":
		return ContactWeChat, true, true
	case "line":
		return ContactLine, true, true
	case "zalo":
		return ContactZalo, false, true
	case "qq":
		return ContactQQ, true, true
	case "viber":
		return ContactViber, false, true
	case "signal":
		return ContactSignal, true, true
	case "kakaotalk", "kakao":
		return ContactKakao, false, true
	case "messenger", "facebook", "fb":
		return ContactFacebook, true, true
	}
	return "", false, false
}

// notAfter lists text that, just before a match, makes it part of another
// word: 온라인, オンライン and ออนไลน์ all mean "online", not the Line app.
var cjkChannels = []struct {
	text     string
	kind     ContactKind
	notAfter []string
}{
	{"微信", ContactWeChat, nil}, {"威信", ContactWeChat, nil}, {"飞机", ContactTelegram, nil}, {"飛機", ContactTelegram, nil},
	{"电报", ContactTelegram, nil}, {"電報", ContactTelegram, nil}, {"텔레그램", ContactTelegram, nil}, {"카톡", ContactKakao, nil},
	{"카카오톡", ContactKakao, nil}, {"라인", ContactLine, []string{"온", "생산", "가이드", "데드", "헤드", "파이프"}}, {"왓츠앱", ContactWhatsApp, nil},
	{"テレグラム", ContactTelegram, nil}, {"ライン", ContactLine, []string{"オン", "ガイド", "デッド", "ヘッド", "パイプ", "ロード", "フロント"}},
	{"เทเลแกรม", ContactTelegram, nil}, {"ไลน์", ContactLine, []string{"ออน", "ออฟ"}}, {"วอทส์แอป", ContactWhatsApp, nil},
}

type linkPrefix struct {
	text string
	kind ContactKind
}

var linkPrefixes = []linkPrefix{
	{"t.me/", ContactTelegram}, {"telegram.me/", ContactTelegram}, {"wa.me/", ContactWhatsApp}, {"chat.whatsapp.com/", ContactWhatsApp},
	{"line.me/", ContactLine}, {"lin.ee/", ContactLine}, {"zalo.me/", ContactZalo}, {"m.me/", ContactFacebook},
	{"facebook.com/", ContactFacebook}, {"fb.com/", ContactFacebook}, {"http://", ContactURL}, {"https://", ContactURL},
	{"www.", ContactURL}, {"#url_", ContactURL}, {"#email_", ContactEmail}, {"#phone_", ContactPhone},
}

var freeMail = []string{"gmail.", "yahoo.", "hotmail.", "outlook.", "qq.com", "163.com", "126.com", "ymail.", "aol.", "proton"}

// ReadContacts finds contact channels in the normalised text s with tokens toks.
func ReadContacts(s string, toks []Token, out []Contact) []Contact {
	unspaced := false
	linkEnd := 0
	var links [][2]int
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if int(t.Start) < linkEnd {
			continue // inside a link
		}
		switch t.Kind {
		case KindChar:
			unspaced = true
		case KindWord:
			// A link starts at a word (or at EMSCAD's "#" tokens).
			i := int(t.Start)
			if i > 0 && s[i-1] == '#' {
				i--
			}
			if lp, ok := linkAt(s, i); ok {
				end := i + len(lp.text)
				for end < len(s) && s[end] > ' ' && s[end] < 0x80 {
					end++
				}
				out = append(out, Contact{Kind: lp.kind, Start: i, End: end, Handle: lp.kind.Messaging()})
				links = append(links, [2]int{i, end})
				linkEnd = end
				continue
			}
			kind, strict, ok := channelWord(t.Text(s))
			if ok && (!strict || handleFollows(s, int(t.End), toks, k)) {
				// "Line ID: job_th99", "telegram: hr_thai99": the id is
				// the handle.
				if i, end, ok := idAfter(s, int(t.End), strict); ok {
					out = append(out, Contact{Kind: kind, Start: i, End: end, Handle: true})
					linkEnd = end
					continue
				}
				out = append(out, Contact{Kind: kind, Start: int(t.Start), End: int(t.End)})
			}
		case KindNumber:
			if start, end, last, ok := phoneAt(s, toks, k); ok {
				out = append(out, Contact{Kind: ContactPhone, Start: start, End: end})
				k = last
			} else {
				k = last
			}
		}
	}
	if unspaced {
		for _, c := range cjkChannels {
			for from := 0; ; {
				i := strings.Index(s[from:], c.text)
				if i < 0 {
					break
				}
				at := from + i
				from = at + len(c.text)
				if hasSuffixAny(s[:at], c.notAfter) {
					continue
				}
				if i, end, ok := idAfter(s, from, false); ok {
					out = append(out, Contact{Kind: c.kind, Start: i, End: end, Handle: true})
					continue
				}
				out = append(out, Contact{Kind: c.kind, Start: at, End: from})
			}
		}
	}
	// Handles and emails: around each "@" outside links.
	for from := 0; ; {
		j := strings.IndexByte(s[from:], '@')
		if j < 0 {
			break
		}
		i := from + j
		from = i + 1
		if inSpans(links, i) {
			continue
		}
		end := i + 1
		for end < len(s) && isHandleByte(s[end]) {
			end++
		}
		start := i
		for start > 0 && isHandleByte(s[start-1]) {
			start--
		}
		switch {
		case start < i && strings.Contains(s[i:end], "."):
			kind := ContactEmail
			for _, fm := range freeMail {
				if strings.HasPrefix(s[i+1:end], fm) {
					kind = ContactFreeEmail
				}
			}
			out = append(out, Contact{Kind: kind, Start: start, End: end})
		case start == i && end-i > 3:
			out = append(out, Contact{Kind: ContactHandle, Start: i, End: end, Handle: true})
		}
		from = max(from, end)
	}
	return out
}

// linkAt returns the link prefix starting at s[i:], if any. It is asked
// at every word: only the prefixes with the word's first two bytes are
// compared whole.
func linkAt(s string, i int) (linkPrefix, bool) {
	for _, lp := range linkPrefixStarts[s[i]] {
		if len(s)-i >= len(lp.text) && s[i+1] == lp.text[1] && s[i:i+len(lp.text)] == lp.text {
			return lp, true
		}
	}
	return linkPrefix{}, false
}

// linkPrefixStarts[c] holds the linkPrefixes starting with byte c, in
// their order.
var linkPrefixStarts = func() (starts [256][]linkPrefix) {
	for _, lp := range linkPrefixes {
		starts[lp.text[0]] = append(starts[lp.text[0]], lp)
	}
	return starts
}()

func inSpans(spans [][2]int, i int) bool {
	for _, sp := range spans {
		if sp[0] <= i && i < sp[1] {
			return true
		}
	}
	return false
}

// phoneAt reads a phone number starting at number token k: a run of
// number tokens joined by spaces, dashes, dots or brackets, with 9 to 15
// digits, not glued to a word, and not a list of amounts or years. last is
// the last token of the run (k when there is none).
func phoneAt(s string, toks []Token, k int) (start, end, last int, ok bool) {
	t := toks[k]
	if t.Start > 0 && isHandleByte(s[t.Start-1]) && s[t.Start-1] != '.' && s[t.Start-1] != '-' {
		return 0, 0, k, false
	}
	start, end = int(t.Start), int(t.End)
	if start > 0 && s[start-1] == '+' {
		start--
	}
	digits, hasDot := countDigits(t.Text(s))
	last = k
	for n := k + 1; n < len(toks) && toks[n].Kind == KindNumber; n++ {
		if !phoneGap(s[toks[n-1].End:toks[n].Start]) {
			break
		}
		d, dot := countDigits(toks[n].Text(s))
		digits += d
		hasDot = hasDot || dot
		end, last = int(toks[n].End), n
	}
	if digits < 9 || digits > 15 || hasDot || notPhone(s, toks, k, last, start, end) {
		return 0, 0, last, false
	}
	return start, end, last, true
}

// moneyLexicon is the money reader whose lexicon tells amounts from phone
// numbers.
var moneyLexicon = sync.OnceValue(func() *MoneyReader {
	r, err := NewMoneyReader()
	if err != nil {
		return nil
	}
	return r
})

// notPhone reports whether the number run toks[k..last] (bytes start..end)
// is amounts or years rather than a phone number: "15,000 - 20,000 baht",
// "8000-15000元", "12000-15000", "2024 2025 2026".
func notPhone(s string, toks []Token, k, last, start, end int) bool {
	years := last > k
	for n := k; n <= last; n++ {
		w := toks[n].Text(s)
		if strings.IndexByte(w, ',') >= 0 {
			return true // thousands separators
		}
		if len(w) != 4 || !(strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
			years = false
		}
	}
	if years {
		return true
	}
	// Two numbers joined by a dash, neither with a trunk 0, of about the
	// same length and rising: a range.
	if last == k+1 && s[start] != '+' && s[start] != '0' && strings.IndexByte(s[toks[k].End:toks[last].Start], '-') >= 0 {
		a, b := toks[k].Text(s), toks[last].Text(s)
		if d := len(a) - len(b); d >= -1 && d <= 1 && parseNumber(b) > parseNumber(a) {
			return true
		}
	}
	// A currency, multiplier or pay period next to it.
	r := moneyLexicon()
	if r == nil {
		return false
	}
	// (A one-letter alias, p or u, counts only glued on: "P500".)
	i := skipSpace(s, end)
	if e, _, ok := r.lexAt(s, i, lexCurrency, lexSymbol, lexMultiplier); ok && (len(e.text) > 1 || i == end) {
		return true
	}
	if i < len(s) && s[i] == '/' {
		if _, _, ok := r.lexAt(s, skipSpace(s, i+1), lexPeriod); ok {
			return true
		}
	}
	j := skipSpaceBack(s, start)
	e, _, ok := r.lexBefore(s, j, lexCurrency, lexSymbol)
	return ok && (len(e.text) > 1 || j == start)
}

// countDigits counts the digits of a number token and whether it has a dot.
func countDigits(s string) (int, bool) {
	n, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			n++
		case s[i] == '.':
			dot = true
		}
	}
	return n, dot
}

// phoneGap reports whether the text between two number tokens can sit
// inside a phone number.
func phoneGap(g string) bool {
	if len(g) == 0 || len(g) > 3 {
		return false
	}
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case ' ', '-', '(', ')', '.':
		default:
			return false
		}
	}
	return true
}

func hasSuffixAny(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func isHandleByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
}

// handleFollows reports whether an id follows a channel word: "line id",
// "line: abc", "tg @abc", "wa 0812...", "WA 0812-3456-7890".
func handleFollows(s string, end int, toks []Token, k int) bool {
	j := skipSpace(s, end)
	if j < len(s) && (s[j] == ':' || s[j] == '@' || s[j] == '+' || s[j] == '/' || s[j] == '-') {
		return true
	}
	if k+1 < len(toks) {
		next := toks[k+1]
		if next.Kind == KindNumber && next.End-next.Start >= 6 {
			return true
		}
		if next.Kind == KindNumber && int(next.Start) == j {
			if _, _, _, ok := phoneAt(s, toks, k+1); ok {
				return true
			}
		}
		if w := next.Text(s); w == "id" {
			return true
		}
	}
	return false
}

// idWords may stand between an app's name and the id: "Line ID: abc",
// "微信号：abc", "ไลน์ไอดี abc", "카톡 아이디 abc".
var idWords = []string{"id", "号码", "号", "號", "ไอดี", "아이디"}

// notIDs are ordinary words that follow an app's name and a colon.
var notIDs = map[string]bool{
	"only": true, "group": true, "groups": true, "channel": true, "chat": true, "contact": true, "number": true,
	"call": true, "message": true, "messages": true, "now": true, "please": true, "and": true, "the": true,
	"for": true, "with": true, "apply": true, "available": true, "official": true, "account": true,
	"link": true, "below": true, "here": true, "admin": true, "support": true, "same": true, "hubungi": true,
	"liên": true, "lien": true, "kami": true, "saja": true, "ready": true, "send": true, "text": true,
}

// idAfter finds an app id written after an app's name ending at byte end:
// "[ID][:] token", where token is 4 to 32 letters, digits, _ . or - with a
// letter in it. A token of letters only is an id only after "ID" or a colon
// and when it is not an ordinary word; after a word that is also an
// ordinary word (strict: line, wa) the "ID" or colon is required.
func idAfter(s string, end int, strict bool) (int, int, bool) {
	j := skipSpace(s, end)
	marked := false
	for _, w := range idWords {
		if strings.HasPrefix(s[j:], w) {
			k := j + len(w)
			if w == "id" && k < len(s) && isHandleByte(s[k]) {
				break // "idol", "id_abc"
			}
			j, marked = skipSpace(s, k), true
			break
		}
	}
	if j < len(s) && (s[j] == ':' || s[j] == '=') {
		j, marked = skipSpace(s, j+1), true
	}
	if strict && !marked {
		return 0, 0, false
	}
	e := j
	for e < len(s) && isHandleByte(s[e]) && e-j <= 32 {
		e++
	}
	for e > j && (s[e-1] == '.' || s[e-1] == '-') {
		e-- // the end of a sentence
	}
	if e-j < 4 || e-j > 32 {
		return 0, 0, false
	}
	if e < len(s) {
		if s[e] == '@' {
			return 0, 0, false // an email address
		}
		if r, _ := utf8.DecodeRuneInString(s[e:]); isLatinLetter(r) {
			return 0, 0, false // a word with accents: "zalo nhé"
		}
	}
	tok := s[j:e]
	letters, other := false, false
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case 'a' <= c && c <= 'z':
			letters = true
		default:
			other = true
		}
	}
	if !letters {
		return 0, 0, false // a number: a phone number, read as such
	}
	if !other && (!marked || notIDs[tok]) {
		return 0, 0, false
	}
	return j, e, true
}
