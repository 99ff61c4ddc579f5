// PostgreSQL-only behaviour the storage contract cannot express: reconnecting after a server
// restart, the connection pool, migration locking, URL handling, and the SqlSession mapping of
// libpq results and SQLSTATEs. Uses CLASH_TEST_POSTGRES_URL, or starts a private server with
// scripts/pg-start.sh when it is not set; the restart test always starts its own.
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <cstdio>
#include <future>
#include <latch>
#include <mutex>
#include <algorithm>
#include <thread>

#include "clash/storage.h"
#include "storage/pg_scratch.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_session.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::internal::PgSession;
using ::clash::internal::SqlResult;
using ::clash::internal::SqlValue;
using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// Runs a shell command; its trimmed stdout, or "" if it failed.
std::string Run(const std::string& cmd) {
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  if (pclose(pipe) != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// A PostgreSQL cluster of this test's own, in a temp dir, stopped and removed on destruction.
class PrivatePostgres {
 public:
  ~PrivatePostgres() { Stop(); }
  // Starts (or restarts, on the same port) the cluster; its URL, or "" on failure.
  std::string Start() { return Run(Script("pg-start.sh") + " " + dir_.path().string()); }
  bool Stop() { return system((Script("pg-stop.sh") + " " + dir_.path().string()).c_str()) == 0; }

 private:
  static std::string Script(const char* name) { return std::string(CLASH_SOURCE_DIR) + "/scripts/" + name; }
  testing::TempDir dir_;
};

const std::string& ServerUrl() {
  static const std::string url = [] {
    if (auto env = testing::PostgresUrl()) return *env;
    static PrivatePostgres server;
    return server.Start();
  }();
  return url;
}

std::string AddParam(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

Level MakeLevel(const std::string& slug, int order) {
  Level l;
  l.slug = slug;
  l.order = order;
  l.title = "Title " + slug;
  l.description = "d";
  l.initial_code = "i";
  l.test_code = "t";
  l.xp_reward = 5;
  l.time_limit_seconds = 10;
  l.target_time_seconds = 60;
  return l;
}

Status Upsert(Storage& storage, const Level& level) {
  return storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.levels().Upsert(level));
    return Status::Ok();
  });
}

Status Exists(Storage& storage, const std::string& slug) {
  return storage.Read([&](StorageTransaction& tx) -> Status { return tx.levels().Get(slug, false).status(); });
}

class PgBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(ServerUrl().empty()) << "no PostgreSQL: set CLASH_TEST_POSTGRES_URL or fix scripts/pg-start.sh";
    scratch_ = NewPostgresScratch(ServerUrl());
    ASSERT_NE(scratch_, nullptr);
  }
  std::string Url() const { return scratch_->url(); }

  std::unique_ptr<ScratchBackend> scratch_;
};

