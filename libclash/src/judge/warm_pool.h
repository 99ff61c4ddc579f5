// Things started ahead of demand by a background thread: cold Python sandboxes (kColdSandbox,
// each used for exactly one run, then destroyed) and fork-server zygotes (kForkServer, reused).
//
// The thread keeps `keep_idle` items idle and starts one more for each RequestStart(). Starting
// on the pool's own thread matters: a sandbox dies with the thread that started it, and callers'
// threads may be short-lived.
//
// Thread-safety: safe for concurrent use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "clash/status.h"

namespace clash::internal {

template <typename T>
class IdlePool {
 public:
  using Starter = std::function<Result<std::unique_ptr<T>>()>;

  // Starts the thread; `requested` extra starts are queued at once.
  IdlePool(Starter start, int keep_idle, int requested = 0)
      : start_(std::move(start)), keep_idle_(keep_idle), requested_(requested) {
    if (keep_idle_ > 0 || requested_ > 0) thread_ = std::thread([this] { Loop(); });
  }
  // Stops the thread and destroys the idle items.
  ~IdlePool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    idle_.clear();
  }
  IdlePool(const IdlePool&) = delete;
  IdlePool& operator=(const IdlePool&) = delete;

  // An idle item for which `usable` holds (others are discarded), or null if none is ready.
  std::unique_ptr<T> TryTake(const std::function<bool(const T&)>& usable) {
    std::unique_ptr<T> item;
    {
      std::lock_guard<std::mutex> lock(mu_);
      while (!idle_.empty() && !item) {
        item = std::move(idle_.front());
        idle_.pop_front();
        if (!usable(*item)) item.reset();  // destroyed here
      }
    }
    cv_.notify_all();
    return item;
  }

  // An idle item; if there is none, asks for one and waits until it is started (or the start
  // failed: its error).
  Result<std::unique_ptr<T>> Take() {
    std::unique_lock<std::mutex> lock(mu_);
    if (idle_.empty()) {
      // One start per waiter, counting those already asked for (e.g. a replacement).
      ++waiting_;
      if (requested_ + starting_ < waiting_) ++requested_;
      StartThreadLocked();
      cv_.notify_all();
      const std::int64_t failures = failures_;
      cv_.wait(lock, [&] { return stop_ || !idle_.empty() || failures_ != failures; });
      --waiting_;
      if (idle_.empty()) return stop_ ? Status::Unavailable("judge shut down") : last_error_;
    }
    std::unique_ptr<T> item = std::move(idle_.front());
    idle_.pop_front();
    return item;
  }

  // Returns an item for reuse (the next Take gets it first).
  void Put(std::unique_ptr<T> item) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_front(std::move(item));
    cv_.notify_all();
  }

  // Starts one more item in the background (e.g. to replace one that was destroyed).
  void RequestStart() {
    std::lock_guard<std::mutex> lock(mu_);
    ++requested_;
    StartThreadLocked();
    cv_.notify_all();
  }

  std::int64_t started() const {
    std::lock_guard<std::mutex> lock(mu_);
    return started_;
  }

  // Calls `f` on every idle item, under the pool's lock.
  void ForEachIdle(const std::function<void(const T&)>& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& item : idle_) f(*item);
  }

 private:
  void StartThreadLocked() {
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }

  void Loop() {
    int backoff = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (requested_ <= 0 && static_cast<int>(idle_.size()) >= keep_idle_) {
        cv_.wait(lock);
        continue;
      }
      if (requested_ > 0) --requested_;
      starting_ = 1;
      lock.unlock();
      Result<std::unique_ptr<T>> item = start_();
      lock.lock();
      starting_ = 0;
      if (item.ok()) {
        backoff = 0;
        ++started_;
        idle_.push_back(std::move(item).value());
      } else {
        last_error_ = item.status();
        ++failures_;
        // Slots exhausted or a transient failure: back off (waiters got the error).
        backoff = backoff < 6 ? backoff + 1 : backoff;
        cv_.notify_all();
        cv_.wait_for(lock, std::chrono::milliseconds(10 << backoff), [this] { return stop_; });
      }
      cv_.notify_all();
    }
  }

  Starter start_;
  const int keep_idle_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<T>> idle_;
  int requested_;
  int starting_ = 0;   // 1 while the thread starts an item
  int waiting_ = 0;    // Take() calls waiting for an item
  std::int64_t started_ = 0;
  std::int64_t failures_ = 0;
  Status last_error_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace clash::internal
