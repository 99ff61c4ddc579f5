// The embedders and the chunker: hash-v1 (offline), the OpenAI-compatible client against a fake
// server on 127.0.0.1 (every error branch through the real HTTP client), chunks with overlap.
#include <cmath>

#include "clash/retrieval.h"
#include "clash/transport.h"
#include "support/test_support.h"
#include "tutor/chunker.h"
#include "tutor/fake_embeddings.h"
#include "tutor/retrieval_fixture.h"

namespace clash::tutor_test {
namespace {

using ::clash::testing::FakeEmbeddings;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

TEST(HashEmbedderTest, UnitLengthDeterministicAndTolerantOfMisspellings) {
  auto e = NewHashEmbedder();
  EXPECT_EQ(e->Name(), "hash-v1");
  EXPECT_EQ(e->Dimensions(), 256);
  EXPECT_EQ(NewHashEmbedder(128)->Name(), "hash-v1:128");
  auto v = e->Embed({"binary search on a sorted list", "binery serch on sorted lists", "heap of pancakes for dinner", ""});
  ASSERT_THAT(v, IsOk());
  ASSERT_EQ(v->size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(Dot((*v)[i], (*v)[i]), 1.0, 1e-5);
  EXPECT_NEAR(Dot((*v)[3], (*v)[3]), 0.0, 1e-9);  // no words: the zero vector
  EXPECT_GT(Dot((*v)[0], (*v)[1]), 0.3);  // measured 0.39
  EXPECT_GT(Dot((*v)[0], (*v)[1]), Dot((*v)[0], (*v)[2]) + 0.3);
  auto again = NewHashEmbedder()->Embed({"binary search on a sorted list"});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)[0], (*v)[0]);
  EXPECT_THAT(NewHashEmbedder(8)->Embed({"x"}), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ChunkerTest, SectionsAreCutWithOverlapAndContext) {
  tutor::Document doc;
  doc.source_kind = "note";
  doc.source_id = "demo";
  doc.title = "Demo";
  doc.context = "Note · Demo";
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "w" + std::to_string(i) + (i % 10 == 9 ? "\n" : " ");
  doc.sections = {{"Example", long_text}, {"Common mistakes", "only a few words"}, {"Empty", "  \n "}};
  std::vector<Chunk> chunks = tutor::ChunkDocument(doc, {.chunk_words = 40, .overlap_words = 10});
  // 100 words in windows of 40 moving by 30: [0,40) [30,70) [60,100); then the short section.
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(chunks[0].id, "note:demo#0");
  EXPECT_EQ(chunks[3].id, "note:demo#3");
  EXPECT_EQ(chunks[0].text.rfind("Note · Demo · Example\nw0 w1", 0), 0u);
  EXPECT_NE(chunks[0].text.find("w39"), std::string::npos);
  EXPECT_EQ(chunks[0].text.find("w40"), std::string::npos);
  EXPECT_EQ(chunks[1].text.rfind("Note · Demo · Example\nw30 ", 0), 0u);  // 10 words shared
  EXPECT_NE(chunks[1].text.find("w39\nw40"), std::string::npos);           // line breaks kept
  EXPECT_NE(chunks[2].text.find("w99"), std::string::npos);
  EXPECT_EQ(chunks[3].text, "Note · Demo · Common mistakes\nonly a few words");
  for (const Chunk& c : chunks) {
    EXPECT_EQ(c.source_kind, "note");
    EXPECT_EQ(c.source_id, "demo");
    EXPECT_EQ(c.title, "Demo");
  }
}

TEST(ChunkerTest, LevelDocumentHasStatementSamplesAndHintsOnly) {
  auto level = ReadLevelFolder(SourcePath("data/levels/python-010"));
  ASSERT_THAT(level, IsOk());
  tutor::Document doc = tutor::LevelDocument(*level);
  ASSERT_EQ(doc.sections.size(), 5u);
  EXPECT_EQ(doc.sections[0].heading, "Statement");
  EXPECT_EQ(doc.sections[1].heading, "Public samples");
  EXPECT_EQ(doc.sections[1].text, level->test_code);
  EXPECT_EQ(doc.sections[4].heading, "Hint 3");
  for (const tutor::Section& s : doc.sections) {
    EXPECT_EQ(s.text.find("77031"), std::string::npos);         // a hidden case
    EXPECT_EQ(s.text.find("n = 3 * n + 1"), std::string::npos);  // the reference solution
  }
}

TEST(ChunkerTest, NoteFrontMatter) {
  auto doc = tutor::ParseNote("---\nslug: two-pointers\ntitle: \"Two pointers: meet in the middle\"\n"
                              "topics: [arrays, pointers]\nlevels: [python-020]\n---\n# Two pointers\n\n"
                              "## What it is\nTwo indices.\n## Example\n```python\nx = 1\n```\n");
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->source_id, "two-pointers");
  EXPECT_EQ(doc->title, "Two pointers: meet in the middle");
  ASSERT_EQ(doc->sections.size(), 3u);
  EXPECT_EQ(doc->sections[0].text, "Topics: arrays, pointers\nLevels: python-020\n\n");  // + the blank line
  EXPECT_EQ(doc->sections[2].heading, "Example");
  EXPECT_THAT(tutor::ParseNote("# no front matter"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(tutor::ParseNote("---\nslug: x\n"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(tutor::ParseNote("---\nslug: Bad Slug\ntitle: t\n---\n"), StatusIs(StatusCode::kInvalidArgument));
}

class OpenAiEmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto http = NewHttpClient({});
    ASSERT_THAT(http, IsOk());
    http_ = std::move(http).value();
  }
  std::unique_ptr<Embedder> Make(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    OpenAiEmbedderOptions o{.base_url = fake_.base() + "/", .model = "emb-small", .api_key = "sk-test", .timeout = timeout,
                            .batch_size = 3};
    auto e = NewOpenAiEmbedder(o, *http_);
    EXPECT_THAT(e, IsOk());
    return e.ok() ? std::move(e).value() : nullptr;
  }
  FakeEmbeddings fake_;
  std::unique_ptr<HttpClient> http_;
};

TEST_F(OpenAiEmbedderTest, EmbedsInBatchesWithTheKeyAndModel) {
  auto e = Make();
  EXPECT_EQ(e->Name(), "openai:emb-small");
  EXPECT_EQ(e->Dimensions(), 0);  // learnt from the first answer
  std::vector<std::string> texts = {"a b", "binary search", "c", "d", "heaps"};
  auto v = e->Embed(texts);
  ASSERT_THAT(v, IsOk());
  ASSERT_EQ(v->size(), 5u);
  EXPECT_EQ(e->Dimensions(), 64);
  auto expected = NewHashEmbedder(64)->Embed(texts);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_NEAR(Dot((*v)[i], (*expected)[i]), 1.0, 1e-5) << i;
  auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 2u);  // batches of 3
  EXPECT_EQ(requests[0].authorization, "Bearer sk-test");
  EXPECT_EQ(requests[0].model, "emb-small");
  EXPECT_EQ(requests[0].input, (std::vector<std::string>{"a b", "binary search", "c"}));
  EXPECT_EQ(requests[1].input, (std::vector<std::string>{"d", "heaps"}));
}

TEST_F(OpenAiEmbedderTest, ErrorsAreClear) {
  auto e = Make();
  fake_.set_mode(FakeEmbeddings::Mode::kUnauthorized);
  EXPECT_THAT(e->Embed({"x"}), StatusIs(StatusCode::kUnauthenticated));
  fake_.set_mode(FakeEmbeddings::Mode::kServerError);
  EXPECT_THAT(e->Embed({"x"}), StatusIs(StatusCode::kUnavailable));
  fake_.set_mode(FakeEmbeddings::Mode::kMalformed);
  EXPECT_THAT(e->Embed({"x"}), StatusIs(StatusCode::kInternal));
  fake_.set_mode(FakeEmbeddings::Mode::kWrongCount);
  EXPECT_THAT(e->Embed({"x", "y"}), StatusIs(StatusCode::kInternal));
  OpenAiEmbedderOptions no_model{.base_url = fake_.base(), .model = ""};
  EXPECT_THAT(NewOpenAiEmbedder(no_model, *http_), StatusIs(StatusCode::kInvalidArgument));
  OpenAiEmbedderOptions bad_url{.base_url = "ftp://x", .model = "m"};
  EXPECT_THAT(NewOpenAiEmbedder(bad_url, *http_), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(OpenAiEmbedderTest, ServerThatNeverAnswersTimesOut) {
  auto e = Make(std::chrono::milliseconds(300));
  fake_.set_mode(FakeEmbeddings::Mode::kHang);  // held until the fake is destroyed
  EXPECT_THAT(e->Embed({"x"}), StatusIs(StatusCode::kDeadlineExceeded));
}

TEST_F(OpenAiEmbedderTest, UnreachableServerIsUnavailable) {
  // A port nothing listens on: bind one, note it, close it.
  std::string base;
  {
    FakeEmbeddings gone;
    base = gone.base();
  }
  OpenAiEmbedderOptions o{.base_url = base, .model = "m"};
  auto e = NewOpenAiEmbedder(o, *http_);
  ASSERT_THAT(e, IsOk());
  EXPECT_THAT((*e)->Embed({"x"}), StatusIs(StatusCode::kUnavailable));
}

// The retrieval index with vectors from the OpenAI-compatible client; when the service fails at
// query time the answer falls back to BM25 instead of failing.
class OpenAiRetrievalTest : public RetrievalFixture {};

TEST_P(OpenAiRetrievalTest, IndexesThroughTheClientAndDegradesToLexical) {
  FakeEmbeddings fake;
  auto http = NewHttpClient({});
  ASSERT_THAT(http, IsOk());
  auto embedder = NewOpenAiEmbedder({.base_url = fake.base(), .model = "emb"}, **http);
  ASSERT_THAT(embedder, IsOk());
  auto index = RetrievalIndex::Open(storage(), std::shared_ptr<Embedder>(std::move(embedder).value()), logger());
  ASSERT_THAT(index, IsOk());
  catalogue().SetIndexer(index->get());
  ASSERT_THAT(catalogue().Upsert({LoadLevel("python-010")}), IsOk());
  for (const IndexedChunk& c : StoredChunks()) {
    EXPECT_EQ(c.embedder, "openai:emb");
    EXPECT_EQ(c.vector.size(), 64u);
  }
  auto hits = (*index)->SearchVectors({.text = "collatz sequence steps", .k = 1});
  ASSERT_THAT(hits, IsOk());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().chunk.source_id, "python-010");

  fake.set_mode(FakeEmbeddings::Mode::kServerError);
  auto lexical_only = (*index)->Search({.text = "collatz", .k = 2});
  ASSERT_THAT(lexical_only, IsOk());
  ASSERT_FALSE(lexical_only->empty());
  EXPECT_EQ(lexical_only->front().chunk.source_id, "python-010");
  // A level edit while the service is down still commits; its chunks wait for vectors.
  Level edited = LoadLevel("python-010");
  edited.description = "Walk the hailstone sequence.";
  ASSERT_THAT(catalogue().Upsert({edited}), IsOk());
  auto hail = (*index)->Search({.text = "hailstone", .k = 1});
  ASSERT_THAT(hail, IsOk());
  ASSERT_EQ(hail->size(), 1u);
  EXPECT_EQ(hail->front().chunk.id, "level:python-010#0");
  catalogue().SetIndexer(nullptr);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenAiRetrievalTest, ::testing::ValuesIn(AllBackends()), RetrievalParamName);

}  // namespace
}  // namespace clash::tutor_test
