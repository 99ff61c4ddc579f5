// A few sandboxes started ahead of demand, so a run skips namespace setup and interpreter start.
//
// A background thread keeps `target` idle sandboxes. Each one is used for exactly one run and
// then destroyed: no state is shared between submissions.
//
// Thread-safety: safe for concurrent use.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "clash/status.h"
#include "judge/sandbox.h"

namespace clash::internal {

class WarmPool {
 public:
  using Spawner = std::function<Result<std::unique_ptr<SandboxProcess>>()>;

  // Starts the refill thread (none if target <= 0).
  WarmPool(Spawner spawn, int target);
  // Stops the thread and kills the idle sandboxes.
  ~WarmPool();
  WarmPool(const WarmPool&) = delete;
  WarmPool& operator=(const WarmPool&) = delete;

  // An idle, still-running sandbox, or nullptr if none is ready (the caller then starts one cold).
  std::unique_ptr<SandboxProcess> TryTake();

 private:
  void Loop();

  Spawner spawn_;
  int target_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<SandboxProcess>> idle_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace clash::internal
