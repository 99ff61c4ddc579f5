#include "storage/sqlite/sqlite_storage.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "storage/sql/sql_storage.h"
#include "storage/sqlite/sqlite_migrations.h"
#include "storage/sqlite/sqlite_session.h"

namespace clash::internal {
namespace {

constexpr std::size_t kMaxReaders = 8;

class SqliteStorage final : public SqlStorage {
 public:
  SqliteStorage(std::string path, std::unique_ptr<SqliteSession> writer)
      : path_(std::move(path)), writer_(std::move(writer)) {}

  std::string_view backend_name() const override { return "sqlite"; }

 protected:
  Result<SessionLease> Acquire(bool write) override {
    if (write || path_ == ":memory:") {
      writer_mu_.lock();
      return SessionLease(writer_.get(), [this](SqlSession*) { writer_mu_.unlock(); });
    }
    std::unique_lock<std::mutex> lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !idle_.empty() || opened_ < kMaxReaders; });
    SqliteSession* reader = nullptr;
    if (!idle_.empty()) {
      reader = idle_.back();
      idle_.pop_back();
    } else {
      Result<std::unique_ptr<SqliteSession>> opened = SqliteSession::Open(path_, /*read_only=*/true);
      if (!opened.ok()) return opened.status();
      reader = opened->get();
      owned_.push_back(std::move(opened).value());
      ++opened_;
    }
    return SessionLease(reader, [this](SqlSession* s) {
      std::lock_guard<std::mutex> g(readers_mu_);
      idle_.push_back(static_cast<SqliteSession*>(s));
      readers_cv_.notify_one();
    });
  }

  std::string BeginSql(bool write) const override { return write ? "BEGIN IMMEDIATE" : "BEGIN"; }
  const std::vector<Migration>& migrations() const override { return SqliteMigrations(); }

 private:
  const std::string path_;
  std::mutex writer_mu_;
  std::unique_ptr<SqliteSession> writer_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<SqliteSession*> idle_;
  std::vector<std::unique_ptr<SqliteSession>> owned_;
  std::size_t opened_ = 0;
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path) {
  CLASH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteSession> writer, SqliteSession::Open(path, /*read_only=*/false));
  auto storage = std::make_unique<SqliteStorage>(path, std::move(writer));
  CLASH_RETURN_IF_ERROR(storage->Migrate());
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace clash::internal
