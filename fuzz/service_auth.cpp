// Fuzz target: the internal request signature check (clash/service_auth.h).
// Input lines: key id, timestamp, nonce, signature, method, path; the rest is the body.
// First byte even: those headers are checked as sent (an attacker's request). First byte odd: the
// harness signs method, path and body properly; then Verify must accept the request once and
// refuse its replay.
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/rng.h"
#include "clash/service_auth.h"

namespace {

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef";

std::string_view NextLine(std::string_view* rest) {
  const std::size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  rest->remove_prefix(nl == std::string_view::npos ? rest->size() : nl + 1);
  return line;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clash::FakeClock clock(clash::Timestamp::FromUnixSeconds(1'800'000'000));
  static clash::SeededRng rng(1);
  static std::unique_ptr<clash::ServiceRequestVerifier> verifier = [] {
    clash::ServiceAuthOptions opts;
    opts.keys["worker-1"] = std::string(kSecret);
    opts.max_remembered_nonces = 1000;
    auto v = clash::ServiceRequestVerifier::Create(opts, clock);
    if (!v.ok()) std::abort();
    return std::move(*v);
  }();
  if (size < 1) return 0;
  clock.Advance(std::chrono::seconds(1));  // nonces age out of the window as the run goes on
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  clash::ServiceRequestHeaders headers;
  for (std::string_view name : {clash::kServiceKeyHeader, clash::kServiceTimestampHeader, clash::kServiceNonceHeader,
                                clash::kServiceSignatureHeader}) {
    headers.emplace_back(std::string(name), std::string(NextLine(&rest)));
  }
  const std::string_view method = NextLine(&rest);
  const std::string_view path = NextLine(&rest);
  const std::string_view body = rest;
  const bool sign = data[0] % 2 == 1;
  if (sign) {
    auto signed_headers = clash::SignServiceRequest("worker-1", kSecret, method, path, body, clock.Now(), rng);
    if (!signed_headers.ok()) return 0;  // a method or path the sender refuses
    headers = *signed_headers;
  }
  auto lookup = [&](std::string_view name) -> std::optional<std::string> {
    for (const auto& [k, v] : headers) {
      if (IEquals(k, name)) return v;
    }
    return std::nullopt;
  };
  clash::Status first = verifier->Verify(lookup, method, path, body);
  if (!first.ok() && first.code() != clash::StatusCode::kUnauthenticated) __builtin_trap();
  if (sign && !first.ok()) __builtin_trap();  // a correctly signed request must pass
  clash::Status replay = verifier->Verify(lookup, method, path, body);
  if (replay.ok()) __builtin_trap();  // never twice
  return 0;
}
