// Fuzz target: JWT parsing and verification (clash/tokens.h, libclash/src/security/jwt.cpp).
// First byte even: the rest is a compact token as a client sends it (almost always a bad
// signature, so this covers the framing, base64url and header checks). First byte odd: the rest
// is "<header JSON>\n<claims JSON>", which the harness signs with the verifier's own key, so the
// claim checks behind the signature are fuzzed too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "clash/tokens.h"
#include "common/crypto.h"
#include "security/token_key.h"

namespace {

struct Keys {
  std::shared_ptr<const clash::internal::TokenKey> key;
  std::unique_ptr<clash::TokenVerifier> verifier;
};

const Keys& FuzzKeys() {
  static const Keys* keys = [] {
    auto* k = new Keys();
    auto key = clash::internal::GenerateTokenKey(2048);
    if (!key.ok()) std::abort();
    auto pem = clash::internal::PrivateKeyPem(**key);
    clash::TokenKeys set;
    if (!pem.ok() || !set.AddSigningKeyPem(*pem, "fuzz").ok()) std::abort();
    k->key = *key;
    k->verifier = std::make_unique<clash::TokenVerifier>(set);
    return k;
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const Keys& keys = FuzzKeys();
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string token;
  if (data[0] % 2 == 0) {
    token = std::string(rest);
  } else {
    const std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return 0;
    token = clash::internal::Base64UrlEncode(rest.substr(0, nl)) + "." +
            clash::internal::Base64UrlEncode(rest.substr(nl + 1));
    auto sig = clash::internal::SignRs256(*keys.key, token);
    if (!sig.ok()) std::abort();
    token += "." + clash::internal::Base64UrlEncode(*sig);
  }
  const clash::Timestamp now = clash::Timestamp::FromUnixSeconds(1'800'000'000);
  for (std::string_view type : {clash::kAccessToken, clash::kRefreshToken}) {
    auto claims = keys.verifier->Verify(token, type, now);
    if (claims.ok() && (claims->type != type || claims->expires_at <= now)) __builtin_trap();
    if (!claims.ok() && claims.status().code() != clash::StatusCode::kUnauthenticated) __builtin_trap();
  }
  return 0;
}
