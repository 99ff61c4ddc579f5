// Signing and verification of internal service requests (HMAC-SHA256, timestamp window, nonces).
#include "clash/service_auth.h"

#include <charconv>
#include <mutex>
#include <unordered_set>

#include "common/crypto.h"

namespace clash {
namespace {

constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kMinNonceChars = 16;
constexpr std::size_t kMaxNonceChars = 64;

bool IsValidMethod(std::string_view method) {
  if (method.empty() || method.size() > 16) return false;
  for (char c : method) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

bool IsValidPath(std::string_view path) {
  if (path.empty()) return false;
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool IsValidNonce(std::string_view nonce) {
  if (nonce.size() < kMinNonceChars || nonce.size() > kMaxNonceChars) return false;
  for (char c : nonce) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Unix seconds as 1 to 12 decimal digits (no sign, no spaces).
std::optional<std::int64_t> ParseTimestamp(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text[0] == '-') return std::nullopt;
  return value;
}

std::string CanonicalRequest(std::string_view timestamp, std::string_view nonce, std::string_view method,
                             std::string_view path, std::string_view body) {
  std::string out;
  out.reserve(timestamp.size() + nonce.size() + method.size() + path.size() + 68);
  out.append(timestamp).append("\n").append(nonce).append("\n").append(method).append("\n").append(path);
  out.append("\n").append(internal::HexEncode(internal::Sha256(body)));
  return out;
}

Status Bad(std::string msg) { return Status::Unauthenticated(std::move(msg)); }

}  // namespace

Result<ServiceRequestHeaders> SignServiceRequest(std::string_view key_id, std::string_view secret,
                                                 std::string_view method, std::string_view path_with_query,
                                                 std::string_view body, Timestamp now, Rng& rng) {
  if (key_id.empty()) return Status::InvalidArgument("service key id is empty");
  if (secret.size() < kMinServiceSecretBytes) return Status::InvalidArgument("service secret is too short");
  if (!IsValidMethod(method)) return Status::InvalidArgument("invalid HTTP method");
  if (!IsValidPath(path_with_query)) return Status::InvalidArgument("invalid request path");
  std::string timestamp = std::to_string(now.unix_seconds());
  std::string nonce = rng.HexToken(kNonceBytes);
  std::string signature = internal::KeyedHash(secret, CanonicalRequest(timestamp, nonce, method, path_with_query, body));
  return ServiceRequestHeaders{{std::string(kServiceKeyHeader), std::string(key_id)},
                               {std::string(kServiceTimestampHeader), std::move(timestamp)},
                               {std::string(kServiceNonceHeader), std::move(nonce)},
                               {std::string(kServiceSignatureHeader), std::move(signature)}};
}

// The replay cache: nonces by key, and the same entries ordered by the time they may be forgotten.
struct ServiceRequestVerifier::State {
  mutable std::mutex mu;
  std::unordered_set<std::string> seen;                  // key_id "\n" nonce
  std::multimap<std::int64_t, std::string> by_expiry;    // unix micros after which a replay fails anyway
};

ServiceRequestVerifier::ServiceRequestVerifier(ServiceAuthOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock), state_(std::make_unique<State>()) {}
ServiceRequestVerifier::~ServiceRequestVerifier() = default;

Result<std::unique_ptr<ServiceRequestVerifier>> ServiceRequestVerifier::Create(ServiceAuthOptions options,
                                                                               Clock& clock) {
  if (options.keys.empty()) return Status::InvalidArgument("no service keys configured");
  for (const auto& [id, secret] : options.keys) {
    if (id.empty()) return Status::InvalidArgument("empty service key id");
    if (secret.size() < kMinServiceSecretBytes) {
      return Status::InvalidArgument("service secret for key " + id + " is too short");
    }
  }
  if (options.max_clock_skew <= std::chrono::seconds(0)) return Status::InvalidArgument("max_clock_skew must be > 0");
  if (options.max_remembered_nonces == 0) return Status::InvalidArgument("max_remembered_nonces must be > 0");
  return std::unique_ptr<ServiceRequestVerifier>(new ServiceRequestVerifier(std::move(options), clock));
}

Status ServiceRequestVerifier::Verify(const HeaderLookup& header, std::string_view method,
                                      std::string_view path_with_query, std::string_view body) {
  std::optional<std::string> key_id = header(kServiceKeyHeader);
  if (!key_id || key_id->empty()) return Bad("missing internal API key");
  auto key = options_.keys.find(*key_id);
  if (key == options_.keys.end()) return Bad("unknown internal API key");

  std::optional<std::string> ts_text = header(kServiceTimestampHeader);
  std::optional<std::string> nonce = header(kServiceNonceHeader);
  std::optional<std::string> sig_text = header(kServiceSignatureHeader);
  if (!ts_text || !nonce || !sig_text) return Bad("missing request signature headers");
  std::optional<std::int64_t> ts = ParseTimestamp(*ts_text);
  if (!ts) return Bad("malformed request timestamp");
  if (!IsValidNonce(*nonce)) return Bad("malformed request nonce");
  std::optional<std::string> signature = internal::HexDecode(*sig_text);
  if (!signature || signature->size() != 32) return Bad("malformed request signature");
  if (!IsValidMethod(method) || !IsValidPath(path_with_query)) return Bad("malformed request");

  const Timestamp now = clock_.Now();
  const Timestamp sent = Timestamp::FromUnixSeconds(*ts);
  const std::chrono::microseconds skew = options_.max_clock_skew;
  if (now - sent > skew || sent - now > skew) return Bad("request timestamp outside the allowed window");

  std::string expected =
      internal::HmacSha256(key->second, CanonicalRequest(*ts_text, *nonce, method, path_with_query, body));
  if (!internal::ConstantTimeEquals(expected, *signature)) return Bad("invalid request signature");

  // Only authentic requests reach the replay cache, so nobody can fill it without a secret.
  std::string entry = *key_id + "\n" + *nonce;
  std::lock_guard<std::mutex> lock(state_->mu);
  const std::int64_t now_us = now.unix_micros();
  while (!state_->by_expiry.empty() && state_->by_expiry.begin()->first < now_us) {
    state_->seen.erase(state_->by_expiry.begin()->second);
    state_->by_expiry.erase(state_->by_expiry.begin());
  }
  if (state_->seen.contains(entry)) return Bad("replayed request");
  if (state_->seen.size() >= options_.max_remembered_nonces) {
    return Status::Unavailable("too many internal requests; retry shortly").WithRetryAfter(1);
  }
  state_->by_expiry.emplace((sent + skew).unix_micros(), entry);
  state_->seen.insert(std::move(entry));
  return Status::Ok();
}

std::size_t ServiceRequestVerifier::remembered_nonces() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->seen.size();
}

}  // namespace clash
