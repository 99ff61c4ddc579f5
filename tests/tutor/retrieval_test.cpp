// The tutor's retrieval index on every backend: the corpus kept current by the catalogue's level
// edits (same transaction), never holding a solution or hidden case, rebuilt from storage at start,
// the hybrid fusion with level preference, and the concept notes.
#include <filesystem>
#include <fstream>
#include <set>

#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/log.h"
#include "clash/retrieval.h"
#include "clash/storage.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"
#include "tutor/retrieval_fixture.h"

namespace clash::tutor_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

class RetrievalTest : public RetrievalFixture {};

TEST_P(RetrievalTest, EditedLevelIsRetrievedAtOnce) {
  Level level = LoadLevel("python-001");
  ASSERT_THAT(catalogue().Upsert({level}), IsOk());
  auto before = index().Search({.text = "greeting for a name", .k = 3});
  ASSERT_THAT(before, IsOk());
  ASSERT_FALSE(before->empty());
  EXPECT_EQ((*before)[0].chunk.source_id, "python-001");

  level.description = "Count the quokkas parading through Zanzibar and return how many there were.";
  ASSERT_THAT(catalogue().Upsert({level}), IsOk());
  for (auto search : {&RetrievalIndex::Search, &RetrievalIndex::SearchLexical, &RetrievalIndex::SearchVectors}) {
    auto after = (index().*search)({.text = "quokkas parading in zanzibar", .k = 3});
    ASSERT_THAT(after, IsOk());
    ASSERT_FALSE(after->empty());
    EXPECT_EQ((*after)[0].chunk.id, "level:python-001#0");
    EXPECT_NE((*after)[0].chunk.text.find("quokkas parading through Zanzibar"), std::string::npos);
  }
  // The old statement is gone from every chunk.
  for (const IndexedChunk& c : StoredChunks()) EXPECT_EQ(c.chunk.text.find("greeting"), std::string::npos) << c.chunk.id;
}

TEST_P(RetrievalTest, RemovedLevelLeavesTheIndex) {
  ASSERT_THAT(catalogue().Upsert({LoadLevel("python-001"), LoadLevel("python-010")}), IsOk());
  ASSERT_THAT(catalogue().Remove("python-010"), IsOk());
  for (const IndexedChunk& c : StoredChunks()) EXPECT_NE(c.chunk.source_id, "python-010");
  auto hits = index().Search({.text = "collatz steps halving", .k = 10});
  ASSERT_THAT(hits, IsOk());
  for (const ScoredChunk& h : *hits) EXPECT_NE(h.chunk.source_id, "python-010");
}

TEST_P(RetrievalTest, FailedLevelWriteIndexesNothing) {
  Level good = LoadLevel("python-001");
  Level bad = LoadLevel("python-010");
  bad.created_for_user = 999'999;  // no such user: the whole upsert rolls back
  EXPECT_THAT(catalogue().Upsert({good, bad}), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_TRUE(StoredChunks().empty());
  EXPECT_EQ(index().size(), 0u);
  auto hits = index().Search({.text = "greeting name", .k = 5});
  ASSERT_THAT(hits, IsOk());
  EXPECT_TRUE(hits->empty());
}

TEST_P(RetrievalTest, NeverIndexesSolutionsOrHiddenCases) {
  ASSERT_THAT(catalogue().LoadFromDirectory(SourcePath("data/levels")), IsOk());
  std::vector<IndexedChunk> chunks = StoredChunks();
  std::map<std::string, Level> levels;
  auto listed = catalogue().List();
  ASSERT_THAT(listed, IsOk());
  for (const Level& l : *listed) levels[l.slug] = *catalogue().GetForJudging(l.slug);
  std::set<std::string> indexed;
  for (const IndexedChunk& c : chunks) {
    if (c.chunk.source_kind != "level") continue;
    indexed.insert(c.chunk.source_id);
    const Level& l = levels.at(c.chunk.source_id);
    // Every chunk's body is a piece of the statement, the public samples or an authored hint.
    std::string body = c.chunk.text.substr(c.chunk.text.find('\n') + 1);
    bool from_public = l.description.find(body.substr(0, 40)) != std::string::npos ||
                       l.test_code.find(body.substr(0, 40)) != std::string::npos;
    for (const std::string& h : l.secrets.hints) from_public = from_public || h.find(body.substr(0, 40)) != std::string::npos;
    from_public = from_public || body.rfind("Topics:", 0) == 0;
    EXPECT_TRUE(from_public) << c.chunk.id;
    // No line of the reference solution that is not also in the statement or samples.
    std::istringstream sol(l.secrets.solution);
    for (std::string line; std::getline(sol, line);) {
      std::string t = line.substr(line.find_first_not_of(' ') == std::string::npos ? line.size() : line.find_first_not_of(' '));
      if (t.size() < 16 || l.description.find(t) != std::string::npos || l.test_code.find(t) != std::string::npos) continue;
      EXPECT_EQ(c.chunk.text.find(t), std::string::npos) << c.chunk.id << " holds solution line: " << t;
    }
  }
  EXPECT_EQ(indexed.size(), 60u);
  // python-010's hidden cases (collatz_steps(77031) == 350) appear nowhere.
  for (const IndexedChunk& c : chunks) EXPECT_EQ(c.chunk.text.find("77031"), std::string::npos) << c.chunk.id;
}

TEST_P(RetrievalTest, VectorsAreRebuiltFromStorageAtStart) {
  ASSERT_THAT(catalogue().Upsert({LoadLevel("python-001"), LoadLevel("python-010")}), IsOk());
  const std::size_t n = index().size();
  ASSERT_GT(n, 0u);
  auto first = index().SearchVectors({.text = "collatz halving steps", .k = 3});
  ASSERT_THAT(first, IsOk());

  // A new process: the same embedder finds every vector stored.
  auto reopened = RetrievalIndex::Open(storage(), NewHashEmbedder(), logger());
  ASSERT_THAT(reopened, IsOk());
  EXPECT_EQ((*reopened)->size(), n);
  auto again = (*reopened)->SearchVectors({.text = "collatz halving steps", .k = 3});
  ASSERT_THAT(again, IsOk());
  ASSERT_EQ(again->size(), first->size());
  for (std::size_t i = 0; i < first->size(); ++i) EXPECT_EQ((*again)[i].chunk.id, (*first)[i].chunk.id);

  // Another embedder: its vectors are computed and stored, never compared with the old ones.
  auto other = RetrievalIndex::Open(storage(), NewHashEmbedder(128), logger());
  ASSERT_THAT(other, IsOk());
  EXPECT_EQ((*other)->size(), n);
  for (const IndexedChunk& c : StoredChunks()) {
    EXPECT_EQ(c.embedder, "hash-v1:128");
    EXPECT_EQ(c.vector.size(), 128u);
  }
}

TEST_P(RetrievalTest, LevelsWrittenBeforeTheIndexAreSyncedAtOpen) {
  // Written while no indexer listened (a database from before migration 10 has levels like this).
  catalogue().SetIndexer(nullptr);
  ASSERT_THAT(catalogue().Upsert({LoadLevel("python-010")}), IsOk());
  EXPECT_TRUE(StoredChunks().empty());
  auto reopened = RetrievalIndex::Open(storage(), NewHashEmbedder(), logger());
  ASSERT_THAT(reopened, IsOk());
  EXPECT_FALSE(StoredChunks().empty());
  auto hits = (*reopened)->Search({.text = "collatz", .k = 1});
  ASSERT_THAT(hits, IsOk());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().chunk.source_id, "python-010");
}

