#include "storage/sqlite/sqlite_storage.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <semaphore.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/sql/sql_storage.h"
#include "storage/sql/sql_transaction.h"
#include "storage/sqlite/sqlite_migrations.h"
#include "storage/sqlite/sqlite_session.h"

namespace clash::internal {
namespace {

constexpr std::size_t kMaxReaders = 8;
// WAL frames after which the background checkpointer starts copying (~32 MB; SQLite's default is
// 1,000, but every start of the WAL costs the writers one short pause, see below).
constexpr int kCheckpointPages = 8000;
// Frames still to copy at which the writer finishes the checkpoint itself so that the WAL starts
// over: the writers then pause for one short checkpoint (~2 ms here), not for the whole copy.
constexpr int kFinishPages = 256;
// WAL size at which the writer finishes the checkpoint however much is left (the background thread
// is not keeping up), so the WAL stays bounded (~82 MB).
constexpr int kHardLimitPages = 20000;
// Longest the writer waits at the hard limit for a background pass to end.
constexpr int kMaxHardLimitWaitMs = 5000;

// Copies the WAL back into the database file on a thread of its own. SQLite's automatic checkpoint
// runs inside the commit that crosses the threshold, on the writer connection, while the writer
// mutex is held: every writer then waits for page copies and two fsyncs. Here the writer only
// notices the WAL size (sqlite3_wal_hook) and wakes this thread, whose PASSIVE checkpoints never
// block writers or readers.
//
// SQLite starts the WAL over only once every frame in it has been copied, which a background
// checkpoint never achieves under a steady stream of commits: new frames arrive while it copies.
// So this thread chases the writer (each pass copies what arrived during the previous one, so the
// passes get shorter) until the rest is small, and the writer then copies that rest itself
// (SqliteStorage::RunBatch), holding off other writes for one short pass.
class Checkpointer {
 public:
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path, SqliteSession& writer) {
    CLASH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteSession> own, SqliteSession::Open(path, /*read_only=*/false));
    auto c = std::unique_ptr<Checkpointer>(new Checkpointer(std::move(own)));
    c->db_fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    CLASH_RETURN_IF_ERROR(writer.ExecScript("PRAGMA wal_autocheckpoint = 0"));
    sqlite3_wal_hook(writer.handle(), &Checkpointer::OnCommit, c.get());
    c->thread_ = std::thread([p = c.get()] { p->Run(); });
    return c;
  }
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_.store(true, std::memory_order_relaxed);
    }
    cv_.notify_one();
    thread_.join();
    if (db_fd_ >= 0) ::close(db_fd_);
  }

  explicit Checkpointer(std::unique_ptr<SqliteSession> session) : session_(std::move(session)) {}

  // Whether the writer should copy the rest of the WAL itself now (called after each commit).
  bool WriterShouldFinish() const {
    if (hold_.load(std::memory_order_relaxed)) return true;  // the last try was busy
    const int pages = wal_pages_.load(std::memory_order_relaxed);
    if (pages < finished_at_ + kFinishPages) return false;  // tried recently; a reader kept the WAL
    if (pages >= kHardLimitPages) return true;
    return pages >= kCheckpointPages && pages - checkpointed_.load(std::memory_order_relaxed) <= kFinishPages;
  }

  // The writer copies the rest of the WAL on its own connection. Busy (a background pass is still
  // running) is fine: no new pass starts while held, and the next commit tries again.
  void WriterFinish(sqlite3* writer) {
    hold_.store(true, std::memory_order_relaxed);
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    // At the hard limit the writers wait (this thread holds the write lock) for the background pass
    // to end rather than let the WAL grow while it runs: under load one pass can take long enough
    // for the WAL to double (measured: 153 MB with a 82 MB limit). Bounded, in case the pass
    // belongs to another process.
    for (int waited_ms = 0; rc == SQLITE_BUSY && wal_pages_.load(std::memory_order_relaxed) >= kHardLimitPages &&
                            waited_ms < kMaxHardLimitWaitMs;
         ++waited_ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      rc = sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    }
    if (rc != SQLITE_OK) return;
    checkpointed_.store(copied, std::memory_order_relaxed);
    finished_at_ = log;
    hold_.store(false, std::memory_order_relaxed);
  }

 private:
  // Wakes the thread when kCheckpointPages frames were appended since the last checkpoint (not on
  // every commit past the threshold: back-to-back checkpoints of a few frames cost two fsyncs each).
  static int OnCommit(void* self, sqlite3*, const char*, int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    c->wal_pages_.store(pages, std::memory_order_relaxed);
    int done = c->checkpointed_.load(std::memory_order_relaxed);
    if (pages < done || pages < c->finished_at_) {  // the WAL was started over
      done = 0;
      c->checkpointed_.store(0, std::memory_order_relaxed);
      c->finished_at_ = 0;
    }
    if (pages - done >= kCheckpointPages) {
      {
        std::lock_guard<std::mutex> lock(c->mu_);
        c->wanted_ = true;
      }
      c->cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return wanted_ || stop_.load(std::memory_order_relaxed); });
      if (stop_.load(std::memory_order_relaxed)) return;
      wanted_ = false;
      lock.unlock();
      while (!hold_.load(std::memory_order_relaxed) && !stop_.load(std::memory_order_relaxed)) {
        int log = 0, copied = 0;
        int rc = sqlite3_wal_checkpoint_v2(session_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        // Busy (the writer is finishing): a later commit wakes us again.
        if (rc != SQLITE_OK) break;
        const int before = checkpointed_.load(std::memory_order_relaxed);
        if (copied > before) StartWriteback();
        checkpointed_.store(copied, std::memory_order_relaxed);
        // Short of the end: some connection still reads an older snapshot. That is often momentary
        // (a sixth of the passes of the awards benchmark, which has no readers), so go on while
        // passes make progress; stopping at once let the WAL grow to the hard limit and the writer
        // then paused for a long copy. A reader that holds on stops the progress; the next
        // wake-up tries again.
        if (copied < log && copied <= before) break;
        const int pages = wal_pages_.load(std::memory_order_relaxed);
        if (pages < copied || pages - copied <= kFinishPages) break;  // started over, or the writer's turn
      }
      lock.lock();
    }
  }

  // A pass that does not reach the end of the WAL leaves the pages it copied unsynced (SQLite syncs
  // the database file only when a checkpoint is complete), so the writer's final pass would wait for
  // all of them (30 ms at 16,000 frames). Starting their writeback now, without waiting, leaves the
  // final fsync little to do.
  void StartWriteback() {
#if defined(__linux__)
    if (db_fd_ >= 0) (void)::sync_file_range(db_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
  }

  std::unique_ptr<SqliteSession> session_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  std::atomic<bool> stop_{false};      // set under mu_ (so a waiting Run() sees it), read anywhere
  std::atomic<int> wal_pages_{0};      // frames in the WAL after the last commit
  std::atomic<int> checkpointed_{0};   // frames the last checkpoint copied
  std::atomic<bool> hold_{false};      // the writer is finishing: no new background pass
  int finished_at_ = 0;                // WAL size at the writer's last finish (writer thread only)
  int db_fd_ = -1;                     // the database file, for StartWriteback
  std::thread thread_;
};

