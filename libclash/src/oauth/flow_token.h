// oauth/flow_token.h — the signed, expiring token that binds an OAuth callback to the flow (and the
// browser) that started it.
//
// Format: base64url(payload) "." base64url(HMAC-SHA256(secret, "clash-oauth-flow:v1\n" payload)),
// payload = provider \n state \n nonce \n expiry-unix-seconds \n redirect_uri. No field may hold a
// newline (the callers validate state and redirect URI). Internal to libclash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clash::internal {

struct FlowClaims {
  std::string provider;
  std::string state;
  std::string nonce;
  std::int64_t expires_unix = 0;
  std::string redirect_uri;
};

std::string SignFlowToken(std::string_view secret, const FlowClaims& claims);

// The claims if `token` is well formed and its MAC verifies (constant-time); expiry is not checked.
std::optional<FlowClaims> VerifyFlowToken(std::string_view secret, std::string_view token);

}  // namespace clash::internal
