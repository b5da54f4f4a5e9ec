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
