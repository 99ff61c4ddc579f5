// EngineHandle: the Python-side owner of a clash::Engine, shared by the Engine and Auth objects.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

#include "bindings.h"
#include "clash/engine.h"

namespace clash::python {

// Owns the Engine. close() may race with calls from other threads: calls hold a shared lock, close()
// an exclusive one, and a call on a closed engine fails with FailedPrecondition.
class EngineHandle {
 public:
  explicit EngineHandle(std::unique_ptr<Engine> engine)
      : backend_(engine->storage().backend_name()), engine_(std::move(engine)) {}

  // Runs fn(Engine&) -> Result<T> or Status with the GIL released and returns what it returns.
  template <typename Fn>
  auto Call(Fn&& fn) {
    return WithoutGil([&]() -> decltype(fn(std::declval<Engine&>())) {
      std::shared_lock lock(mu_);
      if (!engine_) return Status::FailedPrecondition("the engine is closed");
      return fn(*engine_);
    });
  }

  // Releases storage; waits for calls in flight. Idempotent.
  void Close() {
    WithoutGil([&] {
      std::unique_lock lock(mu_);
      engine_.reset();
    });
  }

  bool closed() {
    std::shared_lock lock(mu_);
    return engine_ == nullptr;
  }
  const std::string& backend() const { return backend_; }

 private:
  const std::string backend_;
  std::shared_mutex mu_;
  std::unique_ptr<Engine> engine_;
};

using Handle = std::shared_ptr<EngineHandle>;

}  // namespace clash::python
