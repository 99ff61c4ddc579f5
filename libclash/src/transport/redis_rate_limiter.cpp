// NewRedisRateLimiter / NewRedisReplayCache: one Lua script per call, so check-and-update is atomic
// across hosts. Times travel as decimal strings (Lua's number-to-string keeps only 14 digits).
#include <Poco/Redis/Array.h>

#include <atomic>

#include "clash/ratelimit.h"
#include "clash/rng.h"
#include "transport/rate_limit_internal.h"
#include "transport/redis_pool.h"

namespace clash {
namespace {

// KEYS[1] = the log (a sorted set of unit ids scored by time in microseconds).
// ARGV: now_us, cutoff_us (= now - window; entries at or before it have expired), window_ms,
//       capacity, cost, unique id for this call's units.
// Returns {allowed (0/1), remaining, retry_after_us}.
constexpr const char* kTakeScript = R"lua(
local key = KEYS[1]
local capacity = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[2])
local count = redis.call('ZCARD', key)
if count + cost <= capacity then
  for i = 1, cost do
    redis.call('ZADD', key, ARGV[1], ARGV[6] .. ':' .. i)
  end
  redis.call('PEXPIRE', key, ARGV[3])
  return {1, capacity - count - cost, 0}
end
local idx = count + cost - capacity - 1
local entry = redis.call('ZRANGE', key, idx, idx, 'WITHSCORES')
local remaining = capacity - count
if remaining < 0 then remaining = 0 end
return {0, remaining, tonumber(entry[2]) - tonumber(ARGV[2])}
)lua";

// KEYS[1] = the marker. ARGV: now_us, expires_us, ttl_ms. Returns 1 if first seen, 0 for a replay.
constexpr const char* kSeenScript = R"lua(
local v = redis.call('GET', KEYS[1])
if v and tonumber(v) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
)lua";

Result<std::int64_t> IntAt(const Poco::Redis::RedisType::Ptr& reply, std::size_t i) {
  try {
    if (i == 0 && reply->isInteger()) {
      return dynamic_cast<const Poco::Redis::Type<Poco::Int64>&>(*reply).value();
    }
    const auto& arr = dynamic_cast<const Poco::Redis::Type<Poco::Redis::Array>&>(*reply).value();
    return static_cast<std::int64_t>(arr.get<Poco::Int64>(i));
  } catch (...) {
    return Status::Internal("unexpected reply from the Redis rate-limit script");
  }
}

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(internal::RedisEndpoint ep, Clock& clock, RedisLimiterOptions options)
      : clock_(clock),
        prefix_(std::move(options.key_prefix)),
        pool_(std::move(ep), options.max_idle_connections, options.timeout),
        script_(kTakeScript),
        id_prefix_(Rng::Secure().HexToken(8)) {}

  Result<RateDecision> Take(std::string_view key, const RateLimit& limit, int cost) override {
    CLASH_RETURN_IF_ERROR(internal::ValidateTake(key, limit, cost));
    const std::int64_t now = clock_.Now().unix_micros();
    const std::int64_t window_us = std::chrono::duration_cast<std::chrono::microseconds>(limit.window).count();
    const std::string unit_id = id_prefix_ + "-" + std::to_string(seq_.fetch_add(1));
    CLASH_ASSIGN_OR_RETURN(
        auto reply, pool_.Eval(script_, {prefix_ + std::string(key)},
                               {std::to_string(now), std::to_string(now - window_us), std::to_string(window_us / 1000),
                                std::to_string(limit.capacity), std::to_string(cost), unit_id}));
    CLASH_ASSIGN_OR_RETURN(std::int64_t allowed, IntAt(reply, 0));
    CLASH_ASSIGN_OR_RETURN(std::int64_t remaining, IntAt(reply, 1));
    CLASH_ASSIGN_OR_RETURN(std::int64_t retry_us, IntAt(reply, 2));
    RateDecision d;
    d.allowed = allowed == 1;
    d.remaining = static_cast<int>(remaining);
    if (!d.allowed) d.retry_after = internal::RetryAfterFromMicros(retry_us);
    return d;
  }

 private:
  Clock& clock_;
  std::string prefix_;
  internal::RedisPool pool_;
  internal::LuaScript script_;
  std::string id_prefix_;
  std::atomic<std::uint64_t> seq_{0};
};

class RedisReplayCache final : public ReplayCache {
 public:
  RedisReplayCache(internal::RedisEndpoint ep, Clock& clock, RedisLimiterOptions options)
      : clock_(clock),
        prefix_(options.key_prefix + "seen:"),
        pool_(std::move(ep), options.max_idle_connections, options.timeout),
        script_(kSeenScript) {}

  Result<bool> MarkSeen(std::string_view key, std::chrono::milliseconds ttl) override {
    if (key.empty()) return Status::InvalidArgument("replay key is empty");
    if (ttl < std::chrono::milliseconds(1)) return Status::InvalidArgument("replay ttl must be >= 1 ms");
    const std::int64_t now = clock_.Now().unix_micros();
    const std::int64_t expires = now + std::chrono::duration_cast<std::chrono::microseconds>(ttl).count();
    CLASH_ASSIGN_OR_RETURN(auto reply, pool_.Eval(script_, {prefix_ + std::string(key)},
                                                  {std::to_string(now), std::to_string(expires),
                                                   std::to_string(ttl.count())}));
    CLASH_ASSIGN_OR_RETURN(std::int64_t first, IntAt(reply, 0));
    return first == 1;
  }

 private:
  Clock& clock_;
  std::string prefix_;
  internal::RedisPool pool_;
  internal::LuaScript script_;
};

Status ValidateOptions(const RedisLimiterOptions& options) {
  if (options.timeout <= std::chrono::milliseconds(0)) return Status::InvalidArgument("Redis timeout must be positive");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<RateLimiter>> NewRedisRateLimiter(const std::string& redis_url, Clock& clock,
                                                         RedisLimiterOptions options) {
  CLASH_RETURN_IF_ERROR(ValidateOptions(options));
  CLASH_ASSIGN_OR_RETURN(internal::RedisEndpoint ep, internal::ParseRedisUrl(redis_url));
  return std::unique_ptr<RateLimiter>(std::make_unique<RedisRateLimiter>(std::move(ep), clock, std::move(options)));
}

Result<std::unique_ptr<ReplayCache>> NewRedisReplayCache(const std::string& redis_url, Clock& clock,
                                                         RedisLimiterOptions options) {
  CLASH_RETURN_IF_ERROR(ValidateOptions(options));
  CLASH_ASSIGN_OR_RETURN(internal::RedisEndpoint ep, internal::ParseRedisUrl(redis_url));
  return std::unique_ptr<ReplayCache>(std::make_unique<RedisReplayCache>(std::move(ep), clock, std::move(options)));
}

}  // namespace clash
