package features

import (
	"reflect"
	"testing"
)

func TestReadAges(t *testing.T) {
	tests := []ageCase{
		{"english range", "Age 18-35 only", [][2]int{{18, 35}}},
		{"years old after", "applicants 20 to 40 years old", [][2]int{{20, 40}}},
		{"aged", "aged 21~30", [][2]int{{21, 30}}},
		{"indonesian", "usia 18-35 tahun", [][2]int{{18, 35}}},
		{"vietnamese", "tuổi từ 18-30", [][2]int{{18, 30}}},
		{"chinese", "年龄18-35岁", [][2]int{{18, 35}}},
		{"chinese limit", "35岁以下", [][2]int{{0, 35}}},
		{"thai", "อายุ 18-35 ปี", [][2]int{{18, 35}}},
		{"thai limit", "อายุไม่เกิน 30 ปี", [][2]int{{0, 30}}},
		{"korean", "만 20~35세", [][2]int{{20, 35}}},
		{"japanese", "18〜35歳まで", [][2]int{{18, 35}}},
		{"english limit", "must be under 30 years of age", [][2]int{{0, 30}}},
		{"experience is not age", "3-5 years of experience", nil},
		{"salary is not age", "$20-30 per hour", nil},
		{"team size is not age", "a team of 20-40 engineers", nil},
	}
	checkAges(t, tests)
}

// TestReadAgesNotAges: salary ranges, days and hours near an age word,
// "old" in an unrelated phrase and negated limits are not age bands.
func TestReadAgesNotAges(t *testing.T) {
	tests := []ageCase{
		// The review's reproductions.
		{"salary range with k", "Salary 20-30k baht, no age limit", nil},
		{"days and old town", "Working hours 10-12, 18-30 days contract, old town office", nil},
		// More.
		{"salary range with baht", "age limit none, salary 20-30 baht per hour", nil},
		{"hours near age", "Age is no barrier, shifts of 18-24 hours", nil},
		{"dollar range near age", "any age, pay $20-30 per hour", nil},
		{"chinese days", "年龄不限，工作20-30天", nil},
		{"thai days", "อายุงาน 20-30 วัน", nil},
		{"juta near usia", "usia bebas, gaji 20-30 juta", nil},
		{"old alone", "a 20-30 minute walk from the old town", nil},
		{"negated limit", "no age limit, not under 18 years of age", nil},
		{"chinese unlimited", "年龄不限 35岁以下也可", nil},
		// Must keep.
		{"age range", "age 18-30", [][2]int{{18, 30}}},
		{"chinese suffix", "18-35岁", [][2]int{{18, 35}}},
		{"chinese zhousui", "年龄18-35周岁", [][2]int{{18, 35}}},
		{"years old", "applicants 20 to 40 years old", [][2]int{{20, 40}}},
		{"year old singular", "must be 18-25 year old", [][2]int{{18, 25}}},
		{"indonesian tahun", "usia 18-35 tahun", [][2]int{{18, 35}}},
		{"thai pi", "อายุ 18-35 ปี", [][2]int{{18, 35}}},
		{"age and salary", "Age 18-30, salary 20-30k baht", [][2]int{{18, 30}}},
		{"limit", "must be under 30 years of age", [][2]int{{0, 30}}},
		{"max age", "max age 35", [][2]int{{0, 35}}},
		{"vietnamese limit", "tuổi dưới 30", [][2]int{{0, 30}}},
		{"thai limit", "อายุไม่เกิน 30 ปี", [][2]int{{0, 30}}},
	}
	checkAges(t, tests)
}

func BenchmarkReadAges(b *testing.B) {
	s, toks := benchInput(b)
	var out []AgeBand
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = ReadAges(s, toks, out[:0])
	}
}

type ageCase struct {
	name string
	text string
	want [][2]int
}

// checkAges runs ReadAges on each case's text and compares the bands read.
func checkAges(t *testing.T, tests []ageCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := Normalize(tt.text, nil)
			toks, _ := Tokenize(n.Text, nil)
			var got [][2]int
			for _, a := range ReadAges(n.Text, toks, nil) {
				got = append(got, [2]int{a.Min, a.Max})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadAges(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
