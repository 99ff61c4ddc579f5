// clash/service_auth.h — authentication of internal requests between hosts and workers.
//
// The sender signs each request with a shared secret; the receiver checks the key id, the time,
// the signature and that the nonce was not seen before. The signature covers the method, the path
// with its query string and a SHA-256 of the body, so nothing of a request can be changed or
// replayed (the reference implementation signed the path only and allowed replays).
//
//   X-Internal-API-Key:    the key id (names the secret; not itself a secret)
//   X-Internal-Timestamp:  unix seconds
//   X-Internal-Nonce:      32 random hex characters
//   X-Internal-Signature:  hex(HMAC-SHA256(secret,
//                            timestamp "\n" nonce "\n" METHOD "\n" path_with_query "\n" hex(SHA-256(body))))
//
// Thread-safety: SignServiceRequest is a pure function (apart from `rng`); ServiceRequestVerifier is
// safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(auto headers, clash::SignServiceRequest("worker-1", secret, "POST",
//                          "/internal/judge/results?x=1", body, clock.Now(), clash::Rng::Secure()));
//   // receiver:
//   Status s = verifier->Verify([&](std::string_view name) { return request.Header(name); },
//                               "POST", "/internal/judge/results?x=1", body);
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

inline constexpr std::string_view kServiceKeyHeader = "X-Internal-API-Key";
inline constexpr std::string_view kServiceTimestampHeader = "X-Internal-Timestamp";
inline constexpr std::string_view kServiceNonceHeader = "X-Internal-Nonce";
inline constexpr std::string_view kServiceSignatureHeader = "X-Internal-Signature";

// Secrets shorter than this are refused on both sides.
inline constexpr std::size_t kMinServiceSecretBytes = 16;

// Header name -> value, in the order above.
using ServiceRequestHeaders = std::vector<std::pair<std::string, std::string>>;

// Returns the four headers to add to a request. `method` is sent as given ("POST"; letters only);
// `path_with_query` is the request target exactly as sent ("/internal/x?a=1"); `body` the exact
// body bytes (empty for none). The nonce comes from `rng` (use Rng::Secure()). Returns
// InvalidArgument for an empty key id, a secret shorter than kMinServiceSecretBytes, a method
// with anything but ASCII letters, or a path that is empty or holds a control character.
CLASH_EXPORT Result<ServiceRequestHeaders> SignServiceRequest(std::string_view key_id, std::string_view secret,
                                                              std::string_view method,
                                                              std::string_view path_with_query,
                                                              std::string_view body, Timestamp now, Rng& rng);

struct ServiceAuthOptions {
  // Key id -> secret. Several ids allow rotating secrets and telling senders apart.
  std::map<std::string, std::string> keys;
  // Requests whose timestamp differs from the receiver's clock by more than this are refused.
  std::chrono::seconds max_clock_skew{120};
  // Bound on the replay cache. Nonces are kept only until their timestamp leaves the window; when
  // the cache is full of live nonces, new requests are refused (Unavailable) rather than forgetting
  // a nonce early, which would allow a replay. Each entry costs roughly 150 bytes.
  std::size_t max_remembered_nonces = 100'000;
};

class CLASH_EXPORT ServiceRequestVerifier {
 public:
  // Returns InvalidArgument if `options.keys` is empty, a key id is empty, a secret is shorter than
  // kMinServiceSecretBytes, max_clock_skew is not positive or max_remembered_nonces is 0.
  // `clock` must outlive the verifier.
  static Result<std::unique_ptr<ServiceRequestVerifier>> Create(ServiceAuthOptions options, Clock& clock);
  ~ServiceRequestVerifier();
  ServiceRequestVerifier(const ServiceRequestVerifier&) = delete;
  ServiceRequestVerifier& operator=(const ServiceRequestVerifier&) = delete;

  // Returns the value of the request header `name` (case-insensitive, as HTTP header names are), or
  // nullopt if the request has none.
  using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

  // OK if the request carries a valid signature of a configured key over exactly this `method`,
  // `path_with_query` and `body`, a timestamp within max_clock_skew of the clock, and a nonce not
  // seen for this key while that timestamp is in the window (the nonce is then remembered).
  // Otherwise Unauthenticated with a short message: a missing or malformed header, an unknown key,
  // a stale or future timestamp, a bad signature, "replayed request". Unavailable (with a retry
  // hint) if the replay cache is full.
  Status Verify(const HeaderLookup& header, std::string_view method, std::string_view path_with_query,
                std::string_view body);

  // The number of nonces currently remembered (for metrics and tests).
  std::size_t remembered_nonces() const;

 private:
  struct State;
  ServiceRequestVerifier(ServiceAuthOptions options, Clock& clock);

  ServiceAuthOptions options_;
  Clock& clock_;
  std::unique_ptr<State> state_;
};

}  // namespace clash
