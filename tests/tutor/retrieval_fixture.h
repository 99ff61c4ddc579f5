// Shared by the retrieval tests: a fresh database on each backend of AllBackends(), a catalogue
// with the retrieval index (hash-v1) as its indexer, and helpers to read level folders and the
// stored chunks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/log.h"
#include "clash/retrieval.h"
#include "clash/storage.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash::tutor_test {

inline std::string SourcePath(const std::string& relative) { return std::string(CLASH_SOURCE_DIR) + "/" + relative; }

inline std::string RetrievalParamName(const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; }

class NullSink final : public LogSink {
 public:
  void WriteLine(std::string_view) override {}
};

class RetrievalFixture : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    ASSERT_TRUE(backend_ != nullptr);
    auto opened = OpenStorage(backend_->url());
    ASSERT_THAT(opened, ::clash::testing::IsOk());
    storage_ = std::move(opened).value();
    catalogue_ = std::make_unique<Catalogue>(*storage_, clock_, std::chrono::milliseconds(0));
    auto index = RetrievalIndex::Open(*storage_, NewHashEmbedder(), logger_);
    ASSERT_THAT(index, ::clash::testing::IsOk());
    index_ = std::move(index).value();
    catalogue_->SetIndexer(index_.get());
  }

  Level LoadLevel(const std::string& slug) {
    auto level = ReadLevelFolder(SourcePath("data/levels/" + slug));
    EXPECT_THAT(level, ::clash::testing::IsOk());
    return level.ok() ? *level : Level{};
  }
  std::vector<IndexedChunk> StoredChunks() {
    std::vector<IndexedChunk> out;
    EXPECT_THAT(storage_->Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.retrieval().All());
      return Status::Ok();
    }),
                ::clash::testing::IsOk());
    return out;
  }

  Storage& storage() { return *storage_; }
  Catalogue& catalogue() { return *catalogue_; }
  RetrievalIndex& index() { return *index_; }
  Logger& logger() { return logger_; }

  FakeClock clock_{Timestamp::FromUnixSeconds(1'800'000'000)};
  NullSink sink_;
  Logger logger_{sink_, clock_, LogLevel::kError};
  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<RetrievalIndex> index_;
};

}  // namespace clash::tutor_test