// One waiter, one waker. A POSIX semaphore: it sleeps without spinning first (std::binary_semaphore
// spins and yields, which tripled the context switches), and the waiter may destroy it as soon as
// Wait() returns, even while Set() is still returning (glibc's sem_post touches the semaphore only
// through the futex wake after the post is visible).
class Event {
 public:
  Event() { ::sem_init(&sem_, 0, 0); }
  ~Event() { ::sem_destroy(&sem_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  void Set() { ::sem_post(&sem_); }
  void Wait() {
    while (::sem_wait(&sem_) != 0) {
    }
  }

 private:
  sem_t sem_;
};

class SqliteStorage final : public SqlStorage {
 public:
  SqliteStorage(std::string path, std::unique_ptr<SqliteSession> writer)
      : path_(std::move(path)), writer_(std::move(writer)) {}
  ~SqliteStorage() override {
    // Stop checkpointing before the writer (whose hook points at the checkpointer) closes.
    if (checkpointer_) sqlite3_wal_hook(writer_->handle(), nullptr, nullptr);
    checkpointer_.reset();
  }

  Status StartCheckpointer() {
    if (path_ == ":memory:") return Status::Ok();
    CLASH_ASSIGN_OR_RETURN(checkpointer_, Checkpointer::Start(path_, *writer_));
    return Status::Ok();
  }

  std::string_view backend_name() const override { return "sqlite"; }

  // Group commit. SQLite has one writer, so concurrent write transactions queue anyway; instead of
  // committing each on its own, a caller that finds no leader becomes it and runs everything queued in
  // one SQLite transaction, each function inside its own SAVEPOINT (a function that fails is rolled
  // back alone, exactly as if it had run by itself). Pages several functions touch (ledger leaves,
  // indexes, wallets) are then written to the WAL once per batch instead of once per function.
  // A function's OK is returned only after the shared COMMIT succeeded; if the COMMIT fails, every
  // function of the batch gets the error. No timer: a batch is whatever queued while the previous
  // one ran, so a lone writer is never delayed.
  Status Transact(const TransactionFn& fn) override {
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::microseconds(200 << std::min(attempt, 6)));
      WriteRequest request;
      request.fn = &fn;
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_.push_back(&request);
      if (leading_) {
        // The leader runs it: it leads until it finds the queue empty.
        lock.unlock();
        request.done.Wait();
      } else {
        leading_ = true;
        LeadBatches(lock, &request);
      }
      if (lock.owns_lock()) lock.unlock();  // the leader returns from LeadBatches holding it
      if (request.status.ok()) {
        // The batch committed and the writer is released: callbacks may open transactions.
        RunOnCommit(request.on_commit);
        return request.status;
      }
      if (!request.retry) return request.status;
    }
    return Status::Aborted("transaction kept conflicting with concurrent updates; try again");
  }

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

