package features

import (
	"reflect"
	"testing"
)

func TestReadAges(t *testing.T) {
	tests := []struct {
		name string
		text string
		want [][2]int
	}{
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
