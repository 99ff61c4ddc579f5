// A process killed in the middle of a stream of XP awards on SQLite: every award it was told had
// committed is still there afterwards, every balance equals the sum of its ledger entries, and
// stock SQLite (its default VFS, not ours) recovers the WAL we wrote and finds the file intact.
// The stream is long enough that the background checkpointer copies and the WAL starts over
// several times before the kill, so a crash may hit any of those steps, as well as a WAL frame
// written by our one-write-per-frame VFS.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "clash/clock.h"
#include "clash/economy.h"
#include "clash/storage.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;

constexpr int kUsers = 50;
constexpr int kThreads = 8;
// Awards acknowledged before the kill: ~60,000 WAL frames, so the WAL starts over several times.
constexpr long kKillAfter = 30'000;

std::vector<std::int64_t> CreateUsers(Storage& storage) {
  std::vector<std::int64_t> ids;
  Status made = storage.Transact([&](StorageTransaction& tx) -> Status {
    for (int i = 0; i < kUsers; ++i) {
      NewUser u;
      u.username = "crash" + std::to_string(i);
      u.email = u.username + "@example.com";
      u.created_at = Timestamp::FromUnixSeconds(1'700'000'000);
      CLASH_ASSIGN_OR_RETURN(User created, tx.users().Create(u));
      ids.push_back(created.id);
    }
    return Status::Ok();
  });
  EXPECT_THAT(made, IsOk());
  return ids;
}

// Runs in the child process: awards from several threads, appending "user key amount ;" to the
// acknowledgement file after each award the library reported as applied, until SIGKILL.
[[noreturn]] void AwardUntilKilled(const std::string& url, const std::vector<std::int64_t>& users,
                                   const std::string& acks_path) {
  Result<std::unique_ptr<Storage>> storage = OpenStorage(url);
  int acks = ::open(acks_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (!storage.ok() || acks < 0) std::_Exit(3);
  Ledger ledger(**storage, Clock::Real());
  std::atomic<long> acknowledged{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (long n = 0;; ++n) {
        std::int64_t user = users[static_cast<std::size_t>((n * 7 + t * 13) % kUsers)];
        std::int64_t amount = 1 + (n + t) % 40;
        std::string key = "crash:" + std::to_string(t) + ":" + std::to_string(n);
        Result<LedgerResult> r = ledger.Apply({user, amount, XpSource::kChallengeCompletion, "crash", key});
        if (!r.ok() || !r->applied) std::_Exit(4);
        std::string line = std::to_string(user) + " " + key + " " + std::to_string(amount) + " ;\n";
        if (::write(acks, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(5);
        if (acknowledged.fetch_add(1) + 1 == kKillAfter) ::kill(::getpid(), SIGKILL);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::_Exit(6);
}

struct Ack {
  std::int64_t user;
  std::string key;
  std::int64_t amount;
};

std::vector<Ack> ReadAcks(const std::string& path) {
  std::vector<Ack> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    // A write cut short by the kill may have run into another thread's line: only lines of exactly
    // four fields ending in ";" count.
    std::istringstream fields(line);
    Ack a;
    std::string end, extra;
    if (fields >> a.user >> a.key >> a.amount >> end && end == ";" && !(fields >> extra)) out.push_back(a);
  }
  return out;
}

std::string QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  std::string out = "(prepare failed)";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST(SqliteCrashTest, AKilledWriterKeepsEveryAcknowledgedAwardAndAConsistentLedger) {
  GTEST_FLAG_SET(death_test_style, "fast");
  testing::TempDir dir;
  const std::string path = (dir.path() / "crash.db").string();
  const std::string url = "sqlite://" + path;
  const std::string acks_path = (dir.path() / "acks.txt").string();
  std::vector<std::int64_t> users;
  {
    Result<std::unique_ptr<Storage>> storage = OpenStorage(url);
    ASSERT_THAT(storage, IsOk());
    users = CreateUsers(**storage);
    ASSERT_EQ(users.size(), static_cast<std::size_t>(kUsers));
  }

  EXPECT_EXIT(AwardUntilKilled(url, users, acks_path), ::testing::KilledBySignal(SIGKILL), "");

  const std::vector<Ack> acks = ReadAcks(acks_path);
  ASSERT_GE(acks.size(), static_cast<std::size_t>(kKillAfter - kThreads));
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));  // the kill left a WAL to recover

  // Stock SQLite recovers the WAL and finds the file intact, with every acknowledged entry.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  EXPECT_EQ(QueryText(db, "PRAGMA integrity_check"), "ok");
  const long entries = std::stol(QueryText(db, "SELECT COUNT(*) FROM xp_ledger"));
  EXPECT_GE(entries, static_cast<long>(acks.size()));
  sqlite3_close(db);

  // Through the library: each acknowledged award is there with its amount, and every balance is
  // the sum of its entries.
  Result<std::unique_ptr<Storage>> storage = OpenStorage(url);
  ASSERT_THAT(storage, IsOk());
  int missing = 0;
  Status checked = (*storage)->Read([&](StorageTransaction& tx) -> Status {
    for (const Ack& a : acks) {
      Result<LedgerEntry> e = tx.ledger().GetByKey(a.user, a.key);
      if (!e.ok() || e->amount != a.amount) ++missing;
    }
    for (std::int64_t user : users) {
      CLASH_ASSIGN_OR_RETURN(std::int64_t balance, tx.ledger().Balance(user));
      CLASH_ASSIGN_OR_RETURN(std::int64_t sum, tx.ledger().SumEntries(user));
      EXPECT_EQ(balance, sum) << "user " << user;
    }
    return Status::Ok();
  });
  EXPECT_THAT(checked, IsOk());
  EXPECT_EQ(missing, 0) << "of " << acks.size() << " acknowledged awards";
}

}  // namespace
}  // namespace clash
