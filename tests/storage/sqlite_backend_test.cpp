// SQLite-only behaviour the storage contract cannot express: group commit (concurrent write
// transactions share one SQLite transaction, each in its own savepoint) and the background WAL
// checkpointer that keeps the WAL bounded under a steady stream of writes.
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "clash/storage.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

// Creates a user; only the status matters here.
Status CreateUser(StorageTransaction& tx, const std::string& name);

NewUser MakeUser(const std::string& name) {
  NewUser u;
  u.username = name;
  u.email = name + "@example.com";
  u.created_at = Timestamp::FromUnixSeconds(1'700'000'000);
  return u;
}

Status CreateUser(StorageTransaction& tx, const std::string& name) {
  Result<User> created = tx.users().Create(MakeUser(name));
  return created.ok() ? Status::Ok() : created.status();
}

class SqliteBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenStorage(url());
    ASSERT_THAT(opened, IsOk());
    storage_ = std::move(opened).value();
  }
  std::string url() const { return "sqlite://" + (dir_.path() / "group.db").string(); }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
};

// Many threads write at once so their transactions share batches. Every other function fails after
// writing: exactly its own writes must disappear, and every function gets its own status.
TEST_F(SqliteBackendTest, AFailingTransactionInABatchRollsBackAloneAndOthersCommit) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 150;
  std::atomic<int> wrong_status{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool fail = (i % 2) == 1;
        std::string name = "u" + std::to_string(t) + "_" + std::to_string(i);
        Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
          CLASH_RETURN_IF_ERROR(CreateUser(tx, name));
          CLASH_RETURN_IF_ERROR(CreateUser(tx, name + "_second"));
          if (fail) return Status::InvalidArgument("refused " + name);
          return Status::Ok();
        });
        bool right = fail ? (s.code() == StatusCode::kInvalidArgument && s.message() == "refused " + name) : s.ok();
        if (!right) wrong_status++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong_status.load(), 0);

  ASSERT_THAT(storage_->Read([&](StorageTransaction& tx) -> Status {
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kPerThread; ++i) {
        std::string name = "u" + std::to_string(t) + "_" + std::to_string(i);
        for (const std::string& n : {name, name + "_second"}) {
          Result<User> u = tx.users().GetByUsername(n);
          bool should_exist = (i % 2) == 0;
          if (u.ok() != should_exist) return Status::Internal(n + (should_exist ? " is missing" : " should not exist"));
        }
      }
    }
    return Status::Ok();
  }),
              IsOk());
}

// A constraint violation inside one function of a batch (a taken username) fails that function only.
TEST_F(SqliteBackendTest, AConstraintErrorInABatchFailsOnlyItsFunction) {
  ASSERT_THAT(storage_->Transact([&](StorageTransaction& tx) { return CreateUser(tx, "taken"); }),
              IsOk());
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, exists{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const bool clash = (i % 3) == 0;
        std::string name = clash ? "taken" : "n" + std::to_string(t) + "_" + std::to_string(i);
        Status s = storage_->Transact([&](StorageTransaction& tx) { return CreateUser(tx, name); });
        if (s.ok() && !clash) {
          ok++;
        } else if (s.code() == StatusCode::kAlreadyExists && clash) {
          exists++;
        } else {
          other++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(exists.load(), kThreads * 34);
  EXPECT_EQ(ok.load(), kThreads * 66);
}

// Under a steady stream of commits the WAL is started over instead of growing without bound: the
// writes below append far more frames than the bound (about 250 MB worth without the catch-up).
TEST_F(SqliteBackendTest, TheWalStaysBoundedUnderContinuousWrites) {
  ASSERT_THAT(storage_->Transact([&](StorageTransaction& tx) -> Status {
    for (int i = 0; i < 200; ++i) CLASH_RETURN_IF_ERROR(CreateUser(tx, "w" + std::to_string(i)));
    return Status::Ok();
  }),
              IsOk());
  constexpr int kThreads = 4;
  constexpr int kCommits = 15000;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
          CLASH_ASSIGN_OR_RETURN(User u, tx.users().GetByUsername("w" + std::to_string((i * 7 + t * 13) % 200)));
          u.profile.bio = "bio " + std::to_string(i);
          return tx.users().Update(u);
        });
        if (!s.ok()) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::filesystem::path wal = dir_.path() / "group.db-wal";
  ASSERT_TRUE(std::filesystem::exists(wal));
  EXPECT_LT(std::filesystem::file_size(wal), 96u * 1024 * 1024);  // about 32 MB when quiet
}

}  // namespace
}  // namespace clash