TEST(PgRestart, StorageRecoversAfterTheServerRestarts) {
  PrivatePostgres server;
  const std::string url = server.Start();
  ASSERT_THAT(url, HasSubstr("postgresql://postgres@127.0.0.1:"));
  auto opened = OpenStorage(AddParam(url, "pool=4"));
  ASSERT_THAT(opened, IsOk());
  Storage& storage = **opened;
  ASSERT_THAT(Upsert(storage, MakeLevel("before", 1)), IsOk());

  // Down: calls fail fast with Unavailable instead of hanging.
  ASSERT_TRUE(server.Stop());
  EXPECT_THAT(storage.Ping(), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(Upsert(storage, MakeLevel("while-down", 2)), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(Exists(storage, "before"), StatusIs(StatusCode::kUnavailable));

  // Back on the same port: the storage reconnects by itself.
  ASSERT_EQ(server.Start(), url);
  Status first = Upsert(storage, MakeLevel("after", 3));
  EXPECT_THAT(first, AnyOf(IsOk(), StatusIs(StatusCode::kUnavailable)));
  ASSERT_THAT(Upsert(storage, MakeLevel("after", 3)), IsOk());
  EXPECT_THAT(storage.Ping(), IsOk());
  EXPECT_THAT(Exists(storage, "before"), IsOk());

  // A restart with nobody calling in between leaves only dead connections in the pool; they are
  // noticed when handed out, so the next call still succeeds (or at worst fails once, Unavailable).
  ASSERT_TRUE(server.Stop());
  ASSERT_EQ(server.Start(), url);
  first = storage.Ping();
  EXPECT_THAT(first, AnyOf(IsOk(), StatusIs(StatusCode::kUnavailable)));
  EXPECT_THAT(Exists(storage, "after"), IsOk());
  EXPECT_THAT(storage.SchemaVersion(), IsOkAndHolds(internal::PostgresMigrations().back().version));
}

TEST_F(PgBackendTest, ExhaustedPoolWaitsForAFreeConnection) {
  auto opened = OpenStorage(AddParam(Url(), "pool=1"));
  ASSERT_THAT(opened, IsOk());
  Storage& storage = **opened;
  std::promise<void> holding;
  std::atomic<bool> committed{false};
  std::thread holder([&] {
    bool signalled = false;
    Status s = storage.Transact([&](StorageTransaction& tx) -> Status {
      CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel("held", 1)));
      if (!signalled) holding.set_value();
      signalled = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return Status::Ok();
    });
    committed = true;
    EXPECT_THAT(s, IsOk());
  });
  holding.get_future().wait();
  // The only connection is busy: this waits for it instead of failing. It sees the row, which
  // exists only once the holder committed, so it ran after the holder let the connection go.
  EXPECT_THAT(Exists(storage, "held"), IsOk());
  holder.join();
  EXPECT_TRUE(committed.load());
}

