// clash/stores/retrieval_store.h — storage of the AI tutor's retrieval corpus (used by the hybrid
// retriever, clash/retrieval.h): chunks of levels and concept notes, their full-text index (BM25 via
// SQLite FTS5; tsvector/ts_rank on PostgreSQL) and one vector per chunk with the embedder's name.
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. The contract suite
// (tests/storage/retrieval_store_test.cpp) checks it on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clash/export.h"
#include "clash/retrieval.h"
#include "clash/status.h"

namespace clash {

// A chunk as stored: the chunk, its position in its document, and its vector (empty `embedder`
// and `vector` when none was computed yet).
struct IndexedChunk {
  Chunk chunk;
  int seq = 0;                 // 0-based position in the document
  std::string embedder;        // Embedder::Name() of `vector`
  std::vector<float> vector;
  bool operator==(const IndexedChunk&) const = default;
};

class CLASH_EXPORT RetrievalStore {
 public:
  virtual ~RetrievalStore() = default;
  // Replaces every chunk of the document (source_kind, source_id) with `chunks` (which must all
  // belong to it; their ids must be unique across the corpus): afterwards the full-text index and
  // the vectors hold exactly these. An empty list removes the document. InvalidArgument if a chunk
  // names another document or has an empty id; AlreadyExists if an id belongs to another document.
  virtual Status ReplaceDocument(std::string_view source_kind, std::string_view source_id,
                                 const std::vector<IndexedChunk>& chunks) = 0;
  // The chunks of one document in seq order (empty if it has none).
  virtual Result<std::vector<IndexedChunk>> Document(std::string_view source_kind,
                                                     std::string_view source_id) = 0;
  // Every chunk of the corpus, ordered by (source_kind, source_id, seq), vectors included.
  virtual Result<std::vector<IndexedChunk>> All() = 0;
  // Sets the vector of chunk `chunk_id`; false if there is no such chunk.
  virtual Result<bool> SetVector(std::string_view chunk_id, std::string_view embedder,
                                 const std::vector<float>& vector) = 0;
  // Full-text search: at most `limit` chunks that match any word of `query` (after the backend's
  // tokenising and stemming), best first by BM25 (SQLite) or ts_rank (PostgreSQL); the score is
  // higher for better matches. Punctuation and search operators in `query` are treated as plain
  // text; a query without words gives an empty list.
  virtual Result<std::vector<ScoredChunk>> SearchText(std::string_view query, int limit) = 0;
  // The number of chunks.
  virtual Result<long long> Count() = 0;
};

}  // namespace clash
