package features

import (
	"reflect"
	"strings"
	"testing"
)

func readContacts(s string) []ContactKind {
	n, _ := Normalize(s, nil)
	toks, _ := Tokenize(n.Text, nil)
	var kinds []ContactKind
	for _, c := range ReadContacts(n.Text, toks, nil) {
		kinds = append(kinds, c.Kind)
	}
	return kinds
}

func TestReadContacts(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []ContactKind
	}{
		{"telegram handle", "DM on Telegram @hr_jessica88", []ContactKind{ContactTelegram, ContactHandle}},
		{"telegram link", "join t.me/jobs_th_2025 now", []ContactKind{ContactTelegram}},
		{"whatsapp number", "WhatsApp +66 555 123 4567", []ContactKind{ContactWhatsApp, ContactPhone}},
		{"wa.me link", "chat wa.me/6655512345", []ContactKind{ContactWhatsApp}},
		{"line id", "Line ID: jobthai88", []ContactKind{ContactLine}},
		{"line as ordinary word is not a contact", "front line staff in our product line", nil},
		{"zalo", "Liên hệ Zalo 0909 555 123", []ContactKind{ContactZalo, ContactPhone}},
		{"wechat in chinese", "联系微信 abc123", []ContactKind{ContactWeChat}},
		{"telegram slang in chinese", "加飞机 @abc_hr", []ContactKind{ContactTelegram, ContactHandle}},
		{"korean telegram", "텔레그램 문의", []ContactKind{ContactTelegram}},
		{"company email", "Send your CV to careers@acme-hotels.com", []ContactKind{ContactEmail}},
		{"free email", "email jobs.asia88@gmail.com", []ContactKind{ContactFreeEmail}},
		{"careers page", "Apply at https://careers.example.com/jobs/123", []ContactKind{ContactURL}},
		{"emscad tokens", "Visit #URL_abc# or call #PHONE_def#", []ContactKind{ContactURL, ContactPhone}},
		{"online is not the line app", "온라인 지원 / オンライン応募 / สมัครออนไลน์", nil},
		{"line app in thai", "ติดต่อไลน์ @job", []ContactKind{ContactLine, ContactHandle}},
		{"short numbers are not phones", "18-35 years, 2 years, 3000 USD", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readContacts(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadContacts(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestReadContactsPhones: salary ranges, amounts and years are not phone
// numbers; real phone numbers written in the usual ways still are.
func TestReadContactsPhones(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // phone spans in the normalised text
	}{
		// The review's reproductions.
		{"baht range with commas", "Salary 15,000 - 20,000 baht", nil},
		{"yuan range", "月薪8000-15000元", nil},
		{"thai range", "เงินเดือน 30,000 - 50,000 บาท", nil},
		{"bare range", "salary 12000-15000", nil},
		{"years", "2024 2025 2026", nil},
		// More amounts.
		{"k range", "salary 12000-15000k", nil},
		{"range per month", "pay 12000 - 15000/month", nil},
		{"rupiah before", "gaji Rp 4500 5000 6000", nil},
		{"juta after", "gaji 1500 2000 3000 juta", nil},
		{"year range", "contract 2025-2027 and 2028 2029", nil},
		// Must find.
		{"thai mobile intl", "call +66 81 234 5678", []string{"+66 81 234 5678"}},
		{"thai mobile dashes", "โทร 081-234-5678", []string{"081-234-5678"}},
		{"cambodia", "tel +855 12 345 678", []string{"+855 12 345 678"}},
		{"indonesia dashes", "hubungi 0812-3456-7890", []string{"0812-3456-7890"}},
		{"china", "电话 +86 138 0013 8000", []string{"+86 138 0013 8000"}},
		{"landline brackets", "office (02) 123 4567", []string{"02) 123 4567"}},
		{"two groups with trunk zero", "call 0812-34567890", []string{"0812-34567890"}},
		{"toll free", "call 1800-123456", []string{"1800-123456"}},
		{"phone then salary", "call 081-234-5678, salary 15,000 - 20,000 baht", []string{"081-234-5678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := Normalize(tt.text, nil)
			toks, _ := Tokenize(n.Text, nil)
			var got []string
			for _, c := range ReadContacts(n.Text, toks, nil) {
				if c.Kind == ContactPhone {
					got = append(got, n.Text[c.Start:c.End])
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadContacts(%q) phones = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestReadContactsAppIDs: a phone number in groups after an app's name and
// an id written without "@" ("Line ID: job_th99") are found; the id is a
// handle spanning the id.
func TestReadContactsAppIDs(t *testing.T) {
	type found struct {
		Kind   ContactKind
		Text   string
		Handle bool
	}
	tests := []struct {
		name string
		text string
		want []found
	}{
		// The review's reproductions.
		{"wa grouped dashes", "WA 0812-3456-7890", []found{{ContactWhatsApp, "wa", false}, {ContactPhone, "0812-3456-7890", false}}},
		{"wa grouped spaces", "Hubungi WA 0812 3456 7890", []found{{ContactWhatsApp, "wa", false}, {ContactPhone, "0812 3456 7890", false}}},
		{"line id", "Line ID: job_th99", []found{{ContactLine, "job_th99", true}}},
		{"telegram colon", "telegram: hr_thai99", []found{{ContactTelegram, "hr_thai99", true}}},
		{"wechat colon", "微信：abc12345", []found{{ContactWeChat, "abc12345", true}}},
		// More ids.
		{"wechat hao", "微信号：job_hr88", []found{{ContactWeChat, "job_hr88", true}}},
		{"line id letters only", "Line ID: jobthai", []found{{ContactLine, "jobthai", true}}},
		{"zalo bare id", "zalo tuyendung.hcm", []found{{ContactZalo, "tuyendung.hcm", true}}},
		{"thai line id", "ไลน์ไอดี: hr_job99", []found{{ContactLine, "hr_job99", true}}},
		{"line id sentence end", "Add Line ID: job_th99.", []found{{ContactLine, "job_th99", true}}},
		// Must keep.
		{"telegram at handle", "DM on Telegram @hr_jessica88", []found{{ContactTelegram, "telegram", false}, {ContactHandle, "@hr_jessica88", true}}},
		{"whatsapp intl", "WhatsApp +66 555 123 4567", []found{{ContactWhatsApp, "whatsapp", false}, {ContactPhone, "+66 555 123 4567", false}}},
		{"telegram group", "join our telegram group", []found{{ContactTelegram, "telegram", false}}},
		{"telegram colon word", "Telegram: available 24 hours", []found{{ContactTelegram, "telegram", false}}},
		{"whatsapp or", "WhatsApp atau Telegram", []found{{ContactWhatsApp, "whatsapp", false}, {ContactTelegram, "telegram", false}}},
		{"line word then id-like", "production line abc123", nil},
		{"wa word", "wa is short", nil},
		{"email after app", "line: jobs.asia88@gmail.com", []found{{ContactLine, "line", false}, {ContactFreeEmail, "jobs.asia88@gmail.com", false}}},
		{"vietnamese word after zalo", "liên hệ zalo nhé", []found{{ContactZalo, "zalo", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := Normalize(tt.text, nil)
			toks, _ := Tokenize(n.Text, nil)
			var got []found
			for _, c := range ReadContacts(n.Text, toks, nil) {
				got = append(got, found{c.Kind, n.Text[c.Start:c.End], c.Handle})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadContacts(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func BenchmarkReadContacts(b *testing.B) {
	s, toks := benchInput(b)
	var out []Contact
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = ReadContacts(s, toks, out[:0])
	}
}

// TestLinkAtMatchesEveryPrefix: linkAt, which compares only the prefixes
// with the text's first two bytes, finds what a plain scan of every link
// prefix finds, for each prefix, each prefix cut short by a byte, and
// lookalikes.
func TestLinkAtMatchesEveryPrefix(t *testing.T) {
	scan := func(s string, i int) (linkPrefix, bool) {
		for _, lp := range linkPrefixes {
			if strings.HasPrefix(s[i:], lp.text) {
				return lp, true
			}
		}
		return linkPrefix{}, false
	}
	texts := []string{"the", "t", "to", "www", "ww.", "http:/", "https:", "fb", "m", "#", "#url", "line", "lin.e", "telegram", "wa.m", "chat.whatsapp.co"}
	for _, lp := range linkPrefixes {
		texts = append(texts, lp.text, lp.text+"job99", lp.text[:len(lp.text)-1], strings.ToUpper(lp.text))
	}
	found := 0
	for _, text := range texts {
		for _, s := range []string{text, "x " + text} {
			i := strings.Index(s, text)
			got, ok := linkAt(s, i)
			want, wantOK := scan(s, i)
			if ok != wantOK || got != want {
				t.Errorf("linkAt(%q, %d) = %v %v, want %v %v", s, i, got, ok, want, wantOK)
			}
			if ok {
				found++
			}
		}
	}
	if found < 4*len(linkPrefixes) {
		t.Errorf("found %d links; every prefix, alone and followed by a handle, twice over, makes %d", found, 4*len(linkPrefixes))
	}
}
