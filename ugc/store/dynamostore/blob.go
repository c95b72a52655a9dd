package dynamostore

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"

	"github.com/ivs-ugc/ugc-go/ugc/store"
)

// A blob is data that may exceed what one item should hold (metrics cache
// entries up to store.MaxMetricsCacheLen, blocked term lists): a META item
// in its own partition with the blob's attributes and a generation, and
// chunk items C#<generation>#<index> of at most chunkLen bytes, gzipped
// when that is smaller. A write replaces the META item (conditioned on the
// generation it read), writes the new chunks and deletes the old ones in
// one transaction, so readers see one generation or the other.

// chunkLen keeps chunk items far below DynamoDB's 400 KB item limit.
const chunkLen = 128 << 10

type blob struct {
	meta item // nil when absent
	data []byte
}

func chunkSK(gen int64, i int) string { return fmt.Sprintf("C#%016x#%04d", gen, i) }

// readBlob reads the blob in partition p (consistent).
func (s *Store) readBlob(ctx context.Context, p string) (*blob, error) {
	for range s.opts.MaxAttempts {
		its, err := s.queryPK(ctx, p)
		if err != nil {
			return nil, err
		}
		var meta item
		var chunks []item
		for _, it := range its {
			if it.getS(attrSK) == "META" {
				meta = it
			} else {
				chunks = append(chunks, it)
			}
		}
		if meta == nil {
			return &blob{}, nil
		}
		gen, n := meta.getN("gen"), int(meta.getN("chunks"))
		var buf bytes.Buffer
		okGen := true
		for i := range n {
			if i >= len(chunks) || chunks[i].getS(attrSK) != chunkSK(gen, i) {
				okGen = false
				break
			}
			buf.Write(chunks[i].getB("d"))
		}
		if !okGen {
			continue // a writer replaced the blob between pages
		}
		data := buf.Bytes()
		if meta.getBool("gz") {
			r, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			if data, err = io.ReadAll(io.LimitReader(r, 4*store.MaxMetricsCacheLen)); err != nil {
				return nil, err
			}
		}
		return &blob{meta: meta, data: data}, nil
	}
	return nil, errContention
}

// blobWrite adds to t the writes that replace old (read before) by data
// with the attributes of meta; the META put fails with tag "blob" when the
// blob changed since it was read.
func blobWrite(t *tx, p string, old *blob, meta item, data []byte) {
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	w.Write(data)
	w.Close()
	zipped := gz.Len() < len(data)
	if zipped {
		data = gz.Bytes()
	}
	var gen int64
	cond, cv := "attribute_not_exists(PK)", vals()
	if old.meta != nil {
		gen = old.meta.getN("gen")
		cond, cv = "#gen = :g", vals(":g", gen)
	}
	n := (len(data) + chunkLen - 1) / chunkLen
	meta.key(p, "META").n("gen", gen+1).n("chunks", int64(n)).bool("gz", zipped)
	t.put("blob", meta, cond, cv)
	for i := range n {
		t.put("", item{}.key(p, chunkSK(gen+1, i)).b("d", data[i*chunkLen:min(len(data), (i+1)*chunkLen)]), "", nil)
	}
	if old.meta != nil {
		for i := range int(old.meta.getN("chunks")) {
			t.del("", pk(p, chunkSK(gen, i)), "", nil)
		}
	}
}
