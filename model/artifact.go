package model

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// The artifact layout, all integers big-endian:
//
//	magic    8 bytes  "LURESCAN"
//	format   uint16   FormatVersion
//	flags    uint16   0 (reserved)
//	length   uint64   length of the compressed payload
//	checksum 32 bytes SHA-256 of the compressed payload
//	payload  gzip of: uint32 length, stamp JSON (model id, creation time),
//	         uint32 length, content JSON (everything else of Meta),
//	         vocabulary
//
// The vocabulary is a uvarint count, then per feature (sorted by name) a
// uvarint name length, the name, and a uvarint document count per class.
// The model id is the SHA-256 of the content JSON as stored and the
// vocabulary, so it does not depend on the creation time, and a build that
// adds metadata fields still computes the same id for an older file.
const (
	magic         = "LURESCAN"
	FormatVersion = 1
	headerSize    = 8 + 2 + 2 + 8 + 32
	// maxPayload bounds what a loader will read (hostile files).
	maxPayload = 512 << 20
)

// Errors a model file can be refused with.
var (
	ErrNotModel     = errors.New("not a lurescan model file")
	ErrIncompatible = errors.New("incompatible model format")
	ErrCorrupt      = errors.New("corrupt model file")
)

// artifactCompression is the gzip level of artifacts: on the default
// model, level 4 compresses in 49 ms to 1.03 MB where the default level (6)
// takes 166 ms for 0.97 MB, and saving is on training's critical path.
const artifactCompression = 4

// MarshalBinary encodes the model as an artifact.
func (m *Model) MarshalBinary() ([]byte, error) {
	stampJSON, err := json.Marshal(stamp{ID: m.meta.ID, Created: m.meta.Created})
	if err != nil {
		return nil, fmt.Errorf("encode model stamp: %w", err)
	}
	payload := make([]byte, 0, 8+len(stampJSON)+len(m.content)+len(m.vocab))
	payload = binary.BigEndian.AppendUint32(payload, uint32(len(stampJSON)))
	payload = append(payload, stampJSON...)
	payload = binary.BigEndian.AppendUint32(payload, uint32(len(m.content)))
	payload = append(payload, m.content...)
	payload = append(payload, m.vocab...)
	var z bytes.Buffer
	z.Grow(len(payload) / 2)
	zw, _ := gzip.NewWriterLevel(&z, artifactCompression)
	// A fixed gzip header (no name, zero time) keeps artifacts reproducible.
	zw.ModTime = time.Time{}
	if _, err := zw.Write(payload); err != nil {
		return nil, fmt.Errorf("compress model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress model: %w", err)
	}
	sum := sha256.Sum256(z.Bytes())
	out := make([]byte, 0, headerSize+z.Len())
	out = append(out, magic...)
	out = binary.BigEndian.AppendUint16(out, FormatVersion)
	out = binary.BigEndian.AppendUint16(out, 0)
	out = binary.BigEndian.AppendUint64(out, uint64(z.Len()))
	out = append(out, sum[:]...)
	return append(out, z.Bytes()...), nil
}

// stamp is the part of the metadata outside the content id.
type stamp struct {
	ID      string    `json:"model_id"`
	Created time.Time `json:"created"`
}

// encodeContent encodes the metadata that the content id covers.
func encodeContent(meta Meta) ([]byte, error) {
	meta.ID, meta.Created = "", time.Time{}
	b, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode model metadata: %w", err)
	}
	return b, nil
}

func encodeVocabulary(counts Counts) []byte {
	b := make([]byte, 0, 16*len(counts.Names))
	b = binary.AppendUvarint(b, uint64(len(counts.Names)))
	for i, name := range counts.Names {
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
		b = binary.AppendUvarint(b, counts.PerClass[i][0])
		b = binary.AppendUvarint(b, counts.PerClass[i][1])
	}
	return b
}

// contentID hashes the content metadata and the vocabulary as encoded.
func contentID(content, vocab []byte) string {
	h := sha256.New()
	var u [8]byte
	binary.BigEndian.PutUint64(u[:], uint64(len(content)))
	h.Write(u[:])
	h.Write(content)
	h.Write(vocab)
	return "nb-" + hex.EncodeToString(h.Sum(nil)[:8])
}

