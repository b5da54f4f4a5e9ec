package features

// NameTable interns feature hashes to dense ids and keeps each feature's
// name, built once: the first time its hash is met. Given to
// AnalyzeWith (AnalyzeOptions.Table), it also yields each posting's
// distinct features as ids (Analysis.IDs), so that training names and
// deduplicates features in the pass that emits them, with no second hash
// table lookup and no name built per occurrence.
//
// A NameTable is not safe for concurrent use: one per goroutine. Once
// analysis is over it may be read from anywhere.
type NameTable struct {
	slots []nameSlot // open addressing; key 0 marks an empty slot
	mask  uint64
	// recent is a small direct-mapped cache of slots in front of slots
	// (which outgrow the processor's caches): adverts' common features are
	// found there without a trip to memory.
	recent *[recentSize]nameSlot
	hashes []uint64 // by id
	names  []string // by id
	zero   int64    // id of hash 0, or -1
	// stamp[id] is the posting that last had the feature (doc numbers
	// start at 1), for deduplication within a posting.
	stamp []uint32
	doc   uint32
}

// nameSlot is a hash and its id side by side: a lookup touches one cache
// line, not one in each of two arrays.
type nameSlot struct {
	key uint64
	id  uint32
}

// NewNameTable returns an empty table with room for about hint features
// before it grows (growing rehashes every feature it holds).
func NewNameTable(hint int) *NameTable {
	size := 1 << 10
	for 3*size < 4*hint {
		size <<= 1
	}
	return &NameTable{slots: make([]nameSlot, size), mask: uint64(size - 1), zero: -1, recent: new([recentSize]nameSlot),
		hashes: make([]uint64, 0, hint), names: make([]string, 0, hint), stamp: make([]uint32, 0, hint)}
}

// recentSize is how many slots NameTable.recent holds (256 KB).
const recentSize = 1 << 14

// Len is how many features the table holds; ids run from 0 to Len()-1.
func (t *NameTable) Len() int { return len(t.names) }

// Name returns the name of feature id.
func (t *NameTable) Name(id uint32) string { return t.names[id] }

// Hash returns the hash of feature id.
func (t *NameTable) Hash(id uint32) uint64 { return t.hashes[id] }

func (t *NameTable) slot(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h & t.mask
}

// Lookup returns the id of the feature with hash h, if the table has it.
func (t *NameTable) Lookup(h uint64) (uint32, bool) {
	if h == 0 {
		return uint32(t.zero), t.zero >= 0
	}
	for i := t.slot(h); ; i = (i + 1) & t.mask {
		switch e := t.slots[i]; e.key {
		case h:
			return e.id, true
		case 0:
			return 0, false
		}
	}
}

// lookup is Lookup through the cache of recent features (emitting
// features; merging tables bypasses it).
func (t *NameTable) lookup(h uint64) (uint32, bool) {
	if h == 0 {
		return uint32(t.zero), t.zero >= 0
	}
	r := &t.recent[h>>50] // the top 14 bits: FNV-1a mixes its high bits best
	if r.key == h {
		return r.id, true
	}
	id, ok := t.Lookup(h)
	if ok {
		*r = nameSlot{h, id}
	}
	return id, ok
}

// add gives hash h, which the table lacks, the next id and name.
func (t *NameTable) add(h uint64, name string) uint32 {
	id := uint32(len(t.names))
	t.names = append(t.names, name)
	t.hashes = append(t.hashes, h)
	t.stamp = append(t.stamp, 0)
	if h == 0 {
		t.zero = int64(id)
		return id
	}
	if 4*(len(t.names)+1) > 3*len(t.slots) {
		t.grow()
	}
	i := t.slot(h)
	for t.slots[i].key != 0 {
		i = (i + 1) & t.mask
	}
	t.slots[i] = nameSlot{h, id}
	return id
}

func (t *NameTable) grow() {
	old := t.slots
	t.slots = make([]nameSlot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, e := range old {
		if e.key == 0 {
			continue
		}
		i := t.slot(e.key)
		for t.slots[i].key != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = e
	}
}

// startPosting begins deduplication for a new posting.
func (t *NameTable) startPosting() {
	t.doc++
	if t.doc == 0 { // wrapped: forget every stamp
		clear(t.stamp)
		t.doc = 1
	}
}

// firstInPosting reports whether feature id is new to the current posting,
// and marks it seen.
func (t *NameTable) firstInPosting(id uint32) bool {
	if t.stamp[id] == t.doc {
		return false
	}
	t.stamp[id] = t.doc
	return true
}
