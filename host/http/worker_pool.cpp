#include "http/worker_pool.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace clash::host {

WorkerPool::WorkerPool(int max_threads, std::size_t max_queued)
    : max_threads_(std::max(1, max_threads)), max_queued_(std::max<std::size_t>(1, max_queued)) {}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TrySubmit(std::function<void()> job) {
  std::unique_lock lock(mu_);
  if (stopping_ || jobs_.size() >= max_queued_) return false;
  jobs_.push_back(std::move(job));
  if (idle_ > 0) {
    lock.unlock();
    cv_.notify_one();
    return true;
  }
  if (static_cast<int>(threads_.size()) < max_threads_) threads_.emplace_back([this] { Work(); });
  return true;
}

void WorkerPool::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
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
    lock.unlock();
    job();
    job = nullptr;  // release what the job captured outside the lock
    lock.lock();
  }
}

}  // namespace clash::host
