// The in-process exact vector index (retrieval_vectors.h).
#include "tutor/retrieval_vectors.h"

#include <algorithm>
#include <numeric>

namespace clash::tutor {

std::shared_ptr<const VectorIndex::Snapshot> VectorIndex::Build(std::vector<VectorEntry> entries, int dims) {
  auto snap = std::make_shared<Snapshot>();
  std::size_t d = static_cast<std::size_t>(dims);
  std::erase_if(entries, [&](const VectorEntry& e) { return e.vector.size() != d; });
  std::sort(entries.begin(), entries.end(), [](const VectorEntry& a, const VectorEntry& b) { return a.chunk.id < b.chunk.id; });
  snap->chunks.reserve(entries.size());
  snap->matrix.reserve(entries.size() * d);
  for (VectorEntry& e : entries) {
    snap->matrix.insert(snap->matrix.end(), e.vector.begin(), e.vector.end());
    snap->chunks.push_back(std::move(e.chunk));
  }
  return snap;
}

void VectorIndex::Reset(std::vector<VectorEntry> entries) {
  std::shared_ptr<const Snapshot> snap = Build(std::move(entries), dims_);
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(snap);
}

void VectorIndex::ReplaceDocument(std::string_view source_kind, std::string_view source_id,
                                  std::vector<VectorEntry> entries) {
  std::lock_guard<std::mutex> lock(mu_);  // writers are serialised; readers keep their snapshot
  const Snapshot& old = *snapshot_;
  const std::size_t d = static_cast<std::size_t>(dims_);
  for (std::size_t i = 0; i < old.chunks.size(); ++i) {
    const Chunk& c = old.chunks[i];
    if (c.source_kind == source_kind && c.source_id == source_id) continue;
    entries.push_back({c, std::vector<float>(old.matrix.begin() + static_cast<std::ptrdiff_t>(i * d),
                                             old.matrix.begin() + static_cast<std::ptrdiff_t>((i + 1) * d))});
  }
  snapshot_ = Build(std::move(entries), dims_);
}

std::shared_ptr<const VectorIndex::Snapshot> VectorIndex::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

std::size_t VectorIndex::size() const { return Current()->chunks.size(); }

std::vector<ScoredChunk> VectorIndex::TopK(const std::vector<float>& query, std::size_t limit,
                                           std::string_view level_slug) const {
  std::shared_ptr<const Snapshot> snap = Current();
  std::vector<ScoredChunk> out;
  const std::size_t d = static_cast<std::size_t>(dims_);
  if (query.size() != d || limit == 0) return out;
  const std::size_t n = snap->chunks.size();
  std::vector<std::pair<float, std::size_t>> scored;
  scored.reserve(level_slug.empty() ? n : 16);
  const float* q = query.data();
  for (std::size_t i = 0; i < n; ++i) {
    if (!level_slug.empty() &&
        (snap->chunks[i].source_kind != "level" || snap->chunks[i].source_id != level_slug)) {
      continue;
    }
    const float* row = snap->matrix.data() + i * d;
    float dot = 0;
    for (std::size_t j = 0; j < d; ++j) dot += row[j] * q[j];
    scored.emplace_back(dot, i);
  }
  auto better = [&](const std::pair<float, std::size_t>& a, const std::pair<float, std::size_t>& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second < b.second;  // chunks are sorted by id
  };
  std::size_t take = std::min(limit, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(take), scored.end(), better);
  out.reserve(take);
  for (std::size_t i = 0; i < take; ++i) out.push_back({snap->chunks[scored[i].second], scored[i].first});
  return out;
}

}  // namespace clash::tutor
