package training

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
)

func TestNearDuplicates(t *testing.T) {
	base := "We are hiring customer service staff for our office in %s. Salary is paid monthly, training is provided and the team is friendly. Send your CV to our recruitment team before the end of the month."
	docs := []string{
		fmt.Sprintf(base, "Bangkok"),
		fmt.Sprintf(base, "Manila"), // reposted template
		"Senior data engineer wanted to build pipelines in Spark and Kafka for a payments company in Singapore.",
		"高薪招聘客服，包吃包住，机票报销，无需经验，年龄十八到三十五岁，联系微信。",
		"高薪招聘客服，包吃包住，机票报销，无需经验，年龄十八到三十岁，联系电报。", // near copy
	}
	sh := make([][]uint64, len(docs))
	for i, d := range docs {
		sh[i] = Shingles(&features.Posting{Text: d})
	}
	pairs := NearDuplicates(sh, NearDuplicate)
	want := map[[2]int]bool{{0, 1}: true, {3, 4}: true}
	if len(pairs) != len(want) {
		t.Fatalf("pairs %+v, want %v", pairs, want)
	}
	for _, p := range pairs {
		if !want[[2]int{p.A, p.B}] || p.Similarity < NearDuplicate || p.Similarity > 1 {
			t.Errorf("unexpected pair %+v", p)
		}
	}
	if j := Jaccard(sh[0], sh[2]); j > 0.1 {
		t.Errorf("unrelated adverts have similarity %v", j)
	}
}

func TestGroupNearDuplicatesNeverStraddleFolds(t *testing.T) {
	// 20 distinct templates of 30 pseudo-words, each posted three times
	// with a different city.
	rng := rand.New(rand.NewPCG(1, 1))
	var ex []Example
	for tmpl := 0; tmpl < 20; tmpl++ {
		var words []string
		for w := 0; w < 30; w++ {
			words = append(words, fmt.Sprintf("w%03d", rng.IntN(1000)))
		}
		for r, city := range []string{"Bangkok", "Manila", "Jakarta"} {
			text := strings.Join(words[:15], " ") + " in " + city + " " + strings.Join(words[15:], " ")
			ex = append(ex, Example{Posting: features.Posting{Text: text}, Label: LabelLure, Group: fmt.Sprintf("g%02d", tmpl*3+r)})
		}
	}
	merged := GroupNearDuplicates(ex)
	if merged != 40 {
		t.Errorf("merged %d groups, want 40 (20 templates of 3 reposts)", merged)
	}
	for i := 0; i < 60; i += 3 {
		f := FoldOf(ex[i].Group, 1, 5)
		for j := i + 1; j < i+3; j++ {
			if ex[j].Group != ex[i].Group || FoldOf(ex[j].Group, 1, 5) != f {
				t.Errorf("reposts %d and %d are in groups %s and %s", i, j, ex[i].Group, ex[j].Group)
			}
		}
	}
}
