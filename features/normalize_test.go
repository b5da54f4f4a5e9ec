package features

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii case", "Free FLIGHT", "free flight"},
		{"full-width digits and letters", "ＵＳＤ１２３", "usd123"},
		{"ligature", "ﬁnance", "finance"},
		{"sharp s folds to ss", "Straße", "strasse"},
		{"final sigma", "ΟΔΟΣ", "οδοσ"},
		{"vietnamese precomposed kept", "Việc Nhẹ", "việc nhẹ"},
		{"vietnamese decomposed composes", "Vie\u0323\u0302c", "việc"},
		{"ideographic space", "高薪\u3000包住", "高薪 包住"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := Normalize(tt.in, nil)
			if got.Text != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got.Text, tt.want)
			}
		})
	}
}

func TestNormalizeOriginalSpans(t *testing.T) {
	tests := []struct {
		name, in, find, wantOrig string
	}{
		{"ascii", "Call NOW please", "now", "NOW"},
		{"full-width", "月薪３０００元", "3000", "３０００"},
		{"ligature inside word", "the ﬁnance team", "finance", "ﬁnance"},
		{"sharp s", "Große Chance", "grosse", "Große"},
		{"decomposed", "lương Vie\u0323\u0302c", "việc", "Vie\u0323\u0302c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := Normalize(tt.in, nil)
			i := indexOf(n.Text, tt.find)
			if i < 0 {
				t.Fatalf("%q not in normalised %q", tt.find, n.Text)
			}
			s, e := n.Original(i, i+len(tt.find))
			if got := tt.in[s:e]; got != tt.wantOrig {
				t.Errorf("original of %q = %q, want %q", tt.find, got, tt.wantOrig)
			}
		})
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestNormalizeCountsUpper(t *testing.T) {
	n, _ := Normalize("URGENT hiring Ｎow", nil)
	if n.Upper != 7 {
		t.Errorf("Upper = %d, want 7", n.Upper)
	}
}
