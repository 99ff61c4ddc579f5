// clash-tutor-retrieval-bench SOURCE_DIR STORAGE_URL [CHUNKS=10000] [ROUNDS=5]
//
// The tutor's hybrid retrieval (BM25 from storage + exact hash-v1 vectors in process + reciprocal
// rank fusion) over a corpus of CHUNKS chunks: the 60 levels and 73 concept notes of SOURCE_DIR,
// padded with synthetic distractor notes whose words are drawn from the real corpus (so BM25 and
// the vectors see a realistic vocabulary). Runs the labelled queries of
// data/tutor/retrieval_eval.json ROUNDS times on this one thread and prints:
//   chunks=<n> queries=<n> p50_us=<n> p99_us=<n> max_us=<n>
//   recall5_hybrid=<r> recall5_oracle=<r> agreement5=<r> open_ms=<n>
// recall5_*: share of the relevant documents found in the top 5 (hybrid, and the brute-force
// oracle: the same fusion over the complete rankings of every chunk); agreement5: share of the
// oracle's top 5 chunks that the hybrid also returns. Run it under `taskset -c 0` (bench/tutor_retrieval.sh).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/log.h"
#include "clash/retrieval.h"
#include "clash/storage.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

int Fail(const clash::Status& s, const char* what) {
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  return 1;
}

class QuietSink final : public clash::LogSink {
 public:
  void WriteLine(std::string_view) override {}
};

struct Query {
  std::string text;
  std::vector<std::string> relevant;
};

double Recall(const std::vector<clash::ScoredChunk>& hits, const std::vector<std::string>& relevant) {
  std::set<std::string> docs;
  for (const auto& h : hits) docs.insert(h.chunk.source_kind + ":" + h.chunk.source_id);
  int found = 0;
  for (const auto& r : relevant) found += docs.count(r) > 0 ? 1 : 0;
  return relevant.empty() ? 0.0 : static_cast<double>(found) / static_cast<double>(relevant.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: clash-tutor-retrieval-bench SOURCE_DIR STORAGE_URL [CHUNKS=10000] [ROUNDS=5]\n");
    return 2;
  }
  const std::string source = argv[1];
  const std::string url = argv[2];
  const long long target = argc > 3 ? std::atoll(argv[3]) : 10000;
  const int rounds = argc > 4 ? std::atoi(argv[4]) : 5;

  auto storage = clash::OpenStorage(url);
  if (!storage.ok()) return Fail(storage.status(), "open storage");
  clash::FakeClock clock;
  QuietSink sink;
  clash::Logger logger(sink, clock, clash::LogLevel::kError);
  {
    clash::Catalogue catalogue(**storage, clock, std::chrono::milliseconds(0));
    auto index = clash::RetrievalIndex::Open(**storage, clash::NewHashEmbedder(), logger);
    if (!index.ok()) return Fail(index.status(), "open index");
    catalogue.SetIndexer(index->get());
    if (auto n = catalogue.LoadFromDirectory(source + "/data/levels"); !n.ok()) return Fail(n.status(), "levels");
    if (auto n = (*index)->LoadNotes(source + "/data/notes"); !n.ok()) return Fail(n.status(), "notes");

    // Distractors: synthetic notes of 3 chunks each, words drawn from the real chunks.
    std::vector<std::string> vocabulary;
    long long have = 0;
    clash::Status s = (*storage)->Read([&](clash::StorageTransaction& tx) -> clash::Status {
      CLASH_ASSIGN_OR_RETURN(auto all, tx.retrieval().All());
      have = static_cast<long long>(all.size());
      for (const auto& c : all) {
        std::istringstream words(c.chunk.text);
        for (std::string w; words >> w;) vocabulary.push_back(w);
      }
      return clash::Status::Ok();
    });
    if (!s.ok()) return Fail(s, "read corpus");
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, vocabulary.size() - 1);
    auto embedder = clash::NewHashEmbedder();
    for (long long doc = 0; have < target; ++doc) {
      std::vector<clash::IndexedChunk> chunks;
      for (int seq = 0; seq < 3 && have < target; ++seq, ++have) {
        std::string slug = "synthetic-" + std::to_string(doc);
        std::string text = "Note · Synthetic " + std::to_string(doc) + " · Part\n";
        for (int w = 0; w < 90; ++w) text += vocabulary[pick(rng)] + " ";
        clash::IndexedChunk c;
        c.chunk = {.id = "note:" + slug + "#" + std::to_string(seq), .source_kind = "note", .source_id = slug,
                   .title = "Synthetic " + std::to_string(doc), .text = text};
        c.seq = seq;
        c.embedder = embedder->Name();
        c.vector = std::move(embedder->Embed({text}).value()[0]);
        chunks.push_back(std::move(c));
      }
      const std::string kind = "note", id = chunks.front().chunk.source_id;
      s = (*storage)->Transact([&](clash::StorageTransaction& tx) { return tx.retrieval().ReplaceDocument(kind, id, chunks); });
      if (!s.ok()) return Fail(s, "write distractors");
    }
  }

  // A fresh index, as at a process start: vectors read back from storage.
  auto t0 = SteadyClock::now();
  auto index = clash::RetrievalIndex::Open(**storage, clash::NewHashEmbedder(), logger);
  if (!index.ok()) return Fail(index.status(), "reopen index");
  const long long open_ms = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t0).count();

  std::ifstream in(source + "/data/tutor/retrieval_eval.json");
  nlohmann::json eval = nlohmann::json::parse(in, nullptr, false);
  if (!eval.is_array()) return Fail(clash::Status::InvalidArgument("eval set"), "read eval set");
  std::vector<Query> queries;
  for (const auto& q : eval) queries.push_back({q.at("query"), q.at("relevant").get<std::vector<std::string>>()});

  double recall = 0, oracle_recall = 0, agreement = 0;
  for (const Query& q : queries) {
    auto hybrid = (*index)->Search({.text = q.text, .k = 5});
    auto oracle = (*index)->SearchExhaustive({.text = q.text, .k = 5});
    if (!hybrid.ok() || !oracle.ok()) return Fail(hybrid.ok() ? oracle.status() : hybrid.status(), "search");
    recall += Recall(*hybrid, q.relevant);
    oracle_recall += Recall(*oracle, q.relevant);
    std::set<std::string> got;
    for (const auto& h : *hybrid) got.insert(h.chunk.id);
    int same = 0;
    for (const auto& o : *oracle) same += got.count(o.chunk.id) > 0 ? 1 : 0;
    agreement += oracle->empty() ? 1.0 : static_cast<double>(same) / static_cast<double>(oracle->size());
  }
  const double n = static_cast<double>(queries.size());

  std::vector<long long> micros;
  for (int r = 0; r < rounds; ++r) {
    for (const Query& q : queries) {
      auto start = SteadyClock::now();
      auto hits = (*index)->Search({.text = q.text, .k = 5});
      auto took = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start).count();
      if (!hits.ok()) return Fail(hits.status(), "search");
      micros.push_back(took);
    }
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<std::size_t>(p * static_cast<double>(micros.size())))]; };
  std::printf("chunks=%zu queries=%zu p50_us=%lld p99_us=%lld max_us=%lld\n", (*index)->size(), micros.size(), at(0.50),
              at(0.99), micros.back());
  std::printf("recall5_hybrid=%.3f recall5_oracle=%.3f agreement5=%.3f open_ms=%lld\n", recall / n, oracle_recall / n,
              agreement / n, open_ms);
  return 0;
}
