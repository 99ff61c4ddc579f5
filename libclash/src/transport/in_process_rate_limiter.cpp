// NewInProcessRateLimiter / NewInProcessReplayCache: sharded mutexes over LRU maps.
#include <array>
#include <deque>
#include <functional>
#include <mutex>

#include "clash/ratelimit.h"
#include "transport/lru_map.h"
#include "transport/rate_limit_internal.h"

namespace clash {
namespace {

constexpr std::size_t kShards = 16;

std::size_t ShardOf(std::string_view key) { return std::hash<std::string_view>{}(key) % kShards; }

struct KeyLog {
  std::deque<std::int64_t> times_us;  // one entry per unit, oldest first
  std::int64_t window_us = 0;
};

class InProcessRateLimiter final : public RateLimiter {
 public:
  InProcessRateLimiter(Clock& clock, const InProcessLimiterOptions& options) : clock_(clock) {
    for (auto& s : shards_) s = std::make_unique<Shard>(options.max_keys / kShards + 1);
  }

  Result<RateDecision> Take(std::string_view key, const RateLimit& limit, int cost) override {
    CLASH_RETURN_IF_ERROR(internal::ValidateTake(key, limit, cost));
    const std::int64_t now = clock_.Now().unix_micros();
    const std::int64_t window = std::chrono::duration_cast<std::chrono::microseconds>(limit.window).count();
    Shard& shard = *shards_[ShardOf(key)];
    std::lock_guard<std::mutex> lock(shard.mu);
    KeyLog& log = shard.keys.Touch(key);
    log.window_us = window;
    while (!log.times_us.empty() && log.times_us.front() <= now - window) log.times_us.pop_front();
    const auto count = static_cast<std::int64_t>(log.times_us.size());
    RateDecision d;
    if (count + cost <= limit.capacity) {
      log.times_us.insert(log.times_us.end(), static_cast<std::size_t>(cost), now);
      d.allowed = true;
      d.remaining = static_cast<int>(limit.capacity - count - cost);
    } else {
      const std::int64_t oldest_needed = log.times_us[static_cast<std::size_t>(count + cost - limit.capacity - 1)];
      d.allowed = false;
      d.remaining = static_cast<int>(std::max<std::int64_t>(0, limit.capacity - count));
      d.retry_after = internal::RetryAfterFromMicros(oldest_needed + window - now);
    }
    shard.keys.Trim([now](const KeyLog& l) { return l.times_us.empty() || l.times_us.back() <= now - l.window_us; });
    return d;
  }

 private:
  struct Shard {
    explicit Shard(std::size_t max) : keys(max) {}
    std::mutex mu;
    internal::LruMap<KeyLog> keys;
  };
  Clock& clock_;
  std::array<std::unique_ptr<Shard>, kShards> shards_;
};

class InProcessReplayCache final : public ReplayCache {
 public:
  InProcessReplayCache(Clock& clock, const InProcessLimiterOptions& options) : clock_(clock) {
    for (auto& s : shards_) s = std::make_unique<Shard>(options.max_keys / kShards + 1);
  }

  Result<bool> MarkSeen(std::string_view key, std::chrono::milliseconds ttl) override {
    if (key.empty()) return Status::InvalidArgument("replay key is empty");
    if (ttl < std::chrono::milliseconds(1)) return Status::InvalidArgument("replay ttl must be >= 1 ms");
    const std::int64_t now = clock_.Now().unix_micros();
    Shard& shard = *shards_[ShardOf(key)];
    std::lock_guard<std::mutex> lock(shard.mu);
    std::int64_t& expires = shard.keys.Touch(key);  // 0 when new
    const bool first = expires <= now;
    if (first) expires = now + std::chrono::duration_cast<std::chrono::microseconds>(ttl).count();
    shard.keys.Trim([now](std::int64_t e) { return e <= now; });
    return first;
  }

 private:
  struct Shard {
    explicit Shard(std::size_t max) : keys(max) {}
    std::mutex mu;
    internal::LruMap<std::int64_t> keys;
  };
  Clock& clock_;
  std::array<std::unique_ptr<Shard>, kShards> shards_;
};

}  // namespace

std::unique_ptr<RateLimiter> NewInProcessRateLimiter(Clock& clock, InProcessLimiterOptions options) {
  return std::make_unique<InProcessRateLimiter>(clock, options);
}

std::unique_ptr<ReplayCache> NewInProcessReplayCache(Clock& clock, InProcessLimiterOptions options) {
  return std::make_unique<InProcessReplayCache>(clock, options);
}

}  // namespace clash
