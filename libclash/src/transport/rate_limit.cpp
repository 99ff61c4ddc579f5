// ParseRateLimit, CheckRateLimit and the argument checks every backend shares.
#include <charconv>

#include "clash/ratelimit.h"
#include "transport/rate_limit_internal.h"

namespace clash {

Result<RateLimit> ParseRateLimit(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size()) {
    return Status::InvalidArgument("rate limit must look like N/period, e.g. 20/minute");
  }
  int n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + slash, n);
  if (ec != std::errc() || ptr != text.data() + slash || n < 1) {
    return Status::InvalidArgument("rate limit count must be a positive integer");
  }
  std::chrono::seconds window{0};
  switch (text[slash + 1]) {
    case 's': window = std::chrono::seconds(1); break;
    case 'm': window = std::chrono::seconds(60); break;
    case 'h': window = std::chrono::seconds(3600); break;
    case 'd': window = std::chrono::seconds(86400); break;
    default: return Status::InvalidArgument("rate limit period must be s, m, h or d");
  }
  return RateLimit{n, window};
}

Status CheckRateLimit(RateLimiter& limiter, std::string_view key, const RateLimit& limit, int cost) {
  CLASH_ASSIGN_OR_RETURN(RateDecision d, limiter.Take(key, limit, cost));
  if (d.allowed) return Status::Ok();
  return Status::ResourceExhausted("rate limit exceeded").WithRetryAfter(static_cast<int>(d.retry_after.count()));
}

namespace internal {

Status ValidateTake(std::string_view key, const RateLimit& limit, int cost) {
  if (key.empty()) return Status::InvalidArgument("rate limit key is empty");
  if (limit.capacity < 1) return Status::InvalidArgument("rate limit capacity must be >= 1");
  if (limit.window < std::chrono::seconds(1)) return Status::InvalidArgument("rate limit window must be >= 1 s");
  if (cost < 1 || cost > limit.capacity) return Status::InvalidArgument("rate limit cost must be in [1, capacity]");
  return Status::Ok();
}

std::chrono::seconds RetryAfterFromMicros(std::int64_t us) {
  const std::int64_t s = (us + 999'999) / 1'000'000;
  return std::chrono::seconds(s < 1 ? 1 : s);
}

}  // namespace internal
}  // namespace clash
