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
	var b bytes.Buffer
	b.Grow(len(metaJSON) + 16*len(counts.Names))
	var u [4]byte
	binary.BigEndian.PutUint32(u[:], uint32(len(metaJSON)))
	b.Write(u[:])
	b.Write(metaJSON)
	b.Write(binary.AppendUvarint(nil, uint64(len(counts.Names))))
	var tmp []byte
	for i, name := range counts.Names {
		tmp = binary.AppendUvarint(tmp[:0], uint64(len(name)))
		tmp = append(tmp, name...)
		tmp = binary.AppendUvarint(tmp, counts.PerClass[i][0])
		tmp = binary.AppendUvarint(tmp, counts.PerClass[i][1])
		b.Write(tmp)
	}
	return b.Bytes(), nil
}

// contentID hashes everything that decides how the model scores, but not
// its id or creation time: retraining on the same data gives the same id.
func contentID(meta Meta, counts Counts) (string, error) {
	meta.ID = ""
	meta.Created = time.Time{}
	payload, err := encodePayload(meta, counts)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(payload)
	return "nb-" + hex.EncodeToString(sum[:8]), nil
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
	r := bytes.NewReader(p[4+ml:])
	count, err := binary.ReadUvarint(r)
	if err != nil || count > uint64(r.Len()) {
		return spec, fmt.Errorf("%w: vocabulary size", ErrCorrupt)
	}
	spec.Counts.Names = make([]string, count)
	spec.Counts.PerClass = make([][2]uint64, count)
	for i := range spec.Counts.Names {
		l, err := binary.ReadUvarint(r)
		if err != nil || l > uint64(r.Len()) {
			return spec, fmt.Errorf("%w: feature %d: name length", ErrCorrupt, i)
		}
		name := make([]byte, l)
		if _, err := io.ReadFull(r, name); err != nil {
			return spec, fmt.Errorf("%w: feature %d: name: %w", ErrCorrupt, i, err)
		}
		spec.Counts.Names[i] = string(name)
		for c := 0; c < 2; c++ {
			if spec.Counts.PerClass[i][c], err = binary.ReadUvarint(r); err != nil {
				return spec, fmt.Errorf("%w: feature %d: counts: %w", ErrCorrupt, i, err)
			}
		}
	}
	if r.Len() != 0 {
		return spec, fmt.Errorf("%w: %d stray bytes after vocabulary", ErrCorrupt, r.Len())
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
