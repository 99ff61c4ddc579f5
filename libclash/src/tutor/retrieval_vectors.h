// Internal to the tutor module: the in-process vector index, exact search (inner product of unit
// vectors). Readers take an immutable snapshot; writers (level edits, rare) build a new one.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clash/retrieval.h"

namespace clash::tutor {

struct VectorEntry {
  Chunk chunk;
  std::vector<float> vector;  // unit length, `dims` floats
};

class VectorIndex {
 public:
  explicit VectorIndex(int dims) : dims_(dims) {}
  // Replaces the whole index. Entries with a vector of another size are skipped.
  void Reset(std::vector<VectorEntry> entries);
  // Replaces the entries of one document (none: the document is removed).
  void ReplaceDocument(std::string_view source_kind, std::string_view source_id, std::vector<VectorEntry> entries);
  // The `limit` entries most similar to `query`, best first (ties by chunk id); with `level_slug`
  // set, only that level's chunks.
  std::vector<ScoredChunk> TopK(const std::vector<float>& query, std::size_t limit,
                                std::string_view level_slug = {}) const;
  std::size_t size() const;
  int dims() const { return dims_; }

 private:
  struct Snapshot {
    std::vector<Chunk> chunks;
    std::vector<float> matrix;  // chunks.size() rows of dims_ floats
  };
  std::shared_ptr<const Snapshot> Current() const;
  static std::shared_ptr<const Snapshot> Build(std::vector<VectorEntry> entries, int dims);

  const int dims_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
};

}  // namespace clash::tutor
