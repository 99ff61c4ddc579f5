// clash::RetrievalIndex searches: BM25 from storage, exact vectors in process, and their
// reciprocal rank fusion (Cormack et al. 2009) with the query's level as a third ranking.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "tutor/retrieval_internal.h"

namespace clash {
namespace {

Status CheckQuery(const RetrievalQuery& query) {
  if (query.k < 1 || query.k > 50) return Status::InvalidArgument("k must be 1-50");
  if (query.text.size() > 20000) return Status::InvalidArgument("query text is longer than 20000 bytes");
  return Status::Ok();
}

}  // namespace

std::vector<ScoredChunk> CapPerDocument(std::vector<ScoredChunk> ranked, int per_document, int k) {
  std::vector<ScoredChunk> out;
  std::map<std::pair<std::string, std::string>, int> taken;
  for (ScoredChunk& s : ranked) {
    if (static_cast<int>(out.size()) >= k) break;
    int& n = taken[{s.chunk.source_kind, s.chunk.source_id}];
    if (n >= per_document) continue;
    ++n;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<ScoredChunk>> RetrievalIndex::Impl::Lexical(const std::string& text, int limit) {
  std::vector<ScoredChunk> hits;
  CLASH_RETURN_IF_ERROR(storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(hits, tx.retrieval().SearchText(text, limit));
    return Status::Ok();
  }));
  return hits;
}

Result<std::vector<float>> RetrievalIndex::Impl::QueryVector(const std::string& text) {
  CLASH_ASSIGN_OR_RETURN(std::vector<std::vector<float>> v, embedder->Embed({text}));
  if (v.size() != 1) return Status::Internal("embedder returned the wrong number of vectors");
  return std::move(v[0]);
}

Result<std::vector<ScoredChunk>> RetrievalIndex::Impl::Fused(const RetrievalQuery& query, int candidates) {
  CLASH_ASSIGN_OR_RETURN(std::vector<ScoredChunk> lexical, Lexical(query.text, candidates));
  std::vector<std::vector<ScoredChunk>> rankings;
  std::vector<double> weights;
  rankings.push_back(std::move(lexical));
  weights.push_back(options.lexical_weight);
  Result<std::vector<float>> q = QueryVector(query.text);
  // A text without words has the zero vector: it ranks nothing.
  const bool has_vector = q.ok() && std::any_of(q->begin(), q->end(), [](float x) { return x != 0.0f; });
  if (has_vector) {
    rankings.push_back(vectors.TopK(*q, static_cast<std::size_t>(candidates)));
    weights.push_back(options.vector_weight);
    if (!query.level_id.empty()) {
      rankings.push_back(vectors.TopK(*q, static_cast<std::size_t>(candidates), query.level_id));
      weights.push_back(options.level_weight);
    }
  } else if (!q.ok()) {
    // An embeddings service that is down costs the vector half, not the answer.
    logger.Warn("retrieval: query embedding failed; lexical results only", {{"error", std::string(q.status().message())}});
  }
  std::unordered_map<std::string, ScoredChunk> fused;
  for (std::size_t r = 0; r < rankings.size(); ++r) {
    const std::vector<ScoredChunk>& ranking = rankings[r];
    for (std::size_t rank = 0; rank < ranking.size(); ++rank) {
      double add = weights[r] / (options.rrf_k + static_cast<double>(rank) + 1.0);
      auto [it, inserted] = fused.try_emplace(ranking[rank].chunk.id, ScoredChunk{ranking[rank].chunk, 0.0});
      it->second.score += add;
    }
  }
  std::vector<ScoredChunk> out;
  out.reserve(fused.size());
  for (auto& [id, s] : fused) out.push_back(std::move(s));
  std::sort(out.begin(), out.end(), [](const ScoredChunk& a, const ScoredChunk& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.chunk.id < b.chunk.id;
  });
  return out;
}

Result<std::vector<ScoredChunk>> RetrievalIndex::Search(const RetrievalQuery& query) {
  CLASH_RETURN_IF_ERROR(CheckQuery(query));
  CLASH_ASSIGN_OR_RETURN(std::vector<ScoredChunk> fused, impl_->Fused(query, impl_->options.candidates));
  return CapPerDocument(std::move(fused), impl_->options.max_per_document, query.k);
}

Result<std::vector<ScoredChunk>> RetrievalIndex::SearchExhaustive(const RetrievalQuery& query) {
  CLASH_RETURN_IF_ERROR(CheckQuery(query));
  long long count = 0;
  CLASH_RETURN_IF_ERROR(impl_->storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(count, tx.retrieval().Count());
    return Status::Ok();
  }));
  int all = static_cast<int>(std::max<long long>(count, 1));
  CLASH_ASSIGN_OR_RETURN(std::vector<ScoredChunk> fused, impl_->Fused(query, all));
  return CapPerDocument(std::move(fused), impl_->options.max_per_document, query.k);
}

Result<std::vector<ScoredChunk>> RetrievalIndex::SearchLexical(const RetrievalQuery& query) {
  CLASH_RETURN_IF_ERROR(CheckQuery(query));
  CLASH_ASSIGN_OR_RETURN(std::vector<ScoredChunk> hits, impl_->Lexical(query.text, impl_->options.candidates));
  return CapPerDocument(std::move(hits), impl_->options.max_per_document, query.k);
}

Result<std::vector<ScoredChunk>> RetrievalIndex::SearchVectors(const RetrievalQuery& query) {
  CLASH_RETURN_IF_ERROR(CheckQuery(query));
  CLASH_ASSIGN_OR_RETURN(std::vector<float> q, impl_->QueryVector(query.text));
  std::vector<ScoredChunk> hits = impl_->vectors.TopK(q, static_cast<std::size_t>(impl_->options.candidates));
  return CapPerDocument(std::move(hits), impl_->options.max_per_document, query.k);
}

}  // namespace clash
