// clash/clock.h — injected time.
//
// Nothing in libclash reads the system clock: every module takes a Clock from EngineOptions. Tests
// use FakeClock, which moves only when the test advances it, so time rules (OTP expiry, streaks,
// match timers) are tested without sleeping.
//
// Thread-safety: all Clock implementations are safe for concurrent use.
//
// Example:
//   clash::FakeClock clock(clash::Timestamp::FromUnixSeconds(1'700'000'000));
//   clock.Advance(std::chrono::hours(25));   // a day later, plus one hour
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "clash/export.h"

namespace clash {

// A point in time: microseconds since the Unix epoch (UTC).
class CLASH_EXPORT Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromUnixMicros(std::int64_t us) { return Timestamp(us); }
  static constexpr Timestamp FromUnixSeconds(std::int64_t s) { return Timestamp(s * 1'000'000); }

  constexpr std::int64_t unix_micros() const { return us_; }
  constexpr std::int64_t unix_seconds() const { return us_ / 1'000'000; }

  // RFC 3339 in UTC with microseconds, e.g. "2026-11-27T06:48:44.000000Z".
  std::string ToIso8601() const;

  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
  friend constexpr Timestamp operator+(Timestamp t, std::chrono::microseconds d) {
    return Timestamp(t.us_ + d.count());
  }
  friend constexpr Timestamp operator-(Timestamp t, std::chrono::microseconds d) {
    return Timestamp(t.us_ - d.count());
  }
  friend constexpr std::chrono::microseconds operator-(Timestamp a, Timestamp b) {
    return std::chrono::microseconds(a.us_ - b.us_);
  }

 private:
  constexpr explicit Timestamp(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

class CLASH_EXPORT Clock {
 public:
  virtual ~Clock() = default;
  // The current wall-clock time.
  virtual Timestamp Now() const = 0;
  // A monotonic reading for measuring durations; never goes backwards.
  virtual std::chrono::nanoseconds Monotonic() const = 0;

  // The process-wide real clock. Never destroyed.
  static Clock& Real();
};

// A clock that stands still until Advance() or Set() is called.
class CLASH_EXPORT FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = Timestamp::FromUnixSeconds(1'700'000'000)) : now_us_(start.unix_micros()) {}
  Timestamp Now() const override { return Timestamp::FromUnixMicros(now_us_.load()); }
  std::chrono::nanoseconds Monotonic() const override {
    return std::chrono::microseconds(now_us_.load() - start_us_);
  }
  void Advance(std::chrono::microseconds d) { now_us_ += d.count(); }
  void Set(Timestamp t) { now_us_ = t.unix_micros(); }

 private:
  std::atomic<std::int64_t> now_us_;
  std::int64_t start_us_ = now_us_.load();
};

}  // namespace clash
