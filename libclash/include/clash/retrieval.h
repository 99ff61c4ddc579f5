// clash/retrieval.h — the interfaces the AI tutor grounds its answers on: chunks of the level
// corpus and the concept notes, found by a Retriever, with vectors from an Embedder.
//
// Implementations (the hybrid BM25 + vector retriever kept current by the catalogue's level
// changes, the offline hashing embedder, the OpenAI-compatible `/v1/embeddings` client) are
// created by factory functions declared next to them. The tutor only depends on these interfaces.
//
// Thread-safety: implementations must be safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(std::vector<clash::ScoredChunk> hits,
//                          retriever.Search({.text = "how do I count letters", .k = 5}));
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clash/catalogue.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// One retrievable piece of text.
struct Chunk {
  std::string id;           // stable: "<source_kind>:<source_id>#<n>"
  std::string source_kind;  // "level" or "note"
  std::string source_id;    // the level's id or the note's slug
  std::string title;        // the level's or note's title
  std::string text;         // the chunk (never a level's hidden cases or reference solution)
  bool operator==(const Chunk&) const = default;
};

struct ScoredChunk {
  Chunk chunk;
  double score = 0;         // higher is better; only comparable within one answer
};

struct RetrievalQuery {
  std::string text;         // the question, or the player's code and the level's title
  int k = 5;                // at most this many chunks, best first
  std::string level_id;     // optional: chunks of this level are preferred
};

class CLASH_EXPORT Retriever {
 public:
  virtual ~Retriever() = default;
  // The best chunks for the query, best first. An empty corpus gives an empty list, not an error.
  virtual Result<std::vector<ScoredChunk>> Search(const RetrievalQuery& query) = 0;
};

class CLASH_EXPORT Embedder {
 public:
  virtual ~Embedder() = default;
  // A stable name stored with each vector ("hash-v1", "openai:<model>"): vectors of another
  // embedder are recomputed, never compared.
  virtual std::string Name() const = 0;
  virtual int Dimensions() const = 0;
  // One unit-length vector per text, in order.
  virtual Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) = 0;
};

// --- Implementations (libclash/src/tutor/, docs/tutor.md) ---

class HttpClient;
class Logger;
class Storage;

// The built-in offline embedder "hash-v1": feature hashing (FNV-1a, signed buckets) of lower-cased
// words, word bigrams and character 3- and 4-grams of each word, then unit length. Deterministic
// and dependency-free; `dimensions` 64-4096 (InvalidArgument otherwise through Embed()).
CLASH_EXPORT std::unique_ptr<Embedder> NewHashEmbedder(int dimensions = 256);

struct OpenAiEmbedderOptions {
  std::string base_url;          // "https://api.openai.com" or "http://127.0.0.1:8080"; "/v1/embeddings" is appended
  std::string model;             // "text-embedding-3-small"
  std::string api_key;           // sent as "Authorization: Bearer <key>" when not empty
  int dimensions = 0;            // the model's vector size; 0: learnt from the first answer
  std::chrono::milliseconds timeout{15000};  // one request, connect to last byte
  int batch_size = 64;           // texts per request
};

// An OpenAI-compatible `/v1/embeddings` client named "openai:<model>". Errors: InvalidArgument for
// missing options; DeadlineExceeded on timeout; Unavailable if the server cannot be reached or
// answers 5xx/429; Unauthenticated on 401/403; Internal for a malformed answer (wrong count,
// dimensions, JSON). Vectors are normalised to unit length. `http` must outlive the embedder.
CLASH_EXPORT Result<std::unique_ptr<Embedder>> NewOpenAiEmbedder(OpenAiEmbedderOptions options, HttpClient& http);

struct RetrievalOptions {
  int candidates = 40;           // chunks taken from each ranking before fusion
  int rrf_k = 60;                // reciprocal rank fusion: score = sum of 1 / (rrf_k + rank)
  double lexical_weight = 1.0;   // weight of the BM25 ranking in the fusion
  double vector_weight = 1.0;    // weight of the vector ranking
  double level_weight = 3.0;     // weight of the ranking of the query's level_id chunks (a strong preference)
  int max_per_document = 2;      // at most this many chunks of one document in an answer
  int chunk_words = 90;          // chunking: words per chunk ...
  int overlap_words = 25;        // ... and words shared by neighbouring chunks of one section
};

// The tutor's retrieval index: the hybrid retriever over the stored corpus (BM25 from storage,
// exact vector search in process, fused with reciprocal rank fusion; chunks of the query's
// level_id are preferred), kept current by the catalogue (it is the catalogue's LevelIndexer: a
// level's chunks change in the transaction that creates, edits or deletes it).
//
// Thread-safety: safe for concurrent use.
class CLASH_EXPORT RetrievalIndex : public Retriever, public LevelIndexer {
 public:
  // Loads the stored chunks and their vectors (recomputing those of another embedder), then brings
  // the levels' chunks in step with the stored levels. `storage`, `logger` and `embedder` are used
  // for the index's lifetime. Errors are storage's and the embedder's.
  static Result<std::unique_ptr<RetrievalIndex>> Open(Storage& storage, std::shared_ptr<Embedder> embedder,
                                                      Logger& logger, RetrievalOptions options = {});
  ~RetrievalIndex() override;

  // Hybrid search (the Retriever contract). InvalidArgument if k is not 1-50.
  Result<std::vector<ScoredChunk>> Search(const RetrievalQuery& query) override;
  // One ranking alone (evaluation): BM25 only, or vectors only; level_id is ignored.
  Result<std::vector<ScoredChunk>> SearchLexical(const RetrievalQuery& query);
  Result<std::vector<ScoredChunk>> SearchVectors(const RetrievalQuery& query);
  // The fused ranking over every chunk, without the candidate cut (the benchmark's oracle).
  Result<std::vector<ScoredChunk>> SearchExhaustive(const RetrievalQuery& query);

  // Reads the concept notes (`<slug>.md` with front matter, docs/tutor-corpus.md) under `dir` and
  // indexes them, replacing changed notes and removing notes no longer there. Returns how many.
  // InvalidArgument names a malformed note.
  Result<int> LoadNotes(const std::string& dir);
  // Indexes one note from its Markdown text (front matter included).
  Status IndexNote(std::string_view markdown);
  // Brings the levels' chunks in step with storage (levels written before the index existed).
  Status SyncLevels();

  // LevelIndexer (called by the catalogue inside its transaction).
  Status LevelWritten(StorageTransaction& tx, const Level& level) override;
  Status LevelRemoved(StorageTransaction& tx, std::string_view slug) override;

  // Chunks in the in-process vector index.
  std::size_t size() const;
  const Embedder& embedder() const;

  struct Impl;

 private:
  explicit RetrievalIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash
