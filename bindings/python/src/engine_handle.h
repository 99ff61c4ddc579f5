// EngineHandle: the Python-side owner of a clash::Engine, shared by the Engine and Auth objects.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

#include "bindings.h"
#include "clash/engine.h"

namespace clash::python {

// Owns the Engine. close() may race with calls from other threads: calls hold a shared lock, close()
// an exclusive one, and a call on a closed engine fails with FailedPrecondition. `keep_alive` is what
// the engine points to and must outlive it (a FakeClock given to open()).
class EngineHandle {
 public:
  explicit EngineHandle(std::unique_ptr<Engine> engine, std::shared_ptr<const void> keep_alive = nullptr)
      : backend_(engine->storage().backend_name()), keep_alive_(std::move(keep_alive)), engine_(std::move(engine)) {}

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
  std::shared_ptr<const void> keep_alive_;  // declared before engine_: destroyed after it
  std::shared_mutex mu_;
  std::unique_ptr<Engine> engine_;
};

using Handle = std::shared_ptr<EngineHandle>;

// The object behind Engine.ledger, Engine.shop, ...: the engine handle, so a closed engine fails
// every call with FailedPrecondition. `Tag` only makes each facet a distinct Python class.
template <typename Tag>
struct Facet {
  Handle engine;

  template <typename Fn>
  auto Call(Fn&& fn) {
    return engine->Call(std::forward<Fn>(fn));
  }
};

// Loads user `user_id` and returns fn(user) (a Result<T> or Status); the load's error otherwise
// (NotFound for an unknown id). For library calls that take a `const User&`.
template <typename Fn>
auto WithUser(Engine& engine, std::int64_t user_id, Fn&& fn) -> decltype(fn(std::declval<const User&>())) {
  Result<User> user = engine.auth().GetUser(user_id);
  if (!user.ok()) return user.status();
  return fn(*user);
}

}  // namespace clash::python
