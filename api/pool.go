package api

import (
	"bytes"
	"encoding/json"
	"sync"
)

// maxPooledBuffer bounds the capacity of a buffer kept for reuse, so that
// one huge body does not stay in memory for good.
const maxPooledBuffer = 2 << 20

// buffer is a reusable byte buffer with a JSON encoder writing into it.
// Request bodies are read into one and answers encoded into one, so the
// steady state of the scoring path allocates neither.
type buffer struct {
	bytes.Buffer
	enc *json.Encoder // writes into Buffer, without HTML escaping
}

// bufferPool recycles buffers. It is a field of the Server, not package
// state.
type bufferPool struct{ p sync.Pool }

func (bp *bufferPool) get() *buffer {
	if b, ok := bp.p.Get().(*buffer); ok {
		return b
	}
	b := &buffer{}
	b.enc = json.NewEncoder(&b.Buffer)
	b.enc.SetEscapeHTML(false)
	return b
}

// put returns b to the pool; nothing may refer to its bytes any more. A nil
// b is ignored.
func (bp *bufferPool) put(b *buffer) {
	if b == nil || b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bp.p.Put(b)
}
