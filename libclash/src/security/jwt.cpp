// TokenSigner and TokenVerifier: compact RS256 JWTs (RFC 7515/7519) with our claim set.
#include <nlohmann/json.hpp>

#include <limits>

#include "clash/tokens.h"
#include "common/crypto.h"
#include "security/token_key.h"
#include "security/verified_token_cache.h"

namespace clash {
namespace {

using nlohmann::json;

// Times beyond the year 9999 are rejected so that seconds -> microseconds cannot overflow.
constexpr std::int64_t kMaxUnixSeconds = 253'402'300'799;

Status Bad(std::string msg) { return Status::Unauthenticated(std::move(msg)); }

// Parses base64url(JSON object); nullopt if either layer is malformed. Never throws.
std::optional<json> DecodeJsonPart(std::string_view part) {
  std::optional<std::string> bytes = internal::Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  json value = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

const json* Member(const json& obj, const char* name) {
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

std::optional<std::int64_t> IntMember(const json& obj, const char* name) {
  const json* v = Member(obj, name);
  if (v == nullptr || !v->is_number_integer()) return std::nullopt;
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  return v->get<std::int64_t>();
}

std::optional<std::string> StringMember(const json& obj, const char* name) {
  const json* v = Member(obj, name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

bool IsTokenType(std::string_view t) { return t == kAccessToken || t == kRefreshToken; }

Status CheckClaimsForSigning(const TokenClaims& c) {
  if (!IsTokenType(c.type)) return Status::InvalidArgument("token type must be \"access\" or \"refresh\"");
  if (c.jti.empty()) return Status::InvalidArgument("token needs a jti");
  if (c.family.empty()) return Status::InvalidArgument("token needs a family (its login's session id)");
  std::int64_t iat = c.issued_at.unix_seconds();
  std::int64_t exp = c.expires_at.unix_seconds();
  if (iat < 0 || exp > kMaxUnixSeconds) return Status::InvalidArgument("token times out of range");
  if (exp <= iat) return Status::InvalidArgument("token must expire after it is issued");
  return Status::Ok();
}

}  // namespace

TokenSigner::TokenSigner(const TokenKeys& keys) {
  for (const auto& k : keys.keys_) {
    if (k->kid == keys.signing_kid()) key_ = k;
  }
}
TokenSigner::~TokenSigner() = default;

const std::string& TokenSigner::kid() const {
  static const std::string kNone;
  return key_ ? key_->kid : kNone;
}

Result<std::string> TokenSigner::Sign(const TokenClaims& claims) const {
  if (!key_) return Status::FailedPrecondition("no token signing key is configured");
  CLASH_RETURN_IF_ERROR(CheckClaimsForSigning(claims));
  json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key_->kid}};
  json payload = {{"user_id", claims.user_id},
                  {"username", claims.username},
                  {"avatar_url", claims.avatar_url ? json(*claims.avatar_url) : json(nullptr)},
                  {"jti", claims.jti},
                  {"type", claims.type},
                  {"iat", claims.issued_at.unix_seconds()},
                  {"exp", claims.expires_at.unix_seconds()}};
  payload["fam"] = claims.family;
  std::string header_text;
  std::string payload_text;
  try {
    header_text = header.dump();
    payload_text = payload.dump();
  } catch (const json::exception&) {
    return Status::InvalidArgument("token claims are not valid UTF-8");
  }
  std::string token = internal::Base64UrlEncode(header_text) + "." + internal::Base64UrlEncode(payload_text);
  CLASH_ASSIGN_OR_RETURN(std::string signature, internal::SignRs256(*key_, token));
  token += ".";
  token += internal::Base64UrlEncode(signature);
  if (token.size() > kMaxTokenBytes) return Status::InvalidArgument("token would exceed 8 KiB");
  return token;
}

TokenVerifier::TokenVerifier(const TokenKeys& keys, std::size_t cache_entries)
    : keys_(keys.keys_),
      cache_(cache_entries > 0 ? std::make_shared<internal::VerifiedTokenCache>(cache_entries) : nullptr) {}
TokenVerifier::~TokenVerifier() = default;

std::size_t TokenVerifier::cached_tokens() const { return cache_ ? cache_->size() : 0; }

Result<TokenClaims> TokenVerifier::Verify(std::string_view jwt, std::string_view expected_type,
                                          Timestamp now) const {
  if (!IsTokenType(expected_type)) return Status::InvalidArgument("expected token type must be access or refresh");
  if (jwt.size() > kMaxTokenBytes) return Bad("token too large");
  if (!cache_) return VerifyUncached(jwt, expected_type, now);
  // A token accepted before: its signature and claims were checked then; what depends on the
  // caller and on time is checked again, with the messages of the full path below.
  std::string key = internal::VerifiedTokenCache::KeyOf(jwt);
  if (std::optional<TokenClaims> hit = cache_->Find(key, now)) {
    if (hit->type != expected_type) return Bad("invalid token type");
    if (hit->issued_at > now + kTokenIatLeeway) return Bad("token issued in the future");
    return std::move(*hit);
  }
  CLASH_ASSIGN_OR_RETURN(TokenClaims claims, VerifyUncached(jwt, expected_type, now));
  cache_->Insert(std::move(key), claims);
  return claims;
}

Result<TokenClaims> TokenVerifier::VerifyUncached(std::string_view jwt, std::string_view expected_type,
                                                  Timestamp now) const {
  // Structure: exactly three non-empty dot-separated parts.
  std::size_t dot1 = jwt.find('.');
  std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos || dot1 == 0 ||
      dot2 == dot1 + 1 || dot2 + 1 == jwt.size()) {
    return Bad("malformed token");
  }

  // Header: RS256 only, a known kid, nothing we would have to understand.
  std::optional<json> header = DecodeJsonPart(jwt.substr(0, dot1));
  if (!header) return Bad("malformed token");
  if (StringMember(*header, "alg") != "RS256") return Bad("unsupported token algorithm");
  if (const json* typ = Member(*header, "typ"); typ != nullptr && !(typ->is_string() && *typ == "JWT")) {
    return Bad("unsupported token type header");
  }
  if (Member(*header, "crit") != nullptr) return Bad("unsupported critical token header");
  std::optional<std::string> kid = StringMember(*header, "kid");
  if (!kid || kid->empty()) return Bad("token has no key id");
  const internal::TokenKey* key = nullptr;
  for (const auto& k : keys_) {
    if (k->kid == *kid) key = k.get();
  }
  if (key == nullptr) return Bad("unknown token key id");

  std::optional<std::string> signature = internal::Base64UrlDecode(jwt.substr(dot2 + 1));
  if (!signature) return Bad("malformed token");
  if (!internal::VerifyRs256(*key, jwt.substr(0, dot2), *signature)) return Bad("invalid token signature");

  // Claims: only now, from an authentic payload.
  std::optional<json> payload = DecodeJsonPart(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return Bad("malformed token");
  TokenClaims c;
  std::optional<std::string> type = StringMember(*payload, "type");
  if (!type) return Bad("token claim missing: type");
  if (*type != expected_type) return Bad("invalid token type");
  c.type = std::move(*type);
  std::optional<std::int64_t> user_id = IntMember(*payload, "user_id");
  if (!user_id) return Bad("token claim missing: user_id");
  c.user_id = *user_id;
  std::optional<std::string> username = StringMember(*payload, "username");
  if (!username) return Bad("token claim missing: username");
  c.username = std::move(*username);
  std::optional<std::string> jti = StringMember(*payload, "jti");
  if (!jti || jti->empty()) return Bad("token claim missing: jti");
  c.jti = std::move(*jti);
  if (const json* avatar = Member(*payload, "avatar_url"); avatar != nullptr && !avatar->is_null()) {
    if (!avatar->is_string()) return Bad("token claim invalid: avatar_url");
    c.avatar_url = avatar->get<std::string>();
  }
  std::optional<std::string> fam = StringMember(*payload, "fam");
  if (!fam || fam->empty()) return Bad("token claim missing: fam");
  c.family = std::move(*fam);
  std::optional<std::int64_t> iat = IntMember(*payload, "iat");
  std::optional<std::int64_t> exp = IntMember(*payload, "exp");
  if (!iat) return Bad("token claim missing: iat");
  if (!exp) return Bad("token claim missing: exp");
  if (*iat < 0 || *exp > kMaxUnixSeconds || *exp <= *iat) return Bad("token claim invalid: iat/exp");
  c.issued_at = Timestamp::FromUnixSeconds(*iat);
  c.expires_at = Timestamp::FromUnixSeconds(*exp);
  if (c.expires_at <= now) return Bad("token expired");
  if (c.issued_at > now + kTokenIatLeeway) return Bad("token issued in the future");
  return c;
}

}  // namespace clash
