// The storage contract of StorageTransaction::OnCommit on every backend: callbacks run once after
// the commit, outside the transaction's locks, in order; never for a rollback; never for an attempt
// that is run again after a conflict (injected here through the session; pg_backend_test.cpp has a
// real deadlock); and, with SQLite's group commit, only for the functions of a batch that succeeded.
#include <atomic>
#include <thread>
#include <string>
#include <vector>

#include "clash/storage.h"
#include "storage/sql/sql_transaction.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;

class OnCommitTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    ASSERT_TRUE(backend_ != nullptr);
    auto opened = OpenStorage(backend_->url());
    ASSERT_THAT(opened, IsOk());
    storage_ = std::move(opened).value();
  }

  static NewUser MakeUser(const std::string& name) {
    NewUser u;
    u.username = name;
    u.email = name + "@example.com";
    u.created_at = Timestamp::FromUnixSeconds(1'700'000'000);
    return u;
  }

  // True if `username` exists, read in a transaction of its own.
  bool Exists(const std::string& username) {
    bool found = false;
    Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
      found = tx.users().GetByUsername(username).ok();
      return Status::Ok();
    });
    EXPECT_THAT(s, IsOk());
    return found;
  }

  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(OnCommitTest, CallbacksRunAfterTheCommitInOrderAndMayOpenTransactions) {
  std::vector<std::string> ran;
  bool ran_inside = false;
  Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.users().Create(MakeUser("ada")));
    tx.OnCommit([&] { ran.push_back("first:" + std::string(Exists("ada") ? "visible" : "missing")); });
    tx.OnCommit([&] {
      // A write from the callback: the writer (SQLite's only one) must be free again.
      Status w = storage_->Transact([&](StorageTransaction& tx2) -> Status {
        return tx2.users().Create(MakeUser("grace")).status();
      });
      ran.push_back(w.ok() ? "second:wrote" : "second:" + w.ToString());
    });
    ran_inside = !ran.empty();
    return Status::Ok();
  });
  ASSERT_THAT(s, IsOk());
  EXPECT_FALSE(ran_inside);
  EXPECT_THAT(ran, ElementsAre("first:visible", "second:wrote"));
  EXPECT_TRUE(Exists("grace"));
}

TEST_P(OnCommitTest, RolledBackTransactionRunsNoCallback) {
  int runs = 0;
  Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.users().Create(MakeUser("ada")));
    tx.OnCommit([&] { ++runs; });
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(runs, 0);
  EXPECT_FALSE(Exists("ada"));
  // A failing store call that the function passes on rolls back as well.
  s = storage_->Transact([&](StorageTransaction& tx) -> Status {
    tx.OnCommit([&] { ++runs; });
    CLASH_RETURN_IF_ERROR(tx.users().GetById(424242));
    return Status::Ok();
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(runs, 0);
}

TEST_P(OnCommitTest, RetriedAttemptsDropTheirCallbacks) {
  int attempts = 0;
  std::vector<int> ran;
  Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
    const int attempt = attempts++;
    CLASH_RETURN_IF_ERROR(tx.users().Create(MakeUser("ada")));
    tx.OnCommit([&ran, attempt] { ran.push_back(attempt); });
    if (attempt < 2) {
      dynamic_cast<internal::SqlTransaction&>(tx).session().SimulateConflict();
      return Status::Aborted("simulated serialization failure");
    }
    return Status::Ok();
  });
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(attempts, 3);
  EXPECT_THAT(ran, ElementsAre(2));
  EXPECT_TRUE(Exists("ada"));  // created once: the first two attempts were rolled back
}

TEST_P(OnCommitTest, ReadTransactionsRunTheirCallbacksToo) {
  int runs = 0;
  ASSERT_THAT(storage_->Read([&](StorageTransaction& tx) -> Status {
    tx.OnCommit([&] { ++runs; });
    return Status::Ok();
  }),
              IsOk());
  EXPECT_EQ(runs, 1);
}

// Concurrent writers (batched into one commit by SQLite's group commit): each successful function
// sees its own callbacks run exactly once, a failed one none, whatever batch it landed in.
TEST_P(OnCommitTest, ConcurrentTransactionsEachRunOnlyTheirOwnCallbacks) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  std::vector<std::atomic<int>> runs(kThreads * kRounds);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        const int i = t * kRounds + r;
        Status s = storage_->Transact([&, i](StorageTransaction& tx) -> Status {
          CLASH_RETURN_IF_ERROR(tx.users().Create(MakeUser("u" + std::to_string(i))));
          tx.OnCommit([&runs, i] { runs[i]++; });
          return i % 3 == 0 ? Status::FailedPrecondition("every third fails") : Status::Ok();
        });
        EXPECT_EQ(s.ok(), i % 3 != 0) << s;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < kThreads * kRounds; ++i) {
    EXPECT_EQ(runs[i].load(), i % 3 == 0 ? 0 : 1) << "transaction " << i;
    EXPECT_EQ(Exists("u" + std::to_string(i)), i % 3 != 0) << "transaction " << i;
  }
}

TEST_P(OnCommitTest, CallbacksAreNotCarriedIntoTheNextTransaction) {
  std::vector<std::string> ran;
  ASSERT_THAT(storage_->Transact([&](StorageTransaction& tx) -> Status {
    tx.OnCommit([&] { ran.push_back("one"); });
    return Status::Ok();
  }),
              IsOk());
  EXPECT_THAT(storage_->Transact([&](StorageTransaction& tx) -> Status {
    tx.OnCommit([&] { ran.push_back("two"); });
    return Status::NotFound("nothing");
  }),
              StatusIs(StatusCode::kNotFound));
  ASSERT_THAT(storage_->Transact([&](StorageTransaction&) -> Status { return Status::Ok(); }), IsOk());
  EXPECT_THAT(ran, ElementsAre("one"));
}

INSTANTIATE_TEST_SUITE_P(Backends, OnCommitTest, ::testing::ValuesIn(AllBackends()),
                         [](const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; });

}  // namespace
}  // namespace clash
