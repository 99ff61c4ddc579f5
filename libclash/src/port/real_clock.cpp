// The one place in libclash that reads the system clock (see docs/architecture.md, "Time").
#include <ctime>

#include "clash/clock.h"

namespace clash {
namespace {

class RealClock final : public Clock {
 public:
  Timestamp Now() const override {
    auto d = std::chrono::system_clock::now().time_since_epoch();
    return Timestamp::FromUnixMicros(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  }
  std::chrono::nanoseconds Monotonic() const override {
    return std::chrono::steady_clock::now().time_since_epoch();
  }
};

}  // namespace

Clock& Clock::Real() {
  static RealClock* clock = new RealClock();
  return *clock;
}

std::string Timestamp::ToIso8601() const {
  std::int64_t secs = us_ / 1'000'000;
  std::int64_t micros = us_ % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros));
  return buf;
}

}  // namespace clash
