// http/worker_pool.h — a bounded pool of threads for route handlers that may block (storage, the
// judge, outbound HTTP), so the event loops never wait on them.
//
// Threads start on demand up to `max_threads` and then stay; jobs wait in a FIFO of at most
// `max_queued`. TrySubmit refuses (returns false) when that queue is full, and the server answers
// 503 with Retry-After.
//
// Thread-safety: every method is safe from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace clash::host {

class WorkerPool {
 public:
  WorkerPool(int max_threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false if the queue is full or the pool is stopped (the job is dropped).
  bool TrySubmit(std::function<void()> job);
  // Runs the jobs already queued, then joins the threads. Idempotent.
  void Stop();

  int threads() const;
  std::size_t queued() const;

 private:
  void Work();

  const int max_threads_;
  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  std::vector<std::thread> threads_;        // guarded by mu_
  int idle_ = 0;                            // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
};

}  // namespace clash::host
