package model

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lurescan/lurescan/features"
)

// TestIDTableMatchesAMap interns the same stream of hashes into an idTable
// and a Go map: the ids must agree, across many growths, with hash 0 and
// hash 1 kept apart.
func TestIDTableMatchesAMap(t *testing.T) {
	for _, hint := range []int{0, 1, 1000} {
		t.Run(fmt.Sprintf("hint=%d", hint), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			table := newIDTable(hint)
			want := map[uint64]uint32{}
			stream := []uint64{0, 1, 0, 1}
			for range 200_000 {
				stream = append(stream, rng.Uint64N(50_000)*0x9e3779b97f4a7c15)
			}
			for i, h := range stream {
				next := uint32(len(want))
				id, added := table.idOf(h, next)
				w, ok := want[h]
				if !ok {
					want[h] = next
					w = next
				}
				if id != w || added == ok {
					t.Fatalf("hash %d (#%d): id %d added %v, want id %d added %v", h, i, id, added, w, !ok)
				}
			}
		})
	}
}

// BenchmarkIntern interns 4,000 documents of 800 features drawn from a
// Zipf distribution (as words are).
func BenchmarkIntern(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(rng, 1.1, 1, 2_000_000)
	docs := make([]Document, 4000)
	for i := range docs {
		for range 800 {
			f := fmt.Sprintf("w:%d", z.Uint64())
			docs[i].Features = append(docs[i].Features, f)
			docs[i].Hashes = append(docs[i].Hashes, features.HashFeature(f))
		}
	}
	for b.Loop() {
		if _, _, err := intern(docs, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountShards compares the two counters on five shards of the
// documents of BenchmarkIntern: go test ./model/ -run XXX -bench CountShards
func BenchmarkCountShards(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(rng, 1.1, 1, 2_000_000)
	docs := make([]Document, 4000)
	shard := make([]int, len(docs))
	for i := range docs {
		docs[i].Class = i % 2
		shard[i] = i % 5
		for range 800 {
			f := fmt.Sprintf("w:%d", z.Uint64())
			docs[i].Features = append(docs[i].Features, f)
			docs[i].Hashes = append(docs[i].Hashes, features.HashFeature(f))
		}
	}
	for _, counter := range []Counter{CountDirect, CountGoml} {
		b.Run(counter.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := CountShardsWith(docs, shard, 5, 2, counter); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
