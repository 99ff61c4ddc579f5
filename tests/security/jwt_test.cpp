// TokenSigner / TokenVerifier: round trips and every kind of bad token.
#include <nlohmann/json.hpp>

#include <string>

#include "clash/tokens.h"
#include "common/crypto.h"
#include "security/token_key.h"
#include "security_test_util.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;
using nlohmann::json;

constexpr std::int64_t kNow = 1'700'000'000;

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(keys_.AddSigningKeyPem(testing::kTestKeyA, "key-a"), IsOk());
    signer_ = std::make_unique<TokenSigner>(keys_);
    verifier_ = std::make_unique<TokenVerifier>(keys_);
    auto raw = internal::ParseTokenKeyPem(testing::kTestKeyA, true, "key-a");
    ASSERT_THAT(raw, IsOk());
    raw_key_ = *raw;
  }

  static TokenClaims Access() {
    TokenClaims c;
    c.type = "access";
    c.user_id = 42;
    c.username = "ada";
    c.avatar_url = "https://cdn.example/ada.png";
    c.jti = "0123456789abcdef0123456789abcdef";
    c.family = "fam-1";  // both tokens of a login carry its session id
    c.issued_at = Timestamp::FromUnixSeconds(kNow);
    c.expires_at = Timestamp::FromUnixSeconds(kNow + 3600);
    return c;
  }
  static TokenClaims Refresh() {
    TokenClaims c = Access();
    c.type = "refresh";
    c.avatar_url.reset();
    c.expires_at = Timestamp::FromUnixSeconds(kNow + 604800);
    return c;
  }
  static json AccessPayload() {
    return {{"user_id", 42}, {"username", "ada"}, {"avatar_url", nullptr}, {"jti", "j1"},
            {"type", "access"}, {"iat", kNow}, {"exp", kNow + 3600}, {"fam", "fam-1"}};
  }
  static std::string Header(std::string_view alg = "RS256", std::string_view kid = "key-a") {
    return json{{"alg", alg}, {"typ", "JWT"}, {"kid", kid}}.dump();
  }

  // A token with a valid RS256 signature by key A over arbitrary header and payload text.
  std::string SignRaw(const std::string& header, const std::string& payload) {
    std::string input = internal::Base64UrlEncode(header) + "." + internal::Base64UrlEncode(payload);
    auto sig = internal::SignRs256(*raw_key_, input);
    EXPECT_THAT(sig, IsOk());
    return input + "." + internal::Base64UrlEncode(sig.value_or(""));
  }

  Status VerifyAccess(std::string_view jwt, std::int64_t now = kNow) {
    return verifier_->Verify(jwt, kAccessToken, Timestamp::FromUnixSeconds(now)).status();
  }

  TokenKeys keys_;
  std::unique_ptr<TokenSigner> signer_;
  std::unique_ptr<TokenVerifier> verifier_;
  std::shared_ptr<const internal::TokenKey> raw_key_;
};

TEST_F(JwtTest, AccessTokenRoundTrip) {
  Result<std::string> jwt = signer_->Sign(Access());
  ASSERT_THAT(jwt, IsOk());
  Result<TokenClaims> c = verifier_->Verify(*jwt, kAccessToken, Timestamp::FromUnixSeconds(kNow + 10));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->type, "access");
  EXPECT_EQ(c->user_id, 42);
  EXPECT_EQ(c->username, "ada");
  EXPECT_EQ(c->avatar_url, "https://cdn.example/ada.png");
  EXPECT_EQ(c->jti, Access().jti);
  EXPECT_EQ(c->family, "fam-1");
  EXPECT_EQ(c->issued_at, Timestamp::FromUnixSeconds(kNow));
  EXPECT_EQ(c->expires_at, Timestamp::FromUnixSeconds(kNow + 3600));
}

TEST_F(JwtTest, RefreshTokenRoundTripCarriesFamily) {
  Result<std::string> jwt = signer_->Sign(Refresh());
  ASSERT_THAT(jwt, IsOk());
  Result<TokenClaims> c = verifier_->Verify(*jwt, kRefreshToken, Timestamp::FromUnixSeconds(kNow));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->type, "refresh");
  EXPECT_EQ(c->family, "fam-1");
  EXPECT_EQ(c->avatar_url, std::nullopt);
}

