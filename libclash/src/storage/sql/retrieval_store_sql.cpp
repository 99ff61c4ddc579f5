// The retrieval corpus on the shared SQL layer (migration 10). The only dialect-specific parts are
// the full-text query (FTS5 MATCH with bm25() on SQLite, to_tsquery/ts_rank on PostgreSQL).
#include "storage/sql/retrieval_store_sql.h"

#include <cctype>
#include <cstring>
#include <set>
#include <string>

#include "common/crypto.h"

namespace clash::internal {
namespace {

constexpr const char* kColumns = "id, source_kind, source_id, title, body, seq, embedder, vector";

std::string EncodeVector(const std::vector<float>& v) {
  std::string bytes(v.size() * sizeof(float), '\0');
  if (!v.empty()) std::memcpy(bytes.data(), v.data(), bytes.size());
  return Base64UrlEncode(bytes);
}

Result<std::vector<float>> DecodeVector(std::string_view text) {
  std::optional<std::string> bytes = Base64UrlDecode(text);
  if (!bytes || bytes->size() % sizeof(float) != 0) return Status::Internal("stored vector is malformed");
  std::vector<float> v(bytes->size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), bytes->data(), bytes->size());
  return v;
}

Result<IndexedChunk> ChunkFromRow(const SqlRow& row) {
  IndexedChunk c;
  c.chunk.id = row.Text(0);
  c.chunk.source_kind = row.Text(1);
  c.chunk.source_id = row.Text(2);
  c.chunk.title = row.Text(3);
  c.chunk.text = row.Text(4);
  c.seq = static_cast<int>(row.Int(5));
  c.embedder = row.Text(6);
  CLASH_ASSIGN_OR_RETURN(c.vector, DecodeVector(row.Text(7)));
  return c;
}

Result<std::vector<IndexedChunk>> ChunksFromResult(const SqlResult& r) {
  std::vector<IndexedChunk> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    CLASH_ASSIGN_OR_RETURN(IndexedChunk c, ChunkFromRow(row));
    out.push_back(std::move(c));
  }
  return out;
}

bool IsStopWord(const std::string& w) {
  static const std::set<std::string> kStop = {
      "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
      "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "so", "that",
      "the", "their", "then", "there", "these", "this", "to", "was", "what", "when", "where", "which",
      "why", "will", "with", "you", "your"};
  return kStop.count(w) > 0;
}

}  // namespace

std::vector<std::string> FullTextQueryWords(std::string_view query) {
  std::vector<std::string> words;
  std::set<std::string> seen;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && !IsStopWord(word) && words.size() < 64 && seen.insert(word).second) words.push_back(word);
    word.clear();
  };
  for (char ch : query) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 128) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

Status SqlRetrievalStore::ReplaceDocument(std::string_view source_kind, std::string_view source_id,
                                          const std::vector<IndexedChunk>& chunks) {
  for (const IndexedChunk& c : chunks) {
    if (c.chunk.id.empty()) return Status::InvalidArgument("chunk id is empty");
    if (c.chunk.source_kind != source_kind || c.chunk.source_id != source_id) {
      return Status::InvalidArgument("chunk " + c.chunk.id + " belongs to another document");
    }
  }
  CLASH_RETURN_IF_ERROR(session_.Exec("DELETE FROM retrieval_chunks WHERE source_kind = $1 AND source_id = $2",
                                      {std::string(source_kind), std::string(source_id)}));
  for (const IndexedChunk& c : chunks) {
    CLASH_RETURN_IF_ERROR(
        session_.Exec("INSERT INTO retrieval_chunks (id, source_kind, source_id, title, body, seq, embedder, vector) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                      {c.chunk.id, c.chunk.source_kind, c.chunk.source_id, c.chunk.title, c.chunk.text,
                       static_cast<std::int64_t>(c.seq), c.embedder, EncodeVector(c.vector)}));
  }
  return Status::Ok();
}

Result<std::vector<IndexedChunk>> SqlRetrievalStore::Document(std::string_view source_kind,
                                                              std::string_view source_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kColumns +
                                                        " FROM retrieval_chunks WHERE source_kind = $1 AND "
                                                        "source_id = $2 ORDER BY seq",
                                                    {std::string(source_kind), std::string(source_id)}));
  return ChunksFromResult(r);
}

Result<std::vector<IndexedChunk>> SqlRetrievalStore::All() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kColumns +
                                                    " FROM retrieval_chunks ORDER BY source_kind, source_id, seq"));
  return ChunksFromResult(r);
}

Result<bool> SqlRetrievalStore::SetVector(std::string_view chunk_id, std::string_view embedder,
                                          const std::vector<float>& vector) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("UPDATE retrieval_chunks SET embedder = $2, vector = $3 WHERE id = $1",
                                                    {std::string(chunk_id), std::string(embedder), EncodeVector(vector)}));
  return r.affected > 0;
}

Result<std::vector<ScoredChunk>> SqlRetrievalStore::SearchText(std::string_view query, int limit) {
  std::vector<std::string> words = FullTextQueryWords(query);
  std::vector<ScoredChunk> out;
  if (words.empty() || limit <= 0) return out;
  std::string match;
  std::string sql;
  if (session_.dialect() == SqlDialect::kSqlite) {
    // Each word quoted: FTS5 operators and column filters in the query stay plain text.
    for (const std::string& w : words) match += (match.empty() ? "\"" : " OR \"") + w + "\"";
    // Rank inside FTS5 first (only rowids and scores are sorted), then read the few chunks.
    sql = "SELECT c.id, c.source_kind, c.source_id, c.title, c.body, f.rank FROM "
          "(SELECT rowid, bm25(retrieval_fts, 2.0, 1.0) AS rank FROM retrieval_fts WHERE retrieval_fts MATCH $1 "
          "ORDER BY rank LIMIT $2) f JOIN retrieval_chunks c ON c.rid = f.rowid ORDER BY f.rank, c.id";
  } else {
    for (const std::string& w : words) match += (match.empty() ? "'" : " | '") + w + "'";
    sql = "SELECT c.id, c.source_kind, c.source_id, c.title, c.body, ts_rank(c.tsv, q) AS rank "
          "FROM retrieval_chunks c, to_tsquery('english', $1) q "
          "WHERE c.tsv @@ q ORDER BY rank DESC, c.id LIMIT $2";
  }
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {match, static_cast<std::int64_t>(limit)}));
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    ScoredChunk s;
    s.chunk = Chunk{.id = row.Text(0), .source_kind = row.Text(1), .source_id = row.Text(2), .title = row.Text(3),
                    .text = row.Text(4)};
    double rank = std::holds_alternative<double>(row.cols.at(5)) ? std::get<double>(row.cols.at(5))
                                                                  : std::stod(row.Text(5));
    // bm25() is lower for better matches; ts_rank is higher.
    s.score = session_.dialect() == SqlDialect::kSqlite ? -rank : rank;
    out.push_back(std::move(s));
  }
  return out;
}

Result<long long> SqlRetrievalStore::Count() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT COUNT(*) FROM retrieval_chunks"));
  return static_cast<long long>(r.rows.at(0).Int(0));
}

}  // namespace clash::internal
