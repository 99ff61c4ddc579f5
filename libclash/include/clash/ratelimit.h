// clash/ratelimit.h — rate limiting and "seen once" checks, in process or shared through Redis.
//
// Semantics: a SLIDING-WINDOW LOG (the reference's DRF throttles work the same way). A key may spend
// at most `capacity` units within any interval of length `window`: each allowed Take records `cost`
// units at the current time, and a unit stops counting exactly `window` after it was recorded.
// Denied calls record nothing. So "5 per 10 min" means never a 6th within any 10 minutes, and after
// a burst of 5 the next one is allowed 10 minutes after the first of them.
//
// Time comes from the injected Clock (wall time, Clock::Now()), also for the Redis backend, where it
// is passed to the server-side script; hosts sharing a Redis must therefore have synchronised clocks
// (NTP). Tests drive everything with FakeClock.
//
// Keys are opaque to the limiter: callers namespace them ("otp:email:a@b.c", "anon:ip:1.2.3.4"). Use
// one RateLimit per key; mixing limits on one key counts the same log against each.
//
// Thread-safety: every RateLimiter and ReplayCache here is safe for concurrent use, and Take is
// atomic per key (across hosts for the Redis backend).
//
// Example:
//   auto limiter = clash::NewInProcessRateLimiter(clock);
//   clash::RateLimitPolicy policy;                       // or WithOverrides({"otp=100/10m"})
//   CLASH_ASSIGN_OR_RETURN(clash::RateLimit otp, policy.Limit("otp"));
//   CLASH_RETURN_IF_ERROR(clash::CheckRateLimit(*limiter, "otp:ip:" + client_address, otp));
//   // ... denied: ResourceExhausted with retry_after_seconds() set (the host sends Retry-After).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

struct RateLimit {
  int capacity = 0;               // units allowed per window; must be >= 1
  std::chrono::seconds window{0};  // must be >= 1 s
};

// The reference's throttle rates (reference-core.md section 0). Prefer RateLimitPolicy, which
// holds the configured value of every scope.
inline constexpr RateLimit kAnonRateLimit{20, std::chrono::seconds(60)};           // per IP
inline constexpr RateLimit kUserRateLimit{100, std::chrono::seconds(60)};          // per user
inline constexpr RateLimit kAuthRateLimit{10, std::chrono::seconds(60)};           // per IP
inline constexpr RateLimit kStoreRateLimit{30, std::chrono::seconds(60)};          // per user
inline constexpr RateLimit kNotificationsRateLimit{180, std::chrono::seconds(60)};  // per user
inline constexpr RateLimit kSensitiveRateLimit{5, std::chrono::seconds(60)};       // per caller
inline constexpr RateLimit kOtpPerEmailRateLimit{5, std::chrono::seconds(600)};     // per mailbox

// Parses "N/period": the reference's form ("20/minute", "5/min", "10/s", "100/hour", "1/day"; only
// the unit's first letter counts, as in DRF) with an optional multiplier before the unit
// ("60/10m" is 60 per 10 minutes, "5/600s"). Returns InvalidArgument otherwise.
CLASH_EXPORT Result<RateLimit> ParseRateLimit(std::string_view text);

// How a scope's units are counted.
enum class RateLimitKey {
  kCaller,  // per user for authenticated callers, per client address for anonymous ones
  kClientAddress,  // per client address, whoever calls (login routes: a token must not escape it)
  kMailbox,  // per e-mail mailbox (plus-tags folded: a+1@x and a+2@x are one mailbox); Auth enforces it
};

// One throttle scope: its name, what it is for, how it counts and its default.
struct RateLimitScope {
  std::string_view name;
  RateLimitKey key;
  RateLimit default_limit;
  std::string_view help;
};

// Every throttle scope of the platform (the host's routes and the library's own checks):
//   anon 20/1m, user 100/1m (the default throttle), otp 60/10m and otp_verify 120/10m per client
//   address (a school behind one NAT logs a class in), otp_email 5/10m per mailbox, auth 10/1m,
//   sensitive 5/1m, store 30/1m, notifications 180/1m, judge 30/1m; chat (per user, counted in
//   Redis when configured, so across hosts): chat_connect 5/1m, chat_message 30/1m, chat_burst 5/5s,
//   chat_typing 20/10s.
CLASH_EXPORT const std::vector<RateLimitScope>& RateLimitScopes();

// The limit in force for each scope: the defaults of RateLimitScopes() with configured overrides.
// Thread-safety: immutable once built; share it freely.
class CLASH_EXPORT RateLimitPolicy {
 public:
  // Every scope at its default.
  RateLimitPolicy();
  // The defaults with `overrides` applied: "scope=N/period" items, e.g. {"otp=100/10m",
  // "anon=30/min"}. InvalidArgument naming the item for an unknown scope or a malformed limit.
  static Result<RateLimitPolicy> WithOverrides(const std::vector<std::string>& overrides);