TEST_F(JwtTest, WireFormat) {
  std::string jwt = signer_->Sign(Refresh()).value();
  std::size_t d1 = jwt.find('.');
  std::size_t d2 = jwt.find('.', d1 + 1);
  json header = json::parse(internal::Base64UrlDecode(jwt.substr(0, d1)).value());
  json payload = json::parse(internal::Base64UrlDecode(jwt.substr(d1 + 1, d2 - d1 - 1)).value());
  EXPECT_EQ(header, (json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "key-a"}}));
  EXPECT_EQ(payload, (json{{"user_id", 42}, {"username", "ada"}, {"avatar_url", nullptr},
                           {"jti", Access().jti}, {"type", "refresh"}, {"iat", kNow},
                           {"exp", kNow + 604800}, {"fam", "fam-1"}}));
  EXPECT_EQ(internal::Base64UrlDecode(jwt.substr(d2 + 1))->size(), 256u);  // 2048-bit signature
  std::string access = signer_->Sign(Access()).value();
  std::size_t a1 = access.find('.');
  std::size_t a2 = access.find('.', a1 + 1);
  json access_payload = json::parse(internal::Base64UrlDecode(access.substr(a1 + 1, a2 - a1 - 1)).value());
  EXPECT_EQ(access_payload["fam"], "fam-1");
  EXPECT_EQ(access_payload["avatar_url"], "https://cdn.example/ada.png");
}