TEST_F(PgBackendTest, PoolBoundsTheConnectionsToTheServer) {
  auto opened = OpenStorage(AddParam(Url(), "pool=2"));
  ASSERT_THAT(opened, IsOk());
  Storage& storage = **opened;
  const std::string db = Url().substr(Url().rfind('/') + 1);
  std::atomic<bool> done{false};
  std::atomic<int> most{0};
  std::thread monitor([&] {
    while (!done) {
      auto n = PgQuery(ServerUrl(), "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'");
      if (n) most = std::max(most.load(), std::stoi(*n));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 6; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        int order = t * 10 + i + 1;
        if (!Upsert(storage, MakeLevel("lvl-" + std::to_string(order), order)).ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  done = true;
  monitor.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(most.load(), 1);
  EXPECT_LE(most.load(), 2);
  std::vector<Level> all;
  ASSERT_THAT(storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(all, tx.levels().List(false));
    return Status::Ok();
  }),
              IsOk());
  EXPECT_THAT(all, SizeIs(60));
}

TEST_F(PgBackendTest, NewerSchemaRefusesToOpen) {
  ASSERT_THAT(OpenStorage(Url()), IsOk());
  ASSERT_TRUE(PgQuery(Url(), "INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')"));
  EXPECT_THAT(OpenStorage(Url()), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(PgBackendTest, ConcurrentOpensMigrateOnce) {
  constexpr int kOpeners = 6;
  std::vector<std::thread> threads;
  std::vector<Status> results(kOpeners);
  std::atomic<int> ready{0};
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kOpeners) std::this_thread::yield();
      auto opened = OpenStorage(Url());
      results[static_cast<std::size_t>(i)] = opened.status();
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_THAT(s, IsOk());
  const std::string n = std::to_string(internal::PostgresMigrations().size());
  EXPECT_EQ(PgQuery(Url(), "SELECT count(*) FROM schema_migrations"), n);
  EXPECT_EQ(PgQuery(Url(), "SELECT count(DISTINCT version) FROM schema_migrations"), n);
}

TEST_F(PgBackendTest, UrlErrors) {
  EXPECT_THAT(OpenStorage("postgresql://postgres@127.0.0.1:1/postgres"), StatusIs(StatusCode::kUnavailable));
  auto with_password = OpenStorage("postgresql://postgres:hunter2secret@127.0.0.1:1/postgres");
  EXPECT_THAT(with_password, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(with_password.status().message(), Not(HasSubstr("hunter2secret")));
  for (const char* bad : {"pool=abc", "pool=0", "pool=", "pool=-1", "pool=1001", "pool=2x"}) {
    EXPECT_THAT(OpenStorage(AddParam(Url(), bad)), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(OpenStorage(AddParam(Url(), "frobnicate=1")), StatusIs(StatusCode::kInvalidArgument));
  // pool= is ours and the other parameters go to libpq; postgres:// is accepted too.
  std::string alias = "postgres://" + Url().substr(Url().find("://") + 3);
  auto ok = OpenStorage(AddParam(AddParam(alias, "pool=3"), "application_name=clash-test"));
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ((*ok)->backend_name(), "postgresql");
}

TEST_F(PgBackendTest, ConstraintViolationIsInvalidArgumentAndSwallowedErrorsAbortTheCommit) {
  auto opened = OpenStorage(Url());
  ASSERT_THAT(opened, IsOk());
  Storage& storage = **opened;
  Level bad = MakeLevel("bad", 1);
  bad.xp_reward = -1;
  EXPECT_THAT(Upsert(storage, bad), StatusIs(StatusCode::kInvalidArgument));
  // PostgreSQL aborts the whole transaction on a failed statement: committing after ignoring the
  // error rolls everything back and says so.
  Status s = storage.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel("good", 1)));
    (void)tx.levels().Upsert(bad);
    return Status::Ok();
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kAborted));
  EXPECT_THAT(Exists(storage, "good"), StatusIs(StatusCode::kNotFound));
}

// A real deadlock: two transactions lock two rows in opposite orders. PostgreSQL aborts one of
// them, the storage runs it again, and only the callbacks of committed attempts run.
TEST_F(PgBackendTest, DeadlockRetryRunsOnlyTheCommittedAttemptsCallbacks) {
  auto opened = OpenStorage(AddParam(Url(), "pool=4"));
  ASSERT_THAT(opened, IsOk());
  Storage& storage = **opened;
  ASSERT_THAT(Upsert(storage, MakeLevel("a", 1)), IsOk());
  ASSERT_THAT(Upsert(storage, MakeLevel("b", 2)), IsOk());
  std::latch both_hold_one(2);
  std::mutex mu;
  std::vector<std::string> ran;
  std::atomic<int> total_attempts{0};
  auto worker = [&](const std::string& first, const std::string& second, int order) {
    int attempt = 0;
    Status s = storage.Transact([&](StorageTransaction& tx) -> Status {
      const int mine = attempt++;
      ++total_attempts;
      CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel(first, order)));
      tx.OnCommit([&, mine] {
        std::lock_guard<std::mutex> g(mu);
        ran.push_back(first + std::to_string(mine));
      });
      if (mine == 0) both_hold_one.arrive_and_wait();
      CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel(second, order + 1)));
      return Status::Ok();
    });
    EXPECT_THAT(s, IsOk());
    return attempt;
  };
  std::future<int> ab = std::async(std::launch::async, worker, "a", "b", 10);
  std::future<int> ba = std::async(std::launch::async, worker, "b", "a", 20);
  const int attempts_ab = ab.get();
  const int attempts_ba = ba.get();
  EXPECT_EQ(attempts_ab + attempts_ba, 3) << "exactly one of the two was run again";
  std::sort(ran.begin(), ran.end());
  std::vector<std::string> expected = {"a" + std::to_string(attempts_ab - 1), "b" + std::to_string(attempts_ba - 1)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ran, expected);
}

// SqlSession on libpq, directly.
class PgSessionTest : public PgBackendTest {
 protected:
  std::unique_ptr<PgSession> Connect() {
    auto s = PgSession::Connect(Url(), "");
    EXPECT_THAT(s, IsOk());
    return s.ok() ? std::move(s).value() : nullptr;
  }
};

