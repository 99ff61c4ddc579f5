// ParseRateLimit, CheckRateLimit and the argument checks every backend shares.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "clash/ratelimit.h"
#include "transport/rate_limit_internal.h"

namespace clash {

Result<RateLimit> ParseRateLimit(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size()) {
    return Status::InvalidArgument("rate limit must look like N/period, e.g. 20/minute or 60/10m");
  }
  int n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + slash, n);
  if (ec != std::errc() || ptr != text.data() + slash || n < 1) {
    return Status::InvalidArgument("rate limit count must be a positive integer");
  }
  std::string_view period = text.substr(slash + 1);
  std::int64_t multiplier = 1;
  if (period[0] >= '0' && period[0] <= '9') {
    const auto [mptr, mec] = std::from_chars(period.data(), period.data() + period.size(), multiplier);
    if (mec != std::errc() || multiplier < 1 || multiplier > 1'000'000) {
      return Status::InvalidArgument("rate limit period multiplier must be 1-1000000");
    }
    period.remove_prefix(static_cast<std::size_t>(mptr - period.data()));
    if (period.empty()) return Status::InvalidArgument("rate limit period needs a unit: s, m, h or d");
  }
  std::int64_t unit = 0;
  switch (period[0]) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return Status::InvalidArgument("rate limit period must be s, m, h or d");
  }
  for (char c : period) {
    if (c < 'a' || c > 'z') return Status::InvalidArgument("rate limit period must be s, m, h or d");
  }
  return RateLimit{n, std::chrono::seconds(unit * multiplier)};
}

const std::vector<RateLimitScope>& RateLimitScopes() {
  using std::chrono::seconds;
  static const std::vector<RateLimitScope> kScopes = {
      {"anon", RateLimitKey::kClientAddress, kAnonRateLimit, "default throttle of anonymous callers"},
      {"user", RateLimitKey::kCaller, kUserRateLimit, "default throttle of signed-in callers"},
      {"otp", RateLimitKey::kClientAddress, {60, seconds(600)}, "OTP code requests per client address"},
      {"otp_verify", RateLimitKey::kClientAddress, {120, seconds(600)}, "OTP verifications per client address"},
      {"otp_email", RateLimitKey::kMailbox, kOtpPerEmailRateLimit, "OTP codes mailed to one mailbox"},
      {"auth", RateLimitKey::kClientAddress, kAuthRateLimit, "OAuth callbacks and admin login"},
      {"sensitive", RateLimitKey::kCaller, kSensitiveRateLimit, "account deletion and similar"},
      {"store", RateLimitKey::kCaller, kStoreRateLimit, "store purchases and payments"},
      {"notifications", RateLimitKey::kCaller, kNotificationsRateLimit, "notification routes"},
      {"judge", RateLimitKey::kCaller, {30, seconds(60)}, "code runs through the judge"},
      {"chat_connect", RateLimitKey::kCaller, {5, seconds(60)}, "chat socket connections per user"},
      {"chat_message", RateLimitKey::kCaller, {30, seconds(60)}, "chat frames per user (every action but typing)"},
      {"chat_burst", RateLimitKey::kCaller, {5, seconds(5)}, "chat frames per user in a burst"},
      {"chat_typing", RateLimitKey::kCaller, {20, seconds(10)}, "chat typing indicators per user"},
  };
  return kScopes;
}

RateLimitPolicy::RateLimitPolicy() {
  for (const RateLimitScope& scope : RateLimitScopes()) limits_.emplace_back(scope.name, scope.default_limit);
}

Result<RateLimitPolicy> RateLimitPolicy::WithOverrides(const std::vector<std::string>& overrides) {
  RateLimitPolicy policy;
  for (const std::string& item : overrides) {
    std::size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return Status::InvalidArgument("rate limit '" + item + "' must look like scope=N/period, e.g. otp=60/10m");
    }
    std::string scope = item.substr(0, eq);
    auto it = std::find_if(policy.limits_.begin(), policy.limits_.end(),
                           [&](const auto& entry) { return entry.first == scope; });
    if (it == policy.limits_.end()) {
      std::string known;
      for (const RateLimitScope& s : RateLimitScopes()) known += (known.empty() ? "" : ", ") + std::string(s.name);
      return Status::InvalidArgument("rate limit '" + item + "': unknown scope '" + scope + "' (known: " + known + ")");
    }
    Result<RateLimit> limit = ParseRateLimit(item.substr(eq + 1));
    if (!limit.ok()) return Status::InvalidArgument("rate limit '" + item + "': " + limit.status().message());
    it->second = *limit;
  }
  return policy;
}

Result<RateLimit> RateLimitPolicy::Limit(std::string_view scope) const {
  for (const auto& [name, limit] : limits_) {
    if (name == scope) return limit;
  }
  return Status::InvalidArgument("unknown rate limit scope '" + std::string(scope) + "'");
}

RateLimitKey RateLimitPolicy::KeyOf(std::string_view scope) const {
  for (const RateLimitScope& s : RateLimitScopes()) {
    if (s.name == scope) return s.key;
  }
  return RateLimitKey::kCaller;
}

std::string RateLimitPolicy::ToString() const {
  std::string out;
  for (const auto& [name, limit] : limits_) {
    if (!out.empty()) out += ',';
    out += name + "=" + std::to_string(limit.capacity) + "/" + std::to_string(limit.window.count()) + "s";
  }
  return out;
}

std::string MailboxKey(std::string_view email) {
  std::string lower;
  lower.reserve(email.size());
  for (char c : email) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::size_t at = lower.rfind('@');
  if (at == std::string::npos) return lower;
  std::size_t plus = lower.find('+');
  if (plus == std::string::npos || plus > at) return lower;
  return lower.substr(0, plus) + lower.substr(at);
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
