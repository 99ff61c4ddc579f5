// Internal to the tutor module: the state behind clash::RetrievalIndex, shared by
// retrieval_index.cpp (corpus upkeep) and retrieval_search.cpp (the rankings and their fusion).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clash/log.h"
#include "clash/retrieval.h"
#include "clash/storage.h"
#include "tutor/chunker.h"
#include "tutor/retrieval_vectors.h"

namespace clash {

struct RetrievalIndex::Impl {
  Impl(Storage& s, std::shared_ptr<Embedder> e, Logger& l, RetrievalOptions o, int dims)
      : storage(s), embedder(std::move(e)), logger(l), options(o), vectors(dims) {}

  tutor::ChunkingOptions chunking() const { return {options.chunk_words, options.overlap_words}; }
  // Writes `doc`'s chunks in `tx` (vectors of unchanged chunks reused, the others embedded; when
  // the embedder fails the chunks are stored without vectors, computed at the next start) and
  // updates the vector index once `tx` commits.
  Status WriteDocument(StorageTransaction& tx, const tutor::Document& doc);
  // Removes a document in `tx` and from the vector index once `tx` commits.
  Status RemoveDocument(StorageTransaction& tx, const std::string& kind, const std::string& id);
  // Writes `doc` in its own transaction unless its stored chunks already hold the same texts.
  Status SyncDocument(const tutor::Document& doc);

  // The rankings (retrieval_search.cpp).
  Result<std::vector<ScoredChunk>> Lexical(const std::string& text, int limit);
  Result<std::vector<float>> QueryVector(const std::string& text);
  Result<std::vector<ScoredChunk>> Fused(const RetrievalQuery& query, int candidates);

  Storage& storage;
  std::shared_ptr<Embedder> embedder;
  Logger& logger;
  RetrievalOptions options;
  tutor::VectorIndex vectors;
};

// Keeps at most `per_document` chunks of each document and then the first `k`.
std::vector<ScoredChunk> CapPerDocument(std::vector<ScoredChunk> ranked, int per_document, int k);

}  // namespace clash