// Unmarshal decodes and validates an artifact. A wrong magic, an unknown
// format version, a bad checksum, a truncated payload or inconsistent
// content is refused with an error saying which.
func Unmarshal(data []byte) (*Model, error) {
	if len(data) < headerSize {
		if len(data) >= len(magic) && string(data[:len(magic)]) == magic {
			return nil, fmt.Errorf("%w: truncated header (%d of %d bytes)", ErrCorrupt, len(data), headerSize)
		}
		return nil, fmt.Errorf("%w: file is %d bytes, too short for a header", ErrNotModel, len(data))
	}
	if string(data[:8]) != magic {
		return nil, fmt.Errorf("%w: bad magic %q", ErrNotModel, data[:8])
	}
	if v := binary.BigEndian.Uint16(data[8:]); v != FormatVersion {
		return nil, fmt.Errorf("%w: format version %d, this build reads %d", ErrIncompatible, v, FormatVersion)
	}
	n := binary.BigEndian.Uint64(data[12:])
	body := data[headerSize:]
	if n > maxPayload {
		return nil, fmt.Errorf("%w: payload length %d exceeds limit %d", ErrCorrupt, n, maxPayload)
	}
	if uint64(len(body)) != n {
		return nil, fmt.Errorf("%w: payload is %d bytes, header says %d (truncated or padded)", ErrCorrupt, len(body), n)
	}
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[20:headerSize]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: decompress: %w", ErrCorrupt, err)
	}
	payload, err := io.ReadAll(io.LimitReader(zr, maxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("%w: decompress: %w", ErrCorrupt, err)
	}
	if len(payload) > maxPayload {
		return nil, fmt.Errorf("%w: payload decompresses beyond %d bytes", ErrCorrupt, maxPayload)
	}
	spec, err := decodePayload(payload)
	if err != nil {
		return nil, err
	}
	return New(spec)
}

func decodePayload(p []byte) (Spec, error) {
	var spec Spec
	section := func(name string) ([]byte, error) {
		if len(p) < 4 {
			return nil, fmt.Errorf("%w: payload too short for the %s", ErrCorrupt, name)
		}
		n := binary.BigEndian.Uint32(p)
		if uint64(n) > uint64(len(p)-4) {
			return nil, fmt.Errorf("%w: %s length %d beyond payload", ErrCorrupt, name, n)
		}
		b := p[4 : 4+n]
		p = p[4+n:]
		return b, nil
	}
	stampJSON, err := section("stamp")
	if err != nil {
		return spec, err
	}
	var st stamp
	if err := json.Unmarshal(stampJSON, &st); err != nil {
		return spec, fmt.Errorf("%w: stamp: %w", ErrCorrupt, err)
	}
	content, err := section("metadata")
	if err != nil {
		return spec, err
	}
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec.Meta); err != nil {
		return spec, fmt.Errorf("%w: metadata (written by a newer lurescan?): %w", ErrIncompatible, err)
	}
	if spec.Meta.FormatVersion != FormatVersion {
		return spec, fmt.Errorf("%w: metadata format version %d", ErrIncompatible, spec.Meta.FormatVersion)
	}
	spec.Meta.ID, spec.Meta.Created = st.ID, st.Created
	spec.content = content
	vocab := p
	spec.vocab = vocab
	// One string holds every name; each name is a slice of it, so a
	// vocabulary of 200,000 features costs one allocation, not 200,000.
	text := string(vocab)
	count, n := binary.Uvarint(vocab)
	if n <= 0 || count > uint64(len(vocab)) {
		return spec, fmt.Errorf("%w: vocabulary size", ErrCorrupt)
	}
	pos := n
	spec.Counts.Names = make([]string, count)
	spec.Counts.PerClass = make([][2]uint64, count)
	for i := range spec.Counts.Names {
		l, n := binary.Uvarint(vocab[pos:])
		if n <= 0 || l > uint64(len(vocab)-pos-n) {
			return spec, fmt.Errorf("%w: feature %d: name length", ErrCorrupt, i)
		}
		pos += n
		spec.Counts.Names[i] = text[pos : pos+int(l)]
		pos += int(l)
		for c := 0; c < 2; c++ {
			v, n := binary.Uvarint(vocab[pos:])
			if n <= 0 {
				return spec, fmt.Errorf("%w: feature %d: counts", ErrCorrupt, i)
			}
			spec.Counts.PerClass[i][c] = v
			pos += n
		}
	}
	if pos != len(vocab) {
		return spec, fmt.Errorf("%w: %d stray bytes after vocabulary", ErrCorrupt, len(vocab)-pos)
	}
	return spec, nil
}

// Load reads and validates a model file.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(bufio.NewReader(f), maxPayload+headerSize+1))
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	m, err := Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}

// Save writes the model to path atomically (a temporary file renamed into
// place), with mode 0644.
func (m *Model) Save(path string) error {
	data, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*")
	if err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save model: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("save model: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}
