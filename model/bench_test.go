package model

import (
	"testing"

	"github.com/lurescan/lurescan/features"
)

// BenchmarkLoadDefaultSized measures decoding an artifact the size of the
// default model (the default model itself is benchmarked by the
// defaultmodel package).
func BenchmarkUnmarshal(b *testing.B) {
	m := trainedTestModel(b)
	data, err := m.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unmarshal(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	m := trainedTestModel(b)
	var hashes []uint64
	for i := 0; i < 900; i++ {
		hashes = append(hashes, features.HashFeature("w:"+string(rune('a'+i%26))+string(rune('a'+i/26%26))))
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Score(hashes, 5)
	}
}
