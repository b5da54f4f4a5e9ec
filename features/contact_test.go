package features

import (
	"reflect"
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
