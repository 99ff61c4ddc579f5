#include "oauth/flow_token.h"

#include <charconv>
#include <vector>

#include "common/crypto.h"

namespace clash::internal {
namespace {

constexpr std::string_view kMacPrefix = "clash-oauth-flow:v1\n";
constexpr std::size_t kMaxTokenBytes = 4096;

std::string Mac(std::string_view secret, std::string_view payload) {
  std::string message(kMacPrefix);
  message.append(payload);
  return HmacSha256(secret, message);
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = text.find(sep, start);
    out.push_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

}  // namespace

std::string SignFlowToken(std::string_view secret, const FlowClaims& claims) {
  std::string payload = claims.provider + "\n" + claims.state + "\n" + claims.nonce + "\n" +
                        std::to_string(claims.expires_unix) + "\n" + claims.redirect_uri;
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Mac(secret, payload));
}

std::optional<FlowClaims> VerifyFlowToken(std::string_view secret, std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenBytes) return std::nullopt;
  std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<std::string> payload = Base64UrlDecode(token.substr(0, dot));
  std::optional<std::string> mac = Base64UrlDecode(token.substr(dot + 1));
  if (!payload || !mac) return std::nullopt;
  if (!ConstantTimeEquals(Mac(secret, *payload), *mac)) return std::nullopt;

  std::vector<std::string_view> fields = Split(*payload, '\n');
  if (fields.size() != 5) return std::nullopt;
  FlowClaims claims;
  claims.provider = fields[0];
  claims.state = fields[1];
  claims.nonce = fields[2];
  const char* begin = fields[3].data();
  const char* end = begin + fields[3].size();
  auto [ptr, ec] = std::from_chars(begin, end, claims.expires_unix);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  claims.redirect_uri = fields[4];
  return claims;
}

}  // namespace clash::internal
