// http/worker_pool.h — a bounded pool of threads for route handlers that may block (storage, the
// judge, outbound HTTP), so the event loops never wait on them.
//
// Threads start on demand and then stay: up to `core_threads` (two per core by default) as soon as
// a job finds no idle thread, and beyond that, up to `max_threads`, only while the pool looks
// stalled (jobs waiting and none started or finished for kStallMs: its threads are blocked on
// storage, the judge or the network, not busy computing). CPU-bound load thus runs on few threads
// (fewer wake-ups and context switches, a fairer share for the loops) and blocking load still gets
// many. Jobs wait in a FIFO of at most `max_queued` beyond the threads free to take them; TrySubmit
// refuses (returns false) when it is full, and the server answers 503 with Retry-After.
//
// Thread-safety: every method is safe from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace clash::host {

class WorkerPool {
 public:
  static constexpr std::int64_t kStallMs = 5;

  // `core_threads` <= 0: two per core (never more than max_threads).
  WorkerPool(int max_threads, std::size_t max_queued, int core_threads = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false if the queue is full or the pool is stopped (the job is dropped).
  bool TrySubmit(std::function<void()> job);
  // Drops the jobs not yet started, then joins the threads (waiting for the running jobs).
  // Idempotent.
  void Stop();
  // Starts a thread if jobs wait while the pool is stalled (call it now and then: a stall with no
  // new submissions is noticed here).
  void Maintain();

  int threads() const;
  std::size_t queued() const;

 private:
  void Work();
  // With mu_ held: start a thread if the rules above allow one.
  void MaybeSpawnLocked();

  const int max_threads_;
  const int core_threads_;
  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  std::vector<std::thread> threads_;        // guarded by mu_
  int idle_ = 0;                            // guarded by mu_
  int busy_ = 0;                            // guarded by mu_: threads running a job
  std::int64_t last_progress_ms_ = 0;       // guarded by mu_: a job started or finished
  bool stopping_ = false;                   // guarded by mu_
};

}  // namespace clash::host
