package features

import (
	"strings"
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

// channelWords name messaging apps. A word marked strict ("line", "wa",
// "tg") counts only when an id, colon or handle follows it, because it is
// also an ordinary word.
var channelWords = []struct {
	word   string
	kind   ContactKind
	strict bool
}{
	{"telegram", ContactTelegram, false}, {"tele", ContactTelegram, true}, {"tg", ContactTelegram, true},
	{"whatsapp", ContactWhatsApp, false}, {"whatapp", ContactWhatsApp, false}, {"watsapp", ContactWhatsApp, false}, {"wa", ContactWhatsApp, true},
	{"wechat", ContactWeChat, false}, {"weixin", ContactWeChat, false}, {"vx", ContactWeChat, true}, {"wx", ContactWeChat, true},
	{"line", ContactLine, true}, {"zalo", ContactZalo, false}, {"qq", ContactQQ, true}, {"viber", ContactViber, false},
	{"signal", ContactSignal, true}, {"kakaotalk", ContactKakao, false}, {"kakao", ContactKakao, false},
	{"messenger", ContactFacebook, true}, {"facebook", ContactFacebook, true}, {"fb", ContactFacebook, true},
}

// cjkChannels name messaging apps in unspaced scripts.
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

var linkPrefixes = []struct {
	text string
	kind ContactKind
}{
	{"t.me/", ContactTelegram}, {"telegram.me/", ContactTelegram}, {"wa.me/", ContactWhatsApp}, {"chat.whatsapp.com/", ContactWhatsApp},
	{"line.me/", ContactLine}, {"lin.ee/", ContactLine}, {"zalo.me/", ContactZalo}, {"m.me/", ContactFacebook},
	{"facebook.com/", ContactFacebook}, {"fb.com/", ContactFacebook}, {"http://", ContactURL}, {"https://", ContactURL},
	{"www.", ContactURL}, {"#url_", ContactURL}, {"#email_", ContactEmail}, {"#phone_", ContactPhone},
}

var freeMail = []string{"gmail.", "yahoo.", "hotmail.", "outlook.", "qq.com", "163.com", "126.com", "ymail.", "aol.", "proton"}

// ReadContacts finds contact channels in the normalised text s with tokens toks.
func ReadContacts(s string, toks []Token, out []Contact) []Contact {
	// Channel names.
	for k, t := range toks {
		if t.Kind != KindWord {
			continue
		}
		w := t.Text(s)
		for _, cw := range channelWords {
			if w != cw.word {
				continue
			}
			if cw.strict && !handleFollows(s, int(t.End), toks, k) {
				break
			}
			out = append(out, Contact{Kind: cw.kind, Start: int(t.Start), End: int(t.End)})
			break
		}
	}
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
			out = append(out, Contact{Kind: c.kind, Start: at, End: from})
		}
	}
	// Links, handles, emails and phone numbers.
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '@':
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
			i = end - 1
		case c == '+' || ('0' <= c && c <= '9'):
			if i > 0 && (isHandleByte(s[i-1]) && s[i-1] != '_') && c != '+' {
				// digits inside a word or number: skip the run
				for i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9' {
					i++
				}
				continue
			}
			end, digits := i, 0
			for end < len(s) {
				d := s[end]
				if '0' <= d && d <= '9' {
					digits++
				} else if !(d == ' ' || d == '-' || d == '(' || d == ')' || d == '.' || (d == '+' && end == i)) {
					break
				}
				end++
			}
			for end > i && !('0' <= s[end-1] && s[end-1] <= '9') {
				end--
			}
			if digits >= 9 && digits <= 15 && !strings.ContainsAny(s[i:end], ".") {
				out = append(out, Contact{Kind: ContactPhone, Start: i, End: end})
			}
			if end > i {
				i = end - 1
			}
		default:
			for _, lp := range linkPrefixes {
				if c == lp.text[0] && strings.HasPrefix(s[i:], lp.text) {
					end := i + len(lp.text)
					for end < len(s) && s[end] > ' ' && s[end] < 0x80 {
						end++
					}
					out = append(out, Contact{Kind: lp.kind, Start: i, End: end, Handle: lp.kind.Messaging()})
					i = end - 1
					break
				}
			}
		}
	}
	return out
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
// "line: abc", "tg @abc", "wa 0812...".
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
		if w := next.Text(s); w == "id" {
			return true
		}
	}
	return false
}
