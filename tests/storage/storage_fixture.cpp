#include "storage/storage_fixture.h"

#include "support/test_support.h"
#if CLASH_TEST_WITH_POSTGRES
#include "storage/pg_scratch.h"
#endif

namespace clash {
namespace {

class SqliteFile final : public ScratchBackend {
 public:
  std::string url() const override { return "sqlite://" + (dir_.path() / "test.db").string(); }

 private:
  testing::TempDir dir_;
};

class SqliteMemory final : public ScratchBackend {
 public:
  std::string url() const override { return "sqlite::memory:"; }
};

}  // namespace

std::vector<BackendParam> AllBackends() {
  std::vector<BackendParam> out = {
      {"SqliteFile", "sqlite", true, [] { return std::make_unique<SqliteFile>(); }},
      {"SqliteMemory", "sqlite", false, [] { return std::make_unique<SqliteMemory>(); }},
  };
#if CLASH_TEST_WITH_POSTGRES
  if (auto url = testing::PostgresUrl()) {
    std::string server = *url;
    out.push_back({"Postgres", "postgresql", true, [server] { return NewPostgresScratch(server); }});
  }
#endif
  return out;
}

}  // namespace clash