  // The limit of `scope`; InvalidArgument for an unknown scope (a programming error).
  Result<RateLimit> Limit(std::string_view scope) const;
  // How `scope` counts; kCaller for an unknown scope.
  RateLimitKey KeyOf(std::string_view scope) const;
  // "otp=60/600s,anon=20/60s,..." (every scope, in RateLimitScopes() order), for logs and help.
  std::string ToString() const;

 private:
  std::vector<std::pair<std::string, RateLimit>> limits_;
};

// The throttling key of an e-mail address: lower-cased, with a "+tag" of the local part dropped, so
// every plus-address of one mailbox shares one budget ("Ada+x@Example.com" -> "ada@example.com").
// Used for throttling only; the address itself is kept as given.
CLASH_EXPORT std::string MailboxKey(std::string_view email);

struct RateDecision {
  bool allowed = false;
  // Units left in the current window after this call (0 when denied with cost 1).
  int remaining = 0;
  // When denied: whole seconds (rounded up, >= 1) until the same call would be allowed. 0 if allowed.
  std::chrono::seconds retry_after{0};
};

// Implement this to add a rate-limit backend.
class CLASH_EXPORT RateLimiter {
 public:
  RateLimiter() = default;
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;
  virtual ~RateLimiter() = default;

  // Atomically checks whether `cost` more units fit into `key`'s window and, if so, records them.
  // A denial is a successful call with allowed == false. Errors:
  //   InvalidArgument — empty key, capacity < 1, window < 1 s, cost < 1 or cost > capacity;
  //   Unavailable     — the backend (Redis) is unreachable. Callers decide whether to fail closed
  //                     (return the error) or fail open (treat it as allowed and log); login and OTP
  //                     endpoints should fail closed.
  virtual Result<RateDecision> Take(std::string_view key, const RateLimit& limit, int cost = 1) = 0;
};

// Take(), with a denial turned into ResourceExhausted("rate limit exceeded").WithRetryAfter(n).
// Backend errors are returned unchanged.
CLASH_EXPORT Status CheckRateLimit(RateLimiter& limiter, std::string_view key, const RateLimit& limit,
                                   int cost = 1);

// Implement this to add a "seen once" backend (replay protection for nonces, jti, webhook ids).
class CLASH_EXPORT ReplayCache {
 public:
  ReplayCache() = default;
  ReplayCache(const ReplayCache&) = delete;
  ReplayCache& operator=(const ReplayCache&) = delete;
  virtual ~ReplayCache() = default;

  // Atomically records `key` for `ttl` and returns true if it was not already recorded (and
  // unexpired by the injected clock); returns false for a replay. Errors: InvalidArgument (empty key,
  // ttl < 1 ms), Unavailable (backend down).
  virtual Result<bool> MarkSeen(std::string_view key, std::chrono::milliseconds ttl) = 0;
};

struct InProcessLimiterOptions {
  // Upper bound on tracked keys; beyond it the least recently used keys are dropped (which forgets
  // their history: size it above the number of active clients). Idle keys (whose whole history has
  // expired) are dropped as they are found.
  std::size_t max_keys = 100'000;
};

// A single-process backend: sharded mutexes, memory bounded by options.max_keys.
CLASH_EXPORT std::unique_ptr<RateLimiter> NewInProcessRateLimiter(Clock& clock, InProcessLimiterOptions options = {});
CLASH_EXPORT std::unique_ptr<ReplayCache> NewInProcessReplayCache(Clock& clock, InProcessLimiterOptions options = {});

struct RedisLimiterOptions {
  // Prepended to every key, so several deployments can share one Redis.
  std::string key_prefix = "clash:rl:";
  // Idle connections kept for reuse; more are opened under load and closed when returned.
  int max_idle_connections = 4;
  // Connect timeout and the timeout of each Redis reply.
  std::chrono::milliseconds timeout{2000};
};

// A shared backend: one Lua script per Take (EVALSHA, falling back to EVAL), so the check-and-update
// is atomic across hosts; keys expire one window after their last use. `redis_url` is
// redis://[:password@]host[:port][/db]. Connects lazily and reconnects after failures (a broken
// connection is dropped and the call retried once on a fresh one). Returns InvalidArgument for a
// malformed URL; an unreachable server surfaces as Unavailable from Take/MarkSeen.
CLASH_EXPORT Result<std::unique_ptr<RateLimiter>> NewRedisRateLimiter(const std::string& redis_url, Clock& clock,
                                                                      RedisLimiterOptions options = {});
// Same connection rules; keys are prefixed with options.key_prefix + "seen:".
CLASH_EXPORT Result<std::unique_ptr<ReplayCache>> NewRedisReplayCache(const std::string& redis_url, Clock& clock,
                                                                      RedisLimiterOptions options = {});

}  // namespace clash
