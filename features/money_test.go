package features

import (
	"math"
	"testing"
)

func readMoney(t *testing.T, r *MoneyReader, s, lang string) []Money {
	t.Helper()
	n, _ := Normalize(s, nil)
	toks, _ := Tokenize(n.Text, nil)
	return r.Read(n.Text, toks, lang, nil)
}

func TestReadMoney(t *testing.T) {
	r, err := NewMoneyReader()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, lang string
		currency         string
		min, max         float64
		period           Period
		stated           bool
		highPay          bool // NormRatio >= 2
	}{
		{"dollars per month", "Salary $1,000/month plus commission", "en", "USD", 1000, 1000, PeriodMonth, true, false},
		{"dollar range", "earn $1,500 - $2,000 per month", "en", "USD", 1500, 2000, PeriodMonth, true, false},
		{"us yearly salary assumed", "Salary: $120,000 - $150,000", "en", "USD", 120000, 150000, PeriodYear, false, false},
		{"usd in vietnamese advert is lavish", "Lương 1000 USD/tháng", "vi", "USD", 1000, 1000, PeriodMonth, true, true},
		{"yuan per day", "3000元日薪", "zh", "CNY", 3000, 3000, PeriodDay, true, true},
		{"chinese period before", "日薪3000元", "zh", "CNY", 3000, 3000, PeriodDay, true, true},
		{"wan range uses language currency", "月薪2-3万", "zh", "CNY", 20000, 30000, PeriodMonth, true, true},
		{"trieu", "lương 15 triệu", "vi", "VND", 15e6, 15e6, PeriodMonth, false, false},
		{"trieu range per month", "Lương 15-20 triệu/tháng", "vi", "VND", 15e6, 20e6, PeriodMonth, true, true},
		{"tr abbreviation", "luong 25tr/thang", "vi", "VND", 25e6, 25e6, PeriodMonth, true, true},
		{"peso with P", "P50,000 monthly", "en", "PHP", 50000, 50000, PeriodMonth, true, true},
		{"peso sign", "₱45,000 a month", "en", "PHP", 45000, 45000, PeriodMonth, true, true},
		{"ringgit", "RM3,000 per month", "ms", "MYR", 3000, 3000, PeriodMonth, true, false},
		{"ringgit lavish", "Gaji RM8,000 sebulan", "ms", "MYR", 8000, 8000, PeriodMonth, true, true},
		{"rupiah dots", "gaji Rp 18.000.000 per bulan", "id", "IDR", 18e6, 18e6, PeriodMonth, true, true},
		{"juta range", "gaji 15-20 juta", "id", "IDR", 15e6, 20e6, PeriodMonth, false, true},
		{"baht", "เงินเดือน 30,000 บาท", "th", "THB", 30000, 30000, PeriodMonth, true, true},
		{"won with man", "월 1000만원", "ko", "KRW", 1e7, 1e7, PeriodMonth, true, true},
		{"rupees lakh", "Rs 1.5 lakh per month", "en", "INR", 150000, 150000, PeriodMonth, true, true},
		{"k suffix", "earn 3k USD monthly", "en", "USD", 3000, 3000, PeriodMonth, true, false},
		{"hourly", "$15 per hour", "en", "USD", 15, 15, PeriodHour, true, false},
		{"full-width digits", "月薪３０００元", "zh", "CNY", 3000, 3000, PeriodMonth, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readMoney(t, r, tt.text, tt.lang)
			if len(got) != 1 {
				t.Fatalf("Read(%q) = %+v, want one amount", tt.text, got)
			}
			m := got[0]
			if m.Currency != tt.currency || !approx(m.Min, tt.min) || !approx(m.Max, tt.max) || m.Period != tt.period || m.PeriodStated != tt.stated {
				t.Errorf("Read(%q) = %s %v-%v/%s stated=%v; want %s %v-%v/%s stated=%v", tt.text,
					m.Currency, m.Min, m.Max, m.Period, m.PeriodStated, tt.currency, tt.min, tt.max, tt.period, tt.stated)
			}
			if (m.NormRatio >= 2) != tt.highPay {
				t.Errorf("Read(%q): norm ratio %.2f, want high pay %v", tt.text, m.NormRatio, tt.highPay)
			}
		})
	}
}

func TestReadMoneyIgnoresBareNumbers(t *testing.T) {
	r, err := NewMoneyReader()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2 years of experience", "call 0812 3456 7890", "年龄18-35岁", "founded in 2015", "ISO 9001 certified"} {
		if got := readMoney(t, r, s, "en"); len(got) != 0 {
			t.Errorf("Read(%q) = %+v, want none", s, got)
		}
	}
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestParseNumber(t *testing.T) {
	tests := map[string]float64{
		"1,000": 1000, "1.000.000": 1e6, "15,5": 15.5, "2.5": 2.5, "3000": 3000, "1,500.50": 1500.5, "๓๐": 30,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := parseNumber(in); !approx(got, want) {
				t.Errorf("parseNumber(%q) = %v, want %v", in, got, want)
			}
		})
	}
}
