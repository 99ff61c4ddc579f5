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

#include <string>
#include <vector>

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

}  // namespace clash
