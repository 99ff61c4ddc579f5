// The retrieval part of the storage contract (RetrievalStore): every backend must pass these tests
// (SQLite file and :memory:, PostgreSQL): documents replaced as a unit, the full-text index in step
// with the chunks, vectors stored with their embedder's name.
#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

IndexedChunk Make(const std::string& kind, const std::string& doc, int seq, const std::string& text,
                  std::vector<float> vector = {}) {
  IndexedChunk c;
  c.chunk = Chunk{.id = kind + ":" + doc + "#" + std::to_string(seq), .source_kind = kind, .source_id = doc,
                  .title = "Title of " + doc, .text = text};
  c.seq = seq;
  if (!vector.empty()) c.embedder = "hash-v1";
  c.vector = std::move(vector);
  return c;
}

std::vector<std::string> Ids(const std::vector<ScoredChunk>& hits) {
  std::vector<std::string> out;
  for (const ScoredChunk& h : hits) out.push_back(h.chunk.id);
  return out;
}

class RetrievalStoreTest : public EconomyStoreTest {
 protected:
  Status Replace(const std::string& kind, const std::string& doc, const std::vector<IndexedChunk>& chunks) {
    return Do([&](StorageTransaction& tx) { return tx.retrieval().ReplaceDocument(kind, doc, chunks); });
  }
  Result<std::vector<ScoredChunk>> Search(const std::string& q, int limit = 10) {
    return Read([&](StorageTransaction& tx) { return tx.retrieval().SearchText(q, limit); });
  }
  Result<std::vector<IndexedChunk>> Doc(const std::string& kind, const std::string& doc) {
    return Read([&](StorageTransaction& tx) { return tx.retrieval().Document(kind, doc); });
  }
};

TEST_P(RetrievalStoreTest, ReplaceStoresChunksInOrderWithVectors) {
  ASSERT_THAT(Replace("note", "stacks", {Make("note", "stacks", 0, "A stack is last in, first out.", {0.6f, 0.8f}),
                                         Make("note", "stacks", 1, "Push with append, pop with pop.")}),
              IsOk());
  auto doc = Doc("note", "stacks");
  ASSERT_THAT(doc, IsOk());
  ASSERT_EQ(doc->size(), 2u);
  EXPECT_EQ((*doc)[0], Make("note", "stacks", 0, "A stack is last in, first out.", {0.6f, 0.8f}));
  EXPECT_EQ((*doc)[1].chunk.text, "Push with append, pop with pop.");
  EXPECT_EQ((*doc)[1].embedder, "");
  EXPECT_THAT((*doc)[1].vector, IsEmpty());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.retrieval().Count(); }), IsOkAndHolds(2));
}

TEST_P(RetrievalStoreTest, FullTextFindsStemmedWordsBestFirst) {
  ASSERT_THAT(Replace("note", "dicts", {Make("note", "dicts", 0, "Counting letters with a dictionary of counts."),
                                        Make("note", "dicts", 1, "Dictionaries map keys to values.")}),
              IsOk());
  ASSERT_THAT(Replace("level", "python-001", {Make("level", "python-001", 0, "Return a greeting for the name.")}), IsOk());
  // "counted" and "count" stem to the same word as "Counting"/"counts".
  EXPECT_THAT(Search("how is a letter counted"), IsOkAndHolds(::testing::Truly([](const std::vector<ScoredChunk>& h) {
                return !h.empty() && h[0].chunk.id == "note:dicts#0";
              })));
  auto hits = Search("greeting name");
  ASSERT_THAT(hits, IsOk());
  EXPECT_THAT(Ids(*hits), ElementsAre("level:python-001#0"));
  EXPECT_EQ((*hits)[0].chunk.source_kind, "level");
  EXPECT_EQ((*hits)[0].chunk.title, "Title of python-001");
  // Two matching words score above one.
  auto both = Search("dictionary counts keys");
  ASSERT_THAT(both, IsOk());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_GE((*both)[0].score, (*both)[1].score);
}