TEST_F(PgSessionTest, ConvertsColumnsByTypeAndSendsParametersAsText) {
  auto session = Connect();
  ASSERT_NE(session, nullptr);
  auto r = session->Exec(
      "SELECT 1::int2, 2::int4, 3::int8, 4::oid, 1.5::float4, 2.25::float8, 3.5::numeric, true, false, "
      "'txt'::text, NULL::text, $1::int8, $2::float8, $3::text, $4::text",
      {std::int64_t{-7}, 0.5, std::string("h\xC3\xA9llo"), std::monostate{}});
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(r->rows, SizeIs(1));
  const std::vector<SqlValue>& c = r->rows[0].cols;
  ASSERT_THAT(c, SizeIs(15));
  EXPECT_EQ(c[0], SqlValue(std::int64_t{1}));
  EXPECT_EQ(c[1], SqlValue(std::int64_t{2}));
  EXPECT_EQ(c[2], SqlValue(std::int64_t{3}));
  EXPECT_EQ(c[3], SqlValue(std::int64_t{4}));
  EXPECT_EQ(c[4], SqlValue(1.5));
  EXPECT_EQ(c[5], SqlValue(2.25));
  EXPECT_EQ(c[6], SqlValue(3.5));
  EXPECT_EQ(c[7], SqlValue(std::int64_t{1}));
  EXPECT_EQ(c[8], SqlValue(std::int64_t{0}));
  EXPECT_EQ(c[9], SqlValue(std::string("txt")));
  EXPECT_TRUE(r->rows[0].IsNull(10));
  EXPECT_EQ(c[11], SqlValue(std::int64_t{-7}));
  EXPECT_EQ(c[12], SqlValue(0.5));
  EXPECT_EQ(c[13], SqlValue(std::string("h\xC3\xA9llo")));
  EXPECT_TRUE(r->rows[0].IsNull(14));
}

TEST_F(PgSessionTest, DoublesRoundTripExactlyIncludingSpecialValues) {
  auto session = Connect();
  ASSERT_NE(session, nullptr);
  const double inf = std::numeric_limits<double>::infinity();
  auto r = session->Exec("SELECT $1::float8, $2::float8, $3::float8, 'NaN'::numeric, '-Infinity'::float8",
                         {0.1, 1.0 / 3.0, inf});
  ASSERT_THAT(r, IsOk());
  const std::vector<SqlValue>& c = r->rows.at(0).cols;
  EXPECT_EQ(c.at(0), SqlValue(0.1));
  EXPECT_EQ(c.at(1), SqlValue(1.0 / 3.0));
  EXPECT_EQ(c.at(2), SqlValue(inf));
  ASSERT_TRUE(std::holds_alternative<double>(c.at(3)));
  EXPECT_TRUE(std::isnan(std::get<double>(c.at(3))));
  EXPECT_EQ(c.at(4), SqlValue(-inf));
}

TEST_F(PgSessionTest, PreparesEachStatementOncePerConnection) {
  auto session = Connect();
  ASSERT_NE(session, nullptr);
  for (std::int64_t i = 0; i < 3; ++i) {
    auto r = session->Exec("SELECT $1::int8 + 1", {i});
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->rows.at(0).Int(0), i + 1);
  }
  auto count = session->Exec("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1",
                             {std::string("SELECT $1::int8 + 1")});
  ASSERT_THAT(count, IsOk());
  EXPECT_EQ(count->rows.at(0).Int(0), 1);
}

TEST_F(PgSessionTest, DeferredBeginStillOpensTheTransaction) {
  auto session = Connect();
  ASSERT_NE(session, nullptr);
  ASSERT_THAT(session->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), IsOk());
  auto r = session->Exec("SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->rows.at(0).Text(0), "repeatable read");
  EXPECT_EQ(r->rows.at(0).Text(1), "on");
  auto first = session->Exec("SELECT now()::text");
  ASSERT_THAT(session->Exec("SELECT pg_sleep(0.02)"), IsOk());
  auto second = session->Exec("SELECT now()::text");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->rows.at(0).Text(0), second->rows.at(0).Text(0));  // one transaction
  EXPECT_THAT(session->ExecScript("COMMIT"), IsOk());
  // BEGIN then COMMIT with nothing in between is fine too.
  EXPECT_THAT(session->ExecScript("BEGIN"), IsOk());
  EXPECT_THAT(session->ExecScript("COMMIT"), IsOk());
  EXPECT_TRUE(session->Reusable());
}

