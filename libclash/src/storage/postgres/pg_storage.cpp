#include "storage/postgres/pg_storage.h"

#include <libpq-fe.h>

#include <chrono>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_session.h"
#include "storage/sql/sql_storage.h"

namespace clash::internal {
namespace {

constexpr std::size_t kDefaultPool = 8;
constexpr std::size_t kMaxPool = 1000;
constexpr std::chrono::seconds kAcquireTimeout{30};
constexpr const char* kDefaultConnectTimeout = "connect_timeout=5";
// pg_advisory_xact_lock key for migrations: "clash" as a big-endian integer.
constexpr const char* kMigrationLockSql = "SELECT pg_advisory_xact_lock(427020088168)";
// Must match the table ApplyMigrations creates (storage/sql/migrator.cpp).
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)";

struct PgUrl {
  std::string conninfo;  // what libpq gets: the URL without `pool`, with defaults added
  std::string password;  // redacted from every message
  std::size_t pool = kDefaultPool;
};

// The password in "scheme://user:password@host...", or "".
std::string PasswordOf(std::string_view base) {
  std::size_t start = base.find("://");
  if (start == std::string_view::npos) return "";
  std::string_view rest = base.substr(start + 3);
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string_view userinfo = authority.substr(0, at);
  std::size_t colon = userinfo.find(':');
  return colon == std::string_view::npos ? "" : std::string(userinfo.substr(colon + 1));
}

Result<PgUrl> ParseUrl(const std::string& url) {
  PgUrl out;
  std::size_t q = url.find('?');
  std::string base = url.substr(0, q);
  out.password = PasswordOf(base);
  std::vector<std::string> kept;
  bool has_timeout = false;
  if (q != std::string::npos) {
    std::string_view query = std::string_view(url).substr(q + 1);
    while (!query.empty()) {
      std::size_t amp = query.find('&');
      std::string_view param = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (param.empty()) continue;
      std::string_view key = param.substr(0, param.find('='));
      if (key == "pool") {
        std::string_view value = param.size() > 5 ? param.substr(5) : std::string_view();
        std::size_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > kMaxPool) {
          return Status::InvalidArgument("PostgreSQL URL: pool must be a number from 1 to " +
                                         std::to_string(kMaxPool) + ", got '" + std::string(value) + "'");
        }
        out.pool = n;
        continue;
      }
      has_timeout |= key == "connect_timeout";
      kept.emplace_back(param);
    }
  }
  if (!has_timeout) kept.emplace_back(kDefaultConnectTimeout);
  out.conninfo = base;
  for (std::size_t i = 0; i < kept.size(); ++i) out.conninfo += (i == 0 ? "?" : "&") + kept[i];

  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(out.conninfo.c_str(), &err);
  if (options == nullptr) {
    std::string msg = err != nullptr ? err : "out of memory";
    if (err != nullptr) PQfreemem(err);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    if (!out.password.empty()) {
      for (std::size_t p = msg.find(out.password); p != std::string::npos; p = msg.find(out.password, p)) {
        msg.replace(p, out.password.size(), "***");
      }
    }
    return Status::InvalidArgument("malformed PostgreSQL URL: " + msg);
  }
  PQconninfoFree(options);
  return out;
}

class PgStorage final : public SqlStorage {
 public:
  explicit PgStorage(PgUrl url) : url_(std::move(url)) {}

  std::string_view backend_name() const override { return "postgresql"; }

  // Creates schema_migrations under the migration lock, so concurrent openers do not race on
  // ApplyMigrations' unlocked CREATE TABLE IF NOT EXISTS (which PostgreSQL does not make atomic).
  Status PrepareMigrationTable() {
    CLASH_ASSIGN_OR_RETURN(SessionLease lease, Acquire(true));
    CLASH_RETURN_IF_ERROR(lease->ExecScript(BeginSql(true)));
    Status s = lease->ExecScript(std::string(kMigrationLockSql) + "; " + kCreateMigrationsTable);
    if (s.ok()) s = lease->ExecScript("COMMIT");
    if (!s.ok() && lease->healthy()) (void)lease->ExecScript("ROLLBACK");
    return s;
  }

 protected:
  Result<SessionLease> Acquire(bool /*write*/) override {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (!cv_.wait_for(lock, kAcquireTimeout, [&] { return !idle_.empty() || open_ < url_.pool; })) {
        return Status::Unavailable("all " + std::to_string(url_.pool) +
                                   " PostgreSQL connections stayed busy; raise pool= in the storage URL");
      }
      if (idle_.empty()) break;
      std::unique_ptr<PgSession> session = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (session->CheckIdle()) return Lease(std::move(session));
      session.reset();  // broken while idle (e.g. the server restarted): open a fresh one
      lock.lock();
      --open_;
    }
    ++open_;  // reserve the slot, then connect without holding the lock
    lock.unlock();
    Result<std::unique_ptr<PgSession>> connected = PgSession::Connect(url_.conninfo, url_.password);
    if (!connected.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return connected.status();
    }
    return Lease(std::move(connected).value());
  }

  std::string BeginSql(bool write) const override {
    return write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }
  const std::vector<Migration>& migrations() const override { return PostgresMigrations(); }
  std::string MigrationLockSql() const override { return kMigrationLockSql; }

 private:
  SessionLease Lease(std::unique_ptr<PgSession> session) {
    return SessionLease(session.release(), [this](SqlSession* s) { Release(static_cast<PgSession*>(s)); });
  }

  void Release(PgSession* raw) {
    std::unique_ptr<PgSession> session(raw);
    const bool keep = session->Reusable();
    if (!keep) session.reset();  // closes the connection outside the lock
    std::lock_guard<std::mutex> g(mu_);
    if (keep) {
      idle_.push_back(std::move(session));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

  const PgUrl url_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgSession>> idle_;
  std::size_t open_ = 0;  // idle plus leased connections
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& url) {
  CLASH_ASSIGN_OR_RETURN(PgUrl parsed, ParseUrl(url));
  auto storage = std::make_unique<PgStorage>(std::move(parsed));
  CLASH_RETURN_IF_ERROR(storage->PrepareMigrationTable());
  CLASH_RETURN_IF_ERROR(storage->Migrate());
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace clash::internal
