package model

// featureIndex is an open-addressing hash table from feature hash to
// vocabulary index: scoring looks up every feature of every posting, and a
// flat table is several times faster than a Go map for uint64 keys.
type featureIndex struct {
	keys []uint64
	vals []int32
	mask uint64
}

func newFeatureIndex(n int) featureIndex {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return featureIndex{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1)}
}

// slot spreads the hash (the low bits of FNV are weak for short strings).
func (ix *featureIndex) slot(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h & ix.mask
}

// insert adds h -> v; false if h is already present. Key 0 is reserved as
// "empty" and stored as 1 (an FNV hash of 0 or 1 is vanishingly unlikely;
// a collision is reported by insert).
func (ix *featureIndex) insert(h uint64, v int32) bool {
	if h == 0 {
		h = 1
	}
	for i := ix.slot(h); ; i = (i + 1) & ix.mask {
		switch ix.keys[i] {
		case 0:
			ix.keys[i], ix.vals[i] = h, v
			return true
		case h:
			return false
		}
	}
}

func (ix *featureIndex) get(h uint64) (int32, bool) {
	if h == 0 {
		h = 1
	}
	for i := ix.slot(h); ; i = (i + 1) & ix.mask {
		switch ix.keys[i] {
		case 0:
			return 0, false
		case h:
			return ix.vals[i], true
		}
	}
}

// idTable is a growable open-addressing hash table from feature hash to a
// dense id, for interning: every feature of every training document goes
// through it. Unlike featureIndex it keeps hash 0 apart from the others.
type idTable struct {
	keys    []uint64
	ids     []uint32
	mask    uint64
	n       int
	zero    uint32
	hasZero bool
}

func newIDTable(hint int) *idTable {
	size := 16
	for size < 2*hint {
		size <<= 1
	}
	return &idTable{keys: make([]uint64, size), ids: make([]uint32, size), mask: uint64(size - 1)}
}

func (t *idTable) slot(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h & t.mask
}

// idOf returns h's id, giving it next when h is new (added is then true).
func (t *idTable) idOf(h uint64, next uint32) (id uint32, added bool) {
	if h == 0 {
		if !t.hasZero {
			t.zero, t.hasZero = next, true
			return next, true
		}
		return t.zero, false
	}
	for i := t.slot(h); ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case h:
			return t.ids[i], false
		case 0:
			t.keys[i], t.ids[i] = h, next
			t.n++
			if 2*t.n > len(t.keys) {
				t.grow()
			}
			return next, true
		}
	}
}

func (t *idTable) grow() {
	keys, ids := t.keys, t.ids
	t.keys = make([]uint64, 2*len(keys))
	t.ids = make([]uint32, 2*len(keys))
	t.mask = uint64(len(t.keys) - 1)
	for j, h := range keys {
		if h == 0 {
			continue
		}
		i := t.slot(h)
		for t.keys[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.keys[i], t.ids[i] = h, ids[j]
	}
}
