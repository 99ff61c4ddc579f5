#include "http/worker_pool.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace clash::host {

namespace {
std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
int DefaultCoreThreads() { return 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }
}  // namespace

WorkerPool::WorkerPool(int max_threads, std::size_t max_queued, int core_threads)
    : max_threads_(std::max(1, max_threads)),
      core_threads_(std::min(max_threads_, core_threads > 0 ? core_threads : DefaultCoreThreads())),
      max_queued_(std::max<std::size_t>(1, max_queued)) {}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TrySubmit(std::function<void()> job) {
  std::unique_lock lock(mu_);
  // Threads that exist but are not running a job (idle, or started and not yet waiting) will take
  // a queued job each, so they add to the room: admission then does not depend on how fast a new
  // thread gets scheduled.
  if (stopping_) return false;
  const std::size_t free_threads = threads_.size() - static_cast<std::size_t>(busy_);
  if (jobs_.size() >= max_queued_ + free_threads) return false;
  jobs_.push_back(std::move(job));
  if (idle_ > 0) {
    lock.unlock();
    cv_.notify_one();
    return true;
  }
  MaybeSpawnLocked();
  return true;
}

void WorkerPool::MaybeSpawnLocked() {
  const int n = static_cast<int>(threads_.size());
  if (stopping_ || jobs_.empty() || idle_ > 0 || n >= max_threads_) return;
  if (n < core_threads_ || NowMs() - last_progress_ms_ >= kStallMs) {
    last_progress_ms_ = NowMs();  // one new thread per stall period
    threads_.emplace_back([this] { Work(); });
  }
}

void WorkerPool::Maintain() {
  std::lock_guard lock(mu_);
  MaybeSpawnLocked();
}

void WorkerPool::Stop() {
  std::vector<std::thread> threads;
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
    dropped.swap(jobs_);
  }
  dropped.clear();  // outside the lock: what the jobs hold is released here
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

int WorkerPool::threads() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(threads_.size());
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mu_);
  return jobs_.size();
}

void WorkerPool::Work() {
  pthread_setname_np(pthread_self(), "clash-worker");
  std::unique_lock lock(mu_);
  for (;;) {
    if (jobs_.empty()) {
      if (stopping_) return;
      ++idle_;
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      continue;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++busy_;
    last_progress_ms_ = NowMs();
    lock.unlock();
    job();
    job = nullptr;  // release what the job captured outside the lock
    lock.lock();
    --busy_;
    last_progress_ms_ = NowMs();
  }
}

}  // namespace clash::host
