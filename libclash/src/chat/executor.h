// Internal: a few worker threads that run each connection's work in order (a strand per connection,
// no thread per connection). An idle strand holds no allocation.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace clash::internal {

class Executor;

// The ordered work of one connection. Embed it in the connection object.
class Strand {
 public:
  Strand() = default;
  Strand(const Strand&) = delete;
  Strand& operator=(const Strand&) = delete;

 private:
  friend class Executor;
  std::mutex mu_;
  std::vector<std::function<void()>> tasks_;  // guarded by mu_
  bool scheduled_ = false;                    // guarded by mu_: queued or running on a worker
};

class Executor {
 public:
  explicit Executor(int threads);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `task` on `strand` (kept alive until it ran). Returns false, without queueing, when the
  // strand already has `max_queued` tasks waiting or the executor stopped.
  bool Post(const std::shared_ptr<Strand>& strand, std::function<void()> task, std::size_t max_queued);
  // Waits until no task is queued or running.
  void Flush();
  // Drops queued tasks, waits for running ones and joins the threads. Idempotent.
  void Stop();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<std::shared_ptr<Strand>> ready_;
  int busy_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace clash::internal
