package features

import "testing"

func detect(d *LanguageDetector, s string) Language {
	n, _ := Normalize(s, nil)
	toks, st := Tokenize(n.Text, nil)
	return d.Detect(n.Text, toks, &st)
}

func TestDetectLanguage(t *testing.T) {
	d := NewLanguageDetector()
	tests := []struct {
		name, text, want string
	}{
		{"english", "We are hiring customer service staff to work in our Bangkok office with a good salary.", "en"},
		{"chinese simplified", "海外直招客服，月薪两万，包吃包住，机票报销，无需经验，联系微信。", "zh"},
		{"chinese traditional", "海外高薪職缺，月收10萬，包食宿，機票報銷，無須經驗，請聯繫我們。", "zh-Hant"},
		{"vietnamese", "Tuyển nhân viên chăm sóc khách hàng, lương cao, bao ăn ở, không cần bằng cấp.", "vi"},
		{"vietnamese without diacritics", "tuyen nhan vien cham soc khach hang luong cao cong viec nhe tai campuchia", "vi"},
		{"indonesian", "Dibutuhkan admin untuk perusahaan di Thailand, gaji tinggi dan tidak perlu pengalaman, bisa langsung kerja.", "id"},
		{"malay", "Jawatan kosong di syarikat kami, gaji lumayan, boleh mohon sekarang, pengalaman tidak diperlukan sahaja.", "ms"},
		{"tagalog", "Hiring po kami ng mga CSR para sa trabaho sa Bangkok, malaki ang sahod at libre ang tirahan.", "tl"},
		{"thai", "รับสมัครแอดมินออนไลน์ รายได้สูง มีที่พักและอาหาร ไม่ต้องมีประสบการณ์", "th"},
		{"korean", "해외 고수익 알바 모집, 숙식 제공, 비자 없이 출국 가능, 텔레그램 문의", "ko"},
		{"japanese", "海外で高収入のお仕事です。簡単な翻訳作業、寮完備、渡航費は会社が負担します。", "ja"},
		{"lao", "ຮັບສະໝັກພະນັກງານ ເງິນເດືອນສູງ", "lo"},
		{"khmer", "ជ្រើសរើសបុគ្គលិក ប្រាក់ខែខ្ពស់", "km"},
		{"burmese", "အလုပ်ခေါ်နေသည် လစာကောင်း", "my"},
		{"spanish", "Buscamos personal para trabajar en la empresa con experiencia en ventas y atención al cliente.", "es"},
		{"french", "Nous recherchons un agent pour travailler dans notre entreprise avec une expérience en vente.", "fr"},
		{"russian", "Работа за границей для молодых людей, опыт не нужен, компания оплачивает билеты.", "ru"},
		{"swedish", "Vi söker personal med erfarenhet och det är ett arbete som passar dig.", "sv"},
		{"norwegian", "Vi søker medarbeidere med erfaring og det er et arbeid for deg som ikke har jobb.", "no"},
		{"hungarian", "A cég munka tapasztalat nélkül is számára és nem csak egy hely.", "hu"},
		{"mixed chinese dominant", "客服 customer service 月薪两万 包吃包住 机票报销 联系微信", "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := detect(d, tt.text)
			if got.Code != tt.want {
				t.Errorf("Detect(%q) = %+v, want %s", tt.text, got, tt.want)
			}
			if got.Confidence <= 0 || got.Confidence > 1 {
				t.Errorf("confidence %v out of (0,1]", got.Confidence)
			}
		})
	}
}

func TestDetectLanguageDegradesGracefully(t *testing.T) {
	d := NewLanguageDetector()
	long := detect(d, "We are hiring customer service staff to work in our Bangkok office with a good salary and free housing for you.")
	tests := []struct {
		name, text string
		maxConf    float64
	}{
		{"empty", "", 0},
		{"only digits and symbols", "123 $$$ !!! 456", 0},
		{"one word", "hiring", long.Confidence},
		{"emoji only", "💰💰🛫", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := detect(d, tt.text)
			if got.Confidence > tt.maxConf {
				t.Errorf("Detect(%q) = %+v, want confidence <= %v", tt.text, got, tt.maxConf)
			}
			if tt.maxConf == 0 && got.Code != "und" {
				t.Errorf("Detect(%q) = %s, want und", tt.text, got.Code)
			}
		})
	}
	if short := detect(d, "hiring now"); short.Confidence >= long.Confidence {
		t.Errorf("two words (%v) should be less certain than a sentence (%v)", short.Confidence, long.Confidence)
	}
}