 private:
  static constexpr int kMaxAttempts = 8;
  static constexpr std::size_t kMaxBatch = 64;

  struct WriteRequest {
    const TransactionFn* fn = nullptr;
    Status status;
    bool retry = false;  // the failure was a conflict (busy): run it again
    // The OnCommit callbacks of `fn`, kept only once the batch has committed.
    std::vector<std::function<void()>> on_commit;
    // Set by the leader, outside queue_mu_, once `status` is final. (A condition variable on
    // queue_mu_ woke callers while the leader held that mutex, and they slept again on it: 3.0
    // futex calls per award in the awards benchmark, now 2.0.)
    Event done;
  };

  // Runs batches until the queue is empty, `self` (the leader's own request) among them. Called and
  // returns with `lock` held.
  void LeadBatches(std::unique_lock<std::mutex>& lock, WriteRequest* self) {
    while (!queue_.empty()) {
      std::vector<WriteRequest*> batch;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      RunBatch(batch);
      for (WriteRequest* r : batch) {
        if (r != self) r->done.Set();
      }
      lock.lock();
    }
    // Everything queued while leading has been run: nobody waits for a leader now.
    leading_ = false;
  }

  void RunBatch(const std::vector<WriteRequest*>& batch) {
    auto fail_all = [&](const Status& s, bool retry) {
      for (WriteRequest* r : batch) {
        r->status = s;
        r->retry = retry;
        r->on_commit.clear();
      }
    };
    Result<SessionLease> lease = Acquire(true);
    if (!lease.ok()) return fail_all(lease.status(), false);
    SqlSession& session = **lease;
    session.ClearConflict();
    if (Status begin = Exec(session, "BEGIN IMMEDIATE"); !begin.ok()) {
      if (session.healthy()) (void)session.ExecScript("ROLLBACK");
      return fail_all(begin, session.conflict());
    }
    SqlTransaction tx(session);
    const bool alone = batch.size() == 1;
    bool any_ok = false;
    for (WriteRequest* r : batch) {
      Status s = alone ? Status::Ok() : Exec(session, "SAVEPOINT batch_item");
      if (s.ok()) s = (*r->fn)(tx);
      // A function rolled back to its savepoint loses its callbacks; the others wait for COMMIT.
      r->on_commit = tx.TakeOnCommit();
      if (!s.ok()) r->on_commit.clear();
      if (session.conflict() || !session.healthy()) {
        // Busy (another process holds the file) or a broken connection: nothing of the batch stands.
        bool retry = session.conflict() && session.healthy();
        if (session.healthy()) (void)session.ExecScript("ROLLBACK");
        return fail_all(s.ok() ? Status::Aborted("database is busy") : s, retry);
      }
      if (!alone) {
        Status end = s.ok() ? Exec(session, "RELEASE batch_item")
                            : Exec(session, "ROLLBACK TO batch_item").ok() ? Exec(session, "RELEASE batch_item")
                                                                           : Status::Internal("rollback to savepoint failed");
        if (!end.ok()) {
          if (session.healthy()) (void)session.ExecScript("ROLLBACK");
          return fail_all(end, false);
        }
      }
      r->status = s;
      any_ok = any_ok || s.ok();
    }
    Status end = any_ok ? Exec(session, "COMMIT") : Exec(session, "ROLLBACK");
    if (end.ok() && checkpointer_ && checkpointer_->WriterShouldFinish()) {
      checkpointer_->WriterFinish(writer_->handle());
    }
    if (!end.ok()) {
      bool retry = session.conflict() && session.healthy();
      if (session.healthy()) (void)session.ExecScript("ROLLBACK");
      for (WriteRequest* r : batch) {
        r->on_commit.clear();
        if (r->status.ok()) {
          r->status = end;
          r->retry = retry;
        }
      }
    }
  }

  static Status Exec(SqlSession& session, std::string_view sql) {
    Result<SqlResult> r = session.Exec(sql);
    return r.ok() ? Status::Ok() : r.status();
  }

 protected:
  const std::vector<Migration>& migrations() const override { return SqliteMigrations(); }

 private:
  std::mutex queue_mu_;
  std::deque<WriteRequest*> queue_;
  bool leading_ = false;

  const std::string path_;
  std::mutex writer_mu_;
  std::unique_ptr<SqliteSession> writer_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<SqliteSession*> idle_;
  std::vector<std::unique_ptr<SqliteSession>> owned_;
  std::size_t opened_ = 0;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path) {
  CLASH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteSession> writer, SqliteSession::Open(path, /*read_only=*/false));
  auto storage = std::make_unique<SqliteStorage>(path, std::move(writer));
  CLASH_RETURN_IF_ERROR(storage->Migrate());
  CLASH_RETURN_IF_ERROR(storage->StartCheckpointer());
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace clash::internal