TEST_F(JwtTest, SignRejectsBadClaims) {
  TokenClaims c = Access();
  c.type = "admin";
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
  c = Access();
  c.jti.clear();
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
  c = Refresh();
  c.family.clear();
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
  c = Access();
  c.family.clear();
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
  c = Access();
  c.expires_at = c.issued_at;
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
  c = Access();
  c.username = "bad\xff utf8";
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
  c = Access();
  c.username = std::string(kMaxTokenBytes, 'x');
  EXPECT_THAT(signer_->Sign(c), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(JwtTest, SignWithoutSigningKeyFails) {
  TokenKeys verify_only;
  ASSERT_THAT(verify_only.AddVerificationKeyPem(testing::kTestKeyA, "key-a"), IsOk());
  EXPECT_THAT(TokenSigner(verify_only).Sign(Access()), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(TokenSigner(TokenKeys()).Sign(Access()), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(TokenSigner(TokenKeys()).kid(), "");
}

TEST_F(JwtTest, ExpiryHasNoLeeway) {
  std::string jwt = signer_->Sign(Access()).value();
  EXPECT_THAT(VerifyAccess(jwt, kNow + 3599), IsOk());
  Status at_exp = VerifyAccess(jwt, kNow + 3600);
  EXPECT_THAT(at_exp, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(at_exp.message(), "token expired");
  EXPECT_THAT(VerifyAccess(jwt, kNow + 100000), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(JwtTest, IssuedInTheFutureBeyondLeeway) {
  std::string jwt = signer_->Sign(Access()).value();
  EXPECT_THAT(VerifyAccess(jwt, kNow - kTokenIatLeeway.count()), IsOk());
  Status early = VerifyAccess(jwt, kNow - kTokenIatLeeway.count() - 1);
  EXPECT_THAT(early, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(early.message(), "token issued in the future");
}

TEST_F(JwtTest, WrongTypeIsRejected) {
  std::string access = signer_->Sign(Access()).value();
  std::string refresh = signer_->Sign(Refresh()).value();
  Result<TokenClaims> r = verifier_->Verify(access, kRefreshToken, Timestamp::FromUnixSeconds(kNow));
  EXPECT_THAT(r, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(r.status().message(), "invalid token type");
  EXPECT_THAT(VerifyAccess(refresh), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(verifier_->Verify(access, "admin", Timestamp::FromUnixSeconds(kNow)),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(JwtTest, MalformedTokens) {
  std::string good = signer_->Sign(Access()).value();
  std::size_t d1 = good.find('.');
  std::size_t d2 = good.find('.', d1 + 1);
  std::string h = good.substr(0, d1);
  std::string p = good.substr(d1 + 1, d2 - d1 - 1);
  std::string s = good.substr(d2 + 1);
  for (const std::string& bad : {std::string(), std::string("garbage"), std::string("."), std::string(".."),
                                 h + "." + p, h + "." + p + ".", "." + p + "." + s, h + ".." + s,
                                 good + ".", good + "." + s, h + "." + p + "." + s + "=",
                                 h + "=." + p + "." + s, h + "." + p + "+." + s, "Bearer " + good,
                                 good + " ", std::string("\x00", 1) + good}) {
    EXPECT_THAT(VerifyAccess(bad), StatusIs(StatusCode::kUnauthenticated)) << bad;
  }
  EXPECT_THAT(VerifyAccess(good), IsOk());
}

TEST_F(JwtTest, HeaderOrPayloadNotAJsonObject) {
  std::string payload = AccessPayload().dump();
  EXPECT_THAT(VerifyAccess(SignRaw("not json", payload)), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(SignRaw("[\"RS256\"]", payload)), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(SignRaw(Header(), "not json")), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(SignRaw(Header(), "42")), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(SignRaw(Header(), payload)), IsOk());
}

TEST_F(JwtTest, OversizeTokenIsRejectedBeforeParsing) {
  std::string big = std::string(kMaxTokenBytes + 1, 'a');
  Status s = VerifyAccess(big);
  EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(s.message(), "token too large");
  // A validly signed token just over the limit is refused as well.
  json payload = AccessPayload();
  payload["username"] = std::string(6200, 'x');
  std::string jwt = SignRaw(Header(), payload.dump());
  ASSERT_GT(jwt.size(), kMaxTokenBytes);
  EXPECT_THAT(VerifyAccess(jwt), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(JwtTest, AlgNoneIsRejected) {
  std::string payload = AccessPayload().dump();
  std::string none_header = json{{"alg", "none"}, {"typ", "JWT"}, {"kid", "key-a"}}.dump();
  std::string unsigned_jwt = internal::Base64UrlEncode(none_header) + "." + internal::Base64UrlEncode(payload) + ".";
  EXPECT_THAT(VerifyAccess(unsigned_jwt), StatusIs(StatusCode::kUnauthenticated));
  Status s = VerifyAccess(testing::ForgeJwt(none_header, payload, "x"));
  EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(s.message(), "unsupported token algorithm");
  for (const char* alg : {"None", "NONE", "RS512", "PS256", "ES256", "rs256"}) {
    EXPECT_THAT(VerifyAccess(SignRaw(Header(alg), payload)), StatusIs(StatusCode::kUnauthenticated)) << alg;
  }
  EXPECT_THAT(VerifyAccess(SignRaw(json{{"typ", "JWT"}, {"kid", "key-a"}}.dump(), payload)),
              StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(JwtTest, Hs256WithThePublicKeyAsSecretIsRejected) {
  // The classic key-confusion attack: HMAC-sign with the (public) verification key.
  std::string public_pem = internal::PublicKeyPem(*raw_key_).value();
  std::string header = Header("HS256");
  std::string input = internal::Base64UrlEncode(header) + "." + internal::Base64UrlEncode(AccessPayload().dump());
  for (const std::string& secret : {public_pem, std::string(testing::kTestKeyA)}) {
    std::string jwt = input + "." + internal::Base64UrlEncode(internal::HmacSha256(secret, input));
    Status s = VerifyAccess(jwt);
    EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated));
    EXPECT_EQ(s.message(), "unsupported token algorithm");
  }
}

TEST_F(JwtTest, KidMissingUnknownOrMistyped) {
  std::string payload = AccessPayload().dump();
  Status missing = VerifyAccess(SignRaw(json{{"alg", "RS256"}, {"typ", "JWT"}}.dump(), payload));
  EXPECT_THAT(missing, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(missing.message(), "token has no key id");
  EXPECT_THAT(VerifyAccess(SignRaw(Header("RS256", ""), payload)), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(SignRaw(json{{"alg", "RS256"}, {"kid", 1}}.dump(), payload)),
              StatusIs(StatusCode::kUnauthenticated));
  Status unknown = VerifyAccess(SignRaw(Header("RS256", "key-z"), payload));
  EXPECT_THAT(unknown, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(unknown.message(), "unknown token key id");
}

TEST_F(JwtTest, UnsupportedHeaderFields) {
  std::string payload = AccessPayload().dump();
  EXPECT_THAT(VerifyAccess(SignRaw(json{{"alg", "RS256"}, {"typ", "at+jwt"}, {"kid", "key-a"}}.dump(), payload)),
              StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(SignRaw(
                  json{{"alg", "RS256"}, {"kid", "key-a"}, {"crit", json::array({"exp"})}}.dump(), payload)),
              StatusIs(StatusCode::kUnauthenticated));
  // typ is optional.
  EXPECT_THAT(VerifyAccess(SignRaw(json{{"alg", "RS256"}, {"kid", "key-a"}}.dump(), payload)), IsOk());
}

TEST_F(JwtTest, BadSignatures) {
  std::string good = signer_->Sign(Access()).value();
  std::size_t d2 = good.rfind('.');
  std::string sig = internal::Base64UrlDecode(good.substr(d2 + 1)).value();

  std::string flipped = sig;
  flipped[100] = static_cast<char>(flipped[100] ^ 1);
  Status s = VerifyAccess(good.substr(0, d2 + 1) + internal::Base64UrlEncode(flipped));
  EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(s.message(), "invalid token signature");
  // Truncated and over-long signatures.
  EXPECT_THAT(VerifyAccess(good.substr(0, d2 + 1) + internal::Base64UrlEncode(sig.substr(0, 255))),
              StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(VerifyAccess(good.substr(0, d2 + 1) + internal::Base64UrlEncode(sig + "x")),
              StatusIs(StatusCode::kUnauthenticated));

  // A tampered payload under the original signature (user 42 -> 1).
  json payload = AccessPayload();
  payload["user_id"] = 1;
  std::string tampered = internal::Base64UrlEncode(Header()) + "." + internal::Base64UrlEncode(payload.dump()) +
                         good.substr(d2);
  EXPECT_THAT(VerifyAccess(tampered), StatusIs(StatusCode::kUnauthenticated));

  // Signed by another key while claiming key A's kid.
  TokenKeys other;
  ASSERT_THAT(other.AddSigningKeyPem(testing::kTestKeyB, "key-a"), IsOk());
  std::string foreign = TokenSigner(other).Sign(Access()).value();
  EXPECT_THAT(VerifyAccess(foreign), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(JwtTest, MissingOrMistypedClaims) {
  for (const char* claim : {"user_id", "username", "jti", "type", "iat", "exp"}) {
    json payload = AccessPayload();
    payload.erase(claim);
    Status s = VerifyAccess(SignRaw(Header(), payload.dump()));
    EXPECT_THAT(s, StatusIs(StatusCode::kUnauthenticated)) << claim;
  }
  auto with = [&](const char* claim, json value) {
    json payload = AccessPayload();
    payload[claim] = std::move(value);
    return VerifyAccess(SignRaw(Header(), payload.dump()));
  };
  EXPECT_THAT(with("user_id", "42"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("user_id", 42.5), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("user_id", std::uint64_t{1} << 63), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("username", nullptr), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("jti", ""), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("avatar_url", 7), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("iat", 1.5e9), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("exp", "never"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(with("exp", std::int64_t{1} << 62), StatusIs(StatusCode::kUnauthenticated));  // no overflow
  EXPECT_THAT(with("exp", kNow - 10), StatusIs(StatusCode::kUnauthenticated));              // exp <= iat
  EXPECT_THAT(with("iat", -5), StatusIs(StatusCode::kUnauthenticated));
  // avatar_url may be absent.
  json payload = AccessPayload();
  payload.erase("avatar_url");
  EXPECT_THAT(VerifyAccess(SignRaw(Header(), payload.dump())), IsOk());

  // Both token types need their family (the login's session id).
  for (const char* type : {"refresh", "access"}) {
    json no_family = AccessPayload();
    no_family["type"] = type;
    no_family.erase("fam");
    Result<TokenClaims> r = verifier_->Verify(SignRaw(Header(), no_family.dump()), type,
                                              Timestamp::FromUnixSeconds(kNow));
    EXPECT_THAT(r, StatusIs(StatusCode::kUnauthenticated)) << type;
    EXPECT_THAT(r.status().message(), HasSubstr("fam")) << type;
  }
}

TEST_F(JwtTest, SubSecondTimesAreTruncated) {
  TokenClaims c = Access();
  c.issued_at = Timestamp::FromUnixMicros(kNow * 1'000'000 + 999'999);
  std::string jwt = signer_->Sign(c).value();
  Result<TokenClaims> back = verifier_->Verify(jwt, kAccessToken, Timestamp::FromUnixSeconds(kNow));
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->issued_at, Timestamp::FromUnixSeconds(kNow));
}

}  // namespace
}  // namespace clash
