// Internal: the retrieval corpus on the shared SQL layer (migration 10: retrieval_chunks; the
// full-text index is an FTS5 table kept in step by triggers on SQLite and a generated tsvector
// column with a GIN index on PostgreSQL). Vectors are stored as base64url of little-endian floats.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlRetrievalStore final : public RetrievalStore {
 public:
  explicit SqlRetrievalStore(SqlSession& session) : session_(session) {}
  Status ReplaceDocument(std::string_view source_kind, std::string_view source_id,
                         const std::vector<IndexedChunk>& chunks) override;
  Result<std::vector<IndexedChunk>> Document(std::string_view source_kind, std::string_view source_id) override;
  Result<std::vector<IndexedChunk>> All() override;
  Result<bool> SetVector(std::string_view chunk_id, std::string_view embedder,
                         const std::vector<float>& vector) override;
  Result<std::vector<ScoredChunk>> SearchText(std::string_view query, int limit) override;
  Result<long long> Count() override;

 private:
  SqlSession& session_;
};

// The words of a full-text query: lower-cased runs of ASCII letters and digits (other bytes
// separate them), common English stop words dropped, repeats dropped, at most 64.
std::vector<std::string> FullTextQueryWords(std::string_view query);

}  // namespace clash::internal