TEST_P(RetrievalTest, LevelIdIsPreferred) {
  ASSERT_THAT(catalogue().LoadFromDirectory(SourcePath("data/levels")), IsOk());
  const std::string text = "my loop stops one element too early";
  auto plain = index().Search({.text = text, .k = 5});
  ASSERT_THAT(plain, IsOk());
  std::set<std::string> found;
  for (const ScoredChunk& h : *plain) found.insert(h.chunk.source_id);
  // Every level the plain answer misses comes first once the query names it.
  int checked = 0;
  auto listed = catalogue().List();
  ASSERT_THAT(listed, IsOk());
  for (const Level& l : *listed) {
    if (found.count(l.slug) > 0) continue;
    auto preferred = index().Search({.text = text, .k = 5, .level_id = l.slug});
    ASSERT_THAT(preferred, IsOk());
    ASSERT_FALSE(preferred->empty());
    EXPECT_EQ(preferred->front().chunk.source_id, l.slug);
    ++checked;
  }
  EXPECT_GE(checked, 50);
}

TEST_P(RetrievalTest, NotesAreLoadedReplacedAndRemoved) {
  ASSERT_THAT(index().LoadNotes(SourcePath("data/notes")), ::clash::testing::IsOkAndHolds(73));
  auto hits = index().Search({.text = "binary search on a sorted list", .k = 3});
  ASSERT_THAT(hits, IsOk());
  bool found = false;
  for (const ScoredChunk& h : *hits) found = found || h.chunk.source_id == "binary-search";
  EXPECT_TRUE(found);

  // A notes folder with one note changed and the others gone.
  ::clash::testing::TempDir dir;
  std::ofstream(dir.path() / "stacks.md") << "---\nslug: stacks\ntitle: Stacks\ntopics: [stacks]\nlevels: []\n---\n"
                                             "# Stacks\n\n## What it is\nA pile of pancakes: the wombat eats the top one first.\n";
  ASSERT_THAT(index().LoadNotes(dir.path().string()), ::clash::testing::IsOkAndHolds(1));
  std::set<std::string> notes;
  for (const IndexedChunk& c : StoredChunks()) notes.insert(c.chunk.source_id);
  EXPECT_EQ(notes, std::set<std::string>{"stacks"});
  auto wombat = index().Search({.text = "wombat pancakes", .k = 1});
  ASSERT_THAT(wombat, IsOk());
  ASSERT_EQ(wombat->size(), 1u);
  EXPECT_EQ(wombat->front().chunk.id, "note:stacks#1");

  std::ofstream(dir.path() / "broken.md") << "no front matter\n";
  EXPECT_THAT(index().LoadNotes(dir.path().string()), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(RetrievalTest, BadQueriesAndEmptyCorpus) {
  EXPECT_THAT(index().Search({.text = "anything", .k = 0}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(index().Search({.text = "anything", .k = 51}), StatusIs(StatusCode::kInvalidArgument));
  auto empty = index().Search({.text = "anything", .k = 5});
  ASSERT_THAT(empty, IsOk());
  EXPECT_TRUE(empty->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, RetrievalTest, ::testing::ValuesIn(AllBackends()), RetrievalParamName);

}  // namespace
}  // namespace clash::tutor_test