TEST_P(RetrievalStoreTest, QueryOperatorsArePlainText) {
  ASSERT_THAT(Replace("note", "bool", {Make("note", "bool", 0, "Combine conditions with and, or, not.")}), IsOk());
  EXPECT_THAT(Search(R"(conditions AND "quoted NOT* title: (x) | !y & 'z')"), IsOkAndHolds(::testing::SizeIs(1)));
  EXPECT_THAT(Search("?!* ()"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search(""), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search("zebra"), IsOkAndHolds(IsEmpty()));
}

TEST_P(RetrievalStoreTest, ReplacingADocumentDropsItsOldTextFromTheIndex) {
  ASSERT_THAT(Replace("level", "python-002", {Make("level", "python-002", 0, "Add two numbers."),
                                              Make("level", "python-002", 1, "Sample: add(1, 2) == 3")}),
              IsOk());
  ASSERT_THAT(Replace("level", "python-002", {Make("level", "python-002", 0, "Multiply two matrices.")}), IsOk());
  EXPECT_THAT(Search("add numbers"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Search("matrices"), IsOkAndHolds(::testing::SizeIs(1)));
  ASSERT_THAT(Replace("level", "python-002", {}), IsOk());
  EXPECT_THAT(Search("matrices"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Doc("level", "python-002"), IsOkAndHolds(IsEmpty()));
}

TEST_P(RetrievalStoreTest, RolledBackReplaceLeavesTheOldChunks) {
  ASSERT_THAT(Replace("note", "heaps", {Make("note", "heaps", 0, "heapq keeps the smallest first.")}), IsOk());
  Status s = Do([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.retrieval().ReplaceDocument("note", "heaps", {Make("note", "heaps", 0, "priority queues")}));
    return Status::Aborted("caller gave up");
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kAborted));
  EXPECT_THAT(Search("smallest"), IsOkAndHolds(::testing::SizeIs(1)));
  EXPECT_THAT(Search("priority"), IsOkAndHolds(IsEmpty()));
}

TEST_P(RetrievalStoreTest, RejectsForeignAndDuplicateChunks) {
  EXPECT_THAT(Replace("note", "a", {Make("note", "b", 0, "x")}), StatusIs(StatusCode::kInvalidArgument));
  IndexedChunk no_id = Make("note", "a", 0, "x");
  no_id.chunk.id = "";
  EXPECT_THAT(Replace("note", "a", {no_id}), StatusIs(StatusCode::kInvalidArgument));
  ASSERT_THAT(Replace("note", "a", {Make("note", "a", 0, "first")}), IsOk());
  IndexedChunk stolen = Make("note", "b", 0, "second");
  stolen.chunk.id = "note:a#0";
  EXPECT_THAT(Replace("note", "b", {stolen}), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(Doc("note", "b"), IsOkAndHolds(IsEmpty()));
}

TEST_P(RetrievalStoreTest, SetVectorAndAll) {
  ASSERT_THAT(Replace("note", "b", {Make("note", "b", 0, "beta")}), IsOk());
  ASSERT_THAT(Replace("level", "python-009", {Make("level", "python-009", 0, "leap years")}), IsOk());
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.retrieval().SetVector("note:b#0", "openai:m", {1.0f, 0.0f, -0.5f}); }),
              IsOkAndHolds(true));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.retrieval().SetVector("note:zz#0", "openai:m", {1.0f}); }),
              IsOkAndHolds(false));
  auto all = Read([&](StorageTransaction& tx) { return tx.retrieval().All(); });
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].chunk.id, "level:python-009#0");
  EXPECT_EQ((*all)[1].embedder, "openai:m");
  EXPECT_EQ((*all)[1].vector, (std::vector<float>{1.0f, 0.0f, -0.5f}));
  // Setting a vector keeps the text searchable.
  EXPECT_THAT(Search("beta"), IsOkAndHolds(::testing::SizeIs(1)));
}

INSTANTIATE_TEST_SUITE_P(Backends, RetrievalStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
