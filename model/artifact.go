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
//	payload  gzip of: uint32 meta length, meta JSON, vocabulary
//
// The vocabulary is a uvarint count, then per feature (sorted by name) a
// uvarint name length, the name, and a uvarint document count per class.
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

// MarshalBinary encodes the model as an artifact.
func (m *Model) MarshalBinary() ([]byte, error) {
	counts := m.counts()
	payload, err := encodePayload(m.meta, counts)
	if err != nil {
		return nil, err
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
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

// counts recovers the per-class counts the model was built from.
func (m *Model) counts() Counts {
	return Counts{Names: m.names, PerClass: m.perClass}
}

func encodePayload(meta Meta, counts Counts) ([]byte, error) {
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode model metadata: %w", err)
	}
	vocab := encodeVocabulary(counts)
	b := make([]byte, 4, 4+len(metaJSON)+len(vocab))
	binary.BigEndian.PutUint32(b, uint32(len(metaJSON)))
	b = append(b, metaJSON...)
	return append(b, vocab...), nil
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

// contentID hashes everything that decides how the model scores (the
// metadata without its id and creation time, and the encoded vocabulary):
// retraining on the same data gives the same id.
func contentID(meta Meta, vocab []byte) (string, error) {
	meta.ID = ""
	meta.Created = time.Time{}
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return "", fmt.Errorf("encode model metadata: %w", err)
	}
	h := sha256.New()
	var u [8]byte
	binary.BigEndian.PutUint64(u[:], uint64(len(metaJSON)))
	h.Write(u[:])
	h.Write(metaJSON)
	h.Write(vocab)
	return "nb-" + hex.EncodeToString(h.Sum(nil)[:8]), nil
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
	if len(p) < 4 {
		return spec, fmt.Errorf("%w: payload too short", ErrCorrupt)
	}
	ml := binary.BigEndian.Uint32(p)
	if uint64(ml) > uint64(len(p)-4) {
		return spec, fmt.Errorf("%w: metadata length %d beyond payload", ErrCorrupt, ml)
	}
	dec := json.NewDecoder(bytes.NewReader(p[4 : 4+ml]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec.Meta); err != nil {
		return spec, fmt.Errorf("%w: metadata: %w", ErrCorrupt, err)
	}
	if spec.Meta.FormatVersion != FormatVersion {
		return spec, fmt.Errorf("%w: metadata format version %d", ErrIncompatible, spec.Meta.FormatVersion)
	}
	vocab := p[4+ml:]
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
