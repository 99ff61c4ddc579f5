#include "judge/warm_pool.h"

#include <chrono>

namespace clash::internal {

WarmPool::WarmPool(Spawner spawn, int target) : spawn_(std::move(spawn)), target_(target) {
  if (target_ > 0) thread_ = std::thread([this] { Loop(); });
}

WarmPool::~WarmPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  idle_.clear();  // SandboxProcess destructors kill and reap
}

std::unique_ptr<SandboxProcess> WarmPool::TryTake() {
  std::unique_ptr<SandboxProcess> proc;
  {
    std::lock_guard<std::mutex> lock(mu_);
    while (!idle_.empty() && !proc) {
      proc = std::move(idle_.front());
      idle_.pop_front();
      if (proc->HasExited()) proc.reset();  // died while idle: discard, reaped by the destructor
    }
  }
  cv_.notify_all();
  return proc;
}

void WarmPool::Loop() {
  int failures = 0;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (static_cast<int>(idle_.size()) >= target_) {
      cv_.wait(lock);
      continue;
    }
    lock.unlock();
    Result<std::unique_ptr<SandboxProcess>> proc = spawn_();
    lock.lock();
    if (proc.ok()) {
      failures = 0;
      idle_.push_back(std::move(proc).value());
    } else {
      // Slots exhausted or a transient fork failure: back off; runs fall back to cold starts.
      failures = failures < 6 ? failures + 1 : failures;
      cv_.wait_for(lock, std::chrono::milliseconds(10 << failures), [this] { return stop_; });
    }
  }
}

}  // namespace clash::internal
