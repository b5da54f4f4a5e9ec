package features

import (
	"math"
	"strings"
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

// moneyWant is one expected reading; a zero-valued field is not checked
// except currency, which always is.
type moneyWant struct {
	currency string
	min, max float64
	period   Period
	stated   bool
}

func checkMoney(t *testing.T, r *MoneyReader, text, lang string, want []moneyWant) []Money {
	t.Helper()
	got := readMoney(t, r, text, lang)
	if len(got) != len(want) {
		t.Fatalf("Read(%q) = %+v, want %d amounts %+v", text, got, len(want), want)
	}
	for i, w := range want {
		m := got[i]
		if m.Currency != w.currency || !approx(m.Min, w.min) || !approx(m.Max, w.max) || m.Period != w.period || m.PeriodStated != w.stated {
			t.Errorf("Read(%q)[%d] = %s %v-%v/%s stated=%v; want %s %v-%v/%s stated=%v", text, i,
				m.Currency, m.Min, m.Max, m.Period, m.PeriodStated, w.currency, w.min, w.max, w.period, w.stated)
		}
	}
	return got
}

// TestReadMoneyPeriodBefore: a pay period written before the amount
// ("daily salary 2000 baht", "วันละ 1,000 บาท") is the amount's period; it
// used to be ignored and daily pay read as monthly (low instead of high).
func TestReadMoneyPeriodBefore(t *testing.T) {
	r, err := NewMoneyReader()
	if err != nil {
		t.Fatal(err)
	}
	day := func(cur string, v float64) []moneyWant { return []moneyWant{{cur, v, v, PeriodDay, true}} }
	tests := []struct {
		name, text, lang string
		want             []moneyWant
		minRatio         float64 // NormRatio must be at least this (0: unchecked)
	}{
		// The review's reproductions.
		{"daily salary", "Daily salary 2000 baht", "en", day("THB", 2000), 3},
		{"salary per day colon", "Salary per day: 1,500 baht", "en", day("THB", 1500), 2.5},
		{"thai wan la after income", "รายได้วันละ 2,000 บาท ที่พักฟรี", "th", day("THB", 2000), 3},
		{"thai wan la", "วันละ 1,000 บาท", "th", day("THB", 1000), 1.7},
		// Other languages and wordings.
		{"thai month la", "เดือนละ 20,000 บาท", "th", []moneyWant{{"THB", 20000, 20000, PeriodMonth, true}}, 0},
		{"thai daily wage", "ค่าแรงรายวัน 500 บาท", "th", day("THB", 500), 0},
		{"thai per hour", "ชั่วโมงละ 200 บาท", "th", []moneyWant{{"THB", 200, 200, PeriodHour, true}}, 0},
		{"monthly salary currency before", "Monthly salary: THB 25,000", "en", []moneyWant{{"THB", 25000, 25000, PeriodMonth, true}}, 0},
		{"hourly rate", "Hourly rate $15", "en", []moneyWant{{"USD", 15, 15, PeriodHour, true}}, 0},
		{"weekly pay", "Weekly pay 5000 pesos", "en", []moneyWant{{"PHP", 5000, 5000, PeriodWeek, true}}, 0},
		{"per day before dollars", "pay per day $100", "en", day("USD", 100), 0},
		{"vietnamese luong ngay", "lương ngày 500k", "vi", day("VND", 500000), 0},
		{"vietnamese theo ngay", "Lương theo ngày 400.000đ", "vi", day("VND", 400000), 0},
		{"vietnamese moi ngay", "mỗi ngày 1 triệu", "vi", day("VND", 1e6), 0},
		{"indonesian harian", "gaji harian Rp 150.000", "id", day("IDR", 150000), 0},
		{"indonesian per hari", "gaji per hari Rp 150.000", "id", day("IDR", 150000), 0},
		{"tagalog kada araw before", "sahod kada araw P500", "tl", day("PHP", 500), 0},
		{"tagalog kada araw after", "P500 kada araw", "tl", day("PHP", 500), 0},
		{"chinese hourly", "时薪50元", "zh", []moneyWant{{"CNY", 50, 50, PeriodHour, true}}, 0},
		{"chinese every day", "每天300元", "zh", day("CNY", 300), 0},
		{"korean daily", "일당 15만원", "ko", day("KRW", 150000), 0},
		{"korean weekly", "주급 50만원", "ko", []moneyWant{{"KRW", 500000, 500000, PeriodWeek, true}}, 0},
		// Must keep.
		{"dollars slash month", "Salary $2,000/month", "en", []moneyWant{{"USD", 2000, 2000, PeriodMonth, true}}, 0},
		{"baht sign under thai salary", "เงินเดือน ฿30,000", "th", []moneyWant{{"THB", 30000, 30000, PeriodMonth, true}}, 0},
		{"k range", "Salary 30k-50k baht", "en", []moneyWant{{"THB", 30000, 50000, PeriodMonth, false}}, 0},
		{"vnd dots", "Lương 1.500.000 VND", "vi", []moneyWant{{"VND", 1.5e6, 1.5e6, PeriodMonth, false}}, 0},
		{"usd before per month", "Salary USD 1,500/month", "en", []moneyWant{{"USD", 1500, 1500, PeriodMonth, true}}, 0},
		{"yuan range", "月薪8000-15000元", "zh", []moneyWant{{"CNY", 8000, 15000, PeriodMonth, true}}, 0},
		{"peso sign", "Salary ₱25,000", "en", []moneyWant{{"PHP", 25000, 25000, PeriodMonth, false}}, 0},
		{"days worked are not the period", "Work 6 days, salary 20000 baht", "en", []moneyWant{{"THB", 20000, 20000, PeriodMonth, false}}, 0},
		{"period after wins", "Work 8 hours per day 3000 baht per month", "en", []moneyWant{{"THB", 3000, 3000, PeriodMonth, true}}, 0},
		{"thirteenth month is not an amount", "thưởng lương tháng 13, lương 10 triệu", "vi", []moneyWant{{"VND", 1e7, 1e7, PeriodMonth, false}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkMoney(t, r, tt.text, tt.lang, tt.want)
			if tt.minRatio > 0 && got[0].NormRatio < tt.minRatio {
				t.Errorf("Read(%q): norm ratio %.2f, want at least %.2f", tt.text, got[0].NormRatio, tt.minRatio)
			}
		})
	}
}

// TestReadMoneyDurationsAreNotPay: working hours and days off with no
// currency ("工作12小时", "libur 4hari/bulan") are not pay in the language's
// currency; a pay word, a currency or a multiplier must be there.
func TestReadMoneyDurationsAreNotPay(t *testing.T) {
	r, err := NewMoneyReader()
	if err != nil {
		t.Fatal(err)
	}
	month := func(cur string, lo, hi float64) []moneyWant { return []moneyWant{{cur, lo, hi, PeriodMonth, true}} }
	tests := []struct {
		name, text, lang string
		want             []moneyWant
	}{
		// The review's reproductions.
		{"chinese hours and days off", "每天工作12小时，月休4天，月薪8000元", "zh", month("CNY", 8000, 8000)},
		{"chinese working time", "工作时间8小时", "zh", nil},
		{"indonesian hours and days off", "Kerja 12jam/hari, libur 4hari/bulan", "id", nil},
		{"thai days off", "หยุด 4วัน/เดือน", "th", nil},
		// More durations.
		{"chinese days worked", "做6天 8000元", "zh", []moneyWant{{"CNY", 8000, 8000, PeriodMonth, false}}},
		{"vietnamese hours", "làm việc 8 giờ/ngày", "vi", nil},
		{"tagalog hours", "trabaho 8 oras kada araw", "tl", nil},
		{"thai hours after salary", "เงินเดือน 15000 ทำงาน 8 ชั่วโมง", "th", month("THB", 15000, 15000)},
		// Must keep: a pay word, currency or multiplier makes it pay.
		{"vietnamese pay word", "lương 8000000/tháng", "vi", month("VND", 8e6, 8e6)},
		{"vietnamese pay word range", "lương 8000000-10000000/tháng", "vi", month("VND", 8e6, 1e7)},
		{"chinese pay period before", "日薪300", "zh", []moneyWant{{"CNY", 300, 300, PeriodDay, true}}},
		{"chinese pay period after", "300日薪", "zh", []moneyWant{{"CNY", 300, 300, PeriodDay, true}}},
		{"chinese wan", "月薪2-3万", "zh", month("CNY", 20000, 30000)},
		{"indonesian pay word", "gaji 150.000/hari", "id", []moneyWant{{"IDR", 150000, 150000, PeriodDay, true}}},
		{"thai wage word", "ค่าแรง 400/วัน", "th", []moneyWant{{"THB", 400, 400, PeriodDay, true}}},
		{"japanese hourly", "時給1200", "ja", []moneyWant{{"JPY", 1200, 1200, PeriodHour, true}}},
		{"tagalog pay word", "sahod 500 kada araw", "tl", []moneyWant{{"PHP", 500, 500, PeriodDay, true}}},
		{"currency given", "每天12小时 300元/天", "zh", []moneyWant{{"CNY", 300, 300, PeriodDay, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMoney(t, r, tt.text, tt.lang, tt.want) })
	}
}

// TestReadMoneyOneLetterAliases: "p" (peso) and "u" (USDT) count only when
// glued to the number; "6 p.m." was read as 6 pesos.
func TestReadMoneyOneLetterAliases(t *testing.T) {
	r, err := NewMoneyReader()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, lang string
		want             []moneyWant
	}{
		{"time of day", "Working hours 9 a.m. to 6 p.m.", "en", nil},
		{"time of day glued", "Working hours 9a.m. to 6p.m.", "en", nil},
		{"pm", "shift 6 pm to 2 am", "en", nil},
		{"letter after space", "page 5 p 3", "en", nil},
		{"top five", "Top 5 positions", "en", nil},
		// Must keep.
		{"peso letter glued", "P50,000 monthly", "en", []moneyWant{{"PHP", 50000, 50000, PeriodMonth, true}}},
		{"peso letter glued tagalog", "sahod P18,000", "tl", []moneyWant{{"PHP", 18000, 18000, PeriodMonth, false}}},
		{"peso sign", "₱25,000", "en", []moneyWant{{"PHP", 25000, 25000, PeriodMonth, false}}},
		{"pesos word", "25,000 pesos a month", "en", []moneyWant{{"PHP", 25000, 25000, PeriodMonth, true}}},
		{"usdt letter glued", "月薪3000u", "zh", []moneyWant{{"USD", 3000, 3000, PeriodMonth, true}}},
		{"vnd letter with space", "lương 15.000.000 đ", "vi", []moneyWant{{"VND", 15e6, 15e6, PeriodMonth, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMoney(t, r, tt.text, tt.lang, tt.want) })
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

// benchAdvert mixes the languages and the number shapes the readers see.
const benchAdvert = `URGENT hiring customer service staff for Cambodia and Myanmar. Salary $1,500 - $2,000/month plus commission, daily salary 2000 baht.
Working hours 9 a.m. to 6 p.m., 26 days a month, 4 days off. Age 18-35, no experience needed, free food and accommodation, visa and air ticket paid.
Contact WhatsApp +66 81 234 5678 or Line ID: job_th99, telegram @hr_jessica88, email jobs.asia88@gmail.com, visit https://example.com/jobs/123.
招聘客服，月薪8000-15000元，每天工作12小时，月休4天，年龄18-35岁，包吃包住，联系微信：abc12345。
Tuyển nhân viên, lương 15-20 triệu/tháng, tuổi từ 18-30, liên hệ Zalo 0909 555 123.
Lowongan kerja, gaji Rp 18.000.000 per bulan, usia 18-35 tahun, kerja 12jam/hari, libur 4hari/bulan, hubungi WA 0812-3456-7890.
รับสมัครพนักงาน เงินเดือน 30,000 - 50,000 บาท รายได้วันละ 2,000 บาท อายุ 18-35 ปี ติดต่อไลน์ @job โทร 081-234-5678 ปี 2024 2025`

func benchInput(b *testing.B) (string, []Token) {
	b.Helper()
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		sb.WriteString(benchAdvert)
		sb.WriteByte('\n')
	}
	n, _ := Normalize(sb.String(), nil)
	toks, _ := Tokenize(n.Text, nil)
	return n.Text, toks
}

func BenchmarkReadMoney(b *testing.B) {
	r, err := NewMoneyReader()
	if err != nil {
		b.Fatal(err)
	}
	s, toks := benchInput(b)
	var out []Money
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = r.Read(s, toks, "en", out[:0])
	}
}