TEST_F(PgSessionTest, MapsSqlStatesToStatusCodes) {
  auto session = Connect();
  ASSERT_NE(session, nullptr);
  ASSERT_THAT(session->ExecScript("CREATE TABLE parent (id BIGINT PRIMARY KEY); "
                                  "CREATE TABLE child (id BIGINT PRIMARY KEY, parent BIGINT REFERENCES parent (id), "
                                  "n BIGINT NOT NULL CHECK (n > 0))"),
              IsOk());
  const std::string insert_parent = "INSERT INTO parent (id) VALUES ($1)";
  const std::string insert_child = "INSERT INTO child (id, parent, n) VALUES ($1, $2, $3)";
  ASSERT_THAT(session->Exec(insert_parent, {std::int64_t{1}}), IsOk());
  EXPECT_THAT(session->Exec(insert_parent, {std::int64_t{1}}), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(session->Exec(insert_child, {std::int64_t{1}, std::int64_t{2}, std::int64_t{1}}),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(session->Exec(insert_child, {std::int64_t{1}, std::int64_t{1}, std::int64_t{-1}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(session->Exec(insert_child, {std::int64_t{1}, std::int64_t{1}, std::monostate{}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(session->Exec(insert_child, {std::int64_t{1}, std::int64_t{1}, std::string("abc")}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(session->Exec("SELEC 1"), StatusIs(StatusCode::kInternal));
  auto affected = session->Exec(insert_child, {std::int64_t{1}, std::int64_t{1}, std::int64_t{5}});
  ASSERT_THAT(affected, IsOk());
  EXPECT_EQ(affected->affected, 1);
  EXPECT_FALSE(session->conflict());
  EXPECT_TRUE(session->healthy());

  // A row lock that cannot be had at once: Aborted, flagged as a conflict.
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  ASSERT_THAT(session->ExecScript("BEGIN"), IsOk());
  ASSERT_THAT(session->Exec("SELECT id FROM parent WHERE id = $1 FOR UPDATE", {std::int64_t{1}}), IsOk());
  ASSERT_THAT(other->ExecScript("BEGIN"), IsOk());
  EXPECT_THAT(other->Exec("SELECT id FROM parent WHERE id = $1 FOR UPDATE NOWAIT", {std::int64_t{1}}),
              StatusIs(StatusCode::kAborted));
  EXPECT_TRUE(other->conflict());
  EXPECT_TRUE(other->healthy());
  EXPECT_THAT(other->ExecScript("ROLLBACK"), IsOk());
  EXPECT_THAT(session->ExecScript("ROLLBACK"), IsOk());
  other->ClearConflict();
  EXPECT_FALSE(other->conflict());
}

TEST_F(PgSessionTest, TerminatedConnectionIsUnavailableAndUnhealthy) {
  auto victim = Connect();
  auto admin = Connect();
  ASSERT_NE(victim, nullptr);
  ASSERT_NE(admin, nullptr);
  auto pid = victim->Exec("SELECT pg_backend_pid()");
  ASSERT_THAT(pid, IsOk());
  ASSERT_THAT(admin->Exec("SELECT pg_terminate_backend($1::int4, 5000)", {pid->rows.at(0).Int(0)}), IsOk());
  EXPECT_FALSE(victim->CheckIdle());
  EXPECT_THAT(victim->Exec("SELECT pg_backend_pid()"), StatusIs(StatusCode::kUnavailable));
  EXPECT_FALSE(victim->healthy());
  EXPECT_FALSE(victim->Reusable());
}

}  // namespace
}  // namespace clash
